import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { EXPANSION_WEIGHTS, TermExpander, withinOneEdit } from "../../src/retrieval/index.js";
import { OneEditIndex, PackedStringSet } from "../../src/retrieval/term-expansion.js";
import { analyzeForIndex, consonantSkeleton } from "../../src/text/index.js";
import { CORPUS_FILE } from "../support/corpus.js";
import { mulberry32 } from "../support/prng.js";
import { randomArabicWords } from "../text/random-text.js";

/** Words of a few letters from a tiny alphabet: most are one edit from several others. */
function denseWords(random: () => number, count: number, alphabet = "ابتسن"): string[] {
  return Array.from({ length: count }, () => {
    const letters = 2 + Math.floor(random() * 6);
    let word = "";
    for (let i = 0; i < letters; i++) word += alphabet[Math.floor(random() * alphabet.length)] ?? "";
    return word;
  });
}

/** `word` with one random insertion, deletion, substitution or swap of neighbours (or none). */
function misspell(random: () => number, word: string, alphabet: string): string {
  const at = Math.floor(random() * (word.length + 1));
  const letter = alphabet[Math.floor(random() * alphabet.length)] ?? "";
  switch (Math.floor(random() * 5)) {
    case 0:
      return word.slice(0, at) + letter + word.slice(at);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + letter + word.slice(at + 1);
    case 3:
      return word.slice(0, at) + word.slice(at + 1, at + 2) + word.slice(at, at + 1) + word.slice(at + 2);
    default:
      return word;
  }
}

/** What the deletion index must find: every word it holds (3 letters or more, not a number) within one edit. */
function bruteForce(vocabulary: readonly string[], word: string): string[] {
  const held = vocabulary.filter((candidate) => candidate.length >= 3 && !/^\d/.test(candidate));
  return [...new Set(held.filter((candidate) => withinOneEdit(word, candidate)))].sort();
}

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
    expect(new TermExpander([]).sharesSkeleton("طلاب")).toBe(false);
  });

  it("offers the first three words one edit away, in string order", () => {
    const close = ["بوتين", "بوتان", "بوتون", "بوتيل", "بوتي"];
    const oneEdit = new TermExpander(close)
      .expand("بوتن")
      .filter((alternative) => alternative.weight === EXPANSION_WEIGHTS.oneEdit);
    expect(oneEdit.map((alternative) => alternative.term)).toEqual(bruteForce(close, "بوتن").slice(0, 3));
  });

  it("tells whether an indexed word has the same consonant skeleton", () => {
    const vocabulary = new TermExpander(["طالب", "درس"]);
    expect(vocabulary.sharesSkeleton("طلاب")).toBe(true);
    expect(vocabulary.sharesSkeleton("كتاب")).toBe(false);
    expect(vocabulary.sharesSkeleton("طل")).toBe(false);
    expect(vocabulary.sharesSkeleton("2025")).toBe(false);
  });

  it("finds a shared skeleton exactly when some indexed word's skeleton is the same", () => {
    const vocabulary = [...new Set(analyzeForIndex(readFileSync(CORPUS_FILE, "utf8")))];
    const skeletons = new Set(vocabulary.map((word) => consonantSkeleton(word)));
    const expander = new TermExpander(vocabulary);
    const random = mulberry32(5);
    const alphabet = [...new Set(vocabulary.join(""))].join("");
    const misspelt = Array.from({ length: 3000 }, () =>
      misspell(random, vocabulary[Math.floor(random() * vocabulary.length)] ?? "", alphabet),
    );
    const probes = [...misspelt, ...randomArabicWords(5, 2000)];
    const answers = [...vocabulary, ...probes].map((word) => {
      const expected = consonantSkeleton(word) !== undefined && skeletons.has(consonantSkeleton(word));
      expect(expander.sharesSkeleton(word), word).toBe(expected);
      return expected;
    });
    const probesShared = answers.slice(vocabulary.length).filter(Boolean).length;
    expect(probesShared).toBeGreaterThan(500);
    expect(probesShared).toBeLessThan(probes.length - 500);
  });
});

describe("OneEditIndex", () => {
  const corpusWords = [...new Set(analyzeForIndex(readFileSync(CORPUS_FILE, "utf8")))];

  it("finds exactly the words within one edit of misspellings of the corpus's words", () => {
    const random = mulberry32(7);
    const index = new OneEditIndex(corpusWords);
    const alphabet = [...new Set(corpusWords.join(""))].join("");
    expect(corpusWords.length).toBeGreaterThan(100);
    let found = 0;
    for (let i = 0; i < 2000; i++) {
      const word = misspell(random, corpusWords[Math.floor(random() * corpusWords.length)] ?? "", alphabet);
      const expected = bruteForce(corpusWords, word);
      expect([...index.find(word)].sort(), word).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(1000);
  });

  // Fewer hash bits force collisions: at 0 every key shares one hash and only the check tells words apart.
  it.each([32, 12, 4, 0])(
    "finds exactly the words within one edit in a dense vocabulary, with %i hash bits",
    (hashBits) => {
      const random = mulberry32(hashBits + 1);
      const alphabet = "ابتسن";
      const vocabulary = [...denseWords(random, 400, alphabet), "1234", "٣ابت", "ابب", "بببب", "اا", "ا"];
      const index = new OneEditIndex(vocabulary, hashBits);
      let found = 0;
      for (let i = 0; i < 600; i++) {
        const word =
          i % 3 === 0
            ? (denseWords(random, 1, alphabet)[0] ?? "")
            : misspell(random, vocabulary[Math.floor(random() * vocabulary.length)] ?? "", alphabet);
        const expected = bruteForce(vocabulary, word);
        expect([...index.find(word)].sort(), word).toEqual(expected);
        found += expected.length;
      }
      expect(found).toBeGreaterThan(600);
    },
  );

  it("leaves out words under three letters and numbers, and finds words with doubled letters", () => {
    const index = new OneEditIndex(["اب", "1234", "ابب", "بببب", "ابتث"]);
    expect([...index.find("اب")]).toEqual(["ابب"]);
    expect([...index.find("1234")]).toEqual([]);
    expect([...index.find("ببب")].sort()).toEqual(["ابب", "بببب"]);
    expect([...index.find("ابثت")]).toEqual(["ابتث"]);
  });

  it("finds nothing in an empty vocabulary", () => {
    expect([...new OneEditIndex([]).find("ابتث")]).toEqual([]);
  });
});

describe("PackedStringSet", () => {
  it("holds exactly the strings put in, as a Set does", () => {
    const random = mulberry32(11);
    const strings = denseWords(random, 300);
    const set = new PackedStringSet(strings);
    const reference = new Set(strings);
    const probes = [...strings, ...denseWords(random, 1000), "", "ا", "ابتسنابتسن", "z"];
    for (const probe of probes) expect(set.has(probe), probe).toBe(reference.has(probe));
    for (const value of strings) {
      expect(set.has(value.slice(0, -1))).toBe(reference.has(value.slice(0, -1)));
      expect(set.has(`${value}ا`)).toBe(reference.has(`${value}ا`));
    }
  });

  it("tells apart strings that only differ by a prefix", () => {
    const set = new PackedStringSet(["طلب", "طلبت", "ط", ""]);
    expect(["طلب", "طلبت", "ط", ""].map((value) => set.has(value))).toEqual([true, true, true, true]);
    expect(["طل", "طلبتا", "لب", "ب"].map((value) => set.has(value))).toEqual([false, false, false, false]);
  });

  it("holds nothing when empty", () => {
    expect(new PackedStringSet([]).has("")).toBe(false);
    expect(new PackedStringSet([]).has("طلب")).toBe(false);
  });
});
