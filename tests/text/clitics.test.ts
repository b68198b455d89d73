import { describe, expect, it } from "vitest";

import {
  CONJUNCTIONS,
  PREPOSITIONS,
  PROCLITICS,
  normalizeArabic,
  stripProclitic,
  tokenForms,
  tokenFormsOf,
  tokenize,
} from "../../src/text/index.js";
import { randomTexts } from "./random-text.js";

describe("stripProclitic", () => {
  // Tokens are written with their usual spelling and normalized first, as stripProclitic expects.
  it.each<[string, string, string | undefined]>([
    ["removes the conjunction و", "والقمة", "القمه"],
    ["removes the conjunction ف", "فمتى", "متي"],
    ["removes the preposition ب", "بقمة", "قمه"],
    ["removes the preposition ل", "لطاجيكستان", "طاجيكستان"],
    ["removes the preposition ك", "كالعادة", "العاده"],
    ["removes one clitic only", "وبالقمة", "بالقمه"],
    ["removes a clitic leaving two letters", "وكم", "كم"],
    ["keeps a clitic that would leave one letter", "ول", undefined],
    ["keeps a lone clitic", "و", undefined],
    ["keeps a word that starts with no clitic", "مارس", undefined],
    ["leaves the empty string", "", undefined],
    ["leaves a Latin word", "putin", undefined],
    ["leaves a number", "2025", undefined],
  ])("%s: %j", (_rule, token, expected) => {
    expect(stripProclitic(normalizeArabic(token))).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ["a conjunction before a question word", "وإمتى", "امتي"],
    ["ف before a question word", "فكم", "كم"],
    ["not a preposition: لكم (for you) is not كم", "لكم", undefined],
    ["not a preposition: بكم stays whole", "بكم", undefined],
  ])("with the conjunctions only, removes %s: %j", (_rule, token, expected) => {
    expect(stripProclitic(normalizeArabic(token), CONJUNCTIONS)).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ["ب", "بقمة", "قمه"],
    ["not و", "وقمة", undefined],
  ])("with the prepositions only, removes %s: %j", (_rule, token, expected) => {
    expect(stripProclitic(normalizeArabic(token), PREPOSITIONS)).toBe(expected);
  });

  describe("on the tokens of 500 seeded random strings", () => {
    const tokens = randomTexts(0x5eed7).flatMap((text) => tokenize(normalizeArabic(text)));

    it("removes the first letter, and only a proclitic before two letters or more", () => {
      const wrong = tokens.filter((token) => {
        const bare = stripProclitic(token);
        return (
          bare !== undefined &&
          (bare.length < 2 || !PROCLITICS.includes(token.charAt(0)) || token !== token.charAt(0) + bare)
        );
      });
      expect(wrong).toEqual([]);
    });

    it("removes every proclitic before two letters or more", () => {
      const kept = tokens.filter(
        (token) =>
          token.length >= 3 && PROCLITICS.includes(token.charAt(0)) && stripProclitic(token) === undefined,
      );
      expect(kept).toEqual([]);
    });
  });
});

describe("tokenForms", () => {
  it.each<[string, string, readonly string[]]>([
    ["gives the token and its bare form", "وخمسة", ["وخمسه", "خمسه"]],
    ["gives the token alone when nothing is glued", "مارس", ["مارس"]],
    ["keeps the token itself first (فبراير is a month, براير nothing)", "فبراير", ["فبراير", "براير"]],
    ["gives the empty string alone", "", [""]],
  ])("%s: %j", (_rule, token, expected) => {
    expect(tokenForms(normalizeArabic(token))).toEqual(expected);
  });

  it("only tries the clitics it is given", () => {
    expect(tokenForms("لكم", CONJUNCTIONS)).toEqual(["لكم"]);
  });
});

describe("tokenFormsOf", () => {
  it("is every token's forms in one list, on 300 seeded random texts, with each set of clitics", () => {
    for (const clitics of [PROCLITICS, CONJUNCTIONS]) {
      for (const text of randomTexts(0xf0a5, 300)) {
        const tokens = tokenize(normalizeArabic(text));
        expect(tokenFormsOf(tokens, clitics)).toEqual(tokens.flatMap((token) => tokenForms(token, clitics)));
      }
    }
  });
});
