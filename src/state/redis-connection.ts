import { Redis, ReplyError } from "ioredis";
import type { RedisConfig } from "../config/index.js";
import { OutageLog, type Logger } from "../log/index.js";

/**
 * How long one Redis command may take before it counts as a failure, in milliseconds. Shared state is
 * an aid to answers, never a reason to hold one up: past this, the replica goes on without it.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** Least time between two errors about the same refusal, in milliseconds. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Longest pause between two attempts to reconnect, in milliseconds. */
const MAX_RECONNECT_PAUSE_MS = 2_000;

/**
 * The replica's connection to Redis (ioredis), shared by everything kept there. Commands fail at once
 * while the server is unreachable (no offline queue: a question must not wait for Redis to come back)
 * and the client reconnects on its own every two seconds at most; the outage and the recovery are
 * each told once ({@link OutageLog}). Keys carry the configured prefix and a hash tag, so that what one
 * script touches lies in one Redis Cluster slot.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly outages: OutageLog;
  private blockingClient: Redis | undefined;

  /** When each refusal was last told, by its message. */
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly config: RedisConfig,
    private readonly logger: Logger,
  ) {
    this.outages = new OutageLog(logger, `Redis at ${describeRedisUrl(config.url)} (REDIS_URL)`);
    this.client = this.connect(REDIS_COMMAND_TIMEOUT_MS);
  }

  /**
   * Tells the operator about a failed command, once a minute for each kind: a server that cannot be
   * reached is an outage (it passes); a server that answered with an error (no permission for the
   * command, a key of another type under the prefix) will refuse again until someone fixes it, so that
   * is an error naming what to check.
   */
  failed(error: unknown): void {
    if (!(error instanceof (ReplyError as typeof Error))) {
      this.outages.unreachable(error);
      return;
    }
    const reason = error.message;
    const now = Date.now();
    if (now - (this.refusedAt.get(reason) ?? Number.NEGATIVE_INFINITY) < REFUSAL_LOG_INTERVAL_MS) return;
    this.refusedAt.set(reason, now);
    this.logger.error(
      { err: reason },
      "Redis refused a command: check that the user of REDIS_URL may run it (ACL) and that no other " +
        "program writes keys under REDIS_KEY_PREFIX; answering with this process's own state meanwhile",
    );
  }

  /** Whether the connection is up now (read by /readyz). */
  get reachableNow(): boolean {
    return this.client.status === "ready";
  }

  /** The key `name` under the prefix, in the hash slot of `tag`. */
  key(tag: string, name: string): string {
    return `${this.config.keyPrefix}{${tag}}:${name}`;
  }

  /**
   * Resolves true once `client` (the main connection by default) is connected, false after `timeoutMs`
   * without a connection (the replica goes on).
   */
  ready(timeoutMs: number, client: Redis = this.client): Promise<boolean> {
    if (client.status === "ready") return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        client.off("ready", onReady);
        resolve(value);
      };
      const onReady = (): void => {
        done(true);
      };
      const timer = setTimeout(() => {
        done(false);
      }, timeoutMs);
      client.on("ready", onReady);
    });
  }

  /**
   * A second connection for blocking reads (XREADGROUP … BLOCK), which would hold up every other command
   * on a shared connection and outlast the command timeout.
   */
  blocking(): Redis {
    this.blockingClient ??= this.connect(undefined);
    return this.blockingClient;
  }

  /** Closes the connections, waiting for nothing that is not already on its way. */
  async close(): Promise<void> {
    await Promise.all(
      [this.client, this.blockingClient].map(async (client) => {
        if (!client) return;
        await client.quit().catch(() => undefined);
        client.disconnect();
      }),
    );
  }

  private connect(commandTimeout: number | undefined): Redis {
    const client = new Redis(this.config.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      ...(commandTimeout === undefined ? {} : { commandTimeout }),
      retryStrategy: (attempt: number) => Math.min(250 * attempt, MAX_RECONNECT_PAUSE_MS),
    });
    client.on("error", (error: unknown) => {
      this.outages.unreachable(error);
    });
    client.on("ready", () => {
      this.outages.reachable();
    });
    return client;
  }
}

/** REDIS_URL as a log may show it: without a password. */
export function describeRedisUrl(url: string): string {
  if (url.startsWith("/")) return url;
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.username = "";
    return parsed.toString();
  } catch {
    return "the configured server";
  }
}
