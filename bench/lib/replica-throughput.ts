/**
 * Questions per second through the real bot in webhook mode (`npm start` processes, extractive answers,
 * the Bot API stand-in on 127.0.0.1): one replica and two, each without Redis (state in process, the
 * update journal) and with it (shared state and the update stream), measured in one run so that the
 * ratios compare like with like on the same machine.
 */
import type { Update } from "grammy/types";
import {
  buildIndex,
  makeSandbox,
  startInBackground,
  type Sandbox,
  webhookPortOf,
} from "../../tests/cli/run-cli.js";
import { startBotApiStandIn, type BotApiStandIn } from "../../tests/support/bot-api-stand-in.js";
import { startRedisServer, type RedisServer } from "../../tests/support/redis-server.js";
import { summarize, type Summary } from "./stats.js";
import { privateTextUpdate } from "../../tests/support/updates.js";

/** One configuration's figures. */
export interface ReplicaMeasurement {
  readonly replicas: number;
  readonly redis: boolean;
  readonly questions: number;
  readonly perSecond: number;
  /** From the update posted to the webhook to the answer's sendMessage, in milliseconds. */
  readonly latency: Summary;
}

const SECRET = "bench-webhook-secret-0123456789";
const URL_PATH = "/telegram";
/** Updates posted at once at most: Telegram itself keeps up to 40 connections per webhook by default. */
const POSTS_IN_FLIGHT = 40;

/**
 * Measures every configuration `rounds` times, interleaved (1, 1+Redis, 2, 2+Redis, then again), with
 * `questions` questions each after a warm-up; returns the median round of each configuration.
 */
export async function measureReplicas(
  questions: readonly string[],
  options: { questions: number; rounds: number },
): Promise<ReplicaMeasurement[]> {
  const sandbox = await makeSandbox();
  await buildIndex(sandbox);
  const telegram = await startBotApiStandIn();
  const redis = await startRedisServer();
  const configurations = [
    { replicas: 1, redis: false },
    { replicas: 1, redis: true },
    { replicas: 2, redis: false },
    { replicas: 2, redis: true },
  ];
  const results = new Map<string, ReplicaMeasurement[]>();
  let firstUser = 1_000_000;
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const configuration of configurations) {
        const run = await measureOnce(sandbox, telegram, redis, questions, {
          ...configuration,
          questions: options.questions,
          firstUser,
          name: `r${round}-${configuration.replicas}-${configuration.redis ? "redis" : "local"}`,
        });
        firstUser += options.questions * 2;
        const key = `${configuration.replicas}-${configuration.redis}`;
        results.set(key, [...(results.get(key) ?? []), run]);
      }
    }
  } finally {
    await redis.close();
    await telegram.close();
    await sandbox.cleanup();
  }
  return [...results.values()].map((runs) => {
    const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
    const median = sorted[Math.floor(sorted.length / 2)];
    if (!median) throw new Error("no run measured");
    return median;
  });
}

async function measureOnce(
  sandbox: Sandbox,
  telegram: BotApiStandIn,
  redis: RedisServer,
  questions: readonly string[],
  setting: { replicas: number; redis: boolean; questions: number; firstUser: number; name: string },
): Promise<ReplicaMeasurement> {
  const replicas = Array.from({ length: setting.replicas }, (_, i) =>
    startInBackground("start", [], {
      timeoutMs: 600_000,
      env: {
        ...sandbox.env,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        BOT_MODE: "webhook",
        WEBHOOK_URL: `https://bench.example.org${URL_PATH}`,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_PORT: "0",
        LOG_LEVEL: "info",
        RATE_LIMIT_PER_MINUTE: "600",
        MAX_CONCURRENT_ANSWERS: "64",
        INDEX_RELOAD_INTERVAL_MS: "0",
        UPDATE_JOURNAL: `${sandbox.root}/${setting.name}-${i}.jsonl`,
        ...(setting.redis ? { REDIS_URL: redis.socket, REDIS_KEY_PREFIX: `${setting.name}:` } : {}),
      },
    }),
  );
  try {
    const ports = await Promise.all(replicas.map((replica) => webhookPortOf(replica, 120_000, "a replica")));
    const post = (update: Update, replica: number): Promise<void> =>
      fetch(`http://127.0.0.1:${ports[replica % ports.length] ?? 0}${URL_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(update),
      }).then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`webhook answered ${response.status}`);
      });
    let updateId = setting.firstUser;
    const ask = async (
      count: number,
      firstUser: number,
    ): Promise<{ seconds: number; latencies: number[] }> => {
      const before = telegram.calls.filter((call) => call.method === "sendMessage").length;
      const postedAt = new Map<number, number>();
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: POSTS_IN_FLIGHT }, async () => {
          while (next < count) {
            const i = next++;
            const user = firstUser + i;
            postedAt.set(user, Date.now());
            await post(privateTextUpdate(updateId++, user, questions[i % questions.length] ?? ""), i);
          }
        }),
      );
      const calls = (await telegram.waitForCalls("sendMessage", before + count, 300_000)).slice(before);
      const ended = Math.max(...calls.map((call) => call.at));
      const latencies = calls.map(
        (call) => call.at - (postedAt.get(Number(call.payload.chat_id)) ?? started),
      );
      return { seconds: (ended - started) / 1000, latencies };
    };
    // Warm-up: the first answers of a process pay for compiling its code paths.
    await ask(50, setting.firstUser + setting.questions);
    const { seconds, latencies } = await ask(setting.questions, setting.firstUser);
    return {
      replicas: setting.replicas,
      redis: setting.redis,
      questions: setting.questions,
      perSecond: setting.questions / seconds,
      latency: summarize(latencies),
    };
  } finally {
    for (const replica of replicas) replica.kill("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
  }
}
