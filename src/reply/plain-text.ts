import type { Answer } from "../answer/index.js";
import { layoutReply, type LayoutOptions, type ReplyLayout, type SourceBlock } from "./layout.js";
import { REPLY_MESSAGES } from "./messages.js";

/**
 * A reply as plain text, for a terminal (the console chat, `ask`): the layout of {@link layoutReply} with
 * quotes in «», one source line per article, and a way forward after a refusal. No direction marks: a
 * terminal lays text out by its own rules, and marks would travel unseen into what is copied.
 */
export function formatReplyText(answer: Answer, options: LayoutOptions = {}): string {
  return renderPlainText(layoutReply(answer, options));
}

/** A layout as plain text. */
export function renderPlainText(layout: ReplyLayout): string {
  const blocks: string[][] = [];
  if (layout.question !== undefined) blocks.push([`${REPLY_MESSAGES.question} ${layout.question}`]);
  if (layout.notice !== undefined) blocks.push([layout.notice]);
  blocks.push(layout.paragraphs.map((spans) => spans.map(({ text }) => text).join("")));
  for (const source of layout.sources) blocks.push(sourceLines(source));
  if (layout.related.length > 0) {
    blocks.push([
      REPLY_MESSAGES.related,
      ...layout.related.flatMap(({ n, text, source }) => [
        `[${n}] «${text}»`,
        ...(source === undefined ? [] : [`    — ${source}`]),
      ]),
    ]);
  }
  if (layout.offersWayForward) blocks.push([REPLY_MESSAGES.wayForward]);
  return blocks
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n");
}

function sourceLines(block: SourceBlock): string[] {
  return [sourceHeading(block), ...block.quotes.map(({ n, text }) => `[${n}] «${text}»`)];
}

/** «المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — title», or the title alone for an answer about it. */
export function sourceHeading(block: SourceBlock): string {
  if (block.about === true) return `${REPLY_MESSAGES.title} ${block.title}`;
  return [`${REPLY_MESSAGES.source} ${block.source}`, block.title].filter((part) => part !== "").join(" — ");
}
