import { run, type RunnerHandle } from "@grammyjs/runner";
import { HttpError, type Bot } from "grammy";
import { ConfigError } from "../config/index.js";
import type { Logger } from "../log/index.js";
import { replayUnfinished, telegramServer } from "./bot.js";
import { COMMANDS } from "./commands.js";
import type { UpdateJournal } from "./update-journal.js";

/** The updates the bot handles; others are not even sent. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

/** Registers the commands, with Arabic descriptions for Arabic clients and English ones otherwise. */
export async function registerCommands(bot: Bot, signal?: RequestSignal): Promise<void> {
  await bot.api.setMyCommands(
    COMMANDS.map(({ command, ar }) => ({ command, description: ar })),
    { language_code: "ar" },
    signal,
  );
  await bot.api.setMyCommands(
    COMMANDS.map(({ command, en }) => ({ command, description: en })),
    undefined,
    signal,
  );
}

/** The signal grammY's API methods take (typed with the abort-controller shim). */
type RequestSignal = Parameters<Bot["api"]["getMe"]>[0];

/** How long start-up may wait for the Bot API before it gives up, unless told otherwise. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

/** How the bot starts: how long it may wait for the Bot API, and which server that is. */
export interface StartupOptions {
  /** Start-up gives up after this long (TELEGRAM_STARTUP_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** TELEGRAM_API_ROOT, to name it when the server cannot be reached. */
  readonly apiRoot?: string | undefined;
}

/**
 * Runs the start-up calls (getMe, webhook settings, commands) within a deadline: an unreachable or
 * silent Bot API ends start-up with an error that names TELEGRAM_API_ROOT and the network, instead of
 * retrying for ever.
 */
export async function withinStartup<T>(
  options: StartupOptions,
  calls: (signal: RequestSignal) => Promise<T>,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeoutMs);
  try {
    return await calls(controller.signal as unknown as RequestSignal);
  } catch (error) {
    if (controller.signal.aborted || error instanceof HttpError) {
      const why = controller.signal.aborted
        ? `no answer within ${timeoutMs / 1000} s`
        : (error as HttpError).message;
      throw new ConfigError(
        `${telegramServer(options.apiRoot)} cannot be reached (${why}): check TELEGRAM_API_ROOT and the network`,
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the bot with long polling through grammY's runner: registers the commands, drops a webhook if
 * one is set, and handles updates concurrently across chats (in order within one, see createBot). The
 * handle's `stop()` stops fetching; answers in flight finish on their own. With the bot's journal, the
 * updates the last run left unfinished are handed over first.
 */
export async function startBot(
  bot: Bot,
  recovery?: { readonly journal: UpdateJournal; readonly logger: Logger },
  startup: StartupOptions = {},
): Promise<RunnerHandle> {
  await withinStartup(startup, async (signal) => {
    await bot.init(signal);
    await bot.api.deleteWebhook(undefined, signal);
    await registerCommands(bot, signal);
  });
  if (recovery) void replayUnfinished(bot, recovery.journal, recovery.logger);
  // silent: the runner would print failed requests whole, and their URLs carry the bot token; a lasting
  // failure ends the runner's task instead, which the caller reports. A failed getUpdates is retried
  // every POLL_RETRY_MS, so that answers resume within seconds of the end of an outage.
  return run(bot, {
    runner: {
      silent: true,
      retryInterval: POLL_RETRY_MS,
      fetch: { allowed_updates: [...ALLOWED_UPDATES] },
    },
  });
}

/** Pause before getUpdates is tried again after a failure, in milliseconds: constant, not doubling. */
export const POLL_RETRY_MS = 1_000;
