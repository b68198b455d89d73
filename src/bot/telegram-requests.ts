import { HttpError, type Transformer } from "grammy";
import type { ApiResponse } from "grammy/types";
import type { OutageLog } from "../log/index.js";

/**
 * Calls that only dress up a conversation ("typing", a draft, the end of a button's spinner): they are
 * sent once, never retried and never waited for, so that no fault of theirs holds up or loses an answer.
 */
export const COSMETIC_METHODS: ReadonlySet<string> = new Set([
  "sendChatAction",
  "sendMessageDraft",
  "answerCallbackQuery",
]);

/** Attempts of a call that fails with 429, 5xx or a network error, the first included. */
export const MAX_ATTEMPTS = 4;
/** The longest retry_after honoured, in seconds: past it, waiting would leave the reader without news. */
export const MAX_RETRY_AFTER_SECONDS = 60;
/** Waits between attempts after a 5xx or a network error, in seconds: short, an answer is awaited. */
const BACKOFF_SECONDS = [1, 2, 4] as const;

/**
 * How calls to the Bot API are retried, one policy in one place:
 * - 429 with retry_after up to {@link MAX_RETRY_AFTER_SECONDS}: wait that long, then try again;
 * - 5xx, or a network error before any response (the connection refused or closed): wait 1, 2, 4 s;
 * - at most {@link MAX_ATTEMPTS} attempts, and no wait after the last one;
 * - cosmetic calls ({@link COSMETIC_METHODS}) and getUpdates (whose runner retries it) are tried once.
 * A message whose response was lost may have been delivered: retrying it can show the answer twice,
 * which is better than losing it or reporting a failure that did not happen.
 */
export function retryRequests(): Transformer {
  return async (previous, method, payload, signal) => {
    if (COSMETIC_METHODS.has(method) || method === "getUpdates") return previous(method, payload, signal);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= MAX_ATTEMPTS;
      let response;
      try {
        response = await previous(method, payload, signal);
      } catch (error) {
        if (last || !(error instanceof HttpError) || signal?.aborted === true) throw error;
        await pause(backoffSeconds(attempt), signal);
        continue;
      }
      // The fields every Bot API response has, whatever the method's result.
      const outcome: ApiResponse<unknown> = response;
      if (outcome.ok || last) return response;
      const retryAfter = outcome.parameters?.retry_after;
      if (typeof retryAfter === "number") {
        if (retryAfter > MAX_RETRY_AFTER_SECONDS) return response;
        await pause(retryAfter, signal);
      } else if (outcome.error_code >= 500) {
        await pause(backoffSeconds(attempt), signal);
      } else {
        return response;
      }
    }
  };
}

const backoffSeconds = (attempt: number): number =>
  BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length) - 1] ?? 1;

/** The signal a transformer gets: grammY types it with the abort-controller shim, which has what is used here. */
type RequestSignal = Parameters<Transformer>[3];

function pause(seconds: number, signal: RequestSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new Error("request aborted"));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, seconds * 1000);
    const abort = (): void => {
      clearTimeout(timer);
      reject(new Error("request aborted while waiting to retry"));
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/** How a Bot API call failed, as an operator counts it. */
export type TelegramFailure = "network" | "429" | "5xx" | "4xx";

/**
 * Reports every attempt of every Bot API call: network failures and recoveries to an {@link OutageLog},
 * and each failure's kind to `onFailure` (metrics). Installed first, it is the innermost transformer,
 * so each retry counts.
 */
export function watchOutages(outages: OutageLog, onFailure?: (kind: TelegramFailure) => void): Transformer {
  return async (previous, method, payload, signal) => {
    let response;
    try {
      response = await previous(method, payload, signal);
    } catch (error) {
      if (error instanceof HttpError && signal?.aborted !== true) {
        outages.unreachable(error);
        onFailure?.("network");
      }
      throw error;
    }
    outages.reachable();
    const outcome: ApiResponse<unknown> = response;
    if (!outcome.ok) {
      onFailure?.(outcome.error_code === 429 ? "429" : outcome.error_code >= 500 ? "5xx" : "4xx");
    }
    return response;
  };
}

/** How long a cosmetic call may take before it is abandoned, in milliseconds. */
export const COSMETIC_TIMEOUT_MS = 2_000;

/**
 * A signal that abandons a cosmetic call after {@link COSMETIC_TIMEOUT_MS}. grammY types its signals with
 * the abort-controller shim's AbortSignal, which Node's own satisfies at run time but not in the type
 * checker.
 */
export function cosmeticDeadline(): RequestSignal & AbortSignal {
  return AbortSignal.timeout(COSMETIC_TIMEOUT_MS) as unknown as RequestSignal & AbortSignal;
}
