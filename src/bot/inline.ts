import { Composer, type Context } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import type { Answer } from "../answer/index.js";
import type { BotDependencies } from "./deliver-answer.js";
import { answerPreview } from "../reply/index.js";
import { countCharacters } from "../text/index.js";
import { formatAnswerMessage, splitMessage } from "./format.js";
import { BOT_MESSAGES } from "./messages.js";
import { encodeStartQuestion } from "./start-payload.js";

/**
 * How long an inline answer may take: Telegram drops an inline query that is not answered within about
 * ten seconds, and people expect results while they type.
 */
export const INLINE_ANSWER_BUDGET_MS = 4000;
/** Inline results are cached by Telegram for this long (seconds); answers change only with the corpus. */
const INLINE_CACHE_SECONDS = 300;

/**
 * Inline mode: "@bot question" in any chat offers the answer with its citations as a result to send;
 * when the answer takes longer than the budget, a button opens a private chat with the question.
 */
export function createInlineComposer(deps: BotDependencies): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("inline_query", async (ctx) => {
    const question = ctx.inlineQuery.query.trim();
    if (question === "" || countCharacters(question) > deps.maxQuestionLength) {
      await ctx.answerInlineQuery([], { cache_time: 0 });
      return;
    }
    // Inline queries count against the same limits as questions in chats: each keystroke can be one.
    const userId = ctx.inlineQuery.from.id;
    if ((await deps.limits.admit(userId, ctx.update.update_id)) !== "ok") {
      await ctx.answerInlineQuery([], { cache_time: 0 });
      return;
    }
    const started = performance.now();
    const answer = await withinBudget(
      deps.limits.run(userId, () => deps.answerer.answer(question)),
      INLINE_ANSWER_BUDGET_MS,
    );
    if (answer) deps.metrics?.answered(answer, (performance.now() - started) / 1000);
    if (!answer) {
      const start = encodeStartQuestion(question);
      await ctx.answerInlineQuery([], {
        cache_time: 0,
        button: { text: BOT_MESSAGES.inlineOpen, start_parameter: start ?? "ask" },
      });
      return;
    }
    // Shared into a chat, the answer must carry its question: nobody there saw it asked.
    const first = splitMessage(formatAnswerMessage(answer, { showQuestion: true }))[0];
    if (!first) return;
    const result: InlineQueryResultArticle = {
      type: "article",
      id: "answer",
      title: question,
      description: answerPreview(answer),
      input_message_content: { message_text: first.text, entities: [...first.entities] },
    };
    await ctx.answerInlineQuery([result], { cache_time: INLINE_CACHE_SECONDS });
  });
  return composer;
}

/** The answer if it comes within the budget, else undefined (it is then abandoned). */
async function withinBudget(answer: Promise<Answer>, budgetMs: number): Promise<Answer | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, budgetMs);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
    // An abandoned answer may still fail later: that must not become an unhandled rejection.
    answer.catch(() => undefined);
  }
}
