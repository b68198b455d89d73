import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { COMMANDS } from "./commands.js";

/** The updates the bot handles; others are not even sent. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

/** Registers the commands, with Arabic descriptions for Arabic clients and English ones otherwise. */
export async function registerCommands(bot: Bot): Promise<void> {
  await bot.api.setMyCommands(
    COMMANDS.map(({ command, ar }) => ({ command, description: ar })),
    {
      language_code: "ar",
    },
  );
  await bot.api.setMyCommands(COMMANDS.map(({ command, en }) => ({ command, description: en })));
}

/**
 * Starts the bot with long polling through grammY's runner: registers the commands, drops a webhook if
 * one is set, and handles updates concurrently across chats (in order within one, see createBot). The
 * handle's `stop()` stops fetching; answers in flight finish on their own.
 */
export async function startBot(bot: Bot): Promise<RunnerHandle> {
  await bot.init();
  await bot.api.deleteWebhook();
  await registerCommands(bot);
  // silent: the runner would print failed requests whole, and their URLs carry the bot token; a lasting
  // failure ends the runner's task instead, which the caller reports.
  return run(bot, { runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
}
