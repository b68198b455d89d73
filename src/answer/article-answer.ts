import type { ArticleRecord } from "../retrieval/index.js";
import { writtenDate } from "../text/index.js";
import { MESSAGES } from "./messages.js";
import { questionCues } from "./question-cues.js";
import type { Answer } from "./types.js";

/**
 * The answer to a question about the article itself — its source, date or title — written from the
 * article's fields in one sentence («مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.»)
 * rather than by quoting a metadata line. Undefined when the question asks something else, or the
 * article lacks the field (the metadata lines, if any, then answer it).
 */
export function answerAboutArticle(question: string, article: ArticleRecord | undefined): Answer | undefined {
  if (article === undefined) return undefined;
  const topic = questionCues(question).aboutArticle;
  const published = article.published === undefined ? undefined : writtenDate(article.published);
  const { source, title } = article;
  let text: string | undefined;
  if (topic === "source" && source !== undefined) text = MESSAGES.aboutSource(source, published);
  else if (topic === "date" && published !== undefined) text = MESSAGES.aboutDate(published, source);
  else if (topic === "title") text = MESSAGES.aboutTitle(title, source, published);
  if (text === undefined) return undefined;
  return {
    question,
    mode: "extractive",
    refused: false,
    confidence: "high",
    answer: text,
    citations: [],
    about: article,
  };
}
