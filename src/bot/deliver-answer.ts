import { GrammyError, type Context } from "grammy";
import type { Answerer, ArticleRecord, ConversationalAnswerer } from "../answer/index.js";
import type { Logger } from "../log/index.js";
import { conversationKey } from "./conversation-key.js";
import { formatAnswerMessage, splitMessage, toPlainText, type FormattedText } from "./format.js";
import type { QuestionLimits } from "./limits.js";
import { BOT_MESSAGES } from "./messages.js";

/** What the bot's handlers need: the answer pipeline and the limits, nothing of retrieval. */
export interface BotDependencies {
  /** Answers single questions (inline mode). */
  readonly answerer: Answerer;
  /** Answers questions within a conversation (chats and topics). */
  readonly conversations: ConversationalAnswerer;
  /** The articles answered from now (the index can be replaced while the bot runs). */
  readonly articles: () => readonly ArticleRecord[];
  readonly limits: QuestionLimits;
  readonly maxQuestionLength: number;
  readonly logger: Logger;
}

/** Least time between two drafts of a streamed answer: Telegram throttles frequent updates. */
const DRAFT_INTERVAL_MS = 1000;
/** A draft is a preview: it is abandoned rather than allowed to hold up the final answer. */
const DRAFT_TIMEOUT_MS = 3000;

/**
 * Answers a question in the chat it was asked in: checks its length and the user's limits, shows
 * "typing", streams drafts in private chats, then sends the verified answer with its quoted sources as a
 * reply to the question, split when long, and as plain text if Telegram rejects the formatting.
 */
export async function answerInChat(ctx: Context, question: string, deps: BotDependencies): Promise<void> {
  // Anonymous admins and channels share one user id across all groups: the sender chat tells them apart.
  const userId = ctx.senderChat?.id ?? ctx.from?.id ?? ctx.chat?.id ?? 0;
  const replyTo = ctx.msg?.message_id;
  const reply = (text: string) =>
    ctx.reply(
      text,
      replyTo === undefined
        ? {}
        : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } },
    );
  if (question.length > deps.maxQuestionLength) {
    await reply(BOT_MESSAGES.tooLong(deps.maxQuestionLength));
    return;
  }
  const verdict = deps.limits.admit(userId);
  if (verdict === "busy") {
    await reply(BOT_MESSAGES.busy);
    return;
  }
  if (verdict === "rate-limited") {
    if (deps.limits.shouldNotice(userId)) await reply(BOT_MESSAGES.rateLimited);
    return;
  }
  await deps.limits.run(userId, async () => {
    await ctx.replyWithChatAction("typing").catch(() => undefined);
    const drafts = ctx.chat?.type === "private" ? new DraftSender(ctx, deps.logger) : undefined;
    // A message always has a chat, hence a conversation; the user stands in for one that had none.
    const conversation = conversationKey(ctx) ?? `user:${userId}`;
    for await (const event of deps.conversations.stream(conversation, question)) {
      if (event.type === "delta") {
        drafts?.add(event.text);
        continue;
      }
      await drafts?.settle();
      const parts = splitMessage(formatAnswerMessage(event.answer));
      for (const [i, part] of parts.entries()) {
        await sendFormatted(ctx, part, i === 0 ? replyTo : undefined, deps.logger);
      }
    }
  });
}

/** Sends one part with its entities, falling back to plain text when Telegram cannot parse them. */
async function sendFormatted(ctx: Context, part: FormattedText, replyTo: number | undefined, logger: Logger) {
  const replyParameters =
    replyTo === undefined
      ? {}
      : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  try {
    await ctx.reply(part.text, { entities: [...part.entities], ...replyParameters });
  } catch (error) {
    if (!(error instanceof GrammyError && error.error_code === 400 && /entit/i.test(error.description)))
      throw error;
    logger.warn({ description: error.description }, "formatting rejected; sending plain text");
    await ctx.reply(toPlainText(part), replyParameters);
  }
}

/**
 * Shows a streamed answer as a draft (private chats, Bot API sendMessageDraft), at most once a second;
 * drafts are previews, so a failure is logged and the final message still follows.
 */
class DraftSender {
  private text = "";
  private sentAt = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private busy = false;
  private readonly draftId = Math.floor(Math.random() * 2 ** 31) + 1;

  constructor(
    private readonly ctx: Context,
    private readonly logger: Logger,
  ) {}

  add(delta: string): void {
    this.text += delta;
    const now = Date.now();
    // One draft at a time: a slow or throttled draft is skipped rather than queued behind.
    if (this.busy || now - this.sentAt < DRAFT_INTERVAL_MS || this.ctx.chat === undefined) return;
    this.sentAt = now;
    this.busy = true;
    const chatId = this.ctx.chat.id;
    const text = this.text.slice(-4000);
    this.pending = this.ctx.api
      .sendMessageDraft(chatId, this.draftId, text, undefined, draftDeadline())
      .catch((error: unknown) => {
        this.logger.debug({ err: error instanceof Error ? error.message : String(error) }, "draft not shown");
      })
      .finally(() => {
        this.busy = false;
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
