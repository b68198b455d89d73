import { Composer, type Context } from "grammy";
import { sourceOf } from "../reply/index.js";
import { conversationKey } from "./conversation-key.js";
import { answerInChat, type BotDependencies } from "./deliver-answer.js";
import { EXAMPLE_CALLBACK, exampleKeyboard } from "./example-keyboard.js";
import { BOT_MESSAGES, EXAMPLE_QUESTIONS } from "./messages.js";
import { decodeStartQuestion } from "./start-payload.js";

/** Commands, with their descriptions in Arabic (for `language_code: "ar"`) and English (the default). */
export const COMMANDS = [
  { command: "start", ar: "تعريف بالبوت وأمثلة", en: "What this bot does, with examples" },
  { command: "help", ar: "كيف تسأل", en: "How to ask" },
  { command: "ask", ar: "اسأل عن الخبر (في المجموعات)", en: "Ask about the news (in groups)" },
  { command: "sources", ar: "المقالات المتاحة", en: "The articles I answer from" },
  { command: "reset", ar: "بدء محادثة جديدة", en: "Start a new conversation" },
] as const;

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
    await ctx.reply(BOT_MESSAGES.welcome(deps.articles().map((article) => article.title)), {
      reply_markup: exampleKeyboard(),
    });
  });

  composer.command("help", (ctx) => ctx.reply(BOT_MESSAGES.help(ctx.me.username)));

  composer.command("ask", async (ctx) => {
    const question = ctx.match.trim();
    if (question === "") await ctx.reply(BOT_MESSAGES.askWithoutQuestion);
    else await answerInChat(ctx, question, deps);
  });

  composer.command("sources", async (ctx) => {
    const lines = deps
      .articles()
      .map((article) => [`• ${article.title}`, sourceOf(article)].filter(Boolean).join(" — "));
    await ctx.reply([BOT_MESSAGES.sourcesTitle, ...lines].join("\n"));
  });

  composer.command("reset", async (ctx) => {
    const conversation = conversationKey(ctx);
    if (conversation !== undefined) deps.conversations.forget(conversation);
    await ctx.reply(BOT_MESSAGES.reset);
  });

  composer.callbackQuery(EXAMPLE_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery();
    const question = EXAMPLE_QUESTIONS[Number(ctx.match[1])];
    // A new message that shows the question: a reply to the welcome would answer a question nobody typed.
    if (question !== undefined) await answerInChat(ctx, question, deps, { notTyped: true });
  });

  return composer;
}
