/**
 * A number: digits with decimal points, thousands commas, slashes or colons inside (22.6, 1,000, 9/10,
 * 10:30), an optional percent sign, and an optional hyphenated second number for ranges (2025-2026).
 */
const NUMBER = String.raw`\d+(?:[.,:/]\d+)*%?(?:-\d+(?:[.,]\d+)*%?)?`;
/** A Latin-script word, which may carry accents and digits (café, erdoğan, g20, covid19). */
const LATIN_WORD = String.raw`\p{Script=Latin}[\p{Script=Latin}\p{M}\d]*`;
/**
 * A word in any other script. Digits are not part of it, so a conjunction or preposition glued to a
 * number (و22, ب2025, ل5) splits off on its own; nor are Latin letters, so "عربيabc" is two words.
 */
const WORD = String.raw`(?:(?!\p{Script=Latin})[\p{L}\p{M}])+`;

const TOKEN = new RegExp(`${NUMBER}|${LATIN_WORD}|${WORD}`, "gu");
const THOUSANDS_COMMA = /(?<=\d),(?=\d{3}(?!\d))/g;

/**
 * Splits normalized text (see {@link normalizeArabic}) into word and number tokens.
 * Numbers stay whole: "22.6%", "1.5", "2025-2026"; thousands commas are removed ("1,000" → "1000").
 *
 * @example tokenize("و22.6% في 2025-2026") → ["و", "22.6%", "في", "2025-2026"]
 */
export function tokenize(normalized: string): string[] {
  const tokens: string[] = [];
  for (const match of normalized.matchAll(TOKEN)) {
    tokens.push(match[0].replace(THOUSANDS_COMMA, ""));
  }
  return tokens;
}

/** Whether a token is a number as {@link tokenize} produces them. */
export function isNumberToken(token: string): boolean {
  return /^\d/.test(token);
}
