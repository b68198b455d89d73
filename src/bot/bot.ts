import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, type Context } from "grammy";
import { ConfigError } from "../config/index.js";
import type { UserFromGetMe } from "grammy/types";
import { createCommandComposer } from "./commands.js";
import { conversationKey } from "./conversation-key.js";
import type { BotDependencies } from "./deliver-answer.js";
import { createInlineComposer } from "./inline.js";
import { BOT_MESSAGES } from "./messages.js";
import { createQuestionComposer } from "./questions.js";

/** Options of {@link createBot}. */
export interface CreateBotOptions {
  readonly token: string;
  /** Another Bot API server (a self-hosted one, or a test stand-in). */
  readonly apiRoot?: string | undefined;
  /** Chats the bot answers in; undefined for all. */
  readonly allowedChatIds?: ReadonlySet<number> | undefined;
  /** Skips getMe (tests). */
  readonly botInfo?: UserFromGetMe;
}

/** Retries of a request Telegram refused with 429 or 5xx, and the longest wait between them. */
const MAX_RETRY_ATTEMPTS = 3;
const MAX_RETRY_DELAY_SECONDS = 30;

/**
 * The bot: request retries on 429/5xx (bounded), the access list, one composer per concern (commands,
 * questions, inline mode), and an error boundary that logs the update and chat, never the token.
 *
 * @example const bot = createBot(deps, { token, apiRoot }); const handle = run(bot);
 */
export function createBot(deps: BotDependencies, options: CreateBotOptions): Bot {
  const bot = new Bot<Context>(options.token, {
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: MAX_RETRY_ATTEMPTS,
      maxDelaySeconds: MAX_RETRY_DELAY_SECONDS,
      // Network failures would otherwise be retried forever: they fail the one answer instead.
      rethrowHttpErrors: true,
    }),
  );

  // First: updates of one conversation in order (a follow-up after its question), chats concurrently.
  bot.use(sequentialize(conversationKey));
  const allowed = options.allowedChatIds;
  if (allowed) {
    bot.use(async (ctx, next) => {
      const chatId = ctx.chat?.id;
      if (chatId === undefined || allowed.has(chatId)) return next();
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      if (ctx.chat?.type === "private") await ctx.reply(BOT_MESSAGES.notAllowed);
    });
  }
  bot.use(createCommandComposer(deps), createInlineComposer(deps), createQuestionComposer(deps));

  bot.catch(async (error) => {
    const { ctx } = error;
    deps.logger.error(
      {
        updateId: ctx.update.update_id,
        chatId: ctx.chat?.id,
        err: describeError(error.error, options.token),
      },
      "update failed",
    );
    if (ctx.chat && ctx.msg) await ctx.reply(BOT_MESSAGES.failed).catch(() => undefined);
  });
  return bot;
}

/** An error as a log line, with the bot token (which grammY errors can carry in URLs) removed. */
export function describeError(error: unknown, token: string): string {
  const text =
    error instanceof GrammyError
      ? `GrammyError ${error.error_code}: ${error.description} (${error.method})`
      : error instanceof HttpError
        ? `HttpError: ${error.message}`
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
  return text.split(token).join("[token]");
}

/** A Telegram refusal at start-up or while polling, as an error that says what to fix. */
export function explainTelegramFailure(error: unknown, token: string): Error {
  if (error instanceof GrammyError && error.error_code === 401) {
    return new ConfigError(
      "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token from BotFather again",
    );
  }
  if (error instanceof GrammyError && error.error_code === 409) {
    return new ConfigError(
      "Telegram reports a conflict (409): another process polls with this TELEGRAM_BOT_TOKEN, or a webhook is set; stop the other instance",
    );
  }
  if (error instanceof ConfigError) return error;
  return new Error(`the bot could not run: ${describeError(error, token)}`);
}
