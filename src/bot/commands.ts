import { Composer, InlineKeyboard, type Context } from "grammy";
import { conversationKey } from "./conversation-key.js";
import { answerInChat, type BotDependencies } from "./deliver-answer.js";
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

/** Callback data of an example-question button: `ask:<index in EXAMPLE_QUESTIONS>`. */
const EXAMPLE_CALLBACK = /^ask:(\d+)$/;

/** /start, /help, /ask, /sources, /reset, and the example-question buttons. */
export function createCommandComposer(deps: BotDependencies): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("start", async (ctx) => {
    const asked = decodeStartQuestion(ctx.match);
    if (asked) {
      await answerInChat(ctx, asked, deps);
      return;
    }
    const keyboard = new InlineKeyboard();
    EXAMPLE_QUESTIONS.forEach((question, i) => keyboard.text(question, `ask:${i}`).row());
    await ctx.reply(BOT_MESSAGES.welcome(deps.articles().map((article) => article.title)), {
      reply_markup: keyboard,
    });
  });

  composer.command("help", (ctx) => ctx.reply(BOT_MESSAGES.help));

  composer.command("ask", async (ctx) => {
    const question = ctx.match.trim();
    if (question === "") await ctx.reply(BOT_MESSAGES.askWithoutQuestion);
    else await answerInChat(ctx, question, deps);
  });

  composer.command("sources", async (ctx) => {
    const lines = deps
      .articles()
      .map((article) =>
        [`• ${article.title}`, article.source, article.published].filter(Boolean).join(" — "),
      );
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
    if (question !== undefined) await answerInChat(ctx, question, deps);
  });

  return composer;
}
