import path from "node:path";
import { fileURLToPath } from "node:url";

import { Document } from "@langchain/core/documents";
import { beforeAll, describe, expect, it } from "vitest";

import { loadCorpus } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import {
  DEFAULT_CANDIDATES,
  DEFAULT_FUSION_WEIGHTS,
  DEFAULT_PASSAGES,
  EXPANSION_WEIGHTS,
  HybridRetriever,
  type PassageHit,
} from "../../src/retrieval/index.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STUDENTS_QUESTION = "كم عدد الطلاب الطاجيكستانيين في المؤسسات الروسية؟";
const STUDENTS_ANSWER = "35 ألف طالب";

let index: SanadIndex;
let retriever: HybridRetriever;

beforeAll(async () => {
  const corpus = await loadCorpus(path.join(REPO_ROOT, "corpus"));
  index = await SanadIndex.build(corpus.articles, { provider: "hashing", dimensions: 256 });
  retriever = new HybridRetriever({ index });
});

const textOf = (hit: PassageHit | undefined): string => hit?.text ?? "";

describe("HybridRetriever", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_PASSAGES).toBe(8);
    expect(DEFAULT_CANDIDATES).toBe(30);
    expect(DEFAULT_FUSION_WEIGHTS).toEqual({ lexical: 0.3, vector: 2 });
    expect(retriever.lexical.size).toBe(index.passages.length);
  });

  describe("retrieve", () => {
    it("puts the passage with the answer first", async () => {
      const { hits } = await retriever.retrieve(STUDENTS_QUESTION);
      expect(textOf(hits[0])).toContain(STUDENTS_ANSWER);
      expect(hits[0]?.bm25Score).toBeGreaterThan(0);
    });

    it.each<[string, string]>([
      ["ما مصدر الخبر؟", "المصدر: تاس"],
      ["متى نشر الخبر؟", "تاريخ النشر: 2025-10-09"],
      ["ما حجم التجارة المتبادلة بين روسيا وطاجيكستان في عام 2024؟", "1.5 مليار دولار"],
      ["ما رقم القاعدة العسكرية الروسية في طاجيكستان؟", "رقم 201"],
    ])("answers %s from the passage holding %s", async (question, expected) => {
      const { hits } = await retriever.retrieve(question);
      expect(textOf(hits[0])).toContain(expected);
    });

    it("still finds the answer when a word is misspelt", async () => {
      const { hits, terms } = await retriever.retrieve("كم عدد الطلاب الطاجكستانيين؟");
      expect(textOf(hits[0])).toContain(STUDENTS_ANSWER);
      const misspelt = terms.find((term) => term.term.startsWith("طاجكست"));
      expect(misspelt?.alternatives).toEqual([{ term: "طاجيكست", weight: EXPANSION_WEIGHTS.oneEdit }]);
    });

    it("returns the question's analyzed words with their weights", async () => {
      const { terms } = await retriever.retrieve(STUDENTS_QUESTION);
      expect(terms.length).toBeGreaterThan(0);
      expect(new Set(terms.map((term) => term.term)).size).toBe(terms.length);
      for (const term of terms) {
        expect(term.idf).toBeGreaterThan(0);
        for (const alternative of term.alternatives) {
          expect(alternative.weight).toBeGreaterThan(0);
          expect(alternative.weight).toBeLessThanOrEqual(1);
        }
      }
    });

    it("ranks by score, best first, and reports consistent evidence", async () => {
      const { hits } = await retriever.retrieve(STUDENTS_QUESTION, { k: 100 });
      const scores = hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new Set(hits.map((hit) => hit.passageId)).size).toBe(hits.length);
      const query = await index.embeddings.embedQuery(STUDENTS_QUESTION);
      for (const hit of hits) {
        const position = index.passages.findIndex((passage) => passage.id === hit.passageId);
        const passage = index.passages[position];
        expect(passage).toBeDefined();
        if (!passage) continue;
        expect(hit.text).toBe(index.passageText(passage));
        expect(hit.terms).toEqual(index.passageTerms(position));
        expect(hit.sentences.map((sentence) => sentence.id)).toEqual(
          passage.sentences.map((at) => index.sentences[at]?.id),
        );
        expect(hit.similarity).toBeCloseTo(index.vectorStore.similarityTo(query, passage.label), 5);
        expect(hit.bm25Score).toBeGreaterThanOrEqual(0);
      }
    });

    it("fuses the max-normalized BM25 score with the cosine similarity", async () => {
      // Every passage is a vector candidate here, so the best BM25 score is among the hits.
      expect(index.passages.length).toBeLessThan(DEFAULT_CANDIDATES);
      const { hits } = await retriever.retrieve(STUDENTS_QUESTION, { k: 100 });
      expect(hits).toHaveLength(index.passages.length);
      const maxBm25 = Math.max(...hits.map((hit) => hit.bm25Score));
      const { lexical, vector } = DEFAULT_FUSION_WEIGHTS;
      for (const hit of hits) {
        expect(hit.score).toBeCloseTo(lexical * (hit.bm25Score / maxBm25) + vector * hit.similarity, 10);
      }
    });

    it("ranks by the vector alone with a lexical weight of 0, and by BM25 alone with a vector weight of 0", async () => {
      const vectorOnly = new HybridRetriever({ index, weights: { lexical: 0, vector: 1 } });
      for (const hit of (await vectorOnly.retrieve(STUDENTS_QUESTION)).hits) {
        expect(hit.score).toBeCloseTo(hit.similarity, 10);
      }
      const lexicalOnly = new HybridRetriever({ index, weights: { lexical: 1, vector: 0 } });
      const { hits } = await lexicalOnly.retrieve(STUDENTS_QUESTION);
      expect(hits[0]?.score).toBeCloseTo(1, 10);
      const bm25 = hits.map((hit) => hit.bm25Score);
      expect(bm25).toEqual([...bm25].sort((a, b) => b - a));
    });

    it.each([1, 3, 5])("returns k = %i passages when asked", async (k) => {
      expect((await retriever.retrieve(STUDENTS_QUESTION, { k })).hits).toHaveLength(k);
    });

    it("returns every candidate when k exceeds them, and k = 8 by default", async () => {
      expect((await retriever.retrieve(STUDENTS_QUESTION)).hits).toHaveLength(DEFAULT_PASSAGES);
      expect((await retriever.retrieve(STUDENTS_QUESTION, { k: 1000 })).hits).toHaveLength(
        index.passages.length,
      );
    });

    it("takes at most `candidates` passages from each ranking", async () => {
      const narrow = new HybridRetriever({ index, candidates: 2 });
      const { hits } = await narrow.retrieve(STUDENTS_QUESTION, { k: 100 });
      expect(hits.length).toBeGreaterThanOrEqual(2);
      expect(hits.length).toBeLessThanOrEqual(4);
      expect(textOf(hits[0])).toContain(STUDENTS_ANSWER);
    });

    it.each([
      ["unknown words", "xyzzy qwerty"],
      ["stop words only", "في من على"],
      ["punctuation only", "؟!"],
      ["an empty question", ""],
    ])("still returns passages, without throwing, for %s", async (_name, question) => {
      const { hits } = await retriever.retrieve(question);
      expect(hits).toHaveLength(DEFAULT_PASSAGES);
      for (const hit of hits) {
        expect(hit.bm25Score).toBe(0);
        expect(Number.isFinite(hit.score)).toBe(true);
      }
    });

    it("gives an unindexed word without alternatives the highest idf", async () => {
      const { terms } = await retriever.retrieve("xyzzy");
      expect(terms).toEqual([
        { term: "xyzzy", idf: retriever.lexical.idf("xyzzy"), alternatives: [], inCorpus: false },
      ]);
      for (const word of retriever.lexical.vocabulary()) {
        expect(terms[0]?.idf).toBeGreaterThan(retriever.lexical.idf(word));
      }
    });
  });

  describe("invoke", () => {
    it("returns LangChain Documents with the passage text and evidence, sorted by score", async () => {
      const documents = await retriever.invoke(STUDENTS_QUESTION);
      expect(documents).toHaveLength(DEFAULT_PASSAGES);
      const { hits } = await retriever.retrieve(STUDENTS_QUESTION);
      documents.forEach((document, i) => {
        const hit = hits[i];
        expect(document).toBeInstanceOf(Document);
        expect(document.pageContent).toBe(textOf(hit));
        expect(document.metadata).toEqual({
          passageId: hit?.passageId,
          doc: "tass-2025-10-09-putin-dushanbe",
          bm25Score: hit?.bm25Score,
          similarity: hit?.similarity,
          score: hit?.score,
        });
      });
      const scores = documents.map((document) => document.metadata.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(documents[0]?.pageContent).toContain(STUDENTS_ANSWER);
    });

    it("respects k", async () => {
      const three = new HybridRetriever({ index, k: 3 });
      expect(await three.invoke(STUDENTS_QUESTION)).toHaveLength(3);
      const many = new HybridRetriever({ index, k: 1000 });
      expect(await many.invoke(STUDENTS_QUESTION)).toHaveLength(index.passages.length);
    });

    it("returns documents for a question with no known word", async () => {
      expect(await retriever.invoke("xyzzy qwerty")).toHaveLength(DEFAULT_PASSAGES);
    });

    it("works in a LangChain batch", async () => {
      const batches = await retriever.batch([STUDENTS_QUESTION, "ما مصدر الخبر؟"]);
      expect(batches).toHaveLength(2);
      expect(batches[0]?.[0]?.pageContent).toContain(STUDENTS_ANSWER);
      expect(batches[1]?.[0]?.pageContent).toContain("المصدر: تاس");
    });
  });
});
