import { beforeAll, describe, expect, it } from "vitest";

import {
  coverage,
  QUESTION_POSITION_DECAY,
  SENTENCE_FEATURES,
  SKELETON_MATCH_WEIGHT,
  termSet,
  type SentenceFeature,
  type TermSet,
} from "../../src/answer/sentence-features.js";
import type { SentenceRanker } from "../../src/answer/sentence-ranker.js";
import { scoreSentences, type ScoredSentence } from "../../src/answer/sentence-scoring.js";
import type { SanadIndex } from "../../src/index/index.js";
import { HybridRetriever, type Evidence, type QueryTerm } from "../../src/retrieval/index.js";
import { analyzeForIndex, consonantSkeleton } from "../../src/text/index.js";
import { buildCorpusIndex, DOC_ID } from "../support/corpus.js";
import { articleRecord, evidenceSentence, passageHit, queryTerm } from "./fixtures.js";

/** The weight of the question word at `position` (from 0) with this IDF. */
const weight = (idf: number, position: number): number => idf / (1 + QUESTION_POSITION_DECAY * position);

/** The analyzed words of a text as `coverage` takes them, built by hand. */
function textTerms(...terms: string[]): TermSet {
  const skeletons = new Set(terms.flatMap((term) => consonantSkeleton(term) ?? []));
  return { terms: new Set(terms), skeletons };
}

/** A ranker that weighs only the given features. */
function rankerOf(weights: Partial<Record<SentenceFeature, number>>): SentenceRanker {
  return { weights: Float64Array.from(SENTENCE_FEATURES, (name) => weights[name] ?? 0) };
}
const value = (candidate: ScoredSentence, name: SentenceFeature): number =>
  candidate.features[SENTENCE_FEATURES.indexOf(name)] ?? NaN;

describe("termSet", () => {
  it("holds the words and their consonant skeletons", () => {
    expect(termSet(["طلاب", "روسيا", "طلاب"])).toEqual({
      terms: new Set(["طلاب", "روسيا"]),
      skeletons: new Set(["طلب"]),
    });
  });
});

describe("coverage", () => {
  it("is 1 when the text holds every word", () => {
    const terms = [queryTerm("طالب", 2), queryTerm("روسيا", 0.5)];
    expect(coverage(terms, textTerms("طالب", "روسيا", "جامع"))).toBe(1);
  });

  it("is 0 when the text holds no word", () => {
    const terms = [queryTerm("طالب", 2), queryTerm("روسيا", 0.5)];
    expect(coverage(terms, textTerms("قم", "اسيا"))).toBe(0);
  });

  it("is 0 for a question without words", () => {
    expect(coverage([], textTerms("طالب"))).toBe(0);
  });

  it("is 0 when every word weighs nothing", () => {
    expect(coverage([queryTerm("طالب", 0)], textTerms("طالب"))).toBe(0);
  });

  it("weights each word by its IDF, less the later it comes in the question", () => {
    const terms = [queryTerm("نادر", 3), queryTerm("شائع", 1)];
    const total = weight(3, 0) + weight(1, 1);
    expect(coverage(terms, textTerms("نادر"))).toBeCloseTo(weight(3, 0) / total);
    expect(coverage(terms, textTerms("شائع"))).toBeCloseTo(weight(1, 1) / total);
    const reversed = [queryTerm("شائع", 3), queryTerm("نادر", 3)];
    expect(coverage(reversed, textTerms("شائع"))).toBeGreaterThan(coverage(reversed, textTerms("نادر")));
  });

  it("counts a word found as one of its alternatives by the alternative's weight", () => {
    const terms: QueryTerm[] = [
      queryTerm("رئيس", 2),
      queryTerm("بلد", 2, { alternatives: [{ term: "دوله", weight: 0.5 }] }),
    ];
    expect(consonantSkeleton("بلد")).not.toBe(consonantSkeleton("دوله"));
    const expected = (weight(2, 0) + weight(2, 1) * 0.5) / (weight(2, 0) + weight(2, 1));
    expect(coverage(terms, textTerms("رئيس", "دوله"))).toBeCloseTo(expected);
  });

  it("counts a word by its best alternative in the text", () => {
    const terms: QueryTerm[] = [
      queryTerm("ق", 1, {
        alternatives: [
          { term: "الف", weight: 0.4 },
          { term: "باء", weight: 0.9 },
          { term: "جيم", weight: 0.7 },
        ],
      }),
    ];
    expect(coverage(terms, textTerms("الف", "باء", "جيم"))).toBeCloseTo(0.9);
    expect(coverage(terms, textTerms("الف"))).toBeCloseTo(0.4);
  });

  it("counts a word whose consonant skeleton alone is in the text weakly (طلاب and طالب)", () => {
    expect(consonantSkeleton("طلاب")).toBe(consonantSkeleton("طالب"));
    const terms = [queryTerm("طلاب", 1, { alternatives: [] })];
    expect(coverage(terms, textTerms("طالب"))).toBeCloseTo(SKELETON_MATCH_WEIGHT);
    expect(SKELETON_MATCH_WEIGHT).toBe(0.6);
  });

  it("prefers the skeleton match to a weaker alternative, and a stronger alternative to it", () => {
    const weak = [queryTerm("طلاب", 1, { alternatives: [{ term: "مدرس", weight: 0.3 }] })];
    expect(coverage(weak, textTerms("طالب", "مدرس"))).toBeCloseTo(SKELETON_MATCH_WEIGHT);
    const strong = [queryTerm("طلاب", 1, { alternatives: [{ term: "مدرس", weight: 0.8 }] })];
    expect(coverage(strong, textTerms("طالب", "مدرس"))).toBeCloseTo(0.8);
  });

  it("mixes full, partial, skeleton and missing words", () => {
    const terms: QueryTerm[] = [
      queryTerm("روسيا", 1),
      queryTerm("بلد", 2, { alternatives: [{ term: "دوله", weight: 0.5 }] }),
      queryTerm("طلاب", 3, { alternatives: [] }),
      queryTerm("سك", 4, { alternatives: [], inCorpus: false }),
    ];
    const weights = [weight(1, 0), weight(2, 1), weight(3, 2), weight(4, 3)] as const;
    const expected =
      (weights[0] + weights[1] * 0.5 + weights[2] * SKELETON_MATCH_WEIGHT + 0) /
      (weights[0] + weights[1] + weights[2] + weights[3]);
    expect(coverage(terms, textTerms("روسيا", "دوله", "طالب"))).toBeCloseTo(expected);
  });
});

describe("scoreSentences", () => {
  let index: SanadIndex;
  let retriever: HybridRetriever;

  beforeAll(async () => {
    index = await buildCorpusIndex();
    retriever = new HybridRetriever({ index });
  });

  const score = async (question: string, ranker?: SentenceRanker) => {
    const retrieved = await retriever.retrieve(question);
    const sentences = scoreSentences(question, retrieved, ranker);
    // Every question here has evidence: a loop over no candidates would prove nothing.
    expect(sentences.length).toBeGreaterThan(1);
    return { retrieved, sentences };
  };

  it("ranks best first", async () => {
    const { sentences } = await score("كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟");
    expect(sentences.length).toBeGreaterThan(1);
    for (let i = 1; i < sentences.length; i++) {
      expect(sentences[i - 1]?.score).toBeGreaterThanOrEqual(sentences[i]?.score ?? Infinity);
    }
  });

  it("puts the sentence with the answer first", async () => {
    const { sentences } = await score("كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟");
    expect(sentences[0]?.sentence.text).toContain("35 ألف طالب");
  });

  it("scores the body sentences of the retrieved passages, each once, with its passage's score", async () => {
    const { retrieved, sentences } = await score("ما الملفات المحورية على جدول أعمال القمة؟");
    const expected = new Map<string, number>();
    for (const hit of retrieved.hits) {
      for (const sentence of hit.sentences) {
        if (sentence.kind === "body") expected.set(sentence.id, hit.score);
      }
    }
    expect(new Set(sentences.map(({ sentence }) => sentence.id))).toEqual(new Set(expected.keys()));
    expect(sentences).toHaveLength(expected.size);
    for (const { sentence, passageScore } of sentences) expect(passageScore).toBe(expected.get(sentence.id));
  });

  it("keeps coverage and passage coverage between 0 and 1", async () => {
    const { sentences } = await score("كم يبلغ مجموع الأموال التي ضختها روسيا في اقتصاد طاجيكستان؟");
    for (const candidate of sentences) {
      expect(candidate.coverage).toBeGreaterThanOrEqual(0);
      expect(candidate.coverage).toBeLessThanOrEqual(1);
      expect(candidate.passageCoverage).toBeGreaterThanOrEqual(0);
      expect(candidate.passageCoverage).toBeLessThanOrEqual(1);
    }
    // Both ends and the middle occur: the bounds are not met by a constant.
    const coverages = new Set(sentences.map((candidate) => candidate.coverage));
    expect(coverages.size).toBeGreaterThan(2);
    expect(Math.max(...coverages)).toBeGreaterThan(0);
  });

  it("gives a sentence that holds every question word coverage 1", async () => {
    const { sentences } = await score("ماذا يتضمن جدول أعمال اليوم الخميس؟");
    expect(sentences[0]?.sentence.text).toContain("ويتضمن جدول أعمال اليوم الخميس");
    expect(sentences[0]?.coverage).toBe(1);
  });

  it("scores by the passage alone with a ranker that weighs only the passage", async () => {
    const { sentences } = await score(
      "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟",
      rankerOf({ passageScore: 1 }),
    );
    for (const candidate of sentences) expect(candidate.score).toBe(candidate.passageScore);
    // With the fitted ranker the same sentences are told apart within a passage.
    const { sentences: fitted } = await score("كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟");
    expect(fitted.some((candidate) => candidate.score !== candidate.passageScore)).toBe(true);
  });

  it("scores the weighted sum of the features", async () => {
    const { sentences } = await score(
      "من هو مؤسس أول دولة طاجيكستانية؟",
      rankerOf({ passageScore: 1, coverage: 2 }),
    );
    expect(sentences.some((candidate) => candidate.coverage > 0)).toBe(true);
    for (const candidate of sentences) {
      expect(candidate.score).toBeCloseTo(candidate.passageScore + 2 * candidate.coverage);
    }
  });

  it("adds the how-many bonus exactly to the sentences that offer a number", async () => {
    const question = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
    const { sentences } = await score(question, rankerOf({ passageScore: 1, numberOffered: 5 }));
    expect(sentences.some(({ offersAskedType }) => offersAskedType === true)).toBe(true);
    expect(sentences.some(({ offersAskedType }) => offersAskedType === false)).toBe(true);
    for (const candidate of sentences) {
      expect(typeof candidate.offersAskedType).toBe("boolean");
      expect(candidate.score - candidate.passageScore).toBeCloseTo(candidate.offersAskedType ? 5 : 0);
      expect(value(candidate, "numberOffered")).toBe(candidate.offersAskedType ? 1 : 0);
    }
  });

  it("adds the when bonus exactly to the sentences that offer a date", async () => {
    const question = "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟";
    const { sentences } = await score(question, rankerOf({ passageScore: 1, dateOffered: 3 }));
    expect(sentences[0]?.sentence.text).toContain("مساء أمس الأربعاء 8 أكتوبر");
    expect(sentences.some(({ offersAskedType }) => offersAskedType === false)).toBe(true);
    for (const candidate of sentences) {
      expect(candidate.score - candidate.passageScore).toBeCloseTo(candidate.offersAskedType ? 3 : 0);
    }
  });

  it("does not judge the asked type of a question that asks for neither a number nor a date", async () => {
    const { sentences } = await score("من هو مؤسس أول دولة طاجيكستانية؟");
    expect(sentences.length).toBeGreaterThan(0);
    for (const candidate of sentences) expect(candidate.offersAskedType).toBeUndefined();
  });

  it("does not count the question's own number as offered (القاعدة ٢٠١)", async () => {
    const { sentences } = await score("كم عدد الجنود الروس في القاعدة العسكرية ٢٠١؟");
    const base = sentences.find(({ sentence }) => sentence.text.includes("رقم 201"));
    expect(base?.offersAskedType).toBe(false);
  });

  describe("metadata lines", () => {
    const metaOf = (sentences: readonly ScoredSentence[]) =>
      sentences.filter(({ sentence }) => sentence.kind === "meta");

    it.each([
      "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟",
      "ماذا سيُجري الزعيمان بعد مراسم الاستقبال الرسمي والتقاط الصور؟",
      "من هو رئيس طاجيكستان؟",
      "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟",
    ])("are not candidates for %s", async (question) => {
      const { sentences } = await score(question);
      expect(metaOf(sentences)).toEqual([]);
    });

    it.each<[string, string]>([
      ["ما مصدر الخبر؟", "المصدر: تاس"],
      ["أي وكالة أنباء نشرت هذا الخبر؟", "المصدر: تاس"],
      ["من أين الصورة المرفقة بالخبر؟", "الصورة: الموقع الرسمي لرئيس روسيا"],
      ["متى نُشر الخبر؟", "تاريخ النشر: 2025-10-09"],
    ])("are candidates for %s, the line it asks for first", async (question, line) => {
      const { sentences } = await score(question);
      expect(sentences[0]?.sentence.text).toBe(line);
      const meta = metaOf(sentences);
      const all = index.sentences.filter((sentence) => sentence.kind === "meta");
      expect(all.length).toBeGreaterThan(1);
      expect(meta.map(({ sentence }) => sentence.id).sort()).toEqual(all.map(({ id }) => id).sort());
      for (const candidate of meta) {
        expect(candidate.sentence.doc).toBe(DOC_ID);
        expect(candidate.offersAskedType).toBeUndefined();
        expect(candidate.passageCoverage).toBe(1);
      }
    });

    it("come ahead of every body sentence, the line asked for first", async () => {
      const { retrieved, sentences } = await score("ما مصدر الخبر؟");
      const meta = metaOf(sentences);
      expect(meta.length).toBeGreaterThan(1);
      const bestBody = Math.max(
        ...sentences.filter(({ sentence }) => sentence.kind === "body").map(({ score }) => score),
      );
      for (const candidate of meta) {
        expect(candidate.passageScore).toBe(retrieved.hits[0]?.score);
        expect(candidate.score).toBeGreaterThan(bestBody);
      }
      expect(meta[0]?.sentence.text).toBe("المصدر: تاس");
      expect((meta[0]?.score ?? 0) - (meta[1]?.score ?? 0)).toBeCloseTo(1);
    });

    it("are not offered when nothing was retrieved", () => {
      const nothing: Evidence = { hits: [], terms: [] };
      expect(scoreSentences("ما مصدر الخبر؟", nothing)).toEqual([]);
    });
  });
});

describe("scoreSentences on evidence alone", () => {
  // Evidence built by hand, as another retrieval engine would return it: no index is involved.
  const article = articleRecord({ id: "a", title: "قمة دوشنبه", source: "تاس", published: "2025-10-09" });
  const question = "كم عدد الطلاب الطاجيك في روسيا؟";
  const terms = analyzeForIndex(question).map((term) => queryTerm(term, 1));
  const students = evidenceSentence({ doc: "a", index: 0, text: "يدرس في روسيا 35 ألف طالب طاجيكي." });
  const visit = evidenceSentence({ doc: "a", index: 1, text: "وصل الرئيس إلى دوشنبه مساء الأربعاء." });
  const source = evidenceSentence({ doc: "a", index: 2, text: "المصدر: تاس", kind: "meta" });
  const evidence: Evidence = {
    hits: [
      passageHit({ sentences: [visit], article: { ...article, metadata: [source] }, score: 1.2 }),
      passageHit({ sentences: [students], article: { ...article, metadata: [source] }, score: 1 }),
    ],
    terms,
  };

  it("scores each body sentence with its passage's score and names its article", () => {
    const sentences = scoreSentences(question, evidence);
    expect(sentences.map(({ sentence }) => sentence.id)).toEqual(["a#0", "a#1"]);
    expect(sentences.map(({ passageScore }) => passageScore)).toEqual([1, 1.2]);
    expect(sentences[0]?.article).toMatchObject({ id: "a", title: "قمة دوشنبه", source: "تاس" });
    expect(sentences[0]?.offersAskedType).toBe(true);
    expect(sentences[1]?.offersAskedType).toBe(false);
  });

  it("offers the best article's metadata lines for a question about the article", () => {
    const sentences = scoreSentences("ما مصدر الخبر؟", evidence);
    expect(sentences[0]?.sentence).toBe(source);
    expect(sentences[0]?.article.id).toBe("a");
  });

  it("reads each sentence's words from its traits, not from an index", () => {
    const [first] = scoreSentences(question, evidence);
    expect(first?.coverage).toBeGreaterThan(0.5);
    const blind = passageHit({
      sentences: [{ ...students, traits: { ...students.traits, terms: [] } }],
      article: { ...article, metadata: [] },
      score: 1,
    });
    const [alone] = scoreSentences(question, { hits: [blind], terms });
    expect(alone?.coverage).toBe(0);
  });
});
