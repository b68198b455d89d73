import { describe, expect, it } from "vitest";

import { analyzeForIndex, mentionsPerson, mentionsPlace } from "../../src/text/index.js";

describe("mentionsPerson", () => {
  it.each([
    ["an office", "التقى الرئيس بنظيره."],
    ["a title with a clitic-free form", "وقال وزير الخارجية إن …"],
    ["kinship in a name", "محمد بن سلمان"],
    ["birth", "ولد في القاهرة عام 1950."],
    ["authorship", "مؤلف الكتاب معروف."],
  ])("finds %s", (_case, text) => {
    expect(mentionsPerson(analyzeForIndex(text))).toBe(true);
  });

  it.each([
    ["a sentence of numbers", "بلغ حجم التجارة 1.5 مليار دولار."],
    ["the empty string", ""],
    ["Latin text", "The president met his counterpart."],
  ])("finds nothing in %s", (_case, text) => {
    expect(mentionsPerson(analyzeForIndex(text))).toBe(false);
  });
});

describe("mentionsPlace", () => {
  it.each([
    ["a capital", "دوشنبه عاصمة طاجيكستان."],
    ["a city", "في مدينة خوجند."],
    ["a verb of location", "تقع القاعدة قرب الحدود."],
    ["a direction", "في شمال البلاد."],
  ])("finds %s", (_case, text) => {
    expect(mentionsPlace(analyzeForIndex(text))).toBe(true);
  });

  it.each([
    ["a sentence of numbers", "بلغ حجم التجارة 1.5 مليار دولار."],
    ["the empty string", ""],
  ])("finds nothing in %s", (_case, text) => {
    expect(mentionsPlace(analyzeForIndex(text))).toBe(false);
  });
});
