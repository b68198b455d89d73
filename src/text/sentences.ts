/** A sentence of a text block, with its exact original text and where it lies in the block. */
export interface SentenceSpan {
  /** The sentence as written, without surrounding whitespace. */
  readonly text: string;
  /** Offset of the first character in the block (UTF-16 units). */
  readonly start: number;
  /** Offset just past the last character in the block. */
  readonly end: number;
}

const SEGMENTER = new Intl.Segmenter("ar", { granularity: "sentence" });

/**
 * Abbreviations that end in a period without ending the sentence, beyond the general rules below.
 * Stored lower-case and without the final period.
 */
// prettier-ignore
const KNOWN_ABBREVIATIONS: ReadonlySet<string> = new Set([
  "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "inc", "ltd", "co", "gen", "col",
  "sen", "rep", "gov", "dept", "fig", "vol", "est", "approx",
  "هـ", "ص.ب", "ق.م", "ج.م.ع", "أ.د",
]);

/** The last word of a segment that ends with a period: "د." → "د", "U.S." → "U.S". */
const LAST_WORD_BEFORE_PERIOD = /(?:^|[\s(«"])([\p{L}\p{M}.\u0640]+)\.\s*$/u;
/** One letter ("د", "J"), or letters joined by periods ("أ.د", "U.S", "ص.ب"). */
const INITIALS = /^\p{L}[\p{M}\u0640]*(?:\.\p{L}[\p{M}\u0640]*)*$/u;
/** A segment that is only a list number: "1.", "2)", "٣." */
const BARE_LIST_NUMBER = /^\s*[\p{Nd}]{1,3}[.)]\s*$/u;
/** An ellipsis at the end of a segment that is not followed by a line break. */
const TRAILING_ELLIPSIS = /(?:\.{2,}|…)[ \t\u00A0]*$/;

/**
 * Splits a block of text into sentences with `Intl.Segmenter`, then merges back its known false splits:
 * - after a one-letter abbreviation or initials (د. أ.د. ق.م ص.ب J. U.S.);
 * - after a known abbreviation (Mr. Dr. etc. هـ.);
 * - after an ellipsis in the middle of a line ("كان هناك... شيء");
 * - after a bare list number ("1.").
 * A line break always ends a sentence. Numbers such as 22.6% and 1.5 are never split.
 *
 * @example splitSentences("قال د. أحمد: نعم. ثم عاد.").map(s => s.text) → ["قال د. أحمد: نعم.", "ثم عاد."]
 */
export function splitSentences(block: string): SentenceSpan[] {
  const segments: { start: number; end: number }[] = [];
  for (const { segment, index } of SEGMENTER.segment(block)) {
    const previous = segments.at(-1);
    if (previous && continuesPrevious(block.slice(previous.start, previous.end))) {
      previous.end = index + segment.length;
    } else {
      segments.push({ start: index, end: index + segment.length });
    }
  }
  return segments.flatMap(({ start, end }) => trimSpan(block, start, end));
}

/** Whether the sentence after `segment` is a false split that belongs to it. */
function continuesPrevious(segment: string): boolean {
  if (/\n\s*$/.test(segment)) return false;
  if (BARE_LIST_NUMBER.test(segment) || TRAILING_ELLIPSIS.test(segment)) return true;
  const lastWord = LAST_WORD_BEFORE_PERIOD.exec(segment)?.[1];
  if (lastWord === undefined) return false;
  return INITIALS.test(lastWord) || KNOWN_ABBREVIATIONS.has(lastWord.toLowerCase());
}

function trimSpan(block: string, start: number, end: number): SentenceSpan[] {
  const raw = block.slice(start, end);
  const text = raw.trim();
  if (text.length === 0) return [];
  const leading = raw.length - raw.trimStart().length;
  return [{ text, start: start + leading, end: start + leading + text.length }];
}
