import { sequentialize } from "@grammyjs/runner";
import { Bot, BotError, GrammyError, HttpError, type Context } from "grammy";
import { ConfigError } from "../config/index.js";
import type { Update, UserFromGetMe } from "grammy/types";
import { OutageLog, type Logger } from "../log/index.js";
import { createCommandComposer } from "./commands.js";
import { conversationKey } from "./conversation-key.js";
import type { BotDependencies } from "./deliver-answer.js";
import { createInlineComposer } from "./inline.js";
import { BOT_MESSAGES } from "./messages.js";
import { createQuestionComposer } from "./questions.js";
import { say } from "./say.js";
import { cosmeticDeadline, retryRequests, watchOutages } from "./telegram-requests.js";
import type { UpdateJournal } from "./update-journal.js";

/** Options of {@link createBot}. */
export interface CreateBotOptions {
  readonly token: string;
  /** Another Bot API server (a self-hosted one, or a test stand-in). */
  readonly apiRoot?: string | undefined;
  /** Chats the bot answers in; undefined for all. */
  readonly allowedChatIds?: ReadonlySet<number> | undefined;
  /** Skips getMe (tests). */
  readonly botInfo?: UserFromGetMe;
  /**
   * Where updates are kept from the moment they are received until they are finished, so that a crash
   * loses none (see {@link UpdateJournal}); without it, updates live in memory only.
   */
  readonly journal?: UpdateJournal;
  /** Where the Bot API's outages are told (and read by /readyz); one of its own by default. */
  readonly outages?: OutageLog;
}

/**
 * How long one request may take, in seconds: more than a long poll's 30 s, far less than grammY's 500 s
 * default, which left a request to an unreachable server hanging for minutes.
 */
export const REQUEST_TIMEOUT_SECONDS = 60;

/** The Bot API server as an operator log names it, with the setting that chooses it. */
export function telegramServer(apiRoot: string | undefined): string {
  return apiRoot === undefined
    ? "the Telegram Bot API (api.telegram.org)"
    : `the Telegram Bot API at ${apiRoot} (TELEGRAM_API_ROOT)`;
}

/**
 * The bot: request retries on 429/5xx (bounded), the access list, one composer per concern (commands,
 * questions, inline mode), and an error boundary that logs the update and chat, never the token.
 *
 * @example const bot = createBot(deps, { token, apiRoot }); const handle = run(bot);
 */
export function createBot(deps: BotDependencies, options: CreateBotOptions): Bot {
  const bot = new Bot<Context>(options.token, {
    client: {
      timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // Installed first, innermost: every attempt's failure is seen, retries included.
  const outages = options.outages ?? new OutageLog(deps.logger, telegramServer(options.apiRoot));
  bot.api.config.use(watchOutages(outages, (kind) => deps.metrics?.telegramError(kind)));
  bot.api.config.use(retryRequests());

  if (options.journal) journalUpdates(bot, options.journal, deps.logger);
  // Then: updates of one conversation in order (a follow-up after its question), chats concurrently.
  bot.use(sequentialize(conversationKey));
  const allowed = options.allowedChatIds;
  if (allowed) {
    bot.use(async (ctx, next) => {
      // An inline query, or a button under an inline message, has no chat: its user is what is allowed.
      const id = ctx.chat?.id ?? ctx.from?.id;
      if (id !== undefined && allowed.has(id)) return next();
      if (ctx.inlineQuery) {
        await ctx.answerInlineQuery([], { cache_time: 0 });
        return;
      }
      if (ctx.callbackQuery) {
        ctx.answerCallbackQuery(undefined, cosmeticDeadline()).catch(() => undefined);
        return;
      }
      if (ctx.chat?.type === "private") await say(ctx, deps.limits, BOT_MESSAGES.notAllowed);
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
    // An update that failed while a question was being answered is a question without an answer.
    if (ctx.msg?.text !== undefined || ctx.inlineQuery || ctx.callbackQuery) deps.metrics?.failed();
    if (ctx.chat && ctx.msg) await say(ctx, deps.limits, BOT_MESSAGES.failed).catch(() => undefined);
  });
  return bot;
}

/**
 * Puts every update polled through the journal before the next getUpdates confirms it to Telegram, and
 * lets through only updates the journal has not seen finished or being handled, marking each finished
 * when its handling ends, answered or failed.
 */
function journalUpdates(bot: Bot, journal: UpdateJournal, logger: Logger): void {
  bot.api.config.use(async (previous, method, payload, signal) => {
    const response = await previous(method, payload, signal);
    // Written and flushed before the runner can ask for more: the next request confirms these.
    if (method === "getUpdates" && response.ok) await journal.receive(response.result as Update[]);
    return response;
  });
  bot.use(async (ctx, next) => {
    const id = ctx.update.update_id;
    if (!journal.claim(id)) return;
    try {
      await next();
    } finally {
      await journal.finish(id).catch((error: unknown) => {
        logger.warn({ updateId: id, err: String(error) }, "update journal: could not mark an update done");
      });
    }
  });
}

/**
 * Handles the updates a previous run received and did not finish, before new ones: each goes through
 * the bot as if it had just arrived, its failure reported like any other update's.
 */
export function replayUnfinished(bot: Bot, journal: UpdateJournal, logger: Logger): Promise<void> {
  const pending = journal.pending();
  if (pending.length > 0)
    logger.info({ updates: pending.length }, "answering updates left unfinished by the last run");
  return Promise.all(pending.map((update) => handleOne(bot, update, logger))).then(() => undefined);
}

/** Handles one update outside the runner (a replay, a webhook), reporting a failure as polling would. */
export async function handleOne(bot: Bot, update: Update, logger: Logger): Promise<void> {
  try {
    await bot.handleUpdate(update);
  } catch (error) {
    // handleUpdate does not call bot.catch itself: hand the error to it, as polling does.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- instanceof narrows to BotError<any>; this bot's context is Context
    if (error instanceof BotError) await bot.errorHandler(error);
    else logger.error({ updateId: update.update_id, err: String(error) }, "update failed");
  }
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
