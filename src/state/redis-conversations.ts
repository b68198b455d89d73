import type { ConversationStore, Turn } from "../answer/index.js";
import type { RedisConnection } from "./redis-connection.js";

/** Limits of {@link RedisConversations}: the same as the in-process memory's. */
export interface RedisConversationOptions {
  /** Turns kept per conversation. Defaults to 6. */
  readonly maxTurns?: number;
  /** A conversation idle this long (milliseconds) is forgotten. Defaults to 30 minutes. */
  readonly ttlMs?: number;
}

/**
 * Conversation memory shared by replicas: one Redis list per conversation (the key the bot orders
 * updates by), trimmed to the last turns and expiring when idle, so that a follow-up answered by another
 * replica, or after a restart, keeps its context. While Redis is unreachable a question is answered
 * without memory (as if it were the first) and its turn is not kept.
 */
export class RedisConversations implements ConversationStore {
  private readonly maxTurns: number;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisConversationOptions = {},
  ) {
    this.maxTurns = options.maxTurns ?? 6;
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
  }

  async history(key: string): Promise<readonly Turn[]> {
    try {
      const items = await this.redis.client.lrange(this.keyOf(key), -this.maxTurns, -1);
      return items.flatMap((item) => {
        const turn = parseTurn(item);
        return turn ? [turn] : [];
      });
    } catch (error) {
      this.redis.failed(error);
      return [];
    }
  }

  async remember(key: string, turn: Turn): Promise<void> {
    const list = this.keyOf(key);
    try {
      const replies = await this.redis.client
        .multi()
        .rpush(list, JSON.stringify(turn))
        .ltrim(list, -this.maxTurns, -1)
        .pexpire(list, this.ttlMs)
        .exec();
      // A transaction reports each command's error in its replies rather than rejecting.
      const refused = replies?.find(([error]) => error)?.[0];
      if (refused) throw refused;
    } catch (error) {
      this.redis.failed(error);
    }
  }

  async forget(key: string): Promise<void> {
    try {
      await this.redis.client.del(this.keyOf(key));
    } catch (error) {
      this.redis.failed(error);
    }
  }

  private keyOf(conversation: string): string {
    return this.redis.key(`c:${conversation}`, "turns");
  }
}

function parseTurn(text: string): Turn | undefined {
  try {
    const value = JSON.parse(text) as Partial<Turn>;
    if (typeof value.question === "string" && typeof value.answer === "string") {
      return { question: value.question, answer: value.answer };
    }
  } catch {
    // Not written by this class: skipped.
  }
  return undefined;
}
