/**
 * Arabic characters the analysis rules refer to, named after their Unicode names so that the rules never
 * hold bare Arabic literals.
 */

export const ALEF = "\u0627";
export const ALEF_MADDA = "\u0622";
export const ALEF_HAMZA_ABOVE = "\u0623";
export const ALEF_HAMZA_BELOW = "\u0625";
export const ALEF_WASLA = "\u0671";
export const ALEF_MAKSURA = "\u0649";
export const YEH = "\u064A";
export const FARSI_YEH = "\u06CC";
export const TEH_MARBUTA = "\u0629";
export const HEH = "\u0647";
export const KAF = "\u0643";
export const WAW = "\u0648";
export const FEH = "\u0641";
export const BEH = "\u0628";
export const LAM = "\u0644";
export const KEHEH = "\u06A9";
export const TATWEEL = "\u0640";
export const SUPERSCRIPT_ALEF = "\u0670";
export const ARABIC_DECIMAL_SEPARATOR = "\u066B";
export const ARABIC_THOUSANDS_SEPARATOR = "\u066C";
export const ARABIC_PERCENT_SIGN = "\u066A";
export const ARABIC_COMMA = "\u060C";
export const ARABIC_QUESTION_MARK = "\u061F";
export const ARABIC_SEMICOLON = "\u061B";

/** Harakat (fathatan … sukun) and the other combining marks up to U+065F. */
export const HARAKAT_RANGE = "\u064B-\u065F";
/** Quranic annotation signs, never meaningful for matching. */
export const QURANIC_MARKS_RANGES = "\u0610-\u061A\u06D6-\u06ED";
/**
 * Invisible format characters that break tokens apart or join them: ARABIC LETTER MARK, ZWSP, ZWNJ, ZWJ,
 * LRM, RLM, the bidi embeddings/overrides/isolates, WORD JOINER, BYTE ORDER MARK and SOFT HYPHEN.
 */
export const FORMAT_CHARS_RANGES = "\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF";

/** ARABIC-INDIC DIGIT ZERO; the nine digits after it are contiguous. */
export const ARABIC_INDIC_DIGIT_ZERO = 0x0660;
/** EXTENDED ARABIC-INDIC DIGIT ZERO (Persian and Urdu digits); the nine digits after it are contiguous. */
export const EXTENDED_ARABIC_INDIC_DIGIT_ZERO = 0x06f0;
