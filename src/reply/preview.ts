import { parseCitationMarkers, type Answer } from "../answer/index.js";

/** An inline result's description: Telegram shows about two lines of it. */
export const PREVIEW_LENGTH = 200;

/**
 * A one-line preview of an answer (an inline result's description): the asked fact first when there is
 * one, then the answer's text without its markers, cut at a word with «…» when longer than `limit`.
 *
 * @example answerPreview(answer) === "35 ألف — يلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية."
 */
export function answerPreview(answer: Answer, limit = PREVIEW_LENGTH): string {
  const text = withoutMarkers(answer.answer).replace(/\s+/gu, " ").trim();
  const full = answer.fact === undefined ? text : `${answer.fact} — ${text}`;
  if (full.length <= limit) return full;
  const room = full.slice(0, limit - 1);
  const lastSpace = room.search(/\s\S*$/u);
  return `${(lastSpace > 0 ? room.slice(0, lastSpace) : room).replace(/[\s،,؛:]+$/u, "")}…`;
}

function withoutMarkers(text: string): string {
  let result = "";
  let from = 0;
  for (const marker of parseCitationMarkers(text)) {
    result += text.slice(from, marker.start).replace(/\s+$/u, "");
    from = marker.end;
  }
  return result + text.slice(from);
}
