/** Telegram interface: the grammY bot over the answer pipeline. It formats and delivers; it never retrieves. */
export { createBot, describeError, explainTelegramFailure, telegramServer } from "./bot.js";
export type { CreateBotOptions } from "./bot.js";
export { startBot } from "./run-bot.js";
export { QuestionLimits } from "./limits.js";
export type { LimitVerdict, ReplyLimits } from "./limits.js";
export type { BotDependencies } from "./deliver-answer.js";
export { COMMANDS } from "./commands.js";
export { BOT_MESSAGES, EXAMPLE_QUESTIONS } from "./messages.js";
export { startWebhook } from "./webhook.js";
export type { UpdateConsumer, UpdateQueue, WebhookHandle, WebhookOptions } from "./webhook.js";
export { UpdateJournal } from "./update-journal.js";
