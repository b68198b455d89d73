/**
 * The contract every retrieval engine must keep: a shared suite run against each `PassageRetriever`
 * (the built-in hybrid retriever today; an OpenSearch, Elasticsearch or PostgreSQL one tomorrow).
 * Given the articles to index, the engine must rank passages best first, return at most `k`, fill every
 * field of the evidence — passage text and words, sentences with their traits, the article with its
 * metadata lines — and answer an empty or absurd question without an error.
 *
 * @example
 * describeRetrieverContract("HybridRetriever", async (articles) => {
 *   const index = await SanadIndex.build(articles, { provider: "hashing", dimensions: 512 });
 *   return new HybridRetriever({ index });
 * });
 */
import { readFile } from "node:fs/promises";

import { beforeAll, describe, expect, it } from "vitest";

import { loadCorpus, type Article } from "../../src/corpus/index.js";
import type { Evidence, PassageHit, PassageRetriever } from "../../src/retrieval/index.js";
import { analyzeForIndex, readSentenceTraits } from "../../src/text/index.js";
import {
  CORPUS_DIR,
  CORPUS_FILE,
  DOC_ID,
  secondArticle,
  SECOND_ARTICLE_ID as FAIR_ID,
  SECOND_ARTICLE_TEXT,
} from "../support/corpus.js";

const STUDENTS = "كم عدد الطلاب الطاجيك في المؤسسات الروسية؟";
const PUBLISHERS = "كم دار نشر تشارك في معرض القاهرة الدولي للكتاب؟";

/** Questions no engine may fail on: empty, blank, punctuation, unknown words, very long, odd characters. */
const ABSURD_QUESTIONS: readonly (readonly [string, string])[] = [
  ["empty", ""],
  ["blank", "   \n\t "],
  ["punctuation only", "؟؟!!..."],
  ["stop words only", "في من على هل"],
  ["unknown words", "xyzzy qwerty فلفطيحة"],
  ["Latin only", "How many Tajik students study in Russia?"],
  ["emoji only", "🤔🇹🇯📚"],
  ["bidi and format characters", "\u200F\u202Bكم\u202C\u200D عدد\uFEFF الطلاب\u2066؟\u2069"],
  ["harakat only", "\u064E\u064F\u0650\u0651\u0652"],
  ["a lone surrogate", "كم \uD83D عدد"],
  ["digits only", "٢٠٢٥ 1345 22.6%"],
  ["very long", "كم عدد الطلاب الطاجيك؟ ".repeat(180)],
  ["markup", "<b>كم</b> &amp; *عدد* _الطلاب_ `code` [1] {x}"],
];

/**
 * Runs the retriever contract against the retriever `make` returns for the given articles (the
 * repository's article and a second one, on another subject).
 */
export function describeRetrieverContract(
  name: string,
  make: (articles: readonly Article[]) => Promise<PassageRetriever>,
): void {
  describe(`${name} keeps the retriever contract`, () => {
    let retriever: PassageRetriever;
    let articles: readonly Article[];
    let corpusText: string;

    beforeAll(async () => {
      const corpus = await loadCorpus(CORPUS_DIR);
      articles = [...corpus.articles, secondArticle()];
      retriever = await make(articles);
      corpusText = (await readFile(CORPUS_FILE, "utf8")) + SECOND_ARTICLE_TEXT;
    });

    /** Every field of a hit is filled, and agrees with the others and with the article it comes from. */
    function expectComplete(hit: PassageHit): void {
      const article = articles.find(({ meta }) => meta.id === hit.article.id);
      expect(article, `hit ${hit.passageId} names an article that was not indexed`).toBeDefined();
      if (!article) return;
      expect(hit.passageId).not.toBe("");
      expect(hit.article.title).toBe(article.meta.title);
      expect(hit.article.source).toBe(article.meta.source);
      expect(hit.article.published).toBe(article.meta.published);
      expect(hit.article.url).toBe(article.meta.url);
      expect(hit.text.startsWith(article.meta.title)).toBe(true);
      expect(hit.terms).toEqual(analyzeForIndex(hit.text));
      expect(hit.sentences.length).toBeGreaterThan(0);
      for (const score of [hit.score, hit.bm25Score, hit.similarity])
        expect(Number.isFinite(score)).toBe(true);
      expect(hit.bm25Score).toBeGreaterThanOrEqual(0);
      expect(Math.abs(hit.similarity)).toBeLessThanOrEqual(1 + 1e-6);
      const metadataIds = new Set(hit.article.metadata.map(({ id }) => id));
      for (const sentence of [...hit.sentences, ...hit.article.metadata]) {
        expect(sentence.doc).toBe(article.meta.id);
        expect(sentence.id).toBe(`${sentence.doc}#${sentence.index}`);
        expect(sentence.text).toBe(sentence.text.trim());
        expect(sentence.text).not.toBe("");
        // The traits are the text stage's reading of the sentence's own text, whoever computed them.
        expect(sentence.traits).toEqual(readSentenceTraits(sentence.text));
        expect(sentence.kind === "meta").toBe(metadataIds.has(sentence.id));
      }
      for (const sentence of hit.sentences) {
        expect(hit.text).toContain(sentence.text);
        // Body sentences are quoted from the file exactly; lines made from front matter are not in it.
        if (sentence.kind === "body") expect(corpusText).toContain(sentence.text);
      }
      const indices = hit.sentences.map(({ index }) => index);
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      // Metadata lines follow the body: their positions come after every body sentence's.
      const lastBody = Math.max(
        -1,
        ...hit.sentences.filter(({ kind }) => kind === "body").map(({ index }) => index),
      );
      for (const line of hit.article.metadata) expect(line.index).toBeGreaterThan(lastBody);
    }

    function expectWellFormed(evidence: Evidence, k: number): void {
      expect(evidence.hits.length).toBeLessThanOrEqual(k);
      const scores = evidence.hits.map(({ score }) => score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new Set(evidence.hits.map(({ passageId }) => passageId)).size).toBe(evidence.hits.length);
      for (const hit of evidence.hits) expectComplete(hit);
      for (const term of evidence.terms) {
        expect(term.term).not.toBe("");
        expect(Number.isFinite(term.idf)).toBe(true);
        expect(term.idf).toBeGreaterThanOrEqual(0);
        for (const { weight } of term.alternatives) {
          expect(weight).toBeGreaterThan(0);
          expect(weight).toBeLessThanOrEqual(1);
        }
      }
    }

    it("ranks the passage with the answer first, from the right article", async () => {
      const students = await retriever.retrieve(STUDENTS);
      expectWellFormed(students, Infinity);
      expect(students.hits[0]?.article.id).toBe(DOC_ID);
      expect(students.hits[0]?.text).toContain("35 ألف طالب");
      const publishers = await retriever.retrieve(PUBLISHERS);
      expectWellFormed(publishers, Infinity);
      expect(publishers.hits[0]?.article.id).toBe(FAIR_ID);
      expect(publishers.hits[0]?.article.url).toBe("https://example.org/cairo-book-fair");
      expect(publishers.hits[0]?.sentences.map(({ text }) => text).join(" ")).toContain("1345 دار نشر");
    });

    it("reads each sentence's traits from its text: words, numbers, dates", async () => {
      const { hits } = await retriever.retrieve(STUDENTS);
      const students = hits
        .flatMap(({ sentences }) => sentences)
        .find(({ text }) => text.includes("35 ألف طالب"));
      expect(students?.traits.terms).toEqual(expect.arrayContaining(["طالب", "35", "روس"]));
      expect(students?.traits.numbers).toEqual(expect.arrayContaining([["35"]]));
      expect(students?.traits.topic).toBe("other");
      const meeting = (await retriever.retrieve("متى عقد الاجتماع غير الرسمي؟")).hits
        .flatMap(({ sentences }) => sentences)
        .find(({ text }) => text.includes("مساء أمس الأربعاء"));
      expect(meeting?.traits.dates).toEqual(expect.arrayContaining([["2025"], ["اكتوبر"]]));
    });

    it("returns passages for a question by default, and none for k = 0", async () => {
      expect((await retriever.retrieve(STUDENTS)).hits.length).toBeGreaterThan(0);
      expect((await retriever.retrieve(STUDENTS, { k: 0 })).hits).toEqual([]);
    });

    it.each([1, 2, 5])("returns at most k = %i passages, the best of a longer list", async (k) => {
      const some = await retriever.retrieve(STUDENTS, { k });
      expectWellFormed(some, k);
      expect(some.hits.length).toBe(k);
      const more = await retriever.retrieve(STUDENTS, { k: k + 3 });
      expect(more.hits.slice(0, k).map(({ passageId }) => passageId)).toEqual(
        some.hits.map(({ passageId }) => passageId),
      );
    });

    it("gives the question's words as searched, with an unknown word marked as not in the corpus", async () => {
      const { terms } = await retriever.retrieve("كم عدد الطلاب الطاجيك في زنجبار؟");
      const words = terms.map(({ term }) => term);
      expect(words).toEqual(expect.arrayContaining([...analyzeForIndex("الطلاب الطاجيك زنجبار")]));
      expect(terms.find(({ term }) => term === analyzeForIndex("زنجبار")[0])?.inCorpus).toBe(false);
      expect(terms.find(({ term }) => term === analyzeForIndex("الطلاب")[0])?.inCorpus).toBe(true);
    });

    it("carries each article's metadata lines, for questions about the article itself", async () => {
      const { hits } = await retriever.retrieve("ما مصدر الخبر؟");
      const tass = hits.find(({ article }) => article.id === DOC_ID)?.article;
      expect(tass?.metadata.map(({ text }) => text)).toEqual(
        expect.arrayContaining(["المصدر: تاس", "تاريخ النشر: 2025-10-09"]),
      );
      expect(tass?.metadata.find(({ text }) => text === "المصدر: تاس")?.traits.topic).toBe("source");
      const fair = (await retriever.retrieve(PUBLISHERS)).hits[0]?.article;
      expect(fair?.metadata.map(({ text }) => text)).toEqual(
        expect.arrayContaining(["الصورة: الهيئة المصرية العامة للكتاب", "المصدر: وكالة أنباء الشرق الأوسط"]),
      );
    });

    it("names the same article the same way in every hit", async () => {
      const { hits } = await retriever.retrieve(STUDENTS, { k: 20 });
      const byId = new Map<string, string>();
      for (const { article } of hits) {
        const seen = JSON.stringify({ ...article, metadata: article.metadata.map(({ id }) => id) });
        expect(byId.get(article.id) ?? seen).toBe(seen);
        byId.set(article.id, seen);
      }
    });

    it.each(ABSURD_QUESTIONS)("answers a %s question with well-formed evidence", async (_kind, question) => {
      const evidence = await retriever.retrieve(question, { k: 4 });
      expectWellFormed(evidence, 4);
    });

    it("answers a question with no searchable word with no words searched", async () => {
      for (const question of ["", "؟؟", "في من على"]) {
        expect((await retriever.retrieve(question)).terms).toEqual([]);
      }
    });

    it("answers questions asked at once, each with its own evidence", async () => {
      const [students, publishers] = await Promise.all([
        retriever.retrieve(STUDENTS),
        retriever.retrieve(PUBLISHERS),
      ]);
      expect(students.hits[0]?.article.id).toBe(DOC_ID);
      expect(publishers.hits[0]?.article.id).toBe(FAIR_ID);
    });
  });
}
