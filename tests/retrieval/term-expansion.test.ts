import { describe, expect, it } from "vitest";

import { EXPANSION_WEIGHTS, TermExpander, withinOneEdit } from "../../src/retrieval/index.js";

describe("withinOneEdit", () => {
  it.each<[string, string, boolean]>([
    ["abc", "abc", true],
    ["abc", "abd", true],
    ["abc", "ab", true],
    ["abc", "abcd", true],
    ["abc", "xabc", true],
    ["abc", "bac", true],
    ["abcd", "acbd", true],
    ["", "a", true],
    ["abc", "cba", false],
    ["abc", "a", false],
    ["abc", "xyz", false],
    ["طاجكستان", "طاجيكستان", true],
    ["بوتن", "بوتين", true],
    ["روسيا", "روسي", true],
    ["قمة", "أمة", true],
    ["موسكو", "كوسمو", false],
  ])("%j and %j: %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});

describe("TermExpander", () => {
  const expander = new TermExpander(["طاجيكستان", "قمه", "بوتين", "روس", "طالب", "مؤسس"]);

  it("searches an indexed word as it is", () => {
    expect(expander.expand("قمه")).toEqual([{ term: "قمه", weight: 1 }]);
  });

  it("searches a number as it is, indexed or not", () => {
    expect(expander.expand("2025")).toEqual([{ term: "2025", weight: 1 }]);
  });

  it.each<[string, string, string, number]>([
    ["a glued preposition", "بقمه", "قمه", EXPANSION_WEIGHTS.clitic],
    ["a glued conjunction", "وقمه", "قمه", EXPANSION_WEIGHTS.clitic],
    ["a glued ف", "فقمه", "قمه", EXPANSION_WEIGHTS.clitic],
    ["a glued ل", "لقمه", "قمه", EXPANSION_WEIGHTS.clitic],
    ["a glued ك", "كقمه", "قمه", EXPANSION_WEIGHTS.clitic],
    ["a missing letter", "طاجكستان", "طاجيكستان", EXPANSION_WEIGHTS.oneEdit],
    ["a missing letter", "بوتن", "بوتين", EXPANSION_WEIGHTS.oneEdit],
    ["a word it begins", "طاجيك", "طاجيكستان", EXPANSION_WEIGHTS.prefix],
    ["a clitic and a missing letter", "بطاجكستان", "طاجيكستان", EXPANSION_WEIGHTS.oneEdit],
  ])("matches %s: %s → %s", (_what, term, expected, weight) => {
    expect(expander.expand(term)).toContainEqual({ term: expected, weight });
  });

  it("weighs a question's own word above any alternative", () => {
    expect(EXPANSION_WEIGHTS.clitic).toBeLessThan(1);
    expect(EXPANSION_WEIGHTS.oneEdit).toBeLessThan(EXPANSION_WEIGHTS.clitic);
    expect(EXPANSION_WEIGHTS.prefix).toBeLessThan(EXPANSION_WEIGHTS.oneEdit);
  });

  it.each(["xyz", "مؤ", "كتاب"])("finds nothing for %j", (term) => {
    expect(expander.expand(term)).toEqual([]);
  });

  it("never offers the word itself as its own alternative", () => {
    for (const term of ["بقمه", "طاجكستان", "طاجيك"]) {
      expect(expander.expand(term).map((alternative) => alternative.term)).not.toContain(term);
    }
  });

  it("does not take a clitic off a word of two letters (بق is not ق)", () => {
    expect(new TermExpander(["ق"]).expand("بق")).toEqual([]);
  });

  it("works with an empty vocabulary", () => {
    expect(new TermExpander([]).expand("طاجيكستان")).toEqual([]);
  });
});
