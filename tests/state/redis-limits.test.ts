import { describe, expect, it } from "vitest";
import { RedisLimits } from "../../src/state/index.js";
import { useRedis } from "./redis-fixture.js";

const SETTINGS = { perWindow: 3, windowMs: 60_000, concurrent: 2 };

/** Two replicas' limits over one Redis. */
async function twoReplicas(redis: ReturnType<typeof useRedis>, settings = SETTINGS) {
  const connections = [(await redis.connect()).redis, (await redis.connect()).redis] as const;
  const [a, b] = connections.map((connection) => new RedisLimits(connection, settings));
  if (!a || !b) throw new Error("two replicas");
  return { a, b, connections };
}

describe("RedisLimits (a real redis-server)", () => {
  const redis = useRedis();

  it("one window per user across replicas: spreading questions gains nothing", async () => {
    const { a, b } = await twoReplicas(redis);
    const verdicts = [];
    for (const replica of [a, b, a, b, a]) {
      const verdict = await replica.admit(7);
      verdicts.push(verdict);
      if (verdict === "ok") await replica.run(7, () => Promise.resolve());
    }
    expect(verdicts).toEqual(["ok", "ok", "ok", "rate-limited", "rate-limited"]);
    // Another user has a window of their own; replies that are no answer count in the same window.
    expect(await b.admit(8)).toBe("ok");
    await b.run(8, () => Promise.resolve());
    expect(await a.admitReply(8)).toBe(true);
    expect(await b.admitReply(8)).toBe(true);
    expect(await a.admitReply(8)).toBe(false);
  });

  it("the window slides: a question is admitted again once the oldest leaves it", async () => {
    const { a, b } = await twoReplicas(redis, { ...SETTINGS, perWindow: 2, windowMs: 300 });
    expect(await a.admitReply(5)).toBe(true);
    expect(await b.admitReply(5)).toBe(true);
    expect(await a.admitReply(5)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await b.admitReply(5)).toBe(true);
  });

  it("one answer in flight per user across replicas, cleared when it ends", async () => {
    const { a, b } = await twoReplicas(redis);
    expect(await a.admit(9)).toBe("ok");
    let release = (): void => undefined;
    const answering = a.run(9, () => new Promise<void>((resolve) => (release = resolve)));
    expect(await b.admit(9)).toBe("busy");
    release();
    await answering;
    expect(await b.admit(9)).toBe("ok");
    await b.run(9, () => Promise.resolve());
  });

  it("two replicas admitting one user's two questions at the same moment admit one", async () => {
    const { a, b } = await twoReplicas(redis);
    const verdicts = await Promise.all([a.admit(11), b.admit(11)]);
    expect(verdicts.sort()).toEqual(["busy", "ok"]);
  });

  it("a replica that died with a user in flight holds them only for the lease", async () => {
    const settings = { ...SETTINGS, inFlightLeaseMs: 300 };
    const { a, b } = await twoReplicas(redis, settings);
    expect(await a.admit(12)).toBe("ok");
    // a never runs the answer: it died.
    expect(await b.admit(12)).toBe("busy");
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await b.admit(12)).toBe("ok");
  });

  it("the same update handled again after its replica died is admitted, and counted once", async () => {
    const { a, b } = await twoReplicas(redis, { ...SETTINGS, perWindow: 2 });
    expect(await a.admit(13, 501)).toBe("ok");
    // a dies mid-answer: b takes update 501 over. It is that question, not a second one in flight.
    expect(await b.admit(13, 501)).toBe("ok");
    // Another question of the user's while 501 is in flight is busy.
    expect(await b.admit(13, 502)).toBe("busy");
    await b.run(13, () => Promise.resolve());
    // 501 counted once: one more question fits the window of two.
    expect(await a.admit(13, 503)).toBe("ok");
    await a.run(13, () => Promise.resolve());
    expect(await b.admit(13, 504)).toBe("rate-limited");
  });

  it("the rate-limit notice is given once per window across replicas", async () => {
    const { a, b } = await twoReplicas(redis);
    expect(await a.shouldNotice(3)).toBe(true);
    expect(await b.shouldNotice(3)).toBe(false);
    expect(await a.shouldNotice(4)).toBe(true);
  });

  it("while Redis is down each replica keeps its own limits, and shares them again when it is back", async () => {
    const { a, b, connections } = await twoReplicas(redis);
    await redis.server().stop();
    const fromA = [
      await a.admitReply(20),
      await a.admitReply(20),
      await a.admitReply(20),
      await a.admitReply(20),
    ];
    expect(fromA).toEqual([true, true, true, false]);
    // b's own window is still empty: without Redis the limit is per replica.
    expect(await b.admitReply(20)).toBe(true);
    await redis.server().start();
    for (const connection of connections) expect(await connection.ready(5_000)).toBe(true);
    // Shared again: a and b now count user 22 in one window.
    expect([
      await a.admitReply(22),
      await b.admitReply(22),
      await a.admitReply(22),
      await b.admitReply(22),
    ]).toEqual([true, true, true, false]);
  });
});
