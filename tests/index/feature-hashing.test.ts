import { describe, expect, it } from "vitest";

import {
  DEFAULT_MAX_GRAM,
  DEFAULT_MIN_GRAM,
  featureStrings,
  fnv1a,
  hashFeatures,
  hashTextFeatures,
} from "../../src/index/feature-hashing.js";
import { analyzeForIndex } from "../../src/text/index.js";
import { randomArabicWords, randomTexts } from "../text/random-text.js";

const signOf = (feature: string): number => (fnv1a(feature) & 0x80000000 ? -1 : 1);
const bucketOf = (feature: string, dimensions: number): number => fnv1a(feature) % dimensions;

describe("fnv1a", () => {
  it.each<[string, number]>([
    // The published FNV-1a 32-bit test vectors (offset basis, "a", "foobar").
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
    ["foobar", 0xbf9cf968],
    // Arabic goes in as UTF-16 code units; pinned so that saved indexes keep their meaning.
    ["سلام", 502_922_046],
  ])("hashes %j to %i", (text, expected) => {
    expect(fnv1a(text)).toBe(expected);
  });

  it("is deterministic and an unsigned 32-bit integer", () => {
    for (const text of ["w:طلاب", "c:<ال", "Putin", "٣٥ ألف"]) {
      const hash = fnv1a(text);
      expect(fnv1a(text)).toBe(hash);
      expect(Number.isInteger(hash)).toBe(true);
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThan(2 ** 32);
    }
  });

  it("tells apart texts that differ in one letter", () => {
    expect(fnv1a("طالب")).not.toBe(fnv1a("طلاب"));
  });
});

describe("featureStrings", () => {
  const features = featureStrings("الطلاب في موسكو");

  it("holds the analyzed (stemmed) words as w: features, without stop words", () => {
    expect(features.filter((feature) => feature.startsWith("w:"))).toEqual(["w:طلاب", "w:موسكو"]);
    expect(features).not.toContain("w:في");
  });

  it("holds character n-grams of the unstemmed words with boundary marks", () => {
    expect(features).toEqual(
      expect.arrayContaining(["c:<ال", "c:اب>", "c:<الط", "c:طلاب>", "c:<موسك", "c:موسكو", "c:وسكو>"]),
    );
    // Stop words give no n-grams either.
    expect(features.some((feature) => feature.includes("في"))).toBe(false);
  });

  it("has every n-gram length from the minimum to the maximum, and only those", () => {
    expect([DEFAULT_MIN_GRAM, DEFAULT_MAX_GRAM]).toEqual([3, 5]);
    const lengths = new Set(
      features.filter((feature) => feature.startsWith("c:")).map((feature) => feature.length - 2),
    );
    expect([...lengths].sort()).toEqual([3, 4, 5]);
    // "<الطلاب>" has 8 characters: 6 + 5 + 4 n-grams; "<موسكو>" has 7: 5 + 4 + 3.
    expect(features).toHaveLength(2 + 15 + 12);
  });

  it("honours other n-gram lengths", () => {
    expect(featureStrings("موسكو", 3, 3)).toEqual(["w:موسكو", "c:<مو", "c:موس", "c:وسك", "c:سكو", "c:كو>"]);
  });

  it("gives a short word only the n-grams that fit", () => {
    expect(featureStrings("x")).toEqual(["w:x", "c:<x>"]);
  });

  it.each(["", "   ", "في من على إلى"])("is empty for %j (nothing but stop words or blanks)", (text) => {
    expect(featureStrings(text)).toEqual([]);
  });
});

describe("hashFeatures", () => {
  const dimensions = 64;

  it("puts each feature in its bucket with the sign of its hash's top bit", () => {
    const hashed = hashFeatures(["w:روسي"], dimensions);
    expect([...hashed]).toEqual([[bucketOf("w:روسي", dimensions), signOf("w:روسي")]]);
  });

  it("is sublinear: a feature seen n times weighs 1 + ln n", () => {
    const feature = "w:تجار";
    for (const count of [1, 2, 3, 10]) {
      const hashed = hashFeatures(Array<string>(count).fill(feature), dimensions);
      expect(hashed.get(bucketOf(feature, dimensions))).toBeCloseTo(
        signOf(feature) * (1 + Math.log(count)),
        12,
      );
    }
  });

  it("lets two features of opposite signs in one bucket cancel out", () => {
    const candidates = Array.from({ length: 500 }, (_, i) => `f${i}`);
    const first = candidates[0] ?? "";
    const opposite = candidates.find(
      (feature) =>
        bucketOf(feature, dimensions) === bucketOf(first, dimensions) && signOf(feature) !== signOf(first),
    );
    expect(opposite).toBeDefined();
    const hashed = hashFeatures([first, opposite ?? ""], dimensions);
    expect(hashed.has(bucketOf(first, dimensions))).toBe(false);
  });

  it("adds up features of the same sign in one bucket", () => {
    const candidates = Array.from({ length: 500 }, (_, i) => `g${i}`);
    const first = candidates[0] ?? "";
    const same = candidates.find(
      (feature) =>
        feature !== first &&
        bucketOf(feature, dimensions) === bucketOf(first, dimensions) &&
        signOf(feature) === signOf(first),
    );
    expect(same).toBeDefined();
    const hashed = hashFeatures([first, same ?? ""], dimensions);
    expect(hashed.get(bucketOf(first, dimensions))).toBeCloseTo(signOf(first) * (1 + Math.log(2)), 12);
  });

  it("keeps every bucket inside the dimensions and is deterministic", () => {
    const features = featureStrings("استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان");
    const hashed = hashFeatures(features, dimensions);
    expect(hashFeatures(features, dimensions)).toEqual(hashed);
    for (const [bucket, value] of hashed) {
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(dimensions);
      expect(value).not.toBe(0);
    }
  });

  it("is empty for no features", () => {
    expect(hashFeatures([], dimensions).size).toBe(0);
  });
});

describe("hashTextFeatures", () => {
  // The same map, entry for entry and in the same order (the order a vector's norm is summed in).
  const entriesOf = (text: string, dimensions: number, minGram?: number, maxGram?: number) => [
    [...hashTextFeatures(text, dimensions, minGram, maxGram)],
    [...hashFeatures(featureStrings(text, minGram, maxGram), dimensions)],
  ];

  it("hashes as featureStrings then hashFeatures do, on random texts and words, at several sizes", () => {
    const texts = [
      ...randomTexts(0xfea7, 300),
      randomArabicWords(0xfea8, 400).join(" "),
      "الطلاب في موسكو، Putin و 22.6%",
      "",
    ];
    for (const dimensions of [8, 2048, 4099]) {
      for (const text of texts) {
        const [direct, viaStrings] = entriesOf(text, dimensions);
        expect(direct).toEqual(viaStrings);
      }
    }
    const [direct, viaStrings] = entriesOf("الرئيس الروسي في دوشنبه", 512, 2, 6);
    expect(direct).toEqual(viaStrings);
  });

  it("takes the index terms when the caller has them", () => {
    const text = "يواصل الرئيس الروسي برنامجه";
    expect([...hashTextFeatures(text, 256, 3, 5, analyzeForIndex(text))]).toEqual([
      ...hashTextFeatures(text, 256),
    ]);
  });
});
