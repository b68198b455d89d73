/**
 * Answers as Telegram messages: plain text plus entities (never `parse_mode`), so that the user's, the
 * articles' and the model's text is never read as markup (`<b>`, `&`, `*`, `_` stay as they are); and
 * the splitting of a message longer than Telegram allows. Pure functions, no I/O.
 *
 * Splitting: a part ends, by preference, at a paragraph break, a line break, a sentence end
 * (". ؟ ? ! ؛" before whitespace) or a space: the latest one of the best kind in the second half of the
 * room left, else the best one anywhere, else a hard cut that splits no surrogate pair (nor, where it
 * can, a letter from its marks). A part never ends inside a blockquote that would fit in one part; a
 * longer one is cut like text and continues in the next part. A break just before a blockquote counts
 * only as a space, to keep the quote with the line above it (its source, or its heading). Entities are clipped and
 * re-based to their parts. Whitespace at the cuts is trimmed, so no part is empty or blank: the parts,
 * with that whitespace between them, are the original text. A message within the limit is returned as
 * it is (one part); a blank one longer than the limit gives no parts.
 */
import type { MessageEntity } from "grammy/types";
import type { Answer } from "../answer/index.js";
import {
  layoutReply,
  REPLY_MESSAGES,
  sourceHeading,
  type LayoutOptions,
  type ReplyLayout,
  type Span,
} from "../reply/index.js";

/** Telegram's limit on the text of one message, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** A quote («[n] sentence») longer than this many UTF-16 code units is collapsed (`expandable_blockquote`). */
export const EXPANDABLE_QUOTE_FROM = 300;

/** A message's text with its Telegram entities, whose offsets and lengths count UTF-16 code units. */
export interface FormattedText {
  readonly text: string;
  readonly entities: readonly MessageEntity[];
}

/** U+200F RIGHT-TO-LEFT MARK: an invisible character of strong right-to-left direction. */
const RLM = "\u200F";
/** U+200E LEFT-TO-RIGHT MARK: an invisible character of strong left-to-right direction. */
const LRM = "\u200E";

/** Opens the question when a reply shows it. */
const QUESTION_MARK = "❓";

/**
 * A line whose first visible character is not a letter of a right-to-left script gets a right-to-left
 * mark in front. Telegram's apps lay out (and align) each line in the direction of its first character
 * with a direction of its own, and some look at the first character only: a line that opens with a Latin
 * word, a digit, "[" or "«" would be laid out left to right, aligned left, with its Arabic words,
 * brackets and numbers in the wrong order. The mark is an invisible character of strong right-to-left
 * direction; it is added only where needed, because it travels unseen into copied text.
 */
const STARTS_RIGHT_TO_LEFT =
  /^\s*(?=\p{L})[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;

/**
 * A line of Latin text (its first and last letters Latin) that ends in punctuation gets a left-to-right
 * mark at its end as well. Laid out right to left, a final "." or "?" after a Latin word takes the line's
 * direction and lands before the first word ("…in Arabic" with the period on the far left); after the
 * mark it stays with the word it ends. An Arabic line that ends with a Latin name («ما موقف BBC؟») needs
 * no such mark: there the final mark belongs to the Arabic sentence.
 */
const LATIN_LINE = /^[^\p{L}]*\p{Script=Latin}(?:.*\p{Script=Latin})?[^\p{L}]+$/u;

type Mark = "bold" | "blockquote" | "expandable_blockquote";

/** Whether a line of text must start with a right-to-left mark to be laid out right to left. */
export function needsRtlMark(line: string): boolean {
  return line.trim() !== "" && !STARTS_RIGHT_TO_LEFT.test(line);
}

/** The line laid out right to left: with the marks {@link needsRtlMark} and {@link LATIN_LINE} call for. */
function rightToLeft(line: string): string {
  if (!needsRtlMark(line)) return line;
  return `${RLM}${line}${LATIN_LINE.test(line) ? LRM : ""}`;
}

/** How an answer message is laid out, beyond what {@link LayoutOptions} say. */
export interface MessageOptions extends LayoutOptions {
  /** What a refusal goes on with: the way forward this interface offers. */
  readonly wayForward?: string;
}

/**
 * An answer as a message: the question when the chat does not show it, a notice, the answer with the
 * asked fact in bold, one line per cited article («المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 —
 * title») over the quotes the answer does not already show, the related sentences collapsed under their
 * heading, and a way forward after a refusal. Every line is laid out right to left.
 */
export function formatAnswerMessage(answer: Answer, options: MessageOptions = {}): FormattedText {
  return renderMessage(layoutReply(answer, options), options.wayForward ?? REPLY_MESSAGES.wayForward);
}

/** A layout as a Telegram message. */
export function renderMessage(layout: ReplyLayout, wayForward: string): FormattedText {
  const message = new MessageBuilder();
  if (layout.question !== undefined) {
    message.line([{ text: `${QUESTION_MARK} ` }, { text: layout.question, bold: true }]);
    message.gap();
  }
  if (layout.notice !== undefined) {
    message.line([{ text: layout.notice }]);
    message.gap();
  }
  layout.paragraphs.forEach((spans, i) => {
    if (i > 0) message.newline();
    message.line(spans);
  });
  for (const block of layout.sources) {
    message.gap();
    const heading = sourceHeading(block);
    const label = block.about === true ? REPLY_MESSAGES.title : REPLY_MESSAGES.source;
    message.line([{ text: label, bold: true }, { text: heading.slice(label.length) }]);
    for (const quote of block.quotes) {
      message.newline();
      const text = `[${quote.n}] ${quote.text}`;
      message.quote(text, text.length > EXPANDABLE_QUOTE_FROM ? "expandable_blockquote" : "blockquote");
    }
  }
  if (layout.related.length > 0) {
    message.gap();
    message.line([{ text: REPLY_MESSAGES.related, bold: true }]);
    message.newline();
    const lines = layout.related.flatMap(({ n, text, source }) => [
      `[${n}] ${text}`,
      ...(source === undefined ? [] : [`— ${source}`]),
    ]);
    // Collapsed: they support the answer, they are not it; a reader opens them at will.
    message.quote(lines.join("\n"), "expandable_blockquote");
  }
  if (layout.offersWayForward) {
    message.gap();
    message.line([{ text: wayForward }]);
  }
  return message.build();
}

/** Builds a message's text and entities together, each line laid out right to left. */
class MessageBuilder {
  private text = "";
  private readonly entities: MessageEntity[] = [];

  /** A line of spans (no line breaks inside), with a right-to-left mark in front when it needs one. */
  line(spans: readonly Span[]): void {
    const whole = spans.map(({ text }) => text).join("");
    if (needsRtlMark(whole)) this.text += RLM;
    for (const span of spans) this.append(span.text, span.bold ? "bold" : undefined);
    if (needsRtlMark(whole) && LATIN_LINE.test(whole)) this.text += LRM;
  }

  /** A quote: each of its lines right to left, the whole in one blockquote entity. */
  quote(text: string, mark: Mark): void {
    this.append(text.split("\n").map(rightToLeft).join("\n"), mark);
  }

  newline(): void {
    this.text += "\n";
  }

  /** An empty line between blocks. */
  gap(): void {
    if (this.text !== "") this.text += "\n\n";
  }

  build(): FormattedText {
    return { text: this.text, entities: this.entities };
  }

  private append(part: string, mark?: Mark): void {
    if (mark !== undefined && part.length > 0) {
      this.entities.push({ type: mark, offset: this.text.length, length: part.length });
    }
    this.text += part;
  }
}

/** The message without its entities: what to send when Telegram rejects the formatting. */
export function toPlainText(message: FormattedText): string {
  return message.text;
}

/** Where a part may end, best first. */
const Boundary = { Paragraph: 0, Line: 1, Sentence: 2, Space: 3 } as const;
type Boundary = (typeof Boundary)[keyof typeof Boundary];

const BOUNDARY_COUNT = 4;

/** Characters that end a sentence when whitespace follows them. */
const SENTENCE_ENDS = new Set([".", "؟", "?", "!", "؛"]);

/** Whitespace a line may break at: all of it but the no-break spaces. */
const BREAKING_SPACE = /[^\S\u00A0\u2007\u202F]/;

/** Whitespace trimmed where a message is cut. */
const TRIMMED_SPACE = /\s/;

/** Characters that belong to the character before them: combining marks (Arabic vowel signs), ZWJ. */
const JOINS_PREVIOUS = /[\p{M}\u200D]/u;

const isQuote = (entity: MessageEntity): boolean =>
  entity.type === "blockquote" || entity.type === "expandable_blockquote";

/** The message in parts of at most `limit` UTF-16 units, cut where the top of this file says. */
export function splitMessage(message: FormattedText, limit = TELEGRAM_TEXT_LIMIT): FormattedText[] {
  if (!Number.isInteger(limit) || limit < 2) {
    throw new RangeError(`The limit must be an integer of at least 2, not ${limit}`);
  }
  const { text } = message;
  if (text.length <= limit) return [message];

  const quotes = message.entities.filter(isQuote);
  const whole = quotes.filter((quote) => quote.length <= limit);
  const parts: FormattedText[] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    const cut = text.length - start <= limit ? text.length : chooseCut(text, start, limit, whole, quotes);
    parts.push(slicePart(message, start, trimEnd(text, start, cut)));
    start = skipSpace(text, cut);
  }
  return parts;
}

/** Where the part that starts at `start` ends (exclusive): the best boundary, else a hard cut. */
function chooseCut(
  text: string,
  start: number,
  limit: number,
  whole: readonly MessageEntity[],
  quotes: readonly MessageEntity[],
): number {
  const last = start + limit;
  const best: (number | undefined)[] = new Array<number | undefined>(BOUNDARY_COUNT).fill(undefined);
  for (let cut = last; cut > start; cut--) {
    const boundary = boundaryAt(text, cut, quotes);
    if (boundary === undefined || best[boundary] !== undefined || insideAny(whole, cut)) continue;
    best[boundary] = cut;
  }
  const half = start + Math.floor(limit / 2);
  const found = best.find((cut) => cut !== undefined && cut >= half) ?? best.find((cut) => cut !== undefined);
  return found ?? hardCut(text, start, last, whole);
}

/** What kind of boundary ending a part at `cut` would be, if any. */
function boundaryAt(text: string, cut: number, quotes: readonly MessageEntity[]): Boundary | undefined {
  const next = text[cut];
  if (next === undefined || !BREAKING_SPACE.test(next)) return undefined;
  const nextStart = skipSpace(text, cut);
  if (quotes.some((quote) => quote.offset === nextStart)) return Boundary.Space;
  if (next === "\n") return text[cut + 1] === "\n" ? Boundary.Paragraph : Boundary.Line;
  return SENTENCE_ENDS.has(text[cut - 1] ?? "") ? Boundary.Sentence : Boundary.Space;
}

/** A cut at `last` or just before it: never inside a surrogate pair or a blockquote that fits a part. */
function hardCut(text: string, start: number, last: number, whole: readonly MessageEntity[]): number {
  let cut = last;
  while (cut > start + 1 && splitsCharacter(text, cut)) cut--;
  if (splitsCharacter(text, cut)) cut = splitsSurrogatePair(text, last) ? last - 1 : last;
  for (;;) {
    const quote = whole.find((entity) => entity.offset > start && inside(entity, cut));
    if (quote === undefined) return cut;
    cut = quote.offset;
  }
}

const splitsSurrogatePair = (text: string, cut: number): boolean =>
  isHighSurrogate(text.charCodeAt(cut - 1)) && isLowSurrogate(text.charCodeAt(cut));

const splitsCharacter = (text: string, cut: number): boolean =>
  splitsSurrogatePair(text, cut) || JOINS_PREVIOUS.test(text[cut] ?? "") || text[cut - 1] === "\u200D";

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

const inside = (entity: MessageEntity, cut: number): boolean =>
  entity.offset < cut && cut < entity.offset + entity.length;

const insideAny = (entities: readonly MessageEntity[], cut: number): boolean =>
  entities.some((entity) => inside(entity, cut));

/** The first index from `from` on that is not whitespace. */
function skipSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && TRIMMED_SPACE.test(text[index] ?? "")) index++;
  return index;
}

/** `end` moved back over the whitespace before it, but not before `start`. */
function trimEnd(text: string, start: number, end: number): number {
  let index = end;
  while (index > start && TRIMMED_SPACE.test(text[index - 1] ?? "")) index--;
  return index;
}

/** The text from `from` to `to`, with the entities that overlap it clipped to it and re-based. */
function slicePart(message: FormattedText, from: number, to: number): FormattedText {
  const entities: MessageEntity[] = [];
  for (const entity of message.entities) {
    const begin = Math.max(entity.offset, from);
    const end = Math.min(entity.offset + entity.length, to);
    if (end > begin) entities.push({ ...entity, offset: begin - from, length: end - begin });
  }
  return { text: message.text.slice(from, to), entities };
}
