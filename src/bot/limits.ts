/** Options of {@link QuestionLimits}. */
export interface QuestionLimitOptions {
  /** Questions one user may ask per window. */
  readonly perWindow: number;
  /** The window, in milliseconds. Defaults to one minute. */
  readonly windowMs?: number;
  /** Answers written at once across all users. */
  readonly concurrent: number;
  readonly now?: () => number;
}

/** Users tracked before idle ones are forgotten. */
const MAX_TRACKED_USERS = 10_000;

/** Why a question may not be asked now. */
export type LimitVerdict = "ok" | "rate-limited" | "busy";

/**
 * What the bot asks of its limits: kept in this process ({@link QuestionLimits}) or shared by replicas
 * (a Redis store, src/state), where a check may wait for the network.
 */
export interface ReplyLimits {
  /**
   * Checks and records a question from a user. `updateId` names the update that asks it: the same
   * update handled again (after a crash, by the replica that took it over) is the same question, not a
   * second one while the first is in flight.
   */
  admit(userId: number, updateId?: number): LimitVerdict | Promise<LimitVerdict>;
  /** Checks and records a reply that is no answer; false when the user's budget is spent. */
  admitReply(userId: number): boolean | Promise<boolean>;
  /** Whether the rate-limit notice should be sent now (once per window per user). */
  shouldNotice(userId: number): boolean | Promise<boolean>;
  /** Runs one answer for a user, in flight for that user and under the cap on answers at once. */
  run<T>(userId: number, work: () => Promise<T>): Promise<T>;
  /** Answers waiting for a free slot under the cap. */
  readonly queueDepth: number;
  /** Resolves when no answer is being written. */
  whenIdle(): Promise<void>;
}

/**
 * Per-user and global limits: a sliding window of replies per user — answers and every other reply
 * (to stickers, unknown commands, /help …) alike, so that no flood of anything gets a flood back; the
 * notice about it is given once per window — one question in flight per user, and a cap on answers
 * written at the same time (the model server's capacity).
 */
export class QuestionLimits implements ReplyLimits {
  private readonly asked = new Map<number, number[]>();
  private readonly noticed = new Map<number, number>();
  private readonly inFlight = new Set<number>();
  private readonly waiting: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private running = 0;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly options: QuestionLimitOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Checks and records a question from a user. */
  admit(userId: number): LimitVerdict {
    if (this.inFlight.has(userId)) return "busy";
    const now = this.now();
    const recent = (this.asked.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.options.perWindow) {
      this.asked.set(userId, recent);
      return "rate-limited";
    }
    recent.push(now);
    this.asked.set(userId, recent);
    if (this.asked.size > MAX_TRACKED_USERS) this.forgetIdle(now);
    return "ok";
  }

  /**
   * Checks and records a reply that is no answer (a notice, a command's reply) to a user: false when the
   * user has had as many replies as the window allows, and the reply is then not sent.
   */
  admitReply(userId: number): boolean {
    const now = this.now();
    const recent = (this.asked.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    const admitted = recent.length < this.options.perWindow;
    if (admitted) recent.push(now);
    this.asked.set(userId, recent);
    if (this.asked.size > MAX_TRACKED_USERS) this.forgetIdle(now);
    return admitted;
  }

  /** Drops users with no question in the current window, so that memory stays bounded. */
  private forgetIdle(now: number): void {
    for (const [user, times] of this.asked) {
      if (times.every((at) => now - at >= this.windowMs)) this.asked.delete(user);
    }
    for (const [user, at] of this.noticed) if (now - at >= this.windowMs) this.noticed.delete(user);
  }

  /** Whether the rate-limit notice should be sent now (once per window per user). */
  shouldNotice(userId: number): boolean {
    const last = this.noticed.get(userId);
    if (last !== undefined && this.now() - last < this.windowMs) return false;
    this.noticed.set(userId, this.now());
    return true;
  }

  /** Runs one answer for a user: marks it in flight and waits for a free slot under the global cap. */
  async run<T>(userId: number, work: () => Promise<T>): Promise<T> {
    this.inFlight.add(userId);
    try {
      if (this.running >= this.options.concurrent) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
      this.running++;
      try {
        return await work();
      } finally {
        this.running--;
        this.waiting.shift()?.();
      }
    } finally {
      this.inFlight.delete(userId);
      if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Answers waiting for a free slot under the global cap. */
  get queueDepth(): number {
    return this.waiting.length;
  }

  /** Resolves when no answer is being written: for a graceful stop after the runner stops fetching. */
  whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
