import {
  ALEF,
  ALEF_HAMZA_ABOVE,
  ALEF_HAMZA_BELOW,
  ALEF_MADDA,
  ALEF_MAKSURA,
  ALEF_WASLA,
  ARABIC_DECIMAL_SEPARATOR,
  ARABIC_INDIC_DIGIT_ZERO,
  ARABIC_PERCENT_SIGN,
  ARABIC_THOUSANDS_SEPARATOR,
  EXTENDED_ARABIC_INDIC_DIGIT_ZERO,
  FARSI_YEH,
  FORMAT_CHARS_RANGES,
  HARAKAT_RANGE,
  HEH,
  KAF,
  KEHEH,
  QURANIC_MARKS_RANGES,
  SUPERSCRIPT_ALEF,
  TATWEEL,
  TEH_MARBUTA,
  YEH,
} from "./chars.js";

const DROPPED = new RegExp(
  `[${HARAKAT_RANGE}${QURANIC_MARKS_RANGES}${SUPERSCRIPT_ALEF}${TATWEEL}${FORMAT_CHARS_RANGES}]`,
  "gu",
);

/** One-to-one letter and sign mappings, applied after the marks are gone. */
const CHARACTER_MAP: ReadonlyMap<string, string> = new Map([
  [ALEF_MADDA, ALEF],
  [ALEF_HAMZA_ABOVE, ALEF],
  [ALEF_HAMZA_BELOW, ALEF],
  [ALEF_WASLA, ALEF],
  [ALEF_MAKSURA, YEH],
  [FARSI_YEH, YEH],
  [KEHEH, KAF],
  [TEH_MARBUTA, HEH],
  [ARABIC_DECIMAL_SEPARATOR, "."],
  [ARABIC_PERCENT_SIGN, "%"],
  // Dropped rather than mapped to ",": a thousands separator carries no meaning for matching.
  [ARABIC_THOUSANDS_SEPARATOR, ""],
  ...digitMappings(ARABIC_INDIC_DIGIT_ZERO),
  ...digitMappings(EXTENDED_ARABIC_INDIC_DIGIT_ZERO),
]);

const MAPPED = new RegExp(`[${[...CHARACTER_MAP.keys()].join("")}]`, "gu");

function digitMappings(zero: number): [string, string][] {
  return Array.from({ length: 10 }, (_, digit) => [String.fromCharCode(zero + digit), String(digit)]);
}

/**
 * Normalizes Arabic text for matching, in this order:
 * - NFKC, which also folds presentation forms (ﻻ → لا);
 * - drops harakat and other combining marks, superscript alef, tatweel, Quranic signs and invisible
 *   format characters (bidi marks, ZWJ/ZWNJ, BOM);
 * - unifies آ أ إ ٱ → ا, ى → ي, ة → ه, Persian ی → ي and ک → ك;
 * - maps Arabic-Indic and Eastern Arabic-Indic digits to ASCII, ٫ to ".", ٪ to "%", drops ٬;
 * - lower-cases Latin letters.
 *
 * The result is not offset-preserving: citations always use the original text.
 * Normalizing twice changes nothing.
 *
 * @example normalizeArabic("مَدْرَسَةٌ") === "مدرسه"
 */
export function normalizeArabic(text: string): string {
  // Most words need no more than a letter or two mapped: walked character by character, they skip the
  // four passes over the text (two normalizations, two replacements) that cost a tenth of an answer.
  let changed: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const simple = code < SIMPLE_CHARACTERS.length ? SIMPLE_CHARACTERS[code] : undefined;
    if (simple === undefined) return normalizeArabicFully(text);
    if (changed !== undefined) changed += simple;
    else if (simple !== text[i]) changed = text.slice(0, i) + simple;
  }
  return changed ?? text;
}

/** {@link normalizeArabic}'s chain, pass by pass, for any text. */
export function normalizeArabicFully(text: string): string {
  return (
    text
      .normalize("NFKC")
      .replace(DROPPED, "")
      .replace(MAPPED, (char) => CHARACTER_MAP.get(char) ?? char)
      .toLowerCase()
      // Again: dropping a mark can bring a letter and its accent together ("e\u200F\u0301" → "é").
      .normalize("NFKC")
  );
}

/**
 * What the chain makes of each code point below U+0700 (Latin, Greek, Cyrillic, Hebrew, Arabic) that
 * normalizes on its own: not a combining mark, not a compatibility character, not becoming a mark, and
 * not a capital outside ASCII.
 * In a text made only of these nothing composes or reorders, so each maps alone and the text is mapped
 * character by character; undefined for the others, which send the text through the whole chain.
 */
const SIMPLE_CHARACTERS: readonly (string | undefined)[] = Array.from({ length: 0x700 }, (_, code) => {
  const char = String.fromCharCode(code);
  if (/\p{M}/u.test(char) || char.normalize("NFKC") !== char) return undefined;
  // Lower case can depend on the neighbours (Greek Σ → ς at the end of a word, σ elsewhere): only
  // ASCII letters are lowered one by one.
  if (code >= 0x80 && char.toLowerCase() !== char) return undefined;
  const mapped = normalizeArabicFully(char);
  return /\p{M}/u.test(mapped) ? undefined : mapped;
});
