import { describe, expect, it } from "vitest";

import { QUESTION_WORDS, isStopWord, normalizeArabic } from "../../src/text/index.js";

/** The dialect question words people type: Levantine, Gulf, Iraqi, Egyptian. */
const DIALECT_QUESTION_WORDS = [
  "شو",
  "وين",
  "إيمتى",
  "قديش",
  "شنو",
  "وش",
  "إيه",
  "فين",
  "امتى",
  "كام",
  "مين",
];

describe("isStopWord", () => {
  it.each<[string, string]>([
    ["a preposition", "في"],
    ["a preposition with hamza and alef maksura", "إلى"],
    ["a preposition with alef maksura", "على"],
    ["a preposition with a pronoun", "عليها"],
    ["a conjunction", "و"],
    ["a negation", "لم"],
    ["a particle with hamza", "أن"],
    ["an adverb written with tanween", "أيضاً"],
    ["a pronoun", "هو"],
    ["a demonstrative with teh marbuta", "هذه"],
    ["a relative", "الذين"],
    ["an auxiliary", "كان"],
    ["the article left alone by a tatweel (الـ)", "الـ"],
    ["an MSA question word", "ماذا"],
    ["an MSA question word with alef maksura", "متى"],
    ["an MSA question word with hamza", "أين"],
    ["an MSA question word", "هل"],
    ["a request verb that frames a question", "أخبرني"],
  ])("is true for %s: %s", (_rule, word) => {
    expect(isStopWord(normalizeArabic(word))).toBe(true);
  });

  it.each(DIALECT_QUESTION_WORDS)("is true for the dialect question word %s", (word) => {
    expect(isStopWord(normalizeArabic(word))).toBe(true);
  });

  it.each<[string, string]>([
    ["the empty string", ""],
    ["a country", "روسيا"],
    ["a noun with the article", "التجارة"],
    ["a name", "بوتين"],
    ["a number", "22.6%"],
    ["a Latin word", "putin"],
    ["a word that starts with a stop word", "فيلم"],
    ["a stop word with a prefix glued on", "وفي"],
  ])("is false for %s: %s", (_rule, word) => {
    expect(isStopWord(normalizeArabic(word))).toBe(false);
  });

  it("expects a normalized token: إلى is only found as الي", () => {
    expect(isStopWord("إلى")).toBe(false);
    expect(isStopWord("الي")).toBe(true);
  });

  it("is true for every question word once normalized", () => {
    expect(QUESTION_WORDS.filter((word) => !isStopWord(normalizeArabic(word)))).toEqual([]);
  });
});

describe("QUESTION_WORDS", () => {
  it("lists the dialect question words", () => {
    expect(QUESTION_WORDS).toEqual(expect.arrayContaining(DIALECT_QUESTION_WORDS));
  });
});
