import { normalizeArabic, tokenize } from "../text/index.js";

/** What kind of answer a question asks for, read from its question words (MSA and dialects). */
export interface QuestionCues {
  /** متى، إمتى، إيمتى، في أي عام … : a date or a time. */
  readonly asksWhen: boolean;
  /** كم، كام، قديش، چم … : a number or an amount. */
  readonly asksHowMany: boolean;
  /** مصدر الخبر، الصورة، تاريخ النشر … : about the article itself, answered from its metadata. */
  readonly asksAboutArticle: boolean;
}

const normalizedSet = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(normalizeArabic));

const WHEN_WORDS = normalizedSet([
  "متى",
  "امتى",
  "إمتى",
  "ايمتى",
  "إيمتى",
  "ايمتا",
  "امتا",
  "وقتيش",
  "إيمتا",
]);
const WHEN_PHRASES = ["في اي عام", "في اي سنه", "في اي يوم", "في اي شهر", "اي عام", "اي سنه", "اي تاريخ"].map(
  normalizeArabic,
);
const HOW_MANY_WORDS = normalizedSet([
  "كم",
  "بكم",
  "كام",
  "بكام",
  "قديش",
  "بقديش",
  "أديش",
  "اديش",
  "چم",
  "جم",
]);
// prettier-ignore
const ABOUT_ARTICLE_WORDS = normalizedSet([
  "مصدر", "المصدر", "مصدره", "وكالة", "الوكالة", "نشر", "نشرت", "نشره", "ناشر", "الناشر", "صورة", "الصورة",
  "الصوره", "تصوير", "كاتب", "الكاتب", "مراسل", "المراسل", "عنوان", "العنوان",
]);

/** Reads the cues of a question. */
export function questionCues(question: string): QuestionCues {
  const normalized = normalizeArabic(question);
  const tokens = tokenize(normalized);
  const has = (words: ReadonlySet<string>): boolean => tokens.some((token) => words.has(token));
  return {
    asksWhen: has(WHEN_WORDS) || WHEN_PHRASES.some((phrase) => normalized.includes(phrase)),
    asksHowMany: has(HOW_MANY_WORDS),
    asksAboutArticle: has(ABOUT_ARTICLE_WORDS),
  };
}

// prettier-ignore
const MONTHS = [
  "يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
  "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
];
// prettier-ignore
const TIME_WORDS = [
  "عام", "العام", "سنة", "السنة", "القرن", "يوم", "اليوم", "أمس", "مساء", "صباح", "الأحد", "الاثنين",
  "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الماضي", "المقبل", "النصف",
];
// prettier-ignore
const NUMBER_WORDS = [
  "ألف", "آلاف", "مليون", "ملايين", "مليار", "مليارات", "نصف", "ربع", "اثنان", "اثنين", "ثلاث", "ثلاثة",
  "أربع", "أربعة", "خمس", "خمسة", "ست", "ستة", "سبع", "سبعة", "ثماني", "ثمانية", "تسع", "تسعة", "عشر",
  "عشرة", "عشرون", "عشرين", "مئة", "مائة",
];
const YEAR = /(?:^|\D)(?:1[5-9]\d\d|20\d\d)(?:\D|$)/;
const DIGIT = /\d/;
const MONTH_WORDS = normalizedSet(MONTHS);
const TIME_WORD_SET = normalizedSet(TIME_WORDS);
const NUMBER_WORD_SET = normalizedSet(NUMBER_WORDS);

/** What a sentence offers an answer: a date, a number. */
export interface SentenceTraits {
  readonly hasDate: boolean;
  readonly hasNumber: boolean;
}

/** Reads the traits of a sentence (its normalized tokens decide). */
export function sentenceTraits(text: string): SentenceTraits {
  const normalized = normalizeArabic(text);
  const tokens = tokenize(normalized);
  const has = (words: ReadonlySet<string>): boolean =>
    tokens.some((token) => words.has(token) || words.has(token.replace(/^(?:و|ب|ل|ف)/, "")));
  return {
    hasDate: YEAR.test(normalized) || has(MONTH_WORDS) || has(TIME_WORD_SET),
    hasNumber: DIGIT.test(normalized) || has(NUMBER_WORD_SET),
  };
}
