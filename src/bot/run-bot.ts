import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { COMMANDS } from "./commands.js";

/**
 * Starts the bot with long polling through grammY's runner: registers the commands (Arabic and English
 * descriptions), drops a webhook if one is set, and handles updates concurrently across chats. Call
 * `stop()` on the handle to finish the answers in flight and stop.
 */
export async function startBot(bot: Bot): Promise<RunnerHandle> {
  await bot.init();
  await bot.api.deleteWebhook();
  await bot.api.setMyCommands(
    COMMANDS.map(({ command, ar }) => ({ command, description: ar })),
    {
      language_code: "ar",
    },
  );
  await bot.api.setMyCommands(COMMANDS.map(({ command, en }) => ({ command, description: en })));
  return run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query", "inline_query"] } } });
}
