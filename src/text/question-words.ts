import { CONJUNCTIONS, stripProclitic } from "./clitics.js";
import { normalizeArabic } from "./normalize.js";

/** What a question word asks for. */
export type QuestionAsks =
  "what" | "who" | "when" | "where" | "why" | "how" | "how-many" | "which" | "yes-no";

/** A variety of Arabic: Modern Standard Arabic or a regional dialect people type in. */
export type ArabicVariety = "MSA" | "Levantine" | "Egyptian" | "Gulf" | "Iraqi" | "Maghrebi";

/** A question word, what it asks for, and the varieties it belongs to. */
export interface QuestionWord {
  /** Written with its usual spelling; looked up normalized. */
  readonly word: string;
  readonly asks: QuestionAsks;
  readonly varieties: readonly ArabicVariety[];
  /**
   * What else the word is in article text, where that is its common reading (من: from). With a glued
   * conjunction such a word is read that way (ومن: and from; واي: Wi, of واي فاي) and is no stop word.
   */
  readonly particle?: string;
}

/** A question of several words that asks for more than its words say (في أي عام asks when). */
export interface QuestionPhrase {
  /** Written with its usual spelling, words separated by one space; matched normalized, whole words. */
  readonly phrase: string;
  readonly asks: QuestionAsks;
}

const MSA = ["MSA"] as const;
const LEVANTINE = ["Levantine"] as const;
const EGYPTIAN = ["Egyptian"] as const;
const MAGHREBI = ["Maghrebi"] as const;

/**
 * The question words of MSA and of the dialects people type, one spelling each: the lookup is normalized,
 * so إيمتى also finds ايمتى. Forms with a glued conjunction (ومتى، فكم) are not listed:
 * {@link questionWordAsks} finds them through the clitic stripper. Forms with a preposition are (بكم،
 * لمن، بماذا), because a preposition is never removed from a question word: لكم (for you) is no كم.
 * Left out on purpose: Egyptian أنهي (which), spelt like أنهى (he ended) once normalized, and Iraqi شوكت
 * (when), also a name (محمود شوكت باشا).
 */
// prettier-ignore
export const QUESTION_WORDS: readonly QuestionWord[] = [
  // what
  { word: "ما", asks: "what", varieties: MSA, particle: "not; that which" },
  { word: "ماذا", asks: "what", varieties: MSA },
  { word: "ماهو", asks: "what", varieties: MSA },
  { word: "ماهي", asks: "what", varieties: MSA },
  { word: "بماذا", asks: "what", varieties: MSA },
  { word: "مما", asks: "what", varieties: MSA },
  { word: "عم", asks: "what", varieties: MSA },
  { word: "عما", asks: "what", varieties: MSA },
  { word: "شو", asks: "what", varieties: ["Levantine", "Gulf"] },
  { word: "شنو", asks: "what", varieties: ["Iraqi", "Gulf", "Maghrebi"] },
  { word: "شنهو", asks: "what", varieties: ["Iraqi", "Maghrebi"] },
  { word: "وش", asks: "what", varieties: ["Gulf"] },
  { word: "إيش", asks: "what", varieties: ["Gulf", "Levantine"] },
  { word: "إيه", asks: "what", varieties: EGYPTIAN },
  // who
  { word: "من", asks: "who", varieties: MSA, particle: "from" },
  { word: "لمن", asks: "who", varieties: MSA },
  { word: "ممن", asks: "who", varieties: MSA },
  { word: "مين", asks: "who", varieties: ["Levantine", "Egyptian"] },
  { word: "منو", asks: "who", varieties: ["Iraqi", "Gulf"] },
  // when
  { word: "متى", asks: "when", varieties: MSA },
  { word: "إيمتى", asks: "when", varieties: LEVANTINE },
  { word: "إيمتا", asks: "when", varieties: LEVANTINE },
  { word: "وقتيش", asks: "when", varieties: LEVANTINE },
  { word: "إمتى", asks: "when", varieties: EGYPTIAN },
  { word: "امتا", asks: "when", varieties: EGYPTIAN },
  // where
  { word: "أين", asks: "where", varieties: MSA },
  { word: "وين", asks: "where", varieties: ["Levantine", "Gulf", "Iraqi"] },
  { word: "فين", asks: "where", varieties: ["Egyptian", "Maghrebi"] },
  // why
  { word: "لماذا", asks: "why", varieties: MSA },
  { word: "لم", asks: "why", varieties: MSA, particle: "did not" },
  { word: "ليش", asks: "why", varieties: ["Levantine", "Gulf", "Iraqi"] },
  { word: "ليه", asks: "why", varieties: EGYPTIAN },
  { word: "علاش", asks: "why", varieties: MAGHREBI },
  // how
  { word: "كيف", asks: "how", varieties: MSA },
  { word: "إزاي", asks: "how", varieties: EGYPTIAN },
  { word: "شلون", asks: "how", varieties: ["Iraqi", "Gulf"] },
  { word: "كيفاش", asks: "how", varieties: MAGHREBI },
  // how many, how much
  { word: "كم", asks: "how-many", varieties: MSA },
  { word: "بكم", asks: "how-many", varieties: MSA },
  { word: "قديش", asks: "how-many", varieties: LEVANTINE },
  { word: "بقديش", asks: "how-many", varieties: LEVANTINE },
  { word: "أديش", asks: "how-many", varieties: LEVANTINE },
  { word: "كام", asks: "how-many", varieties: EGYPTIAN },
  { word: "بكام", asks: "how-many", varieties: EGYPTIAN },
  { word: "چم", asks: "how-many", varieties: ["Iraqi", "Gulf"] },
  { word: "جم", asks: "how-many", varieties: ["Iraqi", "Gulf"] },
  { word: "شقد", asks: "how-many", varieties: ["Iraqi"] },
  { word: "قداش", asks: "how-many", varieties: MAGHREBI },
  // which
  { word: "أي", asks: "which", varieties: MSA, particle: "that is" },
  // yes or no
  { word: "هل", asks: "yes-no", varieties: MSA },
];

/** Questions of several words, matched as whole words: انتقد إيه (criticised what) holds no قد إيه. */
export const QUESTION_PHRASES: readonly QuestionPhrase[] = [
  { phrase: "في أي عام", asks: "when" },
  { phrase: "في أي سنة", asks: "when" },
  { phrase: "في أي يوم", asks: "when" },
  { phrase: "في أي شهر", asks: "when" },
  { phrase: "أي تاريخ", asks: "when" },
  // Egyptian قد إيه / أد إيه (how much), and MSA's ما مقدار / ما حجم / ما نسبة.
  { phrase: "قد إيه", asks: "how-many" },
  { phrase: "أد إيه", asks: "how-many" },
  { phrase: "ما مقدار", asks: "how-many" },
  { phrase: "ما حجم", asks: "how-many" },
  { phrase: "ما نسبة", asks: "how-many" },
];

const ASKS_BY_WORD: ReadonlyMap<string, QuestionAsks> = new Map(
  QUESTION_WORDS.map(({ word, asks }) => [normalizeArabic(word), asks]),
);

const STOPPED_AFTER_CONJUNCTION: ReadonlySet<string> = new Set(
  QUESTION_WORDS.filter(({ particle }) => particle === undefined).map(({ word }) => normalizeArabic(word)),
);

const LONGEST_QUESTION_WORD = Math.max(...[...ASKS_BY_WORD.keys()].map((word) => word.length));

/**
 * What a normalized token asks for when it is a question word, alone or with a glued conjunction
 * (ومتى، فكم); undefined for any other token. Only conjunctions are removed: لكم (for you) is no كم.
 *
 * @example questionWordAsks("وامتي") === "when"; questionWordAsks("لكم") === undefined
 */
export function questionWordAsks(normalizedToken: string): QuestionAsks | undefined {
  const asks = ASKS_BY_WORD.get(normalizedToken);
  if (asks !== undefined) return asks;
  const bare = stripProclitic(normalizedToken, CONJUNCTIONS);
  return bare === undefined ? undefined : ASKS_BY_WORD.get(bare);
}

/**
 * Whether a normalized token is a question word or, unless the word is mostly a particle (see
 * {@link QuestionWord.particle}), a question word with a glued conjunction: the question words that are
 * stop words. ومتى and فكم are; ومن، وما، ولم and واي are not: in article text they are nearly always "and
 * from", "and not" or Wi (واي فاي), and as stop words they cost a question at hit@1 on ARCD and on TyDi QA.
 *
 * @example isQuestionStopWord("ومتي") === true; isQuestionStopWord("ومن") === false
 */
export function isQuestionStopWord(normalizedToken: string): boolean {
  if (ASKS_BY_WORD.has(normalizedToken)) return true;
  // Most words are longer than any question word with a conjunction: spare them the stripping, as this
  // runs on every word indexed.
  if (normalizedToken.length > LONGEST_QUESTION_WORD + 1) return false;
  const bare = stripProclitic(normalizedToken, CONJUNCTIONS);
  return bare !== undefined && STOPPED_AFTER_CONJUNCTION.has(bare);
}

/** The phrases that ask `asks`, normalized, each word separated by one space. */
export function questionPhrases(asks: QuestionAsks): readonly string[] {
  return QUESTION_PHRASES.filter((phrase) => phrase.asks === asks).map(({ phrase }) =>
    normalizeArabic(phrase),
  );
}
