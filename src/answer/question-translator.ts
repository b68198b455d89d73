import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatPromptTemplate } from "@langchain/core/prompts";
import type { Logger } from "../log/index.js";
import { isArabicText } from "./language.js";
import type { QuestionTranslator } from "./triage.js";

/** Quotes a model may put around its one line, which are not part of the question. */
const WRAPPING_QUOTES = /^["'«“](.*)["'»”]$/u;

/**
 * The model's reply as a translated question, or undefined when it is not one: empty, longer than one
 * line (an explanation, or an answer), or not in Arabic (the model repeated the question).
 */
export function usableTranslation(reply: string): string | undefined {
  const line = reply.trim().replace(WRAPPING_QUOTES, "$1").trim();
  if (line === "" || line.includes("\n") || !/\p{Script=Arabic}/u.test(line) || !isArabicText(line)) {
    return undefined;
  }
  return line;
}

/**
 * Translates a question with the model (the translate-question prompt), within `deadlineMs`; on any
 * failure, or a reply {@link usableTranslation} rejects, gives undefined, and the question gets the
 * reply that questions are answered in Arabic.
 */
export function modelTranslator(
  model: BaseChatModel,
  prompt: ChatPromptTemplate,
  deadlineMs: number,
  logger: Logger,
): QuestionTranslator {
  return async (question) => {
    try {
      const messages = await prompt.formatMessages({ question });
      const reply = await model.invoke(messages, { signal: AbortSignal.timeout(deadlineMs) });
      const text = typeof reply.content === "string" ? reply.content : "";
      const translation = usableTranslation(text);
      if (translation !== undefined) return translation;
      logger.info({ reply: text.slice(0, 200) }, "unusable translation of a question");
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "question translation failed",
      );
    }
    return undefined;
  };
}
