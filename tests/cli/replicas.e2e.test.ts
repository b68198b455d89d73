/**
 * Two replicas of the real bot (`npm start` processes, BOT_MODE=webhook) sharing one real redis-server
 * (REDIS_URL on a unix socket) and one Bot API stand-in: conversations, the rate limit and the updates
 * to answer are shared, a replica killed with SIGKILL leaves its update to the other, and a Redis
 * restart neither stops answers nor loses memory. Updates are posted to each replica's webhook as
 * Telegram posts them (the secret token in its header).
 *
 * Which replica answers an update is not decided by the webhook it was posted to: every replica appends
 * to one Redis Stream and every replica reads from it through one consumer group. Where a test needs to
 * know which process answered (to prove that something crossed from one process to another), only one
 * replica runs at that moment: the other is started after, or stopped before.
 */
import type { Update } from "grammy/types";
import { Redis } from "ioredis";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../../src/answer/messages.js";
import { BOT_MESSAGES } from "../../src/bot/messages.js";
import { startBotApiStandIn, type BotApiStandIn } from "../support/bot-api-stand-in.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";
import { sleep, until } from "../support/wait.js";
import {
  CLI_TIMEOUT,
  startInBackground,
  type BackgroundCli,
  type Env,
  useIndexedSandbox,
  logLines,
  webhookPortOf,
} from "./run-cli.js";
import { privateTextUpdate } from "../support/updates.js";

const SECRET = "replicas-webhook-secret-0123456789";
const URL_PATH = "/telegram/hook";
/** REDIS_KEY_PREFIX of every replica; the stream's key follows from it (src/state/redis-connection.ts). */
const PREFIX = "sanad-e2e:";
const STREAM_KEY = `${PREFIX}{updates}:stream`;
const GROUP = "answerers";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في الجامعات الروسية؟";
/** What the answer to {@link STUDENTS} says. */
const STUDENTS_FACT = "35 ألف طالب";
/**
 * A follow-up that leans on the previous question («عددهم»): after {@link STUDENTS} it is searched with
 * it and answered with the students' number; asked cold it has nothing to search for and is refused.
 */
const HOW_MANY = "وكم عددهم؟";
/** A question the corpus does not answer: refused. */
const OFF_TOPIC = "من فاز بكأس العالم لكرة القدم؟";

/** A test's own deadline: two or three `npm start` processes, each starting in a few seconds. */
const TEST_TIMEOUT = 2 * CLI_TIMEOUT;
/** How long an answer may take to arrive: generous, the machine may be busy. */
const ANSWER_WITHIN = 20_000;

const sandbox = useIndexedSandbox();

/** The value of one series in Prometheus' text format; 0 when the series is absent (never counted). */
function metricValue(text: string, series: string): number {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}

/** What /readyz answers. */
interface Readiness {
  readonly status: number;
  readonly body: { readonly status?: string; readonly checks?: Record<string, boolean> };
}

/** One `npm start` process in webhook mode. */
class Replica {
  constructor(
    readonly name: string,
    readonly program: BackgroundCli,
    readonly port: number,
  ) {}

  /** Posts an update to this replica's webhook as Telegram does; resolves with the HTTP status. */
  async post(update: Update): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.port}${URL_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Posts an update and expects Telegram's POST to be acknowledged. */
  async deliver(update: Update): Promise<void> {
    expect(await this.post(update), `${this.name} acknowledges update ${update.update_id}`).toBe(200);
  }

  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    expect(response.status).toBe(200);
    return response.text();
  }

  async readiness(): Promise<Readiness> {
    const response = await fetch(`http://127.0.0.1:${this.port}/readyz`);
    return { status: response.status, body: (await response.json()) as Readiness["body"] };
  }

  async health(): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.port}/healthz`);
    await response.arrayBuffer();
    return response.status;
  }

  /** Stops it as an orchestrator would (SIGTERM) and expects a clean exit. */
  async stop(): Promise<void> {
    this.program.kill("SIGTERM");
    const result = await this.program.exited;
    expect(result.code, `${this.name} stopped cleanly:\n${result.stderr}`).toBe(0);
  }

  /** What it logged so far, for failure messages. */
  log(): string {
    return `--- ${this.name} stderr ---\n${this.program.stderr()}`;
  }
}

/**
 * A test's world: a Bot API stand-in, a redis-server of its own, the replicas it starts, and a Redis
 * connection of the test's own to look at the stream. {@link close} ends all of it.
 */
class Cluster {
  readonly replicas: Replica[] = [];
  /** Replicas started and not yet running, so that close() ends them too. */
  private readonly starting = new Set<{ program: BackgroundCli }>();
  private nextUpdateId = 700_000;
  private inspector: Redis | undefined;

  private constructor(
    readonly telegram: BotApiStandIn,
    readonly redis: RedisServer,
  ) {}

  static async open(): Promise<Cluster> {
    const telegram = await startBotApiStandIn();
    try {
      return new Cluster(telegram, await startRedisServer());
    } catch (error) {
      await telegram.close();
      throw error;
    }
  }

  /** Starts a replica and resolves once its webhook is listening (its "bot running" line gives the port). */
  async start(name: string, env: Env = {}): Promise<Replica> {
    const program = startInBackground("start", [], {
      timeoutMs: TEST_TIMEOUT,
      env: {
        ...sandbox().env,
        TELEGRAM_BOT_TOKEN: this.telegram.token,
        TELEGRAM_API_ROOT: this.telegram.apiRoot,
        TELEGRAM_STARTUP_TIMEOUT_MS: "20000",
        BOT_MODE: "webhook",
        WEBHOOK_URL: `https://bot.example.org${URL_PATH}`,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_HOST: "127.0.0.1",
        WEBHOOK_PORT: "0",
        REDIS_URL: this.redis.socket,
        REDIS_KEY_PREFIX: PREFIX,
        STREAM_CLAIM_AFTER_MS: "15000",
        // Not used with Redis in webhook mode; a file of the replica's own all the same.
        UPDATE_JOURNAL: path.join(sandbox().root, `journal-${name}-${process.hrtime.bigint()}.jsonl`),
        INDEX_RELOAD_INTERVAL_MS: "0",
        LOG_LEVEL: "info",
        ...env,
      },
    });
    // Registered before the wait: a replica that fails to start is still ended by close().
    const pending = { program };
    this.starting.add(pending);
    try {
      const port = await webhookPortOf(program, 45_000, `replica ${name}`);
      const replica = new Replica(name, program, port);
      this.replicas.push(replica);
      return replica;
    } finally {
      this.starting.delete(pending);
      if (!this.replicas.some((replica) => replica.program === program)) {
        program.kill("SIGKILL");
        await program.exited.catch(() => undefined);
      }
    }
  }

  /** A new update id: every update of a test has its own. */
  updateId(): number {
    return this.nextUpdateId++;
  }

  /** A private-chat question from `user`, with a new update id. */
  message(user: number, text: string): Update {
    return privateTextUpdate(this.updateId(), user, text);
  }

  /** The texts the bot sent to a chat, in order. */
  sent(chat: number): string[] {
    return this.telegram.sentMessages(chat).map((message) => message.text);
  }

  /** Resolves once the chat has received `count` messages. */
  async messages(chat: number, count: number, timeoutMs = ANSWER_WITHIN): Promise<string[]> {
    await until(
      () => this.sent(chat).length >= count,
      timeoutMs,
      `${count} message(s) in chat ${chat}`,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; sent: ${JSON.stringify(this.sent(chat))}\n${this.logs()}`);
    });
    return this.sent(chat);
  }

  /** The test's own connection to the Redis server, to read the stream as an operator would. */
  inspect(): Redis {
    if (!this.inspector) {
      this.inspector = new Redis(this.redis.socket, { maxRetriesPerRequest: 1 });
      // Reconnection errors while a test has the server stopped are expected.
      this.inspector.on("error", () => undefined);
    }
    return this.inspector;
  }

  /**
   * Resolves once the stream holds no entry: every update appended was answered (or dropped) by its
   * replica, the answer's limits released, and the entry acknowledged and deleted.
   */
  async drained(timeoutMs = ANSWER_WITHIN): Promise<void> {
    await until(
      async () => (await this.inspect().xlen(STREAM_KEY)) === 0,
      timeoutMs,
      "the update stream to be empty",
    );
  }

  /** Every replica's log, for failure messages. */
  logs(): string {
    return this.replicas.map((replica) => replica.log()).join("\n");
  }

  /** Kills what is still running, stops Redis and removes its data, closes the stand-in. */
  async close(): Promise<void> {
    const programs = [
      ...this.replicas.map((replica) => replica.program),
      ...[...this.starting].map((s) => s.program),
    ];
    for (const program of programs) program.kill("SIGKILL");
    await Promise.all(programs.map((program) => program.exited.catch(() => undefined)));
    this.inspector?.disconnect();
    await this.redis.close();
    await this.telegram.close();
  }
}

/** Runs `body` with a fresh cluster, and ends the cluster whatever happens. */
async function withCluster(body: (cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = await Cluster.open();
  try {
    await body(cluster);
  } finally {
    await cluster.close();
  }
}

describe("npm start as two webhook replicas sharing Redis", () => {
  it(
    "a follow-up posted to replica B is answered with the question replica A answered",
    () =>
      withCluster(async (cluster) => {
        const chat = 81_001;
        const cold = 81_002;
        // Only A runs: it is the one that answers the first question.
        const a = await cluster.start("A");
        await a.deliver(cluster.message(chat, STUDENTS));
        const [first] = await cluster.messages(chat, 1);
        expect(first).toContain(STUDENTS_FACT);

        // B starts after that answer and A stops: the follow-up's context can only come from Redis.
        const b = await cluster.start("B");
        await a.stop();
        await b.deliver(cluster.message(chat, HOW_MANY));
        const texts = await cluster.messages(chat, 2);
        expect(texts[1], cluster.logs()).toContain(STUDENTS_FACT);

        // The same words in a chat with no history: nothing to lean on, refused.
        await b.deliver(cluster.message(cold, HOW_MANY));
        const [coldAnswer] = await cluster.messages(cold, 1);
        expect(coldAnswer).toContain(MESSAGES.refusal);
        expect(coldAnswer).not.toContain(STUDENTS_FACT);
        expect(cluster.sent(chat)).toHaveLength(2);
        // Redis was up all along: no replica warned of an outage (at start-up, say, before it connected).
        expect(cluster.logs()).not.toContain("is unreachable");
      }),
    TEST_TIMEOUT,
  );

  it(
    "RATE_LIMIT_PER_MINUTE holds across replicas: 3 answers, one notice, then nothing",
    () =>
      withCluster(async (cluster) => {
        const user = 82_001;
        const limited = { RATE_LIMIT_PER_MINUTE: "3" };
        /** Posts a question and waits until its entry is done (limits released) before the next. */
        const ask = async (replica: Replica): Promise<void> => {
          await replica.deliver(cluster.message(user, STUDENTS));
          await cluster.drained();
        };
        // Two questions answered by A alone.
        const a = await cluster.start("A", limited);
        await ask(a);
        await ask(a);
        expect(await cluster.messages(user, 2)).toHaveLength(2);

        // Then B alone: a window kept in A's memory would let B answer three more.
        const b = await cluster.start("B", limited);
        await a.stop();
        await ask(b);
        const third = await cluster.messages(user, 3);
        expect(third[2]).toContain(STUDENTS_FACT);
        await ask(b);
        const fourth = await cluster.messages(user, 4);
        expect(fourth[3], cluster.logs()).toBe(BOT_MESSAGES.rateLimited);
        // The fifth is taken and dropped: no answer, and the notice is not repeated within the minute.
        await ask(b);
        await sleep(500);
        const texts = cluster.sent(user);
        expect(texts, cluster.logs()).toHaveLength(4);
        expect(texts.slice(0, 3).every((text) => text.includes(STUDENTS_FACT))).toBe(true);
      }),
    TEST_TIMEOUT,
  );

  it(
    "the same update delivered to both replicas is answered once",
    () =>
      withCluster(async (cluster) => {
        const [a, b] = await Promise.all([cluster.start("A"), cluster.start("B")]);
        const chats = [83_001, 83_002, 83_003, 83_004];
        const updates = chats.map((chat) => cluster.message(chat, STUDENTS));
        // Each update reaches both replicas at the same moment (two deliveries racing).
        for (const update of updates) {
          const statuses = await Promise.all([a.post(update), b.post(update)]);
          expect(statuses).toEqual([200, 200]);
        }
        for (const chat of chats) await cluster.messages(chat, 1);
        await cluster.drained();
        // Telegram delivers them again after they were answered: dropped too.
        for (const [i, update] of updates.entries()) await (i % 2 === 0 ? b : a).deliver(update);
        await cluster.drained();
        await sleep(500);
        for (const chat of chats) {
          const texts = cluster.sent(chat);
          expect(texts, `chat ${chat}\n${cluster.logs()}`).toHaveLength(1);
          expect(texts[0]).toContain(STUDENTS_FACT);
        }
      }),
    TEST_TIMEOUT,
  );

  it(
    "kill -9 of the replica answering an update: the other replica answers it after STREAM_CLAIM_AFTER_MS",
    () =>
      withCluster(async (cluster) => {
        const chat = 84_001;
        const claimFast = { STREAM_CLAIM_AFTER_MS: "2000" };
        const a = await cluster.start("A", claimFast);
        // A's answer is held on its way to Telegram: A is mid-answer when it dies.
        cluster.telegram.delay("sendMessage", 60_000);
        await a.deliver(cluster.message(chat, STUDENTS));
        await until(
          () =>
            cluster.telegram.calls.some(
              (call) => call.method === "sendChatAction" && call.payload.chat_id === chat,
            ),
          ANSWER_WITHIN,
          "A to start answering (typing)",
        );
        // The entry was read by A and is held by A, not yet acknowledged.
        const [count, , , consumers] = (await cluster.inspect().xpending(STREAM_KEY, GROUP)) as [
          number,
          string | null,
          string | null,
          [string, string][] | null,
        ];
        expect(count).toBe(1);
        expect(consumers).toHaveLength(1);

        a.program.kill("SIGKILL");
        expect((await a.program.exited).signal).toBe("SIGKILL");
        // A's held sendMessage died with its connection: nothing was delivered.
        cluster.telegram.delay("sendMessage", 0);
        expect(cluster.sent(chat)).toEqual([]);

        const b = await cluster.start("B", claimFast);
        const [answer] = await cluster.messages(chat, 1, ANSWER_WITHIN + 2_000);
        expect(answer, cluster.logs()).toContain(STUDENTS_FACT);
        expect(logLines(b.program.stderr()).map((line) => line.msg)).toContain(
          "update stream: took over entries a silent replica held",
        );
        await cluster.drained();
        await sleep(300);
        // Delivery is at least once: had A's reply reached Telegram before the kill, B would answer
        // again (a duplicate rather than a loss). Here A's reply was held and never delivered: once.
        expect(cluster.sent(chat), cluster.logs()).toHaveLength(1);
      }),
    TEST_TIMEOUT,
  );

  it(
    "a Redis restart: answers go on during and after it, and memory comes back from the append-only file",
    () =>
      withCluster(async (cluster) => {
        const chat = 85_001;
        // A alone answers the question the follow-up will lean on.
        const a = await cluster.start("A");
        await a.deliver(cluster.message(chat, STUDENTS));
        expect((await cluster.messages(chat, 1))[0]).toContain(STUDENTS_FACT);
        const b = await cluster.start("B");

        await cluster.redis.stop();
        // While Redis is away each replica answers what it receives, itself.
        await a.deliver(cluster.message(85_002, STUDENTS));
        await b.deliver(cluster.message(85_003, STUDENTS));
        expect((await cluster.messages(85_002, 1))[0]).toContain(STUDENTS_FACT);
        expect((await cluster.messages(85_003, 1))[0]).toContain(STUDENTS_FACT);

        await cluster.redis.start();
        // Right after the restart (reconnected or not yet): answered.
        await a.deliver(cluster.message(85_004, STUDENTS));
        await b.deliver(cluster.message(85_005, STUDENTS));
        expect((await cluster.messages(85_004, 1))[0]).toContain(STUDENTS_FACT);
        expect((await cluster.messages(85_005, 1))[0]).toContain(STUDENTS_FACT);

        // B back on Redis, A stopped: the follow-up, to B, can only lean on what Redis kept.
        await until(async () => (await b.readiness()).status === 200, ANSWER_WITHIN, "B ready again");
        await a.stop();
        const followUp = cluster.message(chat, HOW_MANY);
        await b.deliver(followUp);
        const texts = await cluster.messages(chat, 2);
        expect(texts[1], cluster.logs()).toContain(STUDENTS_FACT);
        // And the shared stream is in use again: the follow-up was appended to it (its id is recorded
        // as seen by the append script), and answered from it.
        expect(await cluster.inspect().exists(`${PREFIX}{updates}:seen:${followUp.update_id}`)).toBe(1);
        await cluster.drained();
        for (const other of [85_002, 85_003, 85_004, 85_005]) expect(cluster.sent(other)).toHaveLength(1);
      }),
    TEST_TIMEOUT,
  );

  it(
    "/metrics counts each replica's questions and the updates pending across replicas; /readyz follows Redis",
    () =>
      withCluster(async (cluster) => {
        // A short claim time refreshes the pending-updates gauge twice a second.
        const env = { STREAM_CLAIM_AFTER_MS: "1000" };
        const [a, b] = await Promise.all([cluster.start("A", env), cluster.start("B", env)]);
        const pending = async (replica: Replica): Promise<number> =>
          metricValue(await replica.metrics(), "sanad_pending_updates");

        // Three answers held 6 s on their way to Telegram: three updates pending meanwhile. An entry counts
        // from its append (before the webhook's 200), and each replica refreshes the gauge every half
        // claim time: 5 s to see it is generous.
        cluster.telegram.delay("sendMessage", 6_000);
        await a.deliver(cluster.message(86_001, STUDENTS));
        await b.deliver(cluster.message(86_002, STUDENTS));
        await a.deliver(cluster.message(86_003, OFF_TOPIC));
        await until(
          async () => (await pending(a)) === 3 && (await pending(b)) === 3,
          5_000,
          "both replicas to report 3 pending updates",
        );
        cluster.telegram.delay("sendMessage", 0);
        for (const chat of [86_001, 86_002, 86_003]) await cluster.messages(chat, 1);
        expect(cluster.sent(86_003)[0]).toContain(MESSAGES.refusal);
        await until(
          async () => (await pending(a)) === 0 && (await pending(b)) === 0,
          ANSWER_WITHIN,
          "both replicas to report no pending update",
        );

        // Each replica counts what it answered; together, the traffic posted.
        const scraped = await Promise.all([a.metrics(), b.metrics()]);
        const total = (series: string): number =>
          scraped.reduce((sum, text) => sum + metricValue(text, series), 0);
        expect(total('sanad_questions_total{mode="extractive",outcome="answered"}')).toBe(2);
        expect(total('sanad_questions_total{mode="extractive",outcome="refused"}')).toBe(1);
        expect(total('sanad_questions_total{mode="extractive",outcome="failed"}')).toBe(0);
        expect(total('sanad_answer_seconds_count{mode="extractive"}')).toBe(3);

        // Ready with Redis up; not ready (503, redis: false) while it is stopped, though alive; ready after.
        for (const replica of [a, b]) {
          expect(await replica.readiness()).toEqual({
            status: 200,
            body: { status: "ready", checks: { index: true, telegram: true, redis: true } },
          });
        }
        await cluster.redis.stop();
        for (const replica of [a, b]) {
          await until(
            async () => (await replica.readiness()).status === 503,
            ANSWER_WITHIN,
            `${replica.name} not ready`,
          );
          expect(await replica.readiness()).toEqual({
            status: 503,
            body: { status: "not ready", checks: { index: true, telegram: true, redis: false } },
          });
          expect(await replica.health()).toBe(200);
        }
        await cluster.redis.start();
        for (const replica of [a, b]) {
          await until(
            async () => (await replica.readiness()).status === 200,
            ANSWER_WITHIN,
            `${replica.name} ready again`,
          );
        }
      }),
    TEST_TIMEOUT,
  );
});
