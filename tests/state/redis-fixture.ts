import { afterAll, afterEach, beforeAll } from "vitest";
import { RedisConnection } from "../../src/state/index.js";
import { memoryLogger, type LogRecord } from "../support/memory-logger.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";

/** One Redis server for a test file, emptied between tests; connections made by a test are closed after it. */
export function useRedis(): {
  server: () => RedisServer;
  /** A replica's connection (each call is another replica), with the log it writes. */
  connect: (options?: { claimAfterMs?: number }) => Promise<{
    redis: RedisConnection;
    records: () => LogRecord[];
  }>;
} {
  let server: RedisServer | undefined;
  const connections: RedisConnection[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await server?.start().catch(() => undefined);
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    const cleaner = new RedisConnection(
      { url: server?.socket ?? "", keyPrefix: "test:", claimAfterMs: 1_000 },
      memoryLogger().logger,
    );
    await cleaner.ready(5_000);
    await cleaner.client.flushall();
    await cleaner.close();
  });
  return {
    server: () => {
      if (!server) throw new Error("the Redis server is not started");
      return server;
    },
    connect: async (options = {}) => {
      const { logger, records } = memoryLogger();
      const redis = new RedisConnection(
        { url: server?.socket ?? "", keyPrefix: "test:", claimAfterMs: options.claimAfterMs ?? 1_000 },
        logger,
      );
      connections.push(redis);
      if (!(await redis.ready(5_000))) throw new Error("Redis did not answer");
      return { redis, records };
    },
  };
}
