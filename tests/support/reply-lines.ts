/**
 * Checks of a reply as a reader sees it, line by line: its direction, what it repeats, what it sets in
 * bold. Written apart from the code under test (no import from src/), so that a test built on them
 * states the rules again rather than trusting the formatter's own.
 */
import type { MessageEntity } from "grammy/types";

/** U+200F RIGHT-TO-LEFT MARK. */
export const RLM = "\u200F";
/** U+200E LEFT-TO-RIGHT MARK. */
export const LRM = "\u200E";

/**
 * A letter of a script written right to left. Letters only: an Arabic-Indic digit belongs to the Arabic
 * script but has no direction of its own, so a line that opens with one is not laid out right to left.
 */
const RIGHT_TO_LEFT_LETTER =
  /^(?=\p{L})[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]$/u;

/** The lines of a message's text. */
export function replyLines(text: string): string[] {
  return text.split("\n");
}

/**
 * Whether a line is laid out right to left by an app that looks at its first character: its first
 * character that is not a space is U+200F or a letter of a right-to-left script. A blank line has no
 * direction and passes.
 */
export function opensRightToLeft(line: string): boolean {
  const first = /^\s*(.)/su.exec(line)?.[1];
  return first === undefined || first === RLM || RIGHT_TO_LEFT_LETTER.test(first);
}

/**
 * The longest run of at least `min` letters (counted with \p{L}, everything else skipped: spaces,
 * digits, punctuation, marks) that occurs twice in `text` without overlapping itself; undefined when
 * there is none. A sentence shown as the answer and quoted again, or a title named twice, is such a run.
 */
export function repeatedLetterRun(text: string, min = 40): string | undefined {
  const letters = text.match(/\p{L}/gu) ?? [];
  const first = new Map<string, number>();
  let found: string | undefined;
  for (let i = 0; i + min <= letters.length; i++) {
    const window = letters.slice(i, i + min).join("");
    const earlier = first.get(window);
    if (earlier === undefined) {
      first.set(window, i);
      continue;
    }
    if (i - earlier < min) continue;
    // Extend the repeat as far as both copies agree (and do not overlap).
    let length = min;
    while (
      i + length < letters.length &&
      earlier + length < i &&
      letters[earlier + length] === letters[i + length]
    ) {
      length++;
    }
    const run = letters.slice(i, i + length).join("");
    if (found === undefined || run.length > found.length) found = run;
  }
  return found;
}

/** How many times `needle` occurs in `text` (non-overlapping). */
export function occurrences(text: string, needle: string): number {
  if (needle === "") throw new RangeError("an empty needle occurs everywhere");
  return text.split(needle).length - 1;
}

function isEntity(value: unknown): value is MessageEntity {
  if (typeof value !== "object" || value === null) return false;
  const { type, offset, length } = value as Record<string, unknown>;
  return typeof type === "string" && typeof offset === "number" && typeof length === "number";
}

/** The entities of a sent message (as the stand-in stores them, or as a payload carries them). */
export function entitiesOf(entities: unknown): MessageEntity[] {
  return Array.isArray(entities) ? entities.filter(isEntity) : [];
}

/** The text each entity of `type` covers (offsets and lengths in UTF-16 units, as Telegram counts). */
export function entityTexts(text: string, entities: unknown, type: MessageEntity["type"]): string[] {
  return entitiesOf(entities)
    .filter((entity) => entity.type === type)
    .map(({ offset, length }) => text.slice(offset, offset + length));
}

/** The words of a text, without the punctuation around them and without direction marks. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/[\u200E\u200F]/gu, "")
    .split(/\s+/u)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((word) => word !== "");
}

/**
 * Whether a preview cut short («… كلمة…») ends on a whole word of the full text: the word before «…» is
 * one of the text's words, not the front of one. A preview that is not cut (no final «…») passes when it
 * is made of the text's words.
 */
export function endsOnWholeWord(preview: string, fullText: string): boolean {
  const words = new Set(wordsOf(fullText));
  const last = wordsOf(preview.replace(/…$/u, "")).at(-1);
  return last !== undefined && words.has(last);
}
