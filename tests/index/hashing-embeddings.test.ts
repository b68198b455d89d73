import { describe, expect, it } from "vitest";

import { featureStrings, fnv1a } from "../../src/index/feature-hashing.js";
import { DEFAULT_HASHING_DIMENSIONS } from "../../src/config/index.js";
import { HashingEmbeddings } from "../../src/index/index.js";

const STUDENTS = "ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
const STUDENTS_RELATED = "كم عدد الطلاب الطاجيكستانيين في المؤسسات التعليمية الروسية؟";
const UNRELATED = "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار أوبك.";

const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
const norm = (vector: readonly number[]): number => Math.sqrt(dot(vector, vector));

describe("HashingEmbeddings", () => {
  const embeddings = new HashingEmbeddings({ dimensions: 1024 });

  it("defaults to 2048 dimensions and IDF weights of 1", () => {
    const defaults = new HashingEmbeddings();
    expect(DEFAULT_HASHING_DIMENSIONS).toBe(2048);
    expect(defaults.dimensions).toBe(2048);
    expect(defaults.idf).toHaveLength(2048);
    expect(defaults.idf.every((weight) => weight === 1)).toBe(true);
    expect(defaults.embedText(STUDENTS)).toHaveLength(2048);
  });

  it("is deterministic, also across instances", () => {
    const again = new HashingEmbeddings({ dimensions: 1024 });
    expect(embeddings.embedText(STUDENTS)).toEqual(embeddings.embedText(STUDENTS));
    expect(again.embedText(STUDENTS)).toEqual(embeddings.embedText(STUDENTS));
  });

  it.each([STUDENTS, STUDENTS_RELATED, UNRELATED, "Putin", "٢٠٢٥"])("gives %j a unit vector", (text) => {
    const vector = embeddings.embedText(text);
    expect(vector).toHaveLength(1024);
    expect(norm(vector)).toBeCloseTo(1, 10);
  });

  it.each(["", "   ", "في من على إلى", "؟!،"])("gives %j the zero vector", (text) => {
    const vector = embeddings.embedText(text);
    expect(vector).toHaveLength(1024);
    expect(vector.every((value) => value === 0)).toBe(true);
  });

  it("finds a text most similar to itself", () => {
    const texts = [STUDENTS, STUDENTS_RELATED, UNRELATED];
    const vectors = texts.map((text) => embeddings.embedText(text));
    vectors.forEach((vector, i) => {
      const similarities = vectors.map((other) => dot(vector, other));
      expect(similarities[i]).toBeCloseTo(1, 10);
      expect(Math.max(...similarities)).toBeCloseTo(similarities[i] ?? 0, 10);
    });
  });

  it("finds a related Arabic sentence more similar than an unrelated one", () => {
    const query = embeddings.embedText(STUDENTS);
    const related = dot(query, embeddings.embedText(STUDENTS_RELATED));
    const unrelated = dot(query, embeddings.embedText(UNRELATED));
    expect(related).toBeGreaterThan(unrelated + 0.1);
  });

  it("gives a question by its non-zero terms, in increasing order, with the values of embedQuery", async () => {
    const fitted = HashingEmbeddings.fit([STUDENTS, STUDENTS_RELATED, UNRELATED], { dimensions: 512 });
    for (const text of [STUDENTS_RELATED, UNRELATED, STUDENTS, "", "؟", STUDENTS_RELATED]) {
      const dense = await fitted.embedQuery(text);
      const { dimensions, weights } = fitted.embedQuerySparse(text);
      const expected = dense.flatMap((value, d) => (value === 0 ? [] : [d]));
      expect([...dimensions]).toEqual(expected);
      // The same floats, to the last bit; each call starts from zeros (the question asked twice too).
      expect([...weights]).toEqual(expected.map((d) => dense[d]));
    }
  });

  it("matches words under clitics and plurals through their character n-grams", () => {
    const query = embeddings.embedText("الطلاب");
    expect(dot(query, embeddings.embedText("والطلاب"))).toBeGreaterThan(0.5);
    expect(dot(query, embeddings.embedText("النفط"))).toBeLessThan(0.3);
  });

  it("embeds documents as passages, text by text, and (without counted weights) as queries", async () => {
    const texts = [STUDENTS, STUDENTS_RELATED, UNRELATED, ""];
    const documents = await embeddings.embedDocuments(texts);
    expect(documents).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      expect(documents[i]).toEqual(Array.from(embeddings.embedPassage(text)));
      const query = await embeddings.embedQuery(text);
      query.forEach((value, bucket) => {
        expect(documents[i]?.[bucket]).toBeCloseTo(value, 6);
      });
    }
  });

  describe("validation", () => {
    it.each([0, 7, -8, 16.5, Number.NaN])("rejects %d dimensions", (dimensions) => {
      expect(() => new HashingEmbeddings({ dimensions })).toThrow(RangeError);
    });

    it("accepts 8 dimensions", () => {
      expect(new HashingEmbeddings({ dimensions: 8 }).embedText(STUDENTS)).toHaveLength(8);
    });

    it("rejects document frequencies of another length", () => {
      expect(
        () =>
          new HashingEmbeddings({ dimensions: 64, documentFrequency: new Uint32Array(32), documentCount: 3 }),
      ).toThrow(/32 buckets for 64 dimensions/);
    });
  });

  describe("fit", () => {
    const rare = "موسكو";
    const common = "روسيا";
    const texts = Array.from({ length: 10 }, (_, i) => (i === 0 ? `${common} ${rare}` : `${common} خبر`));
    const fitted = HashingEmbeddings.fit(texts, { dimensions: 4096 });
    /** The bucket of a word's w: feature (its first feature). */
    const wordBucket = (word: string): number => fnv1a(featureStrings(word)[0] ?? "") % 4096;

    it("keeps the dimensions and learns one weight per bucket", () => {
      expect(fitted.dimensions).toBe(4096);
      expect(fitted.idf).toHaveLength(4096);
    });

    it("gives a rarer text higher IDF than a text seen everywhere", () => {
      const rareWeight = fitted.idf[wordBucket(rare)] ?? 0;
      const commonWeight = fitted.idf[wordBucket(common)] ?? 0;
      expect(rareWeight).toBeGreaterThan(commonWeight);
      // Smoothed IDF: ln((n + 1) / (df + 1)) + 1.
      expect(commonWeight).toBeCloseTo(1, 6);
      expect(rareWeight).toBeCloseTo(Math.log(11 / 2) + 1, 5);
    });

    it("gives a bucket no text uses the highest weight", () => {
      const highest = Math.log(11) + 1;
      expect(Math.max(...fitted.idf)).toBeCloseTo(highest, 5);
      expect(Math.min(...fitted.idf)).toBeGreaterThan(0);
    });

    it("still gives unit vectors, and weighs rare words more in a question's similarity", () => {
      expect(norm(fitted.embedText(texts[0] ?? ""))).toBeCloseTo(1, 5);
      const question = fitted.embedText(`${common} ${rare}`);
      const rarePassage = Array.from(fitted.embedPassage(rare));
      const commonPassage = Array.from(fitted.embedPassage(common));
      expect(dot(question, rarePassage)).toBeGreaterThan(dot(question, commonPassage));
    });

    it("embeds a passage from its own text alone, whatever the corpus", () => {
      const other = HashingEmbeddings.fit(["نص آخر تماما"], { dimensions: 4096 });
      expect(fitted.embedPassage(texts[0] ?? "")).toEqual(other.embedPassage(texts[0] ?? ""));
      expect(fitted.embedText(`${common} ${rare}`)).not.toEqual(other.embedText(`${common} ${rare}`));
    });

    it("counts passages in and out to the same weights as counting from scratch", () => {
      const plain = new HashingEmbeddings({ dimensions: 4096 });
      const vectors = texts.map((text) => plain.embedPassage(text));
      const extra = plain.embedPassage("خبر عاجل عن موسكو");
      const updated = fitted.withCounted([extra], [vectors[3] ?? new Float32Array(4096)]);
      const fromScratch = HashingEmbeddings.fit([...texts.filter((_, i) => i !== 3), "خبر عاجل عن موسكو"], {
        dimensions: 4096,
      });
      expect(updated.documentCount).toBe(10);
      expect(updated.documentFrequency).toEqual(fromScratch.documentFrequency);
      expect(updated.idf).toEqual(fromScratch.idf);
    });

    it("defaults to 2048 dimensions and accepts no texts", () => {
      const empty = HashingEmbeddings.fit([]);
      expect(empty.dimensions).toBe(2048);
      expect(norm(empty.embedText(STUDENTS))).toBeCloseTo(1, 5);
    });
  });
});
