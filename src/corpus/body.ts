import type { ArticleBlock, ArticleBlockKind } from "./types.js";

/** A byte-order mark some editors put at the start of UTF-8 files. */
export const BYTE_ORDER_MARK = "\uFEFF";

/** ATX heading: up to 3 spaces, 1–6 `#`, then a space and the text (or nothing: an empty heading). */
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*))?$/;
/** Optional closing `#`s of an ATX heading; CommonMark needs a space before them (so `C#` keeps its `#`). */
const ATX_CLOSING_HASHES = /(?:^|[ \t]+)#+$/;
/** Thematic break: 3+ of the same `-`, `*` or `_`, spaces allowed between them. */
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/** Plain-text credit line: photo credit or source, e.g. "الصورة: ..." or "المصدر: تاس". */
const CREDIT_LINE = /^(?:مصدر الصورة|الصورة|المصادر|المصدر|تصوير|Source|Photo)\s*:/iu;
/** A plain-text heading has at most this many words; the paragraph under it has more. */
const MAX_HEADING_WORDS = 8;
/** Punctuation that ends a sentence (or introduces a quote/list), so the line is prose, not a heading. */
const SENTENCE_END = /[.!?؟:؛"]$/u;
/** Dashes and other punctuation standing alone between spaces are not words. */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Splits text into lines without BOM, `\r` or trailing whitespace, which carry no meaning in articles. */
export function splitLines(text: string): string[] {
  const withoutBom = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  return withoutBom.split("\n").map((line) => line.trimEnd());
}

/** Turns a Markdown article body into blocks; lines after the last thematic break are trailer blocks. */
export function parseMarkdownBody(body: string): ArticleBlock[] {
  const lines = splitLines(body);
  const lastBreak = lines.findLastIndex(isThematicBreak);
  if (lastBreak === -1) return markdownBlocks(lines);
  const trailer = lines.slice(lastBreak + 1).filter(isNonBlank);
  return [...markdownBlocks(lines.slice(0, lastBreak)), ...trailer.map((line) => block("trailer", line))];
}

/** Turns a plain-text article into blocks: one per non-empty line, with heading and credit heuristics. */
export function parsePlainTextBody(text: string): ArticleBlock[] {
  const lines = splitLines(text).filter(isNonBlank);
  const trailerStart = creditRunStart(lines);
  const body = lines.slice(0, trailerStart);
  const bodyBlocks = body.map((line, index) =>
    block(isPlainTextHeading(body, index) ? "heading" : "paragraph", line),
  );
  return [...bodyBlocks, ...lines.slice(trailerStart).map((line) => block("trailer", line))];
}

/** Groups lines into heading and paragraph blocks; blank lines and (earlier) breaks end a paragraph. */
function markdownBlocks(lines: readonly string[]): ArticleBlock[] {
  const blocks: ArticleBlock[] = [];
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0) blocks.push(block("paragraph", paragraph.join("\n")));
    paragraph = [];
  };
  for (const line of lines) {
    const heading = atxHeadingText(line);
    if (heading !== undefined) {
      // A heading interrupts a paragraph even without a blank line before it, as in CommonMark.
      endParagraph();
      if (heading !== "") blocks.push(block("heading", heading));
    } else if (!isNonBlank(line) || isThematicBreak(line)) {
      endParagraph();
    } else {
      paragraph.push(line);
    }
  }
  endParagraph();
  return blocks;
}

/** The text of an ATX heading line without its markers, or undefined when the line is not a heading. */
function atxHeadingText(line: string): string | undefined {
  const match = ATX_HEADING.exec(line);
  if (match === null) return undefined;
  return (match[1] ?? "").replace(ATX_CLOSING_HASHES, "").trim();
}

function isThematicBreak(line: string): boolean {
  return THEMATIC_BREAK.test(line);
}

function isNonBlank(line: string): boolean {
  return line.trim() !== "";
}

/** Index of the first line of the run of credit lines that ends the file (lines.length when none). */
function creditRunStart(lines: readonly string[]): number {
  let start = lines.length;
  while (start > 0 && CREDIT_LINE.test((lines[start - 1] ?? "").trimStart())) start -= 1;
  return start;
}

/** A short line without final punctuation, followed by a long paragraph, reads as a section heading. */
function isPlainTextHeading(lines: readonly string[], index: number): boolean {
  const line = lines[index];
  const next = lines[index + 1];
  if (line === undefined || next === undefined) return false;
  return (
    wordCount(line) <= MAX_HEADING_WORDS && !SENTENCE_END.test(line) && wordCount(next) > MAX_HEADING_WORDS
  );
}

function wordCount(line: string): number {
  return line.split(/\s+/u).filter((token) => WORD_CHARACTER.test(token)).length;
}

function block(kind: ArticleBlockKind, text: string): ArticleBlock {
  return { kind, text };
}
