import { randomUUID } from "node:crypto";
import { QuestionLimits, type LimitVerdict, type ReplyLimits } from "../bot/index.js";
import type { RedisConnection } from "./redis-connection.js";

/** Options of {@link RedisLimits}. */
export interface RedisLimitOptions {
  /** Replies one user may get per window, across all replicas. */
  readonly perWindow: number;
  /** The window, in milliseconds. Defaults to one minute. */
  readonly windowMs?: number;
  /** Answers written at once by this replica (each replica has its own model-server budget). */
  readonly concurrent: number;
  /**
   * How long a user stays "in flight" if the replica answering them dies without clearing it, in
   * milliseconds: longer than any answer takes. Defaults to two minutes.
   */
  readonly inFlightLeaseMs?: number;
}

/**
 * Checks a user's sliding window (a sorted set of reply times) and, for a question, that no other
 * question of theirs is in flight on any replica, marking this one in flight when it admits it: check and
 * mark are one step, so that two replicas cannot both admit a user's two questions. A question's mark and
 * window entry name its update: the same update handled again (a replica died mid-answer and another took
 * it over, or a restart replays it) finds its own mark, is admitted, and counts once. Time is the Redis
 * server's, so that replicas with skewed clocks share one window.
 */
const ADMIT_SCRIPT = `
local window, inflight = KEYS[1], KEYS[2]
local span, limit, member, mark = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local question = mark ~= ""
if question then
  local current = redis.call("GET", inflight)
  if current and current ~= mark then return "busy" end
end
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call("ZREMRANGEBYSCORE", window, "-inf", now - span)
if not redis.call("ZSCORE", window, member) and redis.call("ZCARD", window) >= limit then
  return "rate-limited"
end
redis.call("ZADD", window, now, member)
redis.call("PEXPIRE", window, span)
if question then redis.call("SET", inflight, mark, "PX", ARGV[5]) end
return "ok"
`;

/** Clears a user's in-flight mark if it is still the one this replica set. */
const CLEAR_SCRIPT = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`;

/**
 * The bot's limits shared by replicas through Redis: the per-user reply window, the per-user answer in
 * flight and the once-per-window notice hold across replicas, so that spreading messages over replicas
 * gains a user nothing. The cap on answers written at once stays per replica (it protects the replica's
 * own model budget). While Redis is unreachable the replica falls back to its own limits, in memory.
 */
export class RedisLimits implements ReplyLimits {
  private readonly local: QuestionLimits;
  private readonly windowMs: number;
  private readonly leaseMs: number;
  /** The in-flight marks this replica set, by user: cleared when the answer ends. */
  private readonly marks = new Map<number, string>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisLimitOptions,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.leaseMs = options.inFlightLeaseMs ?? 120_000;
    this.local = new QuestionLimits({
      perWindow: options.perWindow,
      windowMs: this.windowMs,
      concurrent: options.concurrent,
    });
  }

  async admit(userId: number, updateId?: number): Promise<LimitVerdict> {
    const mark = updateId === undefined ? randomUUID() : `update:${updateId}`;
    const verdict = await this.check(userId, mark, mark);
    if (verdict === undefined) return this.local.admit(userId);
    if (verdict === "ok") this.marks.set(userId, mark);
    return verdict;
  }

  async admitReply(userId: number): Promise<boolean> {
    const verdict = await this.check(userId, randomUUID(), "");
    if (verdict === undefined) return this.local.admitReply(userId);
    return verdict === "ok";
  }

  async shouldNotice(userId: number): Promise<boolean> {
    try {
      const set = await this.redis.client.set(this.keyOf(userId, "noticed"), "1", "PX", this.windowMs, "NX");
      return set === "OK";
    } catch (error) {
      this.redis.failed(error);
      return this.local.shouldNotice(userId);
    }
  }

  async run<T>(userId: number, work: () => Promise<T>): Promise<T> {
    try {
      return await this.local.run(userId, work);
    } finally {
      const mark = this.marks.get(userId);
      if (mark !== undefined) {
        this.marks.delete(userId);
        await this.redis.client
          .eval(CLEAR_SCRIPT, 1, this.keyOf(userId, "inflight"), mark)
          .catch((error: unknown) => {
            // The lease runs out on its own.
            this.redis.failed(error);
          });
      }
    }
  }

  get queueDepth(): number {
    return this.local.queueDepth;
  }

  whenIdle(): Promise<void> {
    return this.local.whenIdle();
  }

  /**
   * The shared verdict, counting `member` in the window and, for a question (a `mark`), marking it in
   * flight; undefined when Redis could not give one.
   */
  private async check(userId: number, member: string, mark: string): Promise<LimitVerdict | undefined> {
    try {
      const verdict = await this.redis.client.eval(
        ADMIT_SCRIPT,
        2,
        this.keyOf(userId, "window"),
        this.keyOf(userId, "inflight"),
        this.windowMs,
        this.options.perWindow,
        member,
        mark,
        this.leaseMs,
      );
      if (verdict === "ok" || verdict === "busy" || verdict === "rate-limited") return verdict;
      return undefined;
    } catch (error) {
      this.redis.failed(error);
      return undefined;
    }
  }

  private keyOf(userId: number, name: string): string {
    return this.redis.key(`u:${userId}`, name);
  }
}
