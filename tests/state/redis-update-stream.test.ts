import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { RedisUpdateStream, orderKeyOf } from "../../src/state/index.js";
import { memoryLogger } from "../support/memory-logger.js";
import { privateTextUpdate } from "../support/updates.js";
import { sleep, until } from "../support/wait.js";
import { useRedis } from "./redis-fixture.js";

const message = (updateId: number, chatId: number): Update =>
  privateTextUpdate(updateId, chatId, `سؤال ${updateId}`);

describe("RedisUpdateStream (a real redis-server)", () => {
  const redis = useRedis();

  /** A replica's stream: its own connection, its own log. */
  async function replica(claimAfterMs = 1_000) {
    const { redis: connection } = await redis.connect({ claimAfterMs });
    const { logger, records } = memoryLogger();
    return { stream: new RedisUpdateStream(connection, logger, { claimAfterMs }), connection, records };
  }

  it("queues an update once, whichever replica receives it and however often", async () => {
    const a = await replica();
    const b = await replica();
    expect(await a.stream.append(message(1, 100))).toBe(true);
    expect(await b.stream.append(message(1, 100))).toBe(false);
    expect(await a.stream.append(message(1, 100))).toBe(false);
    const handled: number[] = [];
    const consumer = b.stream.consume((update) => {
      handled.push(update.update_id);
      return Promise.resolve();
    });
    await until(() => handled.length === 1, 5_000, "the update to be answered");
    await sleep(300);
    await consumer.stop();
    expect(handled).toEqual([1]);
  });

  it("two replicas answer 40 updates of 8 chats: each once, each chat in order, never two at a time", async () => {
    const a = await replica();
    const b = await replica();
    const handled = new Map<number, number[]>();
    const busy = new Set<number>();
    const overlaps: number[] = [];
    const handler = (name: string) => async (update: Update) => {
      const chat = update.message?.chat.id ?? 0;
      if (busy.has(chat)) overlaps.push(chat);
      busy.add(chat);
      await sleep(5 + ((update.update_id * 7) % 20));
      busy.delete(chat);
      handled.set(chat, [...(handled.get(chat) ?? []), update.update_id]);
      by.push(name);
    };
    const by: string[] = [];
    const consumers = [a.stream.consume(handler("a")), b.stream.consume(handler("b"))];
    for (let id = 1; id <= 40; id++) {
      await (id % 2 === 0 ? a : b).stream.append(message(id, 200 + (id % 8)));
    }
    await until(() => by.length === 40, 15_000, "40 answers");
    await sleep(200);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    expect(by).toHaveLength(40);
    expect(overlaps).toEqual([]);
    for (const [chat, ids] of handled) {
      expect(ids, `chat ${chat}`).toEqual([...ids].sort((x, y) => x - y));
      expect(ids).toHaveLength(5);
    }
    expect(new Set(by)).toEqual(new Set(["a", "b"]));
    expect(await a.connection.client.xlen("test:{updates}:stream")).toBe(0);
  });

  it("acknowledges an entry only once its answer is delivered", async () => {
    const a = await replica();
    let deliver = (): void => undefined;
    const started: number[] = [];
    const consumer = a.stream.consume(async (update) => {
      started.push(update.update_id);
      await new Promise<void>((resolve) => (deliver = resolve));
    });
    await a.stream.append(message(5, 300));
    await until(() => started.length === 1, 5_000, "the answer to start");
    const pending = (await a.connection.client.xpending("test:{updates}:stream", "answerers")) as [number];
    expect(pending[0]).toBe(1);
    deliver();
    await until(
      async () => (await a.connection.client.xlen("test:{updates}:stream")) === 0,
      5_000,
      "the entry to be acknowledged",
    );
    await consumer.stop();
  });

  it("an entry held by a replica that died is answered by another after claimAfterMs", async () => {
    const dying = await replica(800);
    const survivor = await replica(800);
    const taken: string[] = [];
    // The dying replica takes an entry and dies mid-answer (its connections cut, no stop()).
    dying.stream.consume(async (update) => {
      taken.push(`dying:${update.update_id}`);
      await new Promise(() => undefined);
    });
    await dying.stream.append(message(11, 500));
    await until(() => taken.length === 1, 5_000, "the dying replica to take its entry");
    dying.connection.client.disconnect();
    dying.connection.blocking().disconnect();
    const diedAt = Date.now();
    const consumer = survivor.stream.consume((update) => {
      taken.push(`survivor:${update.update_id}`);
      return Promise.resolve();
    });
    await until(() => taken.includes("survivor:11"), 6_000, "the survivor to take over update 11");
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(700);
    await consumer.stop();
    expect(taken).toEqual(["dying:11", "survivor:11"]);
    expect(survivor.records().some(({ msg }) => msg.includes("took over"))).toBe(true);
  });

  it("an entry answered slowly, past claimAfterMs, stays with its replica (it renews it)", async () => {
    const slow = await replica(800);
    const other = await replica(800);
    const taken: string[] = [];
    const slowConsumer = slow.stream.consume(async (update) => {
      taken.push(`slow:${update.update_id}`);
      await sleep(2_500);
    });
    await slow.stream.append(message(10, 400));
    await until(() => taken.length === 1, 5_000, "the slow replica to take its entry");
    const otherConsumer = other.stream.consume((update) => {
      taken.push(`other:${update.update_id}`);
      return Promise.resolve();
    });
    await slowConsumer.stop();
    await sleep(1_200);
    await otherConsumer.stop();
    expect(taken).toEqual(["slow:10"]);
    expect(await other.connection.client.xlen("test:{updates}:stream")).toBe(0);
  });

  it("goes on after Redis comes back empty (the group made again), and append fails while it is away", async () => {
    const a = await replica();
    const handled: number[] = [];
    const consumer = a.stream.consume((update) => {
      handled.push(update.update_id);
      return Promise.resolve();
    });
    await a.stream.append(message(20, 600));
    await until(() => handled.length === 1, 5_000, "the first answer");
    await redis.server().stop();
    await expect(a.stream.append(message(21, 600))).rejects.toThrow();
    await redis.server().start();
    await a.connection.ready(5_000);
    await a.connection.client.flushall();
    await until(async () => a.stream.append(message(22, 600)).catch(() => false), 5_000, "append to work");
    await until(() => handled.includes(22), 8_000, "the answer after Redis came back empty");
    await consumer.stop();
  });

  it("a replica holds at most maxHeld entries and leaves the rest to the others", async () => {
    const { redis: busyConnection } = await redis.connect();
    const busy = new RedisUpdateStream(busyConnection, memoryLogger().logger, {
      claimAfterMs: 1_000,
      maxHeld: 2,
    });
    const idle = await replica();
    const taken: string[] = [];
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const busyConsumer = busy.consume(async (update) => {
      taken.push(`busy:${update.update_id}`);
      await released;
    });
    for (let id = 30; id < 36; id++) await busy.append(message(id, 700 + id));
    await until(() => taken.length === 2, 5_000, "the busy replica to take two");
    await sleep(300);
    expect(taken).toHaveLength(2);
    const idleConsumer = idle.stream.consume((update) => {
      taken.push(`idle:${update.update_id}`);
      return Promise.resolve();
    });
    await until(() => taken.length === 6, 5_000, "the other replica to take the rest");
    release();
    await Promise.all([busyConsumer.stop(), idleConsumer.stop()]);
    expect(taken.filter((name) => name.startsWith("idle:"))).toHaveLength(4);
  });

  it("orders updates by chat, buttons by their message's chat, inline queries by user", () => {
    expect(orderKeyOf(message(1, -100200))).toBe("-100200");
    const from = { id: 42, is_bot: false, first_name: "قارئ" };
    expect(orderKeyOf({ update_id: 2, inline_query: { id: "q", from, query: "س", offset: "" } })).toBe(
      "user:42",
    );
    expect(
      orderKeyOf({ update_id: 3, callback_query: { id: "c", from, chat_instance: "i", data: "x" } }),
    ).toBe("42");
  });
});
