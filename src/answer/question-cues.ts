import {
  BEH,
  CONJUNCTIONS,
  LAM,
  analyzeForMatch,
  type QuestionAsks,
  normalizeArabic,
  questionPhrases,
  questionWordAsks,
  stemArabic,
  tokenForms,
  tokenize,
} from "../text/index.js";

/** Which metadata line a question about the article itself wants. */
export type ArticleTopic = "source" | "photo" | "date" | "other";

/** What kind of answer a question asks for, read from its question words (MSA and dialects). */
export interface QuestionCues {
  /** متى، إمتى، إيمتى، في أي عام … : a date or a time. */
  readonly asksWhen: boolean;
  /** كم، كام، قديش، چم، قد إيه … : a number or an amount. */
  readonly asksHowMany: boolean;
  /** مصدر الخبر، الصورة، تاريخ النشر … : about the article itself, answered from its metadata. */
  readonly aboutArticle: ArticleTopic | undefined;
}

const normalizedSet = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(normalizeArabic));
const normalizedList = (phrases: readonly string[]): readonly string[] => phrases.map(normalizeArabic);

const WHEN_PHRASES = questionPhrases("when");
const HOW_MANY_PHRASES = questionPhrases("how-many");

/** Words that make a question about the article itself, by the metadata line they point to. */
// prettier-ignore
const ARTICLE_TOPIC_WORDS: readonly (readonly [ArticleTopic, ReadonlySet<string>])[] = [
  ["source", normalizedSet(["مصدر", "المصدر", "مصدره", "وكالة", "الوكالة", "أنباء", "الأنباء", "ناشر", "الناشر"])],
  ["photo", normalizedSet(["صورة", "الصورة", "الصور", "تصوير", "مصور", "المصور"])],
  ["date", normalizedSet(["تاريخ", "نشر", "نشرت", "نشره"])],
  ["other", normalizedSet(["كاتب", "الكاتب", "مراسل", "المراسل", "عنوان", "العنوان"])],
];
/** Words by which a question points at the article itself (مصدر الخبر، الصورة المرفقة بالمقال). */
const ARTICLE_REFERENCES = normalizedSet([
  "خبر",
  "الخبر",
  "بالخبر",
  "للخبر",
  "مقال",
  "المقال",
  "المقالة",
  "بالمقال",
  "تقرير",
  "التقرير",
  "النص",
  "المرفقة",
  "المرفق",
]);
/** A question this short that names a topic word is about the article even without saying so ("ما المصدر؟"). */
const MAX_CONTENT_WORDS_OF_SHORT_QUESTION = 2;

/** Reads the cues of a question. */
export function questionCues(question: string): QuestionCues {
  const words = tokenize(normalizeArabic(question));
  // Only a conjunction is removed (وإمتى، فكم): with a preposition, لكم (for you) would read as كم.
  const tokens = words.flatMap((token) => tokenForms(token, CONJUNCTIONS));
  const has = (set: ReadonlySet<string>): boolean => tokens.some((token) => set.has(token));
  // Phrases match whole words only: "انتقد إيه" holds the letters of "قد إيه" but does not ask how much.
  const spaced = ` ${words.join(" ")} `;
  const hasPhrase = (phrases: readonly string[]): boolean =>
    phrases.some((phrase) => spaced.includes(` ${phrase} `));
  const asks = (kind: QuestionAsks): boolean => words.some((token) => questionWordAsks(token) === kind);
  const asksWhen = asks("when") || hasPhrase(WHEN_PHRASES);
  // "أي وكالة نشرت الخبر" names both the source and publishing: the first topic listed wins.
  let aboutArticle = ARTICLE_TOPIC_WORDS.find(([, words]) => has(words))?.[0];
  // "التقاط الصور" in a question about the visit is not about the article's photo.
  const pointsAtArticle =
    has(ARTICLE_REFERENCES) || analyzeForMatch(question).length <= MAX_CONTENT_WORDS_OF_SHORT_QUESTION;
  if (!pointsAtArticle) aboutArticle = undefined;
  if (aboutArticle === "date" && !asksWhen && !has(normalizedSet(["تاريخ"]))) aboutArticle = "other";
  // Only a question for a metadata line the article has (source, photo, date) is answered from it:
  // "ما عنوان الخبر؟" or "ماذا نشر الخبر عن الطلاب؟" are not.
  if (aboutArticle === "other") aboutArticle = undefined;
  return {
    asksWhen,
    asksHowMany: asks("how-many") || hasPhrase(HOW_MANY_PHRASES),
    aboutArticle,
  };
}

/** Labels that open the metadata lines, by topic: the trailer's and the ones made from front matter. */
const META_LINE_LABELS: readonly (readonly [ArticleTopic, readonly string[]])[] = [
  ["source", normalizedList(["المصدر", "مصدر"])],
  ["photo", normalizedList(["الصورة", "صورة", "تصوير"])],
  ["date", normalizedList(["تاريخ النشر"])],
];

/** The topic of a metadata line, from its label. */
export function metaLineTopic(text: string): ArticleTopic {
  const normalized = normalizeArabic(text);
  return (
    META_LINE_LABELS.find(([, labels]) => labels.some((label) => normalized.startsWith(label)))?.[0] ??
    "other"
  );
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
const YEAR = /^(?:1[5-9]\d\d|20\d\d)(?:\D|$)/;
const MONTH_WORDS = normalizedSet(MONTHS);
const TIME_WORD_SET = normalizedSet(TIME_WORDS);
/** Stems, so that المليارات and مليوني count as مليار and مليون. */
const NUMBER_WORD_STEMS: ReadonlySet<string> = new Set(
  NUMBER_WORDS.map((word) => stemArabic(normalizeArabic(word))),
);
/** Not ك: كافة (all) would read as آلاف (thousands). */
const DATE_AND_NUMBER_CLITICS: readonly string[] = [...CONJUNCTIONS, BEH, LAM];

/** What a sentence offers as an answer beyond what the question already says: a date, a number. */
export interface SentenceTraits {
  readonly hasDate: boolean;
  readonly hasNumber: boolean;
}

/**
 * Reads the traits of a sentence. Numbers and dates the question itself contains do not count: the
 * answer to "كم جندياً في القاعدة ٢٠١؟" is not a sentence whose only number is 201.
 */
export function sentenceTraits(text: string, question = ""): SentenceTraits {
  const asked = new Set(tokenize(normalizeArabic(question)).flatMap(forms));
  // A word counts in its own form or without a glued clitic (وفي مارس، فبراير): both are tried.
  const tokens = tokenize(normalizeArabic(text)).filter(
    (token) => !forms(token).some((form) => asked.has(form)),
  );
  const isDate = (form: string): boolean =>
    YEAR.test(form) || MONTH_WORDS.has(form) || TIME_WORD_SET.has(form);
  const isNumber = (form: string): boolean => /^\d/.test(form) || NUMBER_WORD_STEMS.has(stemArabic(form));
  return {
    hasDate: tokens.some((token) => forms(token).some(isDate)),
    hasNumber: tokens.some((token) => forms(token).some(isNumber)),
  };
}

/** A token and, if it starts with a clitic, the token without it. */
function forms(token: string): readonly string[] {
  return tokenForms(token, DATE_AND_NUMBER_CLITICS);
}
