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
