import { createAnswerPipeline, type AnswerPipeline } from "../answer/index.js";
import {
  createBot,
  explainTelegramFailure,
  QuestionLimits,
  type ReplyLimits,
  startBot,
  startWebhook,
  telegramServer,
  UpdateJournal,
} from "../bot/index.js";
import type { RedisConfig, TelegramConfig } from "../config/index.js";
import { runConsoleChat } from "../console/index.js";
import { openIndex, watchIndex, type SanadIndex } from "../index/index.js";
import { OutageLog, type Logger } from "../log/index.js";
import { SanadMetrics, serveOps, startOpsServer } from "../ops/index.js";
import {
  describeRedisUrl,
  RedisConnection,
  RedisConversations,
  RedisLimits,
  RedisUpdateStream,
} from "../state/index.js";
import { formatAnswerText } from "./format.js";
import { EXIT, parseCommandLine, runMain, startRuntime, terminalProgress } from "./runtime.js";

const USAGE = `usage: npm start [-- --console]

With TELEGRAM_BOT_TOKEN set, runs the Telegram bot (long polling; Ctrl-C stops it after the answers in
flight). Without it, opens the console chat on a terminal (or with --console, e.g. with piped input).
Builds the index first when it is missing or older than the articles.`;

const NO_TOKEN_NO_TERMINAL =
  "TELEGRAM_BOT_TOKEN is not set and standard input is not a terminal: set TELEGRAM_BOT_TOKEN (in .env) " +
  "to run the bot, or run npm start on a terminal (or with -- --console) for the console chat";

async function main(): Promise<number> {
  const { values } = parseCommandLine({ console: { type: "boolean" } });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const { config, logger } = startRuntime();
  if (!config.telegram && !values.console && !process.stdin.isTTY) {
    console.error(`error: ${NO_TOKEN_NO_TERMINAL}`);
    return EXIT.failure;
  }
  const { index, built, seconds } = await openIndex({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embeddings: config.embeddings,
    memoryLimitBytes: config.maxIndexMemoryMb * 1024 * 1024,
    logger,
    onProgress: terminalProgress("embedding passages"),
  });
  logger.info({ built, seconds: Number(seconds.toFixed(2)), ...index.manifest.counts }, "index ready");
  const serving: Serving = { index };
  const runsBot = config.telegram !== undefined && values.console !== true;
  // The bot is watched (metrics, health); the console is not. The pipeline reports to the metrics.
  const metrics = runsBot ? botMetrics(config.chat ? "llm" : "extractive", serving) : undefined;
  // Replicas share conversations, limits and work through Redis when REDIS_URL is set.
  const redis = runsBot ? await connectRedis(config.telegram.redis, logger) : undefined;
  const pipeline = await createAnswerPipeline({
    index,
    chat: config.chat,
    topK: config.topK,
    logger,
    ...(metrics ? { observer: metrics } : {}),
    ...(redis ? { memory: new RedisConversations(redis) } : {}),
  });
  // The pid is what `kill -HUP` takes to load a new index at once (npm's own pid does not pass it on).
  logger.info({ mode: pipeline.mode, pid: process.pid }, "answering");
  // A reindex while running is picked up without a restart: questions in flight finish on the old index.
  const watcher = watchIndex({
    indexDir: config.indexDir,
    embeddings: config.embeddings,
    logger,
    current: index,
    intervalMs: config.indexReloadIntervalMs,
    onIndex: (next) => {
      pipeline.useIndex(next);
      serving.index = next;
    },
  });
  process.on("SIGHUP", () => {
    logger.info("SIGHUP: checking for a new index");
    void watcher.reload();
  });
  try {
    if (config.telegram && metrics && runsBot) {
      return await runTelegramBot(config.telegram, pipeline, { logger, metrics, serving, redis });
    }
    return await runConsole(pipeline, logger, config.maxQuestionLength);
  } finally {
    watcher.close();
    await redis?.close();
  }
}

/** How long start-up waits for Redis before it goes on without it (it keeps reconnecting). */
const REDIS_STARTUP_WAIT_MS = 5_000;

/**
 * Connects to Redis when it is configured. An unreachable server does not stop start-up: the bot
 * answers with its own state (no memory, local limits) and takes up the shared state when Redis is back.
 */
async function connectRedis(
  settings: RedisConfig | undefined,
  logger: Logger,
): Promise<RedisConnection | undefined> {
  if (!settings) return undefined;
  const redis = new RedisConnection(settings, logger);
  const reachable = await redis.ready(REDIS_STARTUP_WAIT_MS);
  logger.info(
    { redis: describeRedisUrl(settings.url), prefix: settings.keyPrefix, reachable },
    reachable ? "shared state in Redis" : "Redis not reachable yet: answering with this process's own state",
  );
  return redis;
}

async function runConsole(
  pipeline: AnswerPipeline,
  logger: Logger,
  maxQuestionLength: number,
): Promise<number> {
  await runConsoleChat({
    maxQuestionLength,
    answerer: pipeline.conversations,
    format: formatAnswerText,
    input: process.stdin,
    output: process.stdout,
    onError: (error) => {
      logger.error({ err: error }, "a question failed");
    },
  });
  return EXIT.ok;
}

/** What the running bot serves from, read by the metrics when they are scraped. */
interface Serving {
  index: SanadIndex;
  limits?: ReplyLimits;
  /** Updates received and not yet answered: the journal's, or the shared stream's. */
  pending?: () => number;
}

/** The bot's metrics, reading the state they report from `serving`. */
function botMetrics(mode: "llm" | "extractive", serving: Serving): SanadMetrics {
  return new SanadMetrics(mode, {
    queueDepth: () => serving.limits?.queueDepth ?? 0,
    pendingUpdates: () => serving.pending?.() ?? 0,
    index: () => ({
      documents: serving.index.manifest.counts.documents,
      builtAt: serving.index.manifest.builtAt,
    }),
  });
}

async function runTelegramBot(
  telegram: TelegramConfig,
  pipeline: AnswerPipeline,
  watch: {
    readonly logger: Logger;
    readonly metrics: SanadMetrics;
    readonly serving: Serving;
    readonly redis: RedisConnection | undefined;
  },
): Promise<number> {
  const { logger, metrics, serving, redis } = watch;
  // In webhook mode with Redis, updates go through the shared stream, which makes them durable: the
  // journal is for a single process (polling, or a webhook without Redis).
  const queue =
    redis && telegram.redis && telegram.webhook
      ? new RedisUpdateStream(redis, logger, {
          claimAfterMs: telegram.redis.claimAfterMs,
          // Enough to keep every answer slot busy, and no more: the rest is left to the other replicas.
          maxHeld: telegram.maxConcurrentAnswers * 2,
        })
      : undefined;
  const journal = queue ? undefined : await UpdateJournal.open(telegram.journalFile, logger);
  const limitSettings = { perWindow: telegram.rateLimitPerMinute, concurrent: telegram.maxConcurrentAnswers };
  const limits: ReplyLimits = redis
    ? new RedisLimits(redis, limitSettings)
    : new QuestionLimits(limitSettings);
  serving.limits = limits;
  serving.pending = () => queue?.pendingCount ?? journal?.pendingCount ?? 0;
  const outages = new OutageLog(logger, telegramServer(telegram.apiRoot));
  const endpoints = {
    metrics,
    checks: [
      { name: "index", ready: () => serving.index.manifest.counts.documents > 0 },
      { name: "telegram", ready: () => outages.reachableNow },
      ...(redis ? [{ name: "redis", ready: () => redis.reachableNow }] : []),
    ],
  };
  const bot = createBot(
    {
      answerer: pipeline.answerer,
      conversations: pipeline.conversations,
      articles: () => pipeline.articles(),
      limits,
      maxQuestionLength: telegram.maxQuestionLength,
      logger,
      metrics,
    },
    {
      token: telegram.token,
      apiRoot: telegram.apiRoot,
      allowedChatIds: telegram.allowedChatIds,
      ...(journal ? { journal } : {}),
      outages,
    },
  );
  const opsServer = telegram.metrics ? await startOpsServer(endpoints, telegram.metrics, logger) : undefined;
  let handle: { stop(): Promise<void>; task?: () => Promise<void> | undefined };
  try {
    const startup = { timeoutMs: telegram.startupTimeoutMs, apiRoot: telegram.apiRoot };
    handle = telegram.webhook
      ? await startWebhook(
          bot,
          {
            ...telegram.webhook,
            ...startup,
            ...(journal ? { journal } : {}),
            ...(queue ? { queue } : {}),
            ops: (request, response) => serveOps(endpoints, request, response),
          },
          logger,
        )
      : await startBot(bot, journal ? { journal, logger } : undefined, startup);
  } catch (error) {
    await opsServer?.close();
    throw explainTelegramFailure(error, telegram.token);
  }
  // The webhook's port is logged: with WEBHOOK_PORT=0 it is the only way to learn it.
  const webhookPort = "port" in handle && typeof handle.port === "number" ? { port: handle.port } : {};
  logger.info(
    {
      username: bot.botInfo.username,
      mode: telegram.webhook ? "webhook" : "polling",
      ...webhookPort,
      sharedState: redis ? (queue ? "redis, update stream" : "redis") : "this process",
    },
    "bot running",
  );
  let failure: Error | undefined;
  const stopped = new Promise<void>((resolve) => {
    // Polling ends by itself only when Telegram refuses it (a revoked token, another instance polling).
    handle.task?.()?.catch((error: unknown) => {
      failure = explainTelegramFailure(error, telegram.token);
      resolve();
    });
    const stop = (): void => {
      logger.info("stopping: no new updates; finishing the answers in flight");
      // Polling stops fetching at once but does not wait for handlers still running: the journal does,
      // for every kind of update, until each is marked done on disk (nothing is answered twice after).
      void handle
        .stop()
        .then(() => limits.whenIdle())
        .then(() => journal?.whenIdle())
        .then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await stopped;
  await opsServer?.close();
  await journal?.close();
  if (failure) throw failure;
  logger.info("stopped");
  return EXIT.ok;
}

runMain(main, USAGE);
