import { describe, expect, it } from "vitest";
import { RedisConversations } from "../../src/state/index.js";
import { useRedis } from "./redis-fixture.js";

const turn = (n: number) => ({ question: `سؤال ${n}`, answer: `جواب ${n}` });

describe("RedisConversations (a real redis-server)", () => {
  const redis = useRedis();

  it("a turn remembered by one replica is the history another reads; forget clears it for both", async () => {
    const a = new RedisConversations((await redis.connect()).redis);
    const b = new RedisConversations((await redis.connect()).redis);
    await a.remember("chat:1", turn(1));
    await b.remember("chat:1", turn(2));
    expect(await b.history("chat:1")).toEqual([turn(1), turn(2)]);
    expect(await a.history("chat:2")).toEqual([]);
    await b.forget("chat:1");
    expect(await a.history("chat:1")).toEqual([]);
  });

  it("keeps the last maxTurns turns, and forgets a conversation idle past ttlMs", async () => {
    const { redis: connection } = await redis.connect();
    const store = new RedisConversations(connection, { maxTurns: 3, ttlMs: 300 });
    for (let n = 1; n <= 5; n++) await store.remember("chat:1", turn(n));
    expect(await store.history("chat:1")).toEqual([turn(3), turn(4), turn(5)]);
    const ttl = await connection.client.pttl("test:{c:chat:1}:turns");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.history("chat:1")).toEqual([]);
  });

  it("survives a restart of the server (its data persisted)", async () => {
    const { redis: connection } = await redis.connect();
    const store = new RedisConversations(connection);
    await store.remember("chat:7", turn(1));
    await redis.server().restart();
    await connection.ready(5_000);
    expect(await store.history("chat:7")).toEqual([turn(1)]);
  });

  it("while Redis is down: no history, the turn is lost, one warning; memory works again when it is back", async () => {
    const { redis: connection, records } = await redis.connect();
    const store = new RedisConversations(connection);
    await store.remember("chat:1", turn(1));
    await redis.server().stop();
    await expect(store.history("chat:1")).resolves.toEqual([]);
    await expect(store.remember("chat:1", turn(2))).resolves.toBeUndefined();
    expect(records().filter(({ msg }) => msg.includes("is unreachable")).length).toBe(1);
    await redis.server().start();
    expect(await connection.ready(5_000)).toBe(true);
    expect(await store.history("chat:1")).toEqual([turn(1)]);
    expect(records().some(({ msg }) => msg.includes("reachable again"))).toBe(true);
  });

  it("a refusal (a key of another type under the prefix) is an error naming what to check, once", async () => {
    const { redis: connection, records } = await redis.connect();
    const store = new RedisConversations(connection);
    await connection.client.set("test:{c:chat:9}:turns", "written by another program");
    await expect(store.remember("chat:9", turn(1))).resolves.toBeUndefined();
    // The transaction's refusal is told too, not only a failed command's.
    expect(records().filter(({ level }) => level === 50)).toHaveLength(1);
    await expect(store.history("chat:9")).resolves.toEqual([]);
    const errors = records().filter(({ level }) => level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toContain("REDIS_KEY_PREFIX");
    expect(errors[0]?.msg).toContain("REDIS_URL");
    expect(records().some(({ msg }) => msg.includes("is unreachable"))).toBe(false);
  });
});
