const LETTER = /\p{L}/u;
/** The Arabic script: Arabic, and the Persian and Urdu letters written with it. */
const ARABIC_SCRIPT = /\p{Script=Arabic}/u;

/**
 * Whether a text is written in Arabic: at least as many of its letters are Arabic as of any other
 * script put together. Digits, punctuation and emoji do not count, so a text without letters counts as
 * Arabic: there is nothing to translate, and the answerer says what it makes of it. A name in Latin
 * letters inside an Arabic question («ما موقف BBC؟») leaves it Arabic; an English or French question
 * with an Arabic name in it is not.
 *
 * @example isArabicText("كم عدد الطلاب؟") === true; isArabicText("How many students?") === false
 */
export function isArabicText(text: string): boolean {
  let arabic = 0;
  let other = 0;
  for (const char of text) {
    if (!LETTER.test(char)) continue;
    if (ARABIC_SCRIPT.test(char)) arabic++;
    else other++;
  }
  return arabic >= other;
}
