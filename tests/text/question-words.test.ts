import { describe, expect, it } from "vitest";

import {
  QUESTION_PHRASES,
  QUESTION_WORDS,
  isQuestionStopWord,
  normalizeArabic,
  questionPhrases,
  questionWordAsks,
  type QuestionAsks,
} from "../../src/text/index.js";
import { DIALECT_QUESTION_WORDS } from "./dialect-question-words.js";

describe("questionWordAsks", () => {
  // Tokens are written with their usual spelling and normalized first, as questionWordAsks expects.
  it.each<[string, string, QuestionAsks | undefined]>([
    ["reads an MSA when-word", "متى", "when"],
    ["reads an MSA how-many word", "كم", "how-many"],
    ["reads an MSA yes-no word", "هل", "yes-no"],
    ["reads an MSA which-word", "أي", "which"],
    ["reads a word written without its hamza", "اين", "where"],
    ["reads a word written with harakat", "مَتَى", "when"],
    ["reads a question word through a glued و", "ومتى", "when"],
    ["reads a question word through a glued ف", "فكم", "how-many"],
    ["reads a dialect word through a glued و", "وإمتى", "when"],
    ["reads ومن as who, although it is no stop word", "ومن", "who"],
    ["reads a word whose preposition is part of it", "بكم", "how-many"],
    ["does not remove a preposition: لكم (for you) is no كم", "لكم", undefined],
    ["reads a word whose preposition is part of it through a glued و", "وبكم", "how-many"],
    ["removes one conjunction only: ولكم (and for you) is no كم", "ولكم", undefined],
    ["does not read a content word", "روسيا", undefined],
    ["does not read a word that ends like a question word", "انتقد", undefined],
    ["does not read a lone conjunction", "و", undefined],
    ["does not read the empty string", "", undefined],
    ["does not read non-Arabic text", "when", undefined],
  ])("%s: %j", (_rule, token, expected) => {
    expect(questionWordAsks(normalizeArabic(token))).toBe(expected);
  });

  it.each(DIALECT_QUESTION_WORDS)("reads the dialect question word %s as %s", (word, asks) => {
    expect(questionWordAsks(normalizeArabic(word))).toBe(asks);
  });
});

describe("isQuestionStopWord", () => {
  it.each<[string, string, boolean]>([
    ["a question word", "متى", true],
    ["a question word with a glued و", "ومتى", true],
    ["a question word with a glued ف", "فكم", true],
    ["a Levantine question word", "وقتيش", true],
    ["not ومن: a particle (from) with a glued و", "ومن", false],
    ["not وما: a particle (not) with a glued و", "وما", false],
    ["not فلم: a particle (did not) with a glued ف", "فلم", false],
    ["not واي: Wi (واي فاي), or a particle (that is) with a glued و", "واي", false],
    ["not a question word with a glued preposition", "لكم", false],
    ["not a content word", "روسيا", false],
    ["not the empty string", "", false],
  ])("is %s: %j → %s", (_rule, token, expected) => {
    expect(isQuestionStopWord(normalizeArabic(token))).toBe(expected);
  });
});

describe("questionPhrases", () => {
  it.each<[QuestionAsks, string]>([
    ["when", "في أي عام"],
    ["when", "أي تاريخ"],
    ["how-many", "قد إيه"],
    ["how-many", "ما حجم"],
  ])("lists, for %s, the normalized phrase %s", (asks, phrase) => {
    expect(questionPhrases(asks)).toContain(normalizeArabic(phrase));
  });

  it("lists nothing for a kind no phrase asks", () => {
    expect(questionPhrases("yes-no")).toEqual([]);
  });
});

describe("the question word table", () => {
  it.each(DIALECT_QUESTION_WORDS)("lists %s (%s) as %s", (word, _asks, variety) => {
    const entry = QUESTION_WORDS.find((entry) => normalizeArabic(entry.word) === normalizeArabic(word));
    expect(entry?.varieties).toContain(variety);
  });

  it("lists each word once, as the lookup is normalized", () => {
    const words = QUESTION_WORDS.map(({ word }) => normalizeArabic(word));
    expect(words.filter((word, i) => words.indexOf(word) !== i)).toEqual([]);
  });

  it("lists phrases of two words or more, separated by one space", () => {
    expect(QUESTION_PHRASES.filter(({ phrase }) => !/^\S+( \S+)+$/u.test(phrase))).toEqual([]);
  });
});
