import { Composer, type Context } from "grammy";
import { sourceOf } from "../reply/index.js";
import { conversationKey } from "./conversation-key.js";
import { answerInChat, type BotDependencies } from "./deliver-answer.js";
import { EXAMPLE_CALLBACK, exampleKeyboard } from "./example-keyboard.js";
import { BOT_MESSAGES, EXAMPLE_QUESTIONS } from "./messages.js";
import { say } from "./say.js";
import { cosmeticDeadline } from "./telegram-requests.js";
import { decodeStartQuestion } from "./start-payload.js";

/** Commands, with their descriptions in Arabic (for `language_code: "ar"`) and English (the default). */
export const COMMANDS = [
  { command: "start", ar: "تعريف بالبوت وأمثلة", en: "What this bot does, with examples" },
  { command: "help", ar: "كيف تسأل", en: "How to ask" },
  { command: "ask", ar: "اسأل عن الخبر (في المجموعات)", en: "Ask about the news (in groups)" },
  { command: "sources", ar: "المقالات المتاحة", en: "The articles I answer from" },
  { command: "reset", ar: "بدء محادثة جديدة", en: "Start a new conversation" },
] as const;

/**
 * Ends a button's spinner, without waiting: a cosmetic call that must never hold up the answer (see
 * COSMETIC_METHODS); its failure is logged at debug level.
 */
function acknowledge(ctx: Context, deps: BotDependencies): void {
  ctx.answerCallbackQuery(undefined, cosmeticDeadline()).catch((error: unknown) => {
    deps.logger.debug({ err: String(error) }, "callback not acknowledged");
  });
}

/** /start, /help, /ask, /sources, /reset, and the example-question buttons. */
export function createCommandComposer(deps: BotDependencies): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("start", async (ctx) => {
    const asked = decodeStartQuestion(ctx.match);
    if (asked) {
      // Asked in another chat (an inline query that took too long): this chat has not seen it.
      await answerInChat(ctx, asked, deps, { notTyped: true });
      return;
    }
    await say(ctx, deps.limits, BOT_MESSAGES.welcome(deps.articles().map((article) => article.title)), {
      reply_markup: exampleKeyboard(),
    });
  });

  composer.command("help", (ctx) => say(ctx, deps.limits, BOT_MESSAGES.help(ctx.me.username)));

  composer.command("ask", async (ctx) => {
    const question = ctx.match.trim();
    if (question === "") await say(ctx, deps.limits, BOT_MESSAGES.askWithoutQuestion);
    else await answerInChat(ctx, question, deps);
  });

  composer.command("sources", async (ctx) => {
    const lines = deps
      .articles()
      .map((article) => [`• ${article.title}`, sourceOf(article)].filter(Boolean).join(" — "));
    await say(ctx, deps.limits, [BOT_MESSAGES.sourcesTitle, ...lines].join("\n"));
  });

  composer.command("reset", async (ctx) => {
    const conversation = conversationKey(ctx);
    if (conversation !== undefined) await deps.conversations.forget(conversation);
    await say(ctx, deps.limits, BOT_MESSAGES.reset);
  });

  composer.callbackQuery(EXAMPLE_CALLBACK, async (ctx) => {
    acknowledge(ctx, deps);
    const question = EXAMPLE_QUESTIONS[Number(ctx.match[1])];
    // A button under an inline message has no chat to answer in: acknowledging it is all there is to do.
    if (question === undefined || ctx.chat === undefined) return;
    // A new message that shows the question: a reply to the welcome would answer a question nobody typed.
    await answerInChat(ctx, question, deps, { notTyped: true });
  });

  // Any other button (an old keyboard, data from elsewhere): acknowledged, so that it stops spinning.
  composer.on("callback_query", (ctx) => {
    acknowledge(ctx, deps);
  });

  return composer;
}
