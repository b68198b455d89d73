import { describe, expect, it } from "vitest";

import { normalizeArabic, verbForm } from "../../src/text/index.js";

describe("verbForm", () => {
  it.each<[string, string, string, string | undefined]>([
    ["the imperfect, she", "تعقد", "عقد", "imperfect"],
    ["the imperfect with harakat", "تُعقد", "عقد", "imperfect"],
    ["the future particle glued on", "ستعقد", "عقد", "imperfect"],
    ["the imperfect, he", "يلتقي", "لتق", "imperfect"],
    ["the imperfect, we", "نشارك", "شرك", "imperfect"],
    ["the perfect", "عقد", "عقد", "perfect"],
    ["the perfect, she", "عقدت", "عقد", "perfect"],
    ["the perfect after a conjunction", "وعقد", "عقد", "perfect"],
    ["a perfect of form VIII, opening with alef", "التقى", "لتق", "perfect"],
    ["a perfect of form VII", "انطلقت", "طلق", "perfect"],
  ])("reads %s: %s", (_rule, word, root, aspect) => {
    expect(verbForm(normalizeArabic(word))).toEqual({ root, aspect });
  });

  it.each([
    ["the empty string", ""],
    ["a word too short to be read", "قد"],
    ["a weak root left with too few letters", "أكد"],
  ])("reads nothing in %s", (_case, word) => {
    expect(verbForm(normalizeArabic(word))).toBeUndefined();
  });

  it("gives the imperfect and the perfect of one verb the same root", () => {
    expect(verbForm("ينطلق")?.root).toBe(verbForm("انطلق")?.root);
    expect(verbForm("سيشارك")?.root).toBe(verbForm("شارك")?.root);
  });
});
