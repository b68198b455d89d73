/** A word: a run of letters and the marks on them. */
const WORD = /[\p{L}\p{M}]+/gu;
/** The Arabic script: Arabic, and the Persian and Urdu letters written with it. */
const ARABIC_SCRIPT = /^\p{Script=Arabic}/u;

/**
 * Whether a text is written in Arabic: at least as many of its words are in the Arabic script as in any
 * other script put together (a word counts by its first letter). Words, not letters: a long Latin name in
 * an Arabic question («ما رأي Vladimir Putin في الاتفاق؟») leaves it Arabic, as its short Arabic words
 * outnumber the name's. Digits, punctuation and emoji do not count, so a text without letters counts as
 * Arabic: there is nothing to translate, and the answerer says what it makes of it.
 *
 * @example isArabicText("كم عدد الطلاب؟") === true; isArabicText("How many students?") === false
 */
export function isArabicText(text: string): boolean {
  let arabic = 0;
  let other = 0;
  for (const [word] of text.matchAll(WORD)) {
    if (ARABIC_SCRIPT.test(word)) arabic++;
    else other++;
  }
  return arabic >= other;
}
