import { GrammyError, type Context, type InlineKeyboard } from "grammy";
import type { Answer, Answerer, ArticleRecord, ConversationalAnswerer } from "../answer/index.js";
import type { Logger } from "../log/index.js";
import { conversationKey } from "./conversation-key.js";
import { countCharacters } from "../text/index.js";
import { limitedUser, say } from "./say.js";
import { COSMETIC_TIMEOUT_MS, cosmeticDeadline, type TelegramFailure } from "./telegram-requests.js";
import { exampleKeyboard } from "./example-keyboard.js";
import { formatAnswerMessage, splitMessage, toPlainText, type FormattedText } from "./format.js";
import type { ReplyLimits } from "./limits.js";
import { BOT_MESSAGES } from "./messages.js";

/** What the bot's handlers need: the answer pipeline and the limits, nothing of retrieval. */
export interface BotDependencies {
  /** Answers single questions (inline mode). */
  readonly answerer: Answerer;
  /** Answers questions within a conversation (chats and topics). */
  readonly conversations: ConversationalAnswerer;
  /** The articles answered from now (the index can be replaced while the bot runs). */
  readonly articles: () => readonly ArticleRecord[];
  readonly limits: ReplyLimits;
  readonly maxQuestionLength: number;
  readonly logger: Logger;
  /** Where questions' outcomes and latencies, and Bot API failures, are counted (METRICS_PORT, /metrics). */
  readonly metrics?: BotMetrics;
}

/** What the bot counts for an operator: implemented by src/ops' SanadMetrics. */
export interface BotMetrics {
  /** A question got this answer (answered, hedged, refused, fallback) after `seconds`. */
  answered(answer: Answer, seconds: number): void;
  /** A question got no answer. */
  failed(): void;
  /** A Bot API call failed. */
  telegramError(kind: TelegramFailure): void;
}

/** What a draft says while the answer is written: neutral, it claims nothing. */
const DRAFT_WAITING = "…";
/** A draft is a preview: it is abandoned rather than allowed to hold up the final answer. */
const DRAFT_TIMEOUT_MS = COSMETIC_TIMEOUT_MS;

/** How a question reached the bot. */
export interface AskedVia {
  /**
   * The question was not typed in the chat (an example button, a deep link): the answer is a new
   * message that opens with the question, not a reply to whatever message carried the button.
   */
  readonly notTyped?: boolean;
}

/**
 * Answers a question in the chat it was asked in: checks its length and the user's limits, shows
 * "typing", shows the best sentence found as a draft in private chats while a model writes, then sends
 * the verified answer with its sources, split when long, and as plain text if Telegram rejects the
 * formatting. In groups the answer replies to the question; in a private chat the question is right
 * above it, and a reply would only repeat it. A refusal comes with the example questions as buttons.
 */
export async function answerInChat(
  ctx: Context,
  question: string,
  deps: BotDependencies,
  via: AskedVia = {},
): Promise<void> {
  const userId = limitedUser(ctx);
  const replyTo = via.notTyped || ctx.chat?.type === "private" ? undefined : ctx.msg?.message_id;
  const replyParameters =
    replyTo === undefined
      ? {}
      : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  if (countCharacters(question) > deps.maxQuestionLength) {
    await say(ctx, deps.limits, BOT_MESSAGES.tooLong(deps.maxQuestionLength), replyParameters);
    return;
  }
  const verdict = await deps.limits.admit(userId, ctx.update.update_id);
  if (verdict === "busy") {
    await say(ctx, deps.limits, BOT_MESSAGES.busy, replyParameters);
    return;
  }
  if (verdict === "rate-limited") {
    if (await deps.limits.shouldNotice(userId)) await ctx.reply(BOT_MESSAGES.rateLimited, replyParameters);
    return;
  }
  const started = performance.now();
  await deps.limits.run(userId, async () => {
    // "typing" is cosmetic: sent without waiting, so that no fault of its own holds up the answer.
    ctx.replyWithChatAction("typing", undefined, cosmeticDeadline()).catch((error: unknown) => {
      deps.logger.debug({ err: String(error) }, "chat action not shown");
    });
    const drafts = ctx.chat?.type === "private" ? new DraftSender(ctx, deps.logger) : undefined;
    // A message always has a chat, hence a conversation; the user stands in for one that had none.
    const conversation = conversationKey(ctx) ?? `user:${userId}`;
    for await (const event of deps.conversations.stream(conversation, question)) {
      // The model's text as it is written is unverified: only the quote found is previewed.
      if (event.type === "evidence") drafts?.show(event.quote);
      if (event.type !== "final") continue;
      await drafts?.settle();
      const { answer } = event;
      deps.metrics?.answered(answer, (performance.now() - started) / 1000);
      const message = formatAnswerMessage(answer, {
        showQuestion: via.notTyped === true,
        wayForward: BOT_MESSAGES.wayForward,
      });
      const parts = splitMessage(message);
      for (const [i, part] of parts.entries()) {
        const last = i === parts.length - 1;
        await sendFormatted(ctx, part, {
          replyTo: i === 0 ? replyTo : undefined,
          keyboard: last && answer.refused ? exampleKeyboard() : undefined,
          logger: deps.logger,
        });
      }
    }
  });
}

/** How one part of an answer is sent. */
interface PartOptions {
  readonly replyTo: number | undefined;
  readonly keyboard: InlineKeyboard | undefined;
  readonly logger: Logger;
}

/** Sends one part with its entities, falling back to plain text when Telegram cannot parse them. */
async function sendFormatted(ctx: Context, part: FormattedText, options: PartOptions) {
  const extra = {
    ...(options.replyTo === undefined
      ? {}
      : { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }),
    ...(options.keyboard === undefined ? {} : { reply_markup: options.keyboard }),
  };
  try {
    await ctx.reply(part.text, { entities: [...part.entities], ...extra });
  } catch (error) {
    if (!(error instanceof GrammyError && error.error_code === 400 && /entit/i.test(error.description)))
      throw error;
    options.logger.warn({ description: error.description }, "formatting rejected; sending plain text");
    await ctx.reply(toPlainText(part), extra);
  }
}

/**
 * Shows a draft while a model writes the answer (private chats, Bot API sendMessageDraft): the sentence
 * the answer will most likely rest on, quoted, never the model's unverified text. Drafts are previews,
 * so a failure is logged and the final message still follows.
 */
class DraftSender {
  private pending: Promise<unknown> = Promise.resolve();
  private readonly draftId = Math.floor(Math.random() * 2 ** 31) + 1;

  constructor(
    private readonly ctx: Context,
    private readonly logger: Logger,
  ) {}

  show(quote: string): void {
    if (this.ctx.chat === undefined) return;
    const text = quote.trim() === "" ? DRAFT_WAITING : `${DRAFT_WAITING}\n«${quote.trim().slice(0, 3900)}»`;
    this.pending = this.ctx.api
      .sendMessageDraft(this.ctx.chat.id, this.draftId, text, undefined, draftDeadline())
      .catch((error: unknown) => {
        this.logger.debug({ err: error instanceof Error ? error.message : String(error) }, "draft not shown");
      });
  }

  /** Waits (briefly) for a draft in flight, so that none lands after the final message. */
  async settle(): Promise<void> {
    await this.pending;
  }
}

/**
 * A signal that aborts a draft request after {@link DRAFT_TIMEOUT_MS}. grammY types its signals with the
 * abort-controller shim's AbortSignal, which Node's own satisfies at run time but not in the type checker.
 */
function draftDeadline(): Parameters<Context["api"]["sendMessageDraft"]>[4] {
  return AbortSignal.timeout(DRAFT_TIMEOUT_MS) as unknown as Parameters<
    Context["api"]["sendMessageDraft"]
  >[4];
}
