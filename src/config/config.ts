import path from "node:path";
import { z } from "zod";
import { OperatorError } from "../errors/index.js";

/** Where the articles are read from, unless `--corpus DIR` says otherwise. */
export const DEFAULT_CORPUS_DIR = "corpus";
/** Where the built index is kept, unless `--index DIR` says otherwise. Git-ignored. */
export const DEFAULT_INDEX_DIR = "data/index";
/**
 * Where the bot keeps the updates it received and has not finished, so that a crash loses none: beside
 * the index (data/update-journal.jsonl for the default INDEX_DIR), unless UPDATE_JOURNAL says otherwise.
 */
export const UPDATE_JOURNAL_FILE = "update-journal.jsonl";
/** Sentences an answer cites at most, unless TOP_K (or `ask --top N`) says otherwise. */
export const DEFAULT_TOP_K = 3;
/**
 * Vector size of the hashing embeddings, unless HASHING_DIMENSIONS says otherwise. Below about 2048
 * buckets, collisions cost retrieval quality fast (README, "Choices measured").
 */
export const DEFAULT_HASHING_DIMENSIONS = 2048;
/** Longest question accepted, in characters, unless MAX_QUESTION_LENGTH says otherwise. */
export const DEFAULT_MAX_QUESTION_LENGTH = 1000;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

const ENV_SCHEMA = z.object({
  CORPUS_DIR: z.string().trim().min(1).default(DEFAULT_CORPUS_DIR),
  INDEX_DIR: z.string().trim().min(1).default(DEFAULT_INDEX_DIR),
  EMBEDDINGS: z.enum(["hashing", "openai"]).default("hashing"),
  HASHING_DIMENSIONS: z.coerce.number().int().min(64).max(65_536).default(DEFAULT_HASHING_DIMENSIONS),
  OPENAI_BASE_URL: optionalText.pipe(httpUrl.optional()),
  OPENAI_API_KEY: optionalText,
  EMBEDDINGS_BASE_URL: optionalText.pipe(httpUrl.optional()),
  EMBEDDINGS_API_KEY: optionalText,
  EMBEDDINGS_MODEL: z.string().trim().min(1).default("bge-m3"),
  EMBEDDINGS_TIMEOUT_MS: positiveInt(30_000, 600_000),
  EMBEDDINGS_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  TOP_K: positiveInt(DEFAULT_TOP_K, 20),
  // At least 256: Node and the libraries alone take about 160 MB (src/index/memory.ts).
  MAX_INDEX_MEMORY_MB: z.coerce.number().int().min(256).max(1_048_576).default(4096),
  INDEX_RELOAD_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
  CHAT_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
  CHAT_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.1),
  CHAT_TIMEOUT_MS: positiveInt(30_000, 600_000),
  CHAT_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  PROMPTS_DIR: z.string().trim().min(1).default("prompts"),
  TELEGRAM_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, "must look like 123456:ABC… as BotFather gives it")
      .optional(),
  ),
  TELEGRAM_API_ROOT: optionalText.pipe(httpUrl.optional()),
  MAX_QUESTION_LENGTH: positiveInt(DEFAULT_MAX_QUESTION_LENGTH, 4000),
  RATE_LIMIT_PER_MINUTE: positiveInt(10, 600),
  MAX_CONCURRENT_ANSWERS: positiveInt(4, 64),
  BOT_MODE: z.enum(["polling", "webhook"]).default("polling"),
  UPDATE_JOURNAL: optionalText,
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  METRICS_HOST: z.string().trim().min(1).default("127.0.0.1"),
  TELEGRAM_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional()),
  WEBHOOK_HOST: z.string().trim().min(1).default("127.0.0.1"),
  WEBHOOK_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  WEBHOOK_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters of A-Z, a-z, 0-9, _ and -")
      .optional(),
  ),
  ALLOWED_CHAT_IDS: optionalText.pipe(
    z
      .string()
      .regex(/^-?\d+(\s*,\s*-?\d+)*$/, "must be chat ids separated by commas")
      .optional(),
  ),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^(rediss?:\/\/\S+|unix:\/\/\/\S+|\/\S+)$/,
        "must be redis://host:port, rediss://host:port, unix:///path/to/redis.sock or /path/to/redis.sock",
      )
      .optional(),
  ),
  REDIS_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[\w.:-]{1,64}$/, "must be 1–64 characters of letters, digits, _ . : and -")
    .default("sanad:"),
  STREAM_CLAIM_AFTER_MS: z.coerce.number().int().min(500).max(3_600_000).default(15_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Embedding settings: which provider, and how to reach it when it is a server. */
export type EmbeddingsConfig =
  | { readonly provider: "hashing"; readonly dimensions: number }
  | {
      readonly provider: "openai";
      readonly model: string;
      readonly baseURL: string | undefined;
      readonly apiKey: string;
      readonly timeoutMs: number;
      readonly maxRetries: number;
    };

/** How to reach the chat model that writes answers; absent when no server is configured. */
export interface ChatConfig {
  readonly model: string;
  readonly baseURL: string | undefined;
  readonly apiKey: string;
  readonly temperature: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly promptsDir: string;
}

/** The Telegram bot's settings; absent without TELEGRAM_BOT_TOKEN. */
export interface TelegramConfig {
  readonly token: string;
  /** Bot API server; undefined for Telegram's own. */
  readonly apiRoot: string | undefined;
  /** Longest question accepted, in characters. */
  readonly maxQuestionLength: number;
  /** Questions one user may ask per minute. */
  readonly rateLimitPerMinute: number;
  /** Answers written at the same time, across all chats. */
  readonly maxConcurrentAnswers: number;
  /** Chats the bot answers in; undefined for all. */
  readonly allowedChatIds: ReadonlySet<number> | undefined;
  /** The file of updates received and not yet finished (UPDATE_JOURNAL): what a crash must not lose. */
  readonly journalFile: string;
  /** How long start-up waits for the Bot API before it gives up (TELEGRAM_STARTUP_TIMEOUT_MS). */
  readonly startupTimeoutMs: number;
  /**
   * Where /healthz, /readyz and /metrics are served on a port of their own (METRICS_HOST, METRICS_PORT);
   * undefined when METRICS_PORT is not set. Webhook mode serves them on the webhook's server as well.
   */
  readonly metrics: { readonly host: string; readonly port: number } | undefined;
  /** Webhook mode's settings; undefined for long polling (the default). */
  readonly webhook:
    | { readonly url: string; readonly host: string; readonly port: number; readonly secretToken: string }
    | undefined;
  /** Shared state for replicas; undefined keeps it all in this process. */
  readonly redis: RedisConfig | undefined;
}

/**
 * Where the replicas' shared state lives (REDIS_URL): conversation memory, limits, seen updates and, in
 * webhook mode, the stream of updates to answer. Absent without REDIS_URL: everything stays in process.
 */
export interface RedisConfig {
  /** redis://, rediss:// or the path of a unix socket. */
  readonly url: string;
  /** Put before every key (REDIS_KEY_PREFIX), so that several bots can share one server. */
  readonly keyPrefix: string;
  /**
   * How long a stream entry may go without a sign of life from the replica that took it before another
   * replica takes it over (STREAM_CLAIM_AFTER_MS). A live replica renews its entries well within this.
   */
  readonly claimAfterMs: number;
}

/** The program's configuration, read and validated once at start-up and passed to what needs it. */
export interface SanadConfig {
  /** Longest question any interface accepts, in characters (MAX_QUESTION_LENGTH). */
  readonly maxQuestionLength: number;
  /** The Telegram bot, when TELEGRAM_BOT_TOKEN is set; otherwise `npm start` opens the console chat. */
  readonly telegram: TelegramConfig | undefined;
  /** The chat model, when OPENAI_BASE_URL or OPENAI_API_KEY is set; otherwise answers are extractive. */
  readonly chat: ChatConfig | undefined;
  readonly corpusDir: string;
  readonly indexDir: string;
  readonly embeddings: EmbeddingsConfig;
  /**
   * Memory the index may take when serving, in megabytes (MAX_INDEX_MEMORY_MB): a larger corpus fails
   * at reindex time with a message rather than later, when the bot loads it.
   */
  readonly maxIndexMemoryMb: number;
  /**
   * How often a running bot or console checks the index's manifest for a new index, in milliseconds
   * (INDEX_RELOAD_INTERVAL_MS); 0 checks only on SIGHUP.
   */
  readonly indexReloadIntervalMs: number;
  /** How many sentences an answer cites at most. */
  readonly topK: number;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

/** A configuration value that is missing or malformed; the message names the variable and what it takes. */
export class ConfigError extends OperatorError {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates the configuration from environment variables (after `.env` is loaded by the entry
 * point). Unknown values are rejected with the variable's name, never silently replaced by a default.
 *
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): SanadConfig {
  // An empty variable (FOO= in .env) means "not set": the default applies, never a coerced 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()));
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(
      `invalid configuration (fix it in .env or the environment): ${problems.join("; ")}`,
    );
  }
  const vars = parsed.data;
  return {
    corpusDir: vars.CORPUS_DIR,
    indexDir: vars.INDEX_DIR,
    embeddings: embeddingsConfig(vars),
    maxIndexMemoryMb: vars.MAX_INDEX_MEMORY_MB,
    indexReloadIntervalMs: vars.INDEX_RELOAD_INTERVAL_MS,
    chat: chatConfig(vars),
    telegram: telegramConfig(vars),
    maxQuestionLength: vars.MAX_QUESTION_LENGTH,
    topK: vars.TOP_K,
    logLevel: vars.LOG_LEVEL,
  };
}

function telegramConfig(vars: z.infer<typeof ENV_SCHEMA>): TelegramConfig | undefined {
  if (!vars.TELEGRAM_BOT_TOKEN) return undefined;
  if (vars.BOT_MODE === "webhook" && (!vars.WEBHOOK_URL || !vars.WEBHOOK_SECRET)) {
    throw new ConfigError(
      "BOT_MODE=webhook needs WEBHOOK_URL (https://…) and WEBHOOK_SECRET; or set BOT_MODE=polling",
    );
  }
  return {
    webhook:
      vars.BOT_MODE === "webhook" && vars.WEBHOOK_URL && vars.WEBHOOK_SECRET
        ? {
            url: vars.WEBHOOK_URL,
            host: vars.WEBHOOK_HOST,
            port: vars.WEBHOOK_PORT,
            secretToken: vars.WEBHOOK_SECRET,
          }
        : undefined,
    token: vars.TELEGRAM_BOT_TOKEN,
    apiRoot: vars.TELEGRAM_API_ROOT,
    startupTimeoutMs: vars.TELEGRAM_STARTUP_TIMEOUT_MS,
    metrics:
      vars.METRICS_PORT === undefined ? undefined : { host: vars.METRICS_HOST, port: vars.METRICS_PORT },
    journalFile: vars.UPDATE_JOURNAL ?? path.join(path.dirname(vars.INDEX_DIR), UPDATE_JOURNAL_FILE),
    maxQuestionLength: vars.MAX_QUESTION_LENGTH,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    maxConcurrentAnswers: vars.MAX_CONCURRENT_ANSWERS,
    redis: vars.REDIS_URL
      ? {
          // ioredis takes a socket as a bare path.
          url: vars.REDIS_URL.replace(/^unix:\/\//, ""),
          keyPrefix: vars.REDIS_KEY_PREFIX,
          claimAfterMs: vars.STREAM_CLAIM_AFTER_MS,
        }
      : undefined,
    allowedChatIds: vars.ALLOWED_CHAT_IDS
      ? new Set(vars.ALLOWED_CHAT_IDS.split(",").map((id) => Number(id.trim())))
      : undefined,
  };
}

function chatConfig(vars: z.infer<typeof ENV_SCHEMA>): ChatConfig | undefined {
  if (!vars.OPENAI_BASE_URL && !vars.OPENAI_API_KEY) return undefined;
  return {
    model: vars.CHAT_MODEL,
    baseURL: vars.OPENAI_BASE_URL,
    // Local servers ignore the key, but the OpenAI client refuses an empty one.
    apiKey: vars.OPENAI_API_KEY ?? "not-needed",
    temperature: vars.CHAT_TEMPERATURE,
    timeoutMs: vars.CHAT_TIMEOUT_MS,
    maxRetries: vars.CHAT_MAX_RETRIES,
    promptsDir: vars.PROMPTS_DIR,
  };
}

function embeddingsConfig(vars: z.infer<typeof ENV_SCHEMA>): EmbeddingsConfig {
  if (vars.EMBEDDINGS === "hashing") return { provider: "hashing", dimensions: vars.HASHING_DIMENSIONS };
  const baseURL = vars.EMBEDDINGS_BASE_URL ?? vars.OPENAI_BASE_URL;
  const apiKey = vars.EMBEDDINGS_API_KEY ?? vars.OPENAI_API_KEY;
  if (!baseURL && !apiKey) {
    throw new ConfigError(
      "EMBEDDINGS=openai needs EMBEDDINGS_BASE_URL or OPENAI_BASE_URL (an OpenAI-compatible server), " +
        "or OPENAI_API_KEY for api.openai.com; or set EMBEDDINGS=hashing",
    );
  }
  return {
    provider: "openai",
    model: vars.EMBEDDINGS_MODEL,
    baseURL,
    // Local servers ignore the key, but the OpenAI client refuses an empty one.
    apiKey: apiKey ?? "not-needed",
    timeoutMs: vars.EMBEDDINGS_TIMEOUT_MS,
    maxRetries: vars.EMBEDDINGS_MAX_RETRIES,
  };
}
