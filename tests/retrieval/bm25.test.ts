import { describe, expect, it } from "vitest";

import { Bm25Index, type Bm25Options } from "../../src/retrieval/index.js";
import { mulberry32 } from "../support/prng.js";

const K1 = 1.2;
const B = 0.75;

/** Documents as token lists; "filler" tokens only make documents longer. */
const DOCS: string[][] = [
  ["روس", "طاجيكستان", "تجار"],
  ["روس", "طالب", "جامع"],
  ["روس", "قمه", "آسيا", "وسطى"],
  ["طاجيكستان", "قاعده", "عسكري", "201"],
];

const fill = (n: number): string[] => Array<string>(n).fill("filler");

/** Lucene's BM25 IDF, written out. */
const idfOf = (df: number, size: number): number => Math.log(1 + (size - df + 0.5) / (df + 0.5));

/**
 * BM25 written out over the raw token lists, with the same arithmetic in the same order as the index
 * (terms in query order, documents in order), so that its scores must match to the last bit.
 */
function referenceScores(
  docs: readonly (readonly string[])[],
  query: readonly { term: string; weight: number }[],
  k1 = K1,
  b = B,
): { scores: Map<number, number>; matched: number[] } {
  const averageLength = docs.length > 0 ? docs.flat().length / docs.length : 0;
  const scores = new Map<number, number>();
  const matched: number[] = [];
  for (const { term, weight } of query) {
    const df = docs.filter((tokens) => tokens.includes(term)).length;
    if (df === 0) continue;
    const idf = weight * idfOf(df, docs.length);
    docs.forEach((tokens, index) => {
      const tf = Math.min(tokens.filter((token) => token === term).length, 65_535);
      if (tf === 0) return;
      const norm = k1 * (1 - b + (b * tokens.length) / (averageLength || 1));
      scores.set(index, (scores.get(index) ?? 0) + (idf * tf * (k1 + 1)) / (tf + norm));
      if (!matched.includes(index)) matched.push(index);
    });
  }
  return { scores, matched };
}

/** Random documents over a vocabulary where a few terms are common and most are rare. */
function randomCorpus(seed: number, documents: number): string[][] {
  const random = mulberry32(seed);
  return Array.from({ length: documents }, () => {
    const length = Math.floor(random() ** 2 * 60);
    return Array.from({ length }, () => `t${Math.floor(random() ** 3 * 200)}`);
  });
}

describe("Bm25Index", () => {
  const bm25 = new Bm25Index(DOCS);

  it("knows its size and vocabulary", () => {
    expect(bm25.size).toBe(4);
    expect([...bm25.vocabulary()].sort()).toEqual([...new Set(DOCS.flat())].sort());
  });

  describe("idf", () => {
    it.each<[string, number]>([
      ["روس", 3],
      ["طاجيكستان", 2],
      ["قمه", 1],
    ])("follows Lucene's formula for %s (in %i documents)", (term, df) => {
      expect(bm25.idf(term)).toBeCloseTo(idfOf(df, 4), 12);
    });

    it("is higher for a term in fewer documents", () => {
      expect(bm25.idf("قمه")).toBeGreaterThan(bm25.idf("طاجيكستان"));
      expect(bm25.idf("طاجيكستان")).toBeGreaterThan(bm25.idf("روس"));
    });

    it("is the maximum for a term no document holds", () => {
      const unknown = bm25.idf("غير-موجود");
      expect(unknown).toBeCloseTo(idfOf(0, 4), 12);
      for (const term of bm25.vocabulary()) expect(unknown).toBeGreaterThan(bm25.idf(term));
    });

    it("is never negative, even for a term in every document", () => {
      const everywhere = new Bm25Index([["a"], ["a", "b"], ["a", "c"]]);
      expect(everywhere.idf("a")).toBeGreaterThan(0);
    });
  });

  describe("scoring", () => {
    it("computes Okapi BM25 exactly", () => {
      const averageLength = DOCS.flat().length / DOCS.length;
      const expected = (doc: number, term: string, df: number): number => {
        const tokens = DOCS[doc] ?? [];
        const tf = tokens.filter((token) => token === term).length;
        const norm = K1 * (1 - B + (B * tokens.length) / averageLength);
        return (idfOf(df, 4) * tf * (K1 + 1)) / (tf + norm);
      };
      const scores = bm25.scoreAll(["روس", "طاجيكستان"]);
      expect([...scores.keys()].sort()).toEqual([0, 1, 2, 3]);
      expect(scores.get(0)).toBeCloseTo(expected(0, "روس", 3) + expected(0, "طاجيكستان", 2), 12);
      expect(scores.get(1)).toBeCloseTo(expected(1, "روس", 3), 12);
      expect(scores.get(3)).toBeCloseTo(expected(3, "طاجيكستان", 2), 12);
    });

    it("scores only the documents that share a term with the query", () => {
      expect([...bm25.scoreAll(["قمه", "غير-موجود"]).keys()]).toEqual([2]);
      expect(bm25.scoreAll(["غير-موجود"]).size).toBe(0);
      expect(bm25.scoreAll([]).size).toBe(0);
    });

    it("counts a repeated query term once", () => {
      expect(bm25.scoreAll(["قمه", "قمه", "قمه"])).toEqual(bm25.scoreAll(["قمه"]));
    });

    it("saturates term frequency: more occurrences help less and less, up to idf × (k1 + 1)", () => {
      // Same length for every document, so that only the term frequency differs.
      const counts = [1, 2, 3, 4, 5, 6, 12];
      const docs = counts.map((tf) => [...Array<string>(tf).fill("x"), ...fill(16 - tf)]);
      const index = new Bm25Index([...docs, ["y"]]);
      const all = index.scoreAll(["x"]);
      const scores = counts.map((_, i) => all.get(i) ?? 0);
      const gains = scores.slice(1, 6).map((score, i) => score - (scores[i] ?? 0));
      for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1] ?? 0);
      for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThan(gains[i - 1] ?? 0);
      expect((scores[1] ?? 0) / (scores[0] ?? 1)).toBeLessThan(2);
      for (const score of scores) expect(score).toBeLessThan(index.idf("x") * (K1 + 1));
    });

    it("ignores term frequency when k1 is 0", () => {
      const index = new Bm25Index([["x"], ["x", "x", "x"], ["y"]], { k1: 0 });
      const scores = index.scoreAll(["x"]);
      expect(scores.get(0)).toBeCloseTo(index.idf("x"), 12);
      expect(scores.get(1)).toBeCloseTo(index.idf("x"), 12);
    });

    it("normalizes by length: the same match counts less in a longer document", () => {
      const docs = [["x", ...fill(2)], ["x", ...fill(20)], ["y"]];
      const scores = new Bm25Index(docs).scoreAll(["x"]);
      expect(scores.get(0)).toBeGreaterThan(scores.get(1) ?? Infinity);
    });

    it("does not normalize by length when b is 0", () => {
      const docs = [["x", ...fill(2)], ["x", ...fill(20)], ["y"]];
      const scores = new Bm25Index(docs, { b: 0 }).scoreAll(["x"]);
      expect(scores.get(0)).toBeCloseTo(scores.get(1) ?? Infinity, 12);
    });

    it("weighs each term's contribution by its weight", () => {
      const full = bm25.scoreWeighted([{ term: "قمه", weight: 1 }]).get(2) ?? 0;
      const weighted = bm25.scoreWeighted([{ term: "قمه", weight: 0.8 }]).get(2) ?? 0;
      expect(weighted).toBeCloseTo(0.8 * full, 12);
      expect(bm25.scoreWeighted([{ term: "قمه", weight: 1 }])).toEqual(bm25.scoreAll(["قمه"]));
    });
  });

  describe("against BM25 written out", () => {
    it.each<[string, Bm25Options]>([
      ["the default parameters", {}],
      ["k1 2 and b 0.3", { k1: 2, b: 0.3 }],
      ["b 0", { b: 0 }],
      ["k1 0", { k1: 0 }],
    ])("gives bit-identical scores, idf and matches with %s", (_what, options) => {
      const docs = randomCorpus(17, 300);
      const index = new Bm25Index(docs, options);
      const vocabulary = [...new Set(docs.flat())];
      expect([...index.vocabulary()]).toEqual(vocabulary);
      for (const term of [...vocabulary, "غير-موجود"]) {
        expect(index.idf(term)).toBe(idfOf(docs.filter((tokens) => tokens.includes(term)).length, 300));
      }
      const random = mulberry32(23);
      for (let q = 0; q < 100; q++) {
        const query = Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({
          term: random() < 0.1 ? "غير-موجود" : `t${Math.floor(random() ** 2 * 220)}`,
          weight: random() < 0.5 ? 1 : random(),
        }));
        const expected = referenceScores(docs, query, options.k1, options.b);
        const dense = index.scoreDense(query);
        expect(dense.matched).toEqual(expected.matched);
        expect([...dense.entries()]).toEqual([...expected.scores]);
        expect(index.scoreWeighted(query)).toEqual(expected.scores);
        const everyScore = (score: (position: number) => number): number[] =>
          Array.from({ length: docs.length }, (_, position) => score(position));
        expect(everyScore((position) => dense.get(position))).toEqual(
          everyScore((position) => expected.scores.get(position) ?? 0),
        );
      }
    });

    it("stores a term frequency above 65,535 as 65,535 but counts every token in the length", () => {
      const docs = [[...Array<string>(70_000).fill("x"), "y"], ["x", "z"], ["z"]];
      const query = [{ term: "x", weight: 1 }];
      const expected = referenceScores(docs, query);
      expect(new Bm25Index(docs).scoreWeighted(query)).toEqual(expected.scores);
    });
  });

  describe("search", () => {
    it("returns the best documents first, with their scores", () => {
      const hits = bm25.search(["طاجيكستان", "تجار"], 10);
      expect(hits.map((hit) => hit.index)).toEqual([0, 3]);
      expect(hits[0]?.bm25Score).toBeGreaterThan(hits[1]?.bm25Score ?? Infinity);
      const scores = bm25.scoreAll(["طاجيكستان", "تجار"]);
      for (const hit of hits) expect(hit.bm25Score).toBe(scores.get(hit.index));
    });

    it.each([0, 1, 2, 3])("returns at most k = %i documents", (k) => {
      const hits = bm25.search(["روس"], k);
      expect(hits).toHaveLength(Math.min(k, 3));
    });

    it("keeps document order between equal scores", () => {
      const index = new Bm25Index([
        ["b", "x"],
        ["a", "x"],
        ["c", "x"],
        ["x", "d"],
      ]);
      expect(index.search(["x"], 10).map((hit) => hit.index)).toEqual([0, 1, 2, 3]);
    });

    it("finds nothing for a query without known terms", () => {
      expect(bm25.search(["غير-موجود"], 5)).toEqual([]);
      expect(bm25.search([], 5)).toEqual([]);
    });
  });

  describe("when empty", () => {
    const empty = new Bm25Index([]);

    it("has no documents and finds nothing", () => {
      expect(empty.size).toBe(0);
      expect([...empty.vocabulary()]).toEqual([]);
      expect(empty.search(["x"], 5)).toEqual([]);
      expect(empty.scoreAll(["x"]).size).toBe(0);
      expect(Number.isFinite(empty.idf("x"))).toBe(true);
    });

    it("handles documents without tokens", () => {
      const index = new Bm25Index([[], [], ["x"]]);
      expect(index.search(["x"], 5).map((hit) => hit.index)).toEqual([2]);
      expect(Number.isFinite(index.search(["x"], 5)[0]?.bm25Score)).toBe(true);
      const allEmpty = new Bm25Index([[], []]);
      expect(allEmpty.search(["x"], 5)).toEqual([]);
    });
  });
});
