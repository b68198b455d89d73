import type { Logger } from "./logger.js";

/** Least time between two warnings (or two recoveries) about one server, in milliseconds. */
export const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * Tells the operator when a server stops answering and when it answers again: a warning at the first
 * network failure, an info line at the first success after it, at most one of each per minute.
 */
export class OutageLog {
  private down = false;
  private warnedAt = Number.NEGATIVE_INFINITY;
  private recoveredAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    /** What the server is, and which setting reaches it: «the Telegram Bot API (TELEGRAM_API_ROOT …)». */
    private readonly server: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the last request reached the server (true until one fails). */
  get reachableNow(): boolean {
    return !this.down;
  }

  /** A request to the server failed before any response. */
  unreachable(error: unknown): void {
    const wasDown = this.down;
    this.down = true;
    if (wasDown || this.now() - this.warnedAt < OUTAGE_LOG_INTERVAL_MS) return;
    this.warnedAt = this.now();
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      `${this.server} is unreachable; retrying`,
    );
  }

  /** The server answered (whatever it said). */
  reachable(): void {
    if (!this.down) return;
    this.down = false;
    if (this.now() - this.recoveredAt < OUTAGE_LOG_INTERVAL_MS) return;
    this.recoveredAt = this.now();
    this.logger.info(`${this.server} is reachable again`);
  }
}
