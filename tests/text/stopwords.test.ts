import { describe, expect, it } from "vitest";

import { QUESTION_WORDS, isStopWord, normalizeArabic } from "../../src/text/index.js";
import { DIALECT_QUESTION_WORD_LIST } from "./dialect-question-words.js";

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
    ["a dialect wish that frames a question", "بدي"],
    ["a dialect future marker", "رح"],
    ["a dialect possessive", "بتاع"],
    ["a dialect demonstrative", "هيك"],
    ["a question word with a glued و", "ومتى"],
    ["a question word with a glued ف", "فكم"],
    ["a dialect question word with a glued و", "ووين"],
    ["a question word with a preposition that is part of it", "بكم"],
    ["a Levantine question word that starts like و (وقتيش)", "وقتيش"],
  ])("is true for %s: %s", (_rule, word) => {
    expect(isStopWord(normalizeArabic(word))).toBe(true);
  });

  it.each(DIALECT_QUESTION_WORD_LIST)("is true for the dialect question word %s", (word) => {
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
    ["a question word with a glued preposition (لكم: for you)", "لكم"],
    ["ومن, read as and-from in article text", "ومن"],
    ["وما, read as and-not in article text", "وما"],
    ["ولم, read as and-did-not in article text", "ولم"],
    ["واي, read as Wi (واي فاي) in article text", "واي"],
    ["non-Arabic text", "when"],
  ])("is false for %s: %s", (_rule, word) => {
    expect(isStopWord(normalizeArabic(word))).toBe(false);
  });

  it("expects a normalized token: إلى is only found as الي", () => {
    expect(isStopWord("إلى")).toBe(false);
    expect(isStopWord("الي")).toBe(true);
  });

  it("is true for every word of the question word table once normalized", () => {
    expect(QUESTION_WORDS.filter(({ word }) => !isStopWord(normalizeArabic(word)))).toEqual([]);
  });
});
