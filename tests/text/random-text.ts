/**
 * Seeded random text for the property tests of the Arabic analysis: the same strings on every run, so a
 * failure can always be reproduced.
 */
import { mulberry32 } from "../support/prng.js";

export { mulberry32 };

function codePoints(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
}

/** Hamza … ghain, feh … yeh, and alef wasla, Persian yeh and keheh. */
export const ARABIC_LETTERS: readonly string[] = [
  ...codePoints(0x0621, 0x063a),
  ...codePoints(0x0641, 0x064a),
  "\u0671",
  "\u06cc",
  "\u06a9",
];
const HARAKAT = [...codePoints(0x064b, 0x0652), "\u0670"];
const DIGITS = [...codePoints(0x30, 0x39), ...codePoints(0x0660, 0x0669), ...codePoints(0x06f0, 0x06f9)];
const PUNCTUATION = [
  ".",
  "،",
  "؟",
  "!",
  "؛",
  ":",
  ",",
  "٫",
  "٬",
  "٪",
  "%",
  "-",
  "/",
  "(",
  ")",
  "«",
  "»",
  '"',
  "…",
  "...",
];
const LATIN = [...codePoints(0x41, 0x5a), ...codePoints(0x61, 0x7a)];
const WHITESPACE = [" ", " ", " ", "\n", "\t", "\u00a0", "\r\n"];
/** Bidi marks, embeddings and isolates, ZWSP/ZWNJ/ZWJ, WORD JOINER, BOM, and tatweel. */
const FORMAT = [
  ...codePoints(0x200b, 0x200f),
  "\u061c",
  ...codePoints(0x202a, 0x202e),
  "\u2060",
  ...codePoints(0x2066, 0x2069),
  "\ufeff",
  "\u0640",
];
/** Presentation forms that NFKC folds: ﻻ ﻷ ﷲ and contextual letter forms. */
const PRESENTATION_FORMS = ["\ufefb", "\ufef7", "\ufdf2", "\ufe8d", "\ufe91", "\ufee3"];
/** Pieces that exercise the sentence splitter's merge rules. */
const SENTENCE_PIECES = [
  "د. ",
  "أ.د. ",
  "ق.م",
  "ص.ب. ",
  "Mr. ",
  "U.S. ",
  "1. ",
  "22.6%",
  "1.5",
  "... ",
  "هـ. ",
];

const POOLS: readonly (readonly string[])[] = [
  ARABIC_LETTERS,
  ARABIC_LETTERS,
  ARABIC_LETTERS,
  HARAKAT,
  DIGITS,
  PUNCTUATION,
  LATIN,
  WHITESPACE,
  WHITESPACE,
  FORMAT,
  PRESENTATION_FORMS,
  SENTENCE_PIECES,
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** `count` random strings of up to `maxPieces` pieces each, every piece from a random pool. */
export function randomTexts(seed: number, count = 500, maxPieces = 40): string[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const pieces = Math.floor(random() * (maxPieces + 1));
    let text = "";
    for (let i = 0; i < pieces; i++) text += pick(random, pick(random, POOLS));
    return text;
  });
}

const PREFIXES = ["", "", "ال", "وال", "بال", "كال", "فال", "لل", "و"];
const SUFFIXES = ["", "", "ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/** `count` random Arabic words, often wrapped in a light10 prefix and suffix, of at least one letter. */
export function randomArabicWords(seed: number, count = 500): string[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const letters = 1 + Math.floor(random() * 6);
    let core = "";
    for (let i = 0; i < letters; i++) core += pick(random, ARABIC_LETTERS);
    return pick(random, PREFIXES) + core + pick(random, SUFFIXES);
  });
}
