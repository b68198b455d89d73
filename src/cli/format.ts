import type { Answer } from "../answer/index.js";

/**
 * An answer as plain text for a terminal: the answer, then each cited sentence numbered and quoted,
 * with the article's title and date.
 */
export function formatAnswerText(answer: Answer): string {
  const lines = answer.notice === undefined ? [answer.answer] : [`(${answer.notice})`, answer.answer];
  if (answer.citations.length > 0) lines.push("", "المصادر:");
  for (const citation of answer.citations) {
    const { article } = citation;
    const dated = article.published ? `، ${article.published}` : "";
    lines.push(`[${citation.n}] «${citation.text}»`, `    — ${article.title}${dated}`);
  }
  return lines.join("\n");
}
