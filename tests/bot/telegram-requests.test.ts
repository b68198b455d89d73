import { HttpError } from "grammy";
import type { ApiResponse } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_SECONDS,
  retryRequests,
  watchOutages,
} from "../../src/bot/telegram-requests.js";
import { OUTAGE_LOG_INTERVAL_MS, OutageLog } from "../../src/log/index.js";
import { memoryLogger } from "../support/memory-logger.js";

type Outcome = ApiResponse<unknown> | Error;

/**
 * The call a transformer wraps, answering with the scripted outcomes in turn and noting when each call
 * was made (in fake time). Whatever grammY's types say of a generic method, a response is an object.
 */
function scripted(outcomes: Outcome[]) {
  const calls: number[] = [];
  const previous = (): Promise<ApiResponse<unknown>> => {
    calls.push(Date.now());
    const next = outcomes.shift() ?? { ok: true, result: true };
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { previous, calls };
}

const serverError: ApiResponse<unknown> = {
  ok: false,
  error_code: 500,
  description: "Internal Server Error",
};
const tooMany = (seconds: number): ApiResponse<unknown> => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${seconds}`,
  parameters: { retry_after: seconds },
});
const networkError = (): HttpError =>
  new HttpError("Network request for 'sendMessage' failed!", new Error("socket hang up"));

/** Runs one call through the retry transformer, letting fake time pass until it settles. */
async function send(outcomes: Outcome[], method = "sendMessage") {
  const { previous, calls } = scripted(outcomes);
  const transform = retryRequests() as unknown as (
    prev: typeof previous,
    method: string,
    payload: object,
    signal?: AbortSignal,
  ) => Promise<ApiResponse<unknown>>;
  const started = Date.now();
  const result = transform(previous, method, { chat_id: 1, text: "نص" }).then(
    (response): { response?: ApiResponse<unknown>; error?: unknown } => ({ response }),
    (error: unknown): { response?: ApiResponse<unknown>; error?: unknown } => ({ error }),
  );
  await vi.runAllTimersAsync();
  const settled = await result;
  return { ...settled, waits: calls.map((at) => (at - started) / 1000) };
}

describe("retryRequests: how Bot API calls are retried", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("retries 5xx after 1, 2 and 4 seconds, and stops after the last attempt without waiting", async () => {
    const { response, waits } = await send([serverError, serverError, serverError, serverError]);
    expect(response).toEqual(serverError);
    expect(waits).toEqual([0, 1, 3, 7]);
    expect(waits).toHaveLength(MAX_ATTEMPTS);
  });

  it("honours a retry_after within a minute, then succeeds", async () => {
    const { response, waits } = await send([tooMany(60), { ok: true, result: "sent" }]);
    expect(response).toEqual({ ok: true, result: "sent" });
    expect(waits).toEqual([0, MAX_RETRY_AFTER_SECONDS]);
  });

  it("gives up at once on a retry_after past a minute", async () => {
    const { response, waits } = await send([tooMany(61)]);
    expect(response).toEqual(tooMany(61));
    expect(waits).toEqual([0]);
  });

  it("retries a network error before any response, and rethrows it after the last attempt", async () => {
    const recovered = await send([networkError(), { ok: true, result: "sent" }]);
    expect(recovered.response).toEqual({ ok: true, result: "sent" });
    expect(recovered.waits).toEqual([0, 1]);

    const failed = await send([networkError(), networkError(), networkError(), networkError()]);
    expect(failed.error).toBeInstanceOf(HttpError);
    expect(failed.waits).toEqual([0, 1, 3, 7]);
  });

  it("does not retry a refusal (400, 403)", async () => {
    const forbidden: ApiResponse<unknown> = {
      ok: false,
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    };
    const { response, waits } = await send([forbidden]);
    expect(response).toEqual(forbidden);
    expect(waits).toEqual([0]);
  });

  it.each(["sendChatAction", "sendMessageDraft", "answerCallbackQuery", "getUpdates"])(
    "tries %s once: cosmetic calls and long polls are never retried here",
    async (method) => {
      const { response, waits } = await send([serverError], method);
      expect(response).toEqual(serverError);
      expect(waits).toEqual([0]);
    },
  );
});

describe("OutageLog: an outage seen by the operator, without a flood", () => {
  it("warns once when the server becomes unreachable and says once when it is back", () => {
    let now = 0;
    const { logger, records } = memoryLogger();
    const outages = new OutageLog(
      logger,
      "the Telegram Bot API at http://127.0.0.1:9 (TELEGRAM_API_ROOT)",
      () => now,
    );
    outages.reachable();
    for (let i = 0; i < 50; i++) {
      now += 1000;
      outages.unreachable(new Error("connect ECONNREFUSED"));
    }
    outages.reachable();
    outages.reachable();
    const lines = records().map(({ level, msg }) => [level, msg]);
    expect(lines).toEqual([
      [40, "the Telegram Bot API at http://127.0.0.1:9 (TELEGRAM_API_ROOT) is unreachable; retrying"],
      [30, "the Telegram Bot API at http://127.0.0.1:9 (TELEGRAM_API_ROOT) is reachable again"],
    ]);
  });

  it("says at most one warning and one recovery per minute when the server flaps", () => {
    let now = 0;
    const { logger, records } = memoryLogger();
    const outages = new OutageLog(logger, "the model server", () => now);
    for (let i = 0; i < 10; i++) {
      outages.unreachable(new Error("down"));
      now += 1000;
      outages.reachable();
      now += 1000;
    }
    expect(records()).toHaveLength(2);
    now += OUTAGE_LOG_INTERVAL_MS;
    outages.unreachable(new Error("down"));
    outages.reachable();
    expect(records()).toHaveLength(4);
  });

  it("is fed by every call through watchOutages: network errors only, not refusals", async () => {
    const { logger, records } = memoryLogger();
    const outages = new OutageLog(logger, "the Telegram Bot API (api.telegram.org)");
    const transform = watchOutages(outages) as unknown as (
      prev: () => Promise<ApiResponse<unknown>>,
      method: string,
      payload: object,
    ) => Promise<ApiResponse<unknown>>;
    await transform(() => Promise.resolve(serverError), "sendMessage", {});
    expect(records()).toEqual([]);
    await expect(transform(() => Promise.reject(networkError()), "getUpdates", {})).rejects.toBeInstanceOf(
      HttpError,
    );
    await transform(() => Promise.resolve({ ok: true, result: [] }), "getUpdates", {});
    expect(records().map(({ msg }) => msg)).toEqual([
      "the Telegram Bot API (api.telegram.org) is unreachable; retrying",
      "the Telegram Bot API (api.telegram.org) is reachable again",
    ]);
  });
});
