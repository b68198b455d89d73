import path from "node:path";
import { describe, expect, it } from "vitest";

import {
  ConfigError,
  DEFAULT_CORPUS_DIR,
  DEFAULT_INDEX_DIR,
  loadConfig,
  type SanadConfig,
} from "../../src/config/index.js";
import { errorOf } from "../support/errors.js";

type Env = Record<string, string | undefined>;

/** The smallest environment that selects the OpenAI-compatible provider. */
const OPENAI_ENV: Env = { EMBEDDINGS: "openai", EMBEDDINGS_BASE_URL: "http://127.0.0.1:8080/v1" };

/** The ConfigError loadConfig throws for `env` (the test fails when it throws none). */
const configError = (env: Env): ConfigError => errorOf(() => loadConfig(env), ConfigError);

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    expect(loadConfig({})).toEqual<SanadConfig>({
      corpusDir: DEFAULT_CORPUS_DIR,
      indexDir: DEFAULT_INDEX_DIR,
      embeddings: { provider: "hashing", dimensions: 2048 },
      maxIndexMemoryMb: 4096,
      indexReloadIntervalMs: 2000,
      chat: undefined,
      telegram: undefined,
      maxQuestionLength: 1000,
      topK: 3,
      logLevel: "info",
    });
    expect(DEFAULT_CORPUS_DIR).toBe("corpus");
    expect(DEFAULT_INDEX_DIR).toBe("data/index");
  });

  it("ignores variables it does not know", () => {
    expect(loadConfig({ PATH: "/usr/bin", HOME: "/root" })).toEqual(loadConfig({}));
  });

  it.each<[string, Env, (config: SanadConfig) => unknown, unknown]>([
    ["CORPUS_DIR", { CORPUS_DIR: "articles" }, (c) => c.corpusDir, "articles"],
    ["CORPUS_DIR (trimmed)", { CORPUS_DIR: "  my corpus  " }, (c) => c.corpusDir, "my corpus"],
    ["INDEX_DIR", { INDEX_DIR: "/var/lib/sanad" }, (c) => c.indexDir, "/var/lib/sanad"],
    ["MAX_INDEX_MEMORY_MB", { MAX_INDEX_MEMORY_MB: "8192" }, (c) => c.maxIndexMemoryMb, 8192],
    ["INDEX_RELOAD_INTERVAL_MS", { INDEX_RELOAD_INTERVAL_MS: "0" }, (c) => c.indexReloadIntervalMs, 0],
    ["EMBEDDINGS=hashing", { EMBEDDINGS: "hashing" }, (c) => c.embeddings.provider, "hashing"],
    [
      "HASHING_DIMENSIONS",
      { HASHING_DIMENSIONS: "512" },
      (c) => c.embeddings,
      { provider: "hashing", dimensions: 512 },
    ],
    [
      "HASHING_DIMENSIONS (lowest)",
      { HASHING_DIMENSIONS: "64" },
      (c) => c.embeddings,
      { provider: "hashing", dimensions: 64 },
    ],
    [
      "HASHING_DIMENSIONS (highest)",
      { HASHING_DIMENSIONS: "65536" },
      (c) => c.embeddings,
      { provider: "hashing", dimensions: 65_536 },
    ],
    ["TOP_K", { TOP_K: "5" }, (c) => c.topK, 5],
    ["TOP_K (surrounding spaces)", { TOP_K: " 7 " }, (c) => c.topK, 7],
    ["TOP_K (highest)", { TOP_K: "20" }, (c) => c.topK, 20],
    ["LOG_LEVEL", { LOG_LEVEL: "debug" }, (c) => c.logLevel, "debug"],
    ["LOG_LEVEL=silent", { LOG_LEVEL: "silent" }, (c) => c.logLevel, "silent"],
  ])("reads %s", (_name, env, pick, expected) => {
    expect(pick(loadConfig(env))).toEqual(expected);
  });

  describe("EMBEDDINGS=openai", () => {
    it("reads every EMBEDDINGS_* setting", () => {
      const config = loadConfig({
        ...OPENAI_ENV,
        EMBEDDINGS_API_KEY: "local-key",
        EMBEDDINGS_MODEL: "multilingual-e5",
        EMBEDDINGS_TIMEOUT_MS: "1500",
        EMBEDDINGS_MAX_RETRIES: "0",
      });
      expect(config.embeddings).toEqual({
        provider: "openai",
        model: "multilingual-e5",
        baseURL: "http://127.0.0.1:8080/v1",
        apiKey: "local-key",
        timeoutMs: 1500,
        maxRetries: 0,
      });
    });

    it("has defaults for the model, timeout and retries, and a placeholder key for local servers", () => {
      expect(loadConfig(OPENAI_ENV).embeddings).toEqual({
        provider: "openai",
        model: "bge-m3",
        baseURL: "http://127.0.0.1:8080/v1",
        apiKey: "not-needed",
        timeoutMs: 30_000,
        maxRetries: 2,
      });
    });

    it("falls back to OPENAI_BASE_URL and OPENAI_API_KEY", () => {
      const config = loadConfig({
        EMBEDDINGS: "openai",
        OPENAI_BASE_URL: "http://localhost:11434/v1",
        OPENAI_API_KEY: "sk-openai",
      });
      expect(config.embeddings).toMatchObject({ baseURL: "http://localhost:11434/v1", apiKey: "sk-openai" });
    });

    it("prefers EMBEDDINGS_BASE_URL and EMBEDDINGS_API_KEY over the OPENAI_* ones", () => {
      const config = loadConfig({
        EMBEDDINGS: "openai",
        EMBEDDINGS_BASE_URL: "http://embeddings.local/v1",
        EMBEDDINGS_API_KEY: "embeddings-key",
        OPENAI_BASE_URL: "http://llm.local/v1",
        OPENAI_API_KEY: "openai-key",
      });
      expect(config.embeddings).toMatchObject({
        baseURL: "http://embeddings.local/v1",
        apiKey: "embeddings-key",
      });
    });

    it("accepts an API key alone (api.openai.com, no base URL)", () => {
      expect(loadConfig({ EMBEDDINGS: "openai", OPENAI_API_KEY: "sk-x" }).embeddings).toMatchObject({
        provider: "openai",
        baseURL: undefined,
        apiKey: "sk-x",
      });
    });

    it("is rejected without any base URL or key, naming the variables to set", () => {
      const error = configError({ EMBEDDINGS: "openai" });
      expect(error.message).toContain("EMBEDDINGS_BASE_URL");
      expect(error.message).toContain("OPENAI_BASE_URL");
    });

    it("is rejected when the base URL and key are only blank", () => {
      const error = configError({ EMBEDDINGS: "openai", OPENAI_BASE_URL: "  ", EMBEDDINGS_API_KEY: "" });
      expect(error.message).toContain("EMBEDDINGS_BASE_URL");
    });
  });

  describe("malformed values", () => {
    it.each<[string, Env]>([
      ["HASHING_DIMENSIONS", { HASHING_DIMENSIONS: "abc" }],
      ["HASHING_DIMENSIONS", { HASHING_DIMENSIONS: "63" }],
      ["HASHING_DIMENSIONS", { HASHING_DIMENSIONS: "65537" }],
      ["HASHING_DIMENSIONS", { HASHING_DIMENSIONS: "1024.5" }],
      ["TOP_K", { TOP_K: "0" }],
      ["MAX_INDEX_MEMORY_MB", { MAX_INDEX_MEMORY_MB: "2GB" }],
      ["MAX_INDEX_MEMORY_MB", { MAX_INDEX_MEMORY_MB: "255" }],
      ["INDEX_RELOAD_INTERVAL_MS", { INDEX_RELOAD_INTERVAL_MS: "-5" }],
      ["TOP_K", { TOP_K: "-3" }],
      ["TOP_K", { TOP_K: "21" }],
      ["TOP_K", { TOP_K: "2.5" }],
      ["TOP_K", { TOP_K: "three" }],
      ["EMBEDDINGS", { EMBEDDINGS: "foo" }],
      ["EMBEDDINGS", { EMBEDDINGS: "OpenAI" }],
      ["LOG_LEVEL", { LOG_LEVEL: "verbose" }],
      ["OPENAI_BASE_URL", { OPENAI_BASE_URL: "not-a-url" }],
      ["EMBEDDINGS_BASE_URL", { ...OPENAI_ENV, EMBEDDINGS_BASE_URL: "localhost 8080" }],
      ["EMBEDDINGS_TIMEOUT_MS", { ...OPENAI_ENV, EMBEDDINGS_TIMEOUT_MS: "0" }],
      ["EMBEDDINGS_TIMEOUT_MS", { ...OPENAI_ENV, EMBEDDINGS_TIMEOUT_MS: "soon" }],
      ["EMBEDDINGS_MAX_RETRIES", { ...OPENAI_ENV, EMBEDDINGS_MAX_RETRIES: "-1" }],
      ["EMBEDDINGS_MAX_RETRIES", { ...OPENAI_ENV, EMBEDDINGS_MAX_RETRIES: "11" }],
    ])("rejects a bad %s with a ConfigError naming it (%j)", (variable, env) => {
      expect(configError(env).message).toContain(variable);
    });

    it("names every bad variable at once", () => {
      const message = configError({ TOP_K: "0", LOG_LEVEL: "loud" }).message;
      expect(message).toContain("TOP_K");
      expect(message).toContain("LOG_LEVEL");
    });

    it("rejects a malformed URL even when the hashing provider does not use it", () => {
      expect(configError({ EMBEDDINGS: "hashing", OPENAI_BASE_URL: "not-a-url" }).message).toContain(
        "OPENAI_BASE_URL",
      );
    });
  });

  describe("empty values", () => {
    it.each(["OPENAI_BASE_URL", "OPENAI_API_KEY", "EMBEDDINGS_BASE_URL", "EMBEDDINGS_API_KEY"])(
      "treats an empty or blank %s as unset",
      (variable) => {
        // Every other connection variable set, so that the one under test is the only difference.
        const others: Env = Object.fromEntries(
          Object.entries({
            EMBEDDINGS: "openai",
            OPENAI_BASE_URL: "http://openai.local/v1",
            OPENAI_API_KEY: "openai-key",
            EMBEDDINGS_BASE_URL: "http://embeddings.local/v1",
            EMBEDDINGS_API_KEY: "embeddings-key",
          }).filter(([name]) => name !== variable),
        );
        for (const blank of ["", "   "]) {
          expect(loadConfig({ [variable]: blank })).toEqual(loadConfig({}));
          expect(loadConfig({ ...others, [variable]: blank })).toEqual(loadConfig(others));
        }
      },
    );

    it("uses the OPENAI_* fallback when the EMBEDDINGS_* variable is empty", () => {
      const config = loadConfig({
        EMBEDDINGS: "openai",
        EMBEDDINGS_BASE_URL: "",
        OPENAI_BASE_URL: "http://fallback.local/v1",
        EMBEDDINGS_API_KEY: "",
        OPENAI_API_KEY: "fallback-key",
      });
      expect(config.embeddings).toMatchObject({
        baseURL: "http://fallback.local/v1",
        apiKey: "fallback-key",
      });
    });

    // A variable left empty or blank (`TOP_K=` in .env) means "unset": the default, never a coerced 0 or
    // an error (README, "Configuration").
    it.each([
      "CORPUS_DIR",
      "INDEX_DIR",
      "EMBEDDINGS",
      "HASHING_DIMENSIONS",
      "TOP_K",
      "LOG_LEVEL",
      "EMBEDDINGS_MODEL",
      "EMBEDDINGS_TIMEOUT_MS",
      "EMBEDDINGS_MAX_RETRIES",
    ])("reads an empty or blank %s as unset", (variable) => {
      const unset = loadConfig(
        Object.fromEntries(Object.entries(OPENAI_ENV).filter(([name]) => name !== variable)),
      );
      expect(loadConfig({ ...OPENAI_ENV, [variable]: "" })).toEqual(unset);
      expect(loadConfig({ ...OPENAI_ENV, [variable]: "  " })).toEqual(unset);
    });
  });
});

describe("loadConfig: the chat model", () => {
  it("is off without OPENAI_BASE_URL or OPENAI_API_KEY", () => {
    expect(loadConfig({ CHAT_MODEL: "qwen2.5" }).chat).toBeUndefined();
  });

  it("reads the chat settings when a server is configured", () => {
    expect(
      loadConfig({
        OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
        CHAT_MODEL: "qwen2.5:7b",
        CHAT_TEMPERATURE: "0.3",
        CHAT_TIMEOUT_MS: "5000",
        CHAT_MAX_RETRIES: "2",
        PROMPTS_DIR: "my-prompts",
      }).chat,
    ).toEqual({
      model: "qwen2.5:7b",
      baseURL: "http://127.0.0.1:11434/v1",
      apiKey: "not-needed",
      temperature: 0.3,
      timeoutMs: 5000,
      maxRetries: 2,
      promptsDir: "my-prompts",
    });
  });

  it.each([
    ["CHAT_TEMPERATURE", "3"],
    ["CHAT_TIMEOUT_MS", "0"],
    ["CHAT_MAX_RETRIES", "9"],
  ])("rejects %s=%s, naming it", (variable, value) => {
    expect(() => loadConfig({ OPENAI_API_KEY: "k", [variable]: value })).toThrow(variable);
  });
});

describe("loadConfig: the Telegram bot", () => {
  it("is off without TELEGRAM_BOT_TOKEN", () => {
    expect(loadConfig({ TELEGRAM_API_ROOT: "http://127.0.0.1:8081" }).telegram).toBeUndefined();
  });

  it("reads the bot settings with their defaults", () => {
    expect(
      loadConfig({
        TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ALLOWED_CHAT_IDS: "42, -1001234",
      }).telegram,
    ).toEqual({
      token: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
      apiRoot: undefined,
      maxQuestionLength: 1000,
      rateLimitPerMinute: 10,
      maxConcurrentAnswers: 4,
      allowedChatIds: new Set([42, -1001234]),
      journalFile: path.join("data", "update-journal.jsonl"),
      startupTimeoutMs: 30_000,
      metrics: undefined,
      webhook: undefined,
      redis: undefined,
    });
  });

  it("reads REDIS_URL (redis://, rediss://, a unix socket) with the key prefix and claim time", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: token, REDIS_URL: "redis://:pw@10.0.0.5:6379/2" }).telegram?.redis,
    ).toEqual({
      url: "redis://:pw@10.0.0.5:6379/2",
      keyPrefix: "sanad:",
      claimAfterMs: 15_000,
    });
    const socket = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      REDIS_URL: "unix:///run/redis/redis.sock",
      REDIS_KEY_PREFIX: "news-bot:",
      STREAM_CLAIM_AFTER_MS: "5000",
    }).telegram?.redis;
    expect(socket).toEqual({ url: "/run/redis/redis.sock", keyPrefix: "news-bot:", claimAfterMs: 5_000 });
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, REDIS_URL: "/tmp/r.sock" }).telegram?.redis?.url).toBe(
      "/tmp/r.sock",
    );
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: token, REDIS_URL: "rediss://cache.example.org" }).telegram?.redis?.url,
    ).toBe("rediss://cache.example.org");
  });

  it("keeps the update journal beside INDEX_DIR, or where UPDATE_JOURNAL says", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: token, INDEX_DIR: "/srv/sanad/index" }).telegram?.journalFile,
    ).toBe(path.join("/srv/sanad", "update-journal.jsonl"));
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: token, UPDATE_JOURNAL: "/var/lib/sanad/updates.jsonl" }).telegram
        ?.journalFile,
    ).toBe("/var/lib/sanad/updates.jsonl");
  });

  it("reads webhook mode, and refuses it without a URL and a secret", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(
      loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://bot.example.org/telegram",
        WEBHOOK_SECRET: "s3cret-s3cret-s3cret",
        WEBHOOK_PORT: "9000",
      }).telegram?.webhook,
    ).toEqual({
      url: "https://bot.example.org/telegram",
      host: "127.0.0.1",
      port: 9000,
      secretToken: "s3cret-s3cret-s3cret",
    });
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token, BOT_MODE: "webhook" })).toThrow("WEBHOOK_URL");
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token, WEBHOOK_URL: "http://plain.example.org" })).toThrow(
      "WEBHOOK_URL",
    );
  });

  it.each([
    ["TELEGRAM_BOT_TOKEN", "not-a-token"],
    ["ALLOWED_CHAT_IDS", "42;43"],
    ["RATE_LIMIT_PER_MINUTE", "0"],
    ["REDIS_URL", "localhost:6379"],
    ["REDIS_URL", "http://cache.example.org"],
    ["REDIS_KEY_PREFIX", "has space"],
    ["STREAM_CLAIM_AFTER_MS", "10"],
  ])("rejects %s=%s, naming it", (variable, value) => {
    expect(() =>
      loadConfig({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", [variable]: value }),
    ).toThrow(variable);
  });
});

describe("ConfigError", () => {
  it("is an Error named ConfigError", () => {
    const error = new ConfigError("TOP_K: too small");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ConfigError");
    expect(error.message).toBe("TOP_K: too small");
  });
});
