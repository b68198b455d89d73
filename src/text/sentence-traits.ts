import { LRUCache } from "lru-cache";
import { indexTerms, normalizedTokens } from "./analyzer.js";
import { mentionsPerson, mentionsPlace } from "./answer-type-cues.js";
import { BEH, LAM } from "./chars.js";
import { CONJUNCTIONS, tokenForms, tokenFormsOf } from "./clitics.js";
import { normalizeArabic } from "./normalize.js";
import { stemArabic } from "./stem.js";
import { isStopWord } from "./stopwords.js";
import { isNumberToken, tokenize } from "./tokenize.js";
import { verbForm, type VerbForm } from "./verb-aspect.js";

/** Which metadata line a question about the article itself wants, or what a metadata line states. */
export type ArticleTopic = "source" | "photo" | "date" | "title" | "other";

/** What the answer stage needs of a sentence, read once from its text. */
export interface SentenceTraits {
  /** The sentence's analyzed words in order: exactly analyzeForIndex(text). */
  readonly terms: readonly string[];
  /** Each token that states a date or time (a year, a month, a weekday, عام، أمس …), as its forms (tokenForms). */
  readonly dates: readonly (readonly string[])[];
  /** Each token that states a number or amount (digits, ألف، مليار، ثلاثة …), as its forms. */
  readonly numbers: readonly (readonly string[])[];
  /** What the line states when it opens with a metadata label (المصدر، الصورة، تاريخ النشر); "other" otherwise. */
  readonly topic: ArticleTopic;
  /** Whether a word tells that it names a person (رئيس، مؤلف، ولد …): what "من" asks for. */
  readonly person: boolean;
  /** Whether a word tells that it names a place (مدينة، عاصمة، يقع …): what "أين" asks for. */
  readonly place: boolean;
  /** Its words read as verbs (root and aspect), for matching the tense of a question's verb. */
  readonly verbs: readonly VerbForm[];
}

/**
 * The clitics a date or number word may carry (وفي مارس، بفبراير، وخمسة). Not ك: كافة (all) would read
 * as آلاف (thousands).
 */
const DATE_AND_NUMBER_CLITICS: readonly string[] = [...CONJUNCTIONS, BEH, LAM];

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

/** A year from 1500 to 2099, alone or before a non-digit (2025-2026); longer numbers are no years. */
const YEAR = /^(?:1[5-9]\d\d|20\d\d)(?:\D|$)/;
const DATE_WORDS: ReadonlySet<string> = new Set([...MONTHS, ...TIME_WORDS].map(normalizeArabic));
/** Stems, so that المليارات and مليوني count as مليار and مليون. */
const NUMBER_WORD_STEMS: ReadonlySet<string> = new Set(
  NUMBER_WORDS.map((word) => stemArabic(normalizeArabic(word))),
);

/** Labels that open the metadata lines, by topic: the trailer's and the ones made from front matter. */
const META_LINE_LABELS: readonly (readonly [ArticleTopic, readonly string[]])[] = [
  ["source", ["المصدر", "مصدر"].map(normalizeArabic)],
  ["photo", ["الصورة", "صورة", "تصوير"].map(normalizeArabic)],
  ["date", ["تاريخ النشر"].map(normalizeArabic)],
];

const isDate = (form: string): boolean => YEAR.test(form) || DATE_WORDS.has(form);
const NUMBER_WORD_FORMS: ReadonlySet<string> = new Set(NUMBER_WORDS.map(normalizeArabic));
/** Below this length a word counts as a number only as written: the stem of ثم (then) is that of ثماني. */
const MIN_STEMMED_NUMBER_LENGTH = 3;
const isNumber = (form: string): boolean =>
  isNumberToken(form) ||
  NUMBER_WORD_FORMS.has(form) ||
  (form.length >= MIN_STEMMED_NUMBER_LENGTH && NUMBER_WORD_STEMS.has(stemArabic(form)));

/**
 * Reads what the answer stage needs of a sentence: its analyzed terms, the tokens that state a date or a
 * number, and the metadata topic of its label. The text is normalized and tokenized once for all of them.
 * A token counts in its own form or without a glued clitic (وفي مارس، فبراير): both are tried.
 *
 * @example readSentenceTraits("وصل في أكتوبر 2024") → { terms: ["وصل", "اكتوبر", "2024"],
 *   dates: [["اكتوبر"], ["2024"]], numbers: [["2024"]], topic: "other", person: false, place: false, verbs: […] }
 */
export function readSentenceTraits(text: string): SentenceTraits {
  const normalized = normalizeArabic(text);
  const tokens = tokenize(normalized);
  const dates: (readonly string[])[] = [];
  const numbers: (readonly string[])[] = [];
  for (const token of tokens) {
    const forms = tokenForms(token, DATE_AND_NUMBER_CLITICS);
    if (forms.some(isDate)) dates.push(forms);
    if (forms.some(isNumber)) numbers.push(forms);
  }
  const terms = indexTerms(tokens);
  return {
    terms,
    dates,
    numbers,
    topic: metaLineTopic(normalized),
    person: mentionsPerson(terms),
    place: mentionsPlace(terms),
    verbs: tokens.flatMap((token) => {
      const form = isStopWord(token) || isNumberToken(token) ? undefined : verbForm(token);
      return form ? [form] : [];
    }),
  };
}

/**
 * What one token of a text states: a date or time, a number or amount, both (a year) or neither. The
 * token is as {@link tokenize} would split it, before or after normalization.
 */
export function tokenStates(token: string): TokenStates {
  const known = RECENT_STATES.get(token);
  if (known !== undefined) return known;
  const forms = tokenForms(normalizeArabic(token), DATE_AND_NUMBER_CLITICS);
  const date = forms.some(isDate);
  const number = forms.some(isNumber);
  const states = STATES[(date ? 1 : 0) + (number ? 2 : 0)] ?? { date, number };
  RECENT_STATES.set(token, states);
  return states;
}

/** What one token states (see {@link tokenStates}). */
export interface TokenStates {
  readonly date: boolean;
  readonly number: boolean;
}

/** The four answers, made once: by date + 2 × number. */
const STATES: readonly TokenStates[] = [
  { date: false, number: false },
  { date: true, number: false },
  { date: false, number: true },
  { date: true, number: true },
].map((states) => Object.freeze(states));

/**
 * The states of recent tokens: a token's depend on it alone, and an answer's sentence is read token by
 * token, each tried with and without its clitics and stemmed (most of the time of finding the asked fact).
 */
const RECENT_STATES = new LRUCache<string, TokenStates>({ max: 8_192 });

/** The forms of a question's tokens: a number or date the question itself states is no answer to it. */
export function questionForms(question: string): ReadonlySet<string> {
  return new Set(tokenFormsOf(normalizedTokens(question), DATE_AND_NUMBER_CLITICS));
}

/**
 * Whether the sentence states a date that the question does not already state: the answer to "متى
 * انطلقت القمة عام 2019؟" is not a sentence whose only date is 2019.
 */
export function offersDate(traits: SentenceTraits, asked: ReadonlySet<string>): boolean {
  return traits.dates.some((forms) => !statedIn(forms, asked));
}

/**
 * Whether the sentence states a number that the question does not already state: the answer to "كم
 * جندياً في القاعدة ٢٠١؟" is not a sentence whose only number is 201.
 */
export function offersNumber(traits: SentenceTraits, asked: ReadonlySet<string>): boolean {
  return traits.numbers.some((forms) => !statedIn(forms, asked));
}

function statedIn(forms: readonly string[], asked: ReadonlySet<string>): boolean {
  return forms.some((form) => asked.has(form));
}

function metaLineTopic(normalized: string): ArticleTopic {
  const found = META_LINE_LABELS.find(([, labels]) => labels.some((label) => normalized.startsWith(label)));
  return found?.[0] ?? "other";
}
