/**
 * Dialect question words people type, with what they ask and where they are said: the expectation the
 * text tests hold the analysis to, written out by hand apart from src/text/question-words.ts.
 */
import type { ArabicVariety, QuestionAsks } from "../../src/text/index.js";

/** A dialect question word as people type it, what it asks and one variety it belongs to. */
export type DialectQuestionWord = readonly [word: string, asks: QuestionAsks, variety: ArabicVariety];

export const DIALECT_QUESTION_WORDS: readonly DialectQuestionWord[] = [
  ["شو", "what", "Levantine"],
  ["وين", "where", "Levantine"],
  ["إيمتى", "when", "Levantine"],
  ["ايمتا", "when", "Levantine"],
  ["وقتيش", "when", "Levantine"],
  ["قديش", "how-many", "Levantine"],
  ["أديش", "how-many", "Levantine"],
  ["ليش", "why", "Levantine"],
  ["مين", "who", "Levantine"],
  ["إيه", "what", "Egyptian"],
  ["ايه", "what", "Egyptian"],
  ["فين", "where", "Egyptian"],
  ["امتى", "when", "Egyptian"],
  ["إمتى", "when", "Egyptian"],
  ["كام", "how-many", "Egyptian"],
  ["ليه", "why", "Egyptian"],
  ["ازاي", "how", "Egyptian"],
  ["وش", "what", "Gulf"],
  ["ايش", "what", "Gulf"],
  ["شنو", "what", "Iraqi"],
  ["منو", "who", "Iraqi"],
  ["شلون", "how", "Iraqi"],
  ["چم", "how-many", "Iraqi"],
  ["شقد", "how-many", "Iraqi"],
  ["كيفاش", "how", "Maghrebi"],
  ["علاش", "why", "Maghrebi"],
  ["قداش", "how-many", "Maghrebi"],
];

/** The words alone, for tests that only need to know they are question words. */
export const DIALECT_QUESTION_WORD_LIST: readonly string[] = DIALECT_QUESTION_WORDS.map(([word]) => word);
