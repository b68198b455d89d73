import { beforeAll, describe, expect, it } from "vitest";

import type { Ranking } from "../../src/answer/evidence.js";
import { createAnswerer, ExtractiveAnswerer } from "../../src/answer/index.js";
import { ANSWERABILITY_FEATURES } from "../../src/answer/answerability-features.js";
import type { AnswerabilityModel } from "../../src/answer/answerability-model.js";
import { SENTENCE_FEATURES } from "../../src/answer/sentence-features.js";
import type { ScoredSentence } from "../../src/answer/sentence-scoring.js";
import { loadCorpus, type Article } from "../../src/corpus/index.js";
import { loadGoldEvalSet, runEval, type EvalReport, type EvalSet } from "../../src/eval/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import type { PassageRetriever, QueryTerm } from "../../src/retrieval/index.js";
import { scored } from "../answer/fixtures.js";
import { buildCorpusIndex, CORPUS_DIR, GOLD_FILE } from "../support/corpus.js";

/** A candidate sentence d#index with the given coverage (1 by default). */
function candidate(index: number, fields: Partial<Omit<ScoredSentence, "sentence">> = {}): ScoredSentence {
  const features = new Float64Array(SENTENCE_FEATURES.length);
  features[SENTENCE_FEATURES.indexOf("coverage")] = fields.coverage ?? 1;
  return scored({
    sentence: { doc: "d", index, text: `الجملة ${index}.` },
    score: 10 - index,
    features,
    ...fields,
  });
}

/**
 * An answerability model that reads the best sentence's coverage only: answered from 1/2 up, refused
 * below 0.05, hedged between — so that the scripted rankings' verdicts are known.
 */
const BY_COVERAGE: AnswerabilityModel = (() => {
  const n = ANSWERABILITY_FEATURES.length;
  const weights = new Float64Array(n);
  weights[ANSWERABILITY_FEATURES.indexOf("coverage")] = 10;
  return {
    means: new Float64Array(n).fill(0.5),
    deviations: new Float64Array(n).fill(1),
    weights,
    bias: 0,
    refuseBelow: 0.01,
    hedgeBelow: 0.5,
  };
})();

/** A retriever that finds nothing: the scripted answerer below never asks it. */
const NO_RETRIEVER: PassageRetriever = { retrieve: () => Promise.resolve({ hits: [], terms: [] }) };

const FOUND: QueryTerm[] = [
  { term: "كلمه", idf: 1, alternatives: [{ term: "كلمه", weight: 1 }], inCorpus: true },
];
const MOSTLY_MISSING: QueryTerm[] = [
  { term: "كلمه", idf: 5, alternatives: [{ term: "كلمه", weight: 1 }], inCorpus: true },
  { term: "غريب", idf: 5, alternatives: [], inCorpus: false },
];

/** An answerer whose rankings are written by hand, so that every outcome is known. */
class ScriptedAnswerer extends ExtractiveAnswerer {
  constructor(private readonly rankings: ReadonlyMap<string, Ranking>) {
    super({ retriever: NO_RETRIEVER, answerability: BY_COVERAGE });
  }

  override rank(question: string): Promise<Ranking> {
    return Promise.resolve(this.rankings.get(question) ?? { sentences: [], hits: [], terms: [] });
  }
}

let articles: readonly Article[];
let index: SanadIndex;

beforeAll(async () => {
  ({ articles } = await loadCorpus(CORPUS_DIR));
  index = await buildCorpusIndex();
});

/** What a report must say about its outcomes, computed from them. */
function expectConsistent(report: EvalReport, set: EvalSet): void {
  const answerable = report.outcomes.filter(({ question }) => question.gold.length > 0);
  const unanswerable = report.outcomes.filter(({ question }) => question.gold.length === 0);
  const percent = (n: number, of: number) => (of === 0 ? 0 : (100 * n) / of);
  const within = (k: number) => answerable.filter(({ goldRank }) => goldRank !== undefined && goldRank < k);
  expect(report.name).toBe(set.name);
  expect(report.questions).toBe(set.questions.length);
  expect(report.outcomes.map(({ question }) => question)).toEqual(set.questions);
  expect(report.answerable).toBe(answerable.length);
  expect(report.unanswerable).toBe(unanswerable.length);
  expect(report.skipped).toBe(set.skipped);
  expect(report.hitAt1).toBeCloseTo(percent(within(1).length, answerable.length));
  expect(report.hitAt3).toBeCloseTo(percent(within(3).length, answerable.length));
  const reciprocal = answerable.reduce(
    (sum, { goldRank }) => sum + (goldRank === undefined ? 0 : 1 / (goldRank + 1)),
    0,
  );
  expect(report.mrr).toBeCloseTo(answerable.length === 0 ? 0 : reciprocal / answerable.length);
  const refused = answerable.filter(({ answer }) => answer.refused).length;
  expect(report.answerableRefused).toBe(refused);
  expect(report.refusalRate).toBeCloseTo(percent(refused, answerable.length));
  expect(report.unanswerableRefused).toBe(unanswerable.filter(({ answer }) => answer.refused).length);
  expect(report.answerableHedged).toBe(answerable.filter(({ answer }) => answer.confidence === "low").length);
  expect(report.unanswerableHedged).toBe(
    unanswerable.filter(({ answer }) => answer.confidence === "low").length,
  );
  expect(report.seconds).toBeGreaterThanOrEqual(0);
}

describe("runEval", () => {
  describe("with hand-written rankings", () => {
    const set: EvalSet = {
      name: "hand-made",
      articles: [],
      skipped: 4,
      questions: [
        { id: "a1", question: "س1", kind: "direct", gold: [{ doc: "d", sentence: 5 }] },
        { id: "a2", question: "س2", kind: "direct", gold: [{ doc: "d", sentence: 7 }] },
        {
          id: "a3",
          question: "س3",
          kind: "dialect",
          gold: [
            { doc: "d", sentence: 9 },
            { doc: "d", sentence: 3 },
          ],
        },
        { id: "a4", question: "س4", kind: "dialect", gold: [{ doc: "d", sentence: 8 }] },
        { id: "a5", question: "س5", gold: [{ doc: "d", sentence: 2 }] },
        { id: "u1", question: "س6", kind: "unanswerable", gold: [] },
        { id: "u2", question: "س7", kind: "unanswerable", gold: [] },
        { id: "u3", question: "س8", kind: "unanswerable", gold: [] },
      ],
    };
    const rankings = new Map<string, Ranking>([
      // Gold first, answered.
      ["س1", { sentences: [candidate(5), candidate(6)], hits: [], terms: FOUND }],
      // Gold third, answered.
      [
        "س2",
        {
          sentences: [candidate(1, { score: 5 }), candidate(2, { score: 4.8 }), candidate(7, { score: 4.6 })],
          hits: [],
          terms: FOUND,
        },
      ],
      // The second gold sentence fourth, hedged: little covered.
      [
        "س3",
        {
          sentences: [0, 1, 2, 3, 4].map((i) => candidate(i, { coverage: 0.1 })),
          hits: [],
          terms: [
            { term: "كلمه", idf: 4, alternatives: [{ term: "كلمه", weight: 1 }], inCorpus: true },
            { term: "غريب", idf: 6, alternatives: [], inCorpus: false },
          ],
        },
      ],
      // Gold absent, refused: the best sentence covers nothing.
      ["س4", { sentences: [candidate(1, { coverage: 0 })], hits: [], terms: FOUND }],
      // Gold first, answered.
      ["س5", { sentences: [candidate(2)], hits: [], terms: FOUND }],
      // Nothing found: refused.
      ["س6", { sentences: [], hits: [], terms: MOSTLY_MISSING }],
      // Thin evidence: hedged.
      ["س7", { sentences: [candidate(1, { coverage: 0.15 })], hits: [], terms: MOSTLY_MISSING }],
      // Answered with high confidence.
      ["س8", { sentences: [candidate(1)], hits: [], terms: FOUND }],
    ]);

    let report: EvalReport;

    beforeAll(async () => {
      report = await runEval(set, new ScriptedAnswerer(rankings));
    });

    it("records where the first gold sentence ranks", () => {
      expect(report.outcomes.map(({ question, goldRank }) => [question.id, goldRank])).toEqual([
        ["a1", 0],
        ["a2", 2],
        ["a3", 3],
        ["a4", undefined],
        ["a5", 0],
        ["u1", undefined],
        ["u2", undefined],
        ["u3", undefined],
      ]);
    });

    it("records the answer given from the same ranking", () => {
      const verdicts = report.outcomes.map(({ answer }) => (answer.refused ? "refused" : answer.confidence));
      expect(verdicts).toEqual(["high", "high", "low", "refused", "high", "refused", "low", "high"]);
      expect(report.outcomes[1]?.answer.citations.map(({ sentence }) => sentence)).toEqual([1, 2, 7]);
    });

    it("measures hit@1, hit@3, MRR and the refusals", () => {
      expect(report).toMatchObject({
        name: "hand-made",
        questions: 8,
        answerable: 5,
        unanswerable: 3,
        skipped: 4,
        answerableRefused: 1,
        answerableHedged: 1,
        unanswerableRefused: 1,
        unanswerableHedged: 1,
      });
      expect(report.hitAt1).toBeCloseTo(40);
      expect(report.hitAt3).toBeCloseTo(60);
      expect(report.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 4 + 0 + 1) / 5);
      expect(report.refusalRate).toBeCloseTo(20);
    });

    it("measures hit@1 per kind of answerable question", () => {
      expect(report.hitAt1ByKind).toEqual({
        direct: { questions: 2, hitAt1: 50 },
        dialect: { questions: 2, hitAt1: 0 },
      });
    });

    it("is consistent with its outcomes", () => {
      expectConsistent(report, set);
    });
  });

  it("reports zeros for an empty set", async () => {
    const empty: EvalSet = { name: "empty", articles: [], questions: [], skipped: 2 };
    const report = await runEval(empty, createAnswerer(index));
    expect(report).toMatchObject({
      questions: 0,
      answerable: 0,
      unanswerable: 0,
      skipped: 2,
      hitAt1: 0,
      hitAt3: 0,
      mrr: 0,
      refusalRate: 0,
      hitAt1ByKind: {},
      outcomes: [],
    });
  });

  describe("with the real answerer", () => {
    it("measures a small set taken from the gold set consistently with its outcomes", async () => {
      const gold = await loadGoldEvalSet(GOLD_FILE, articles);
      const ids = new Set(["q03", "q09", "q12", "q26", "q36", "q51", "u03", "u09"]);
      const set: EvalSet = {
        ...gold,
        name: "small",
        questions: gold.questions.filter(({ id }) => ids.has(id)),
      };
      expect(set.questions).toHaveLength(ids.size);
      const answerer = createAnswerer(index);
      const report = await runEval(set, answerer);
      expectConsistent(report, set);
      for (const outcome of report.outcomes) {
        const ranking = await answerer.rank(outcome.question.question);
        const gold = new Set(outcome.question.gold.map(({ doc, sentence }) => `${doc}#${sentence}`));
        const rank = ranking.sentences.findIndex(({ sentence }) => gold.has(sentence.id));
        expect(outcome.goldRank).toBe(rank >= 0 ? rank : undefined);
        expect(outcome.answer).toEqual(await answerer.answer(outcome.question.question));
      }
      const byId = new Map(report.outcomes.map((outcome) => [outcome.question.id, outcome]));
      expect(byId.get("q12")?.goldRank).toBe(0);
      expect(byId.get("q51")?.goldRank).toBe(0);
      expect(byId.get("u09")?.answer.refused).toBe(true);
    });

    it("measures the whole gold set consistently with its outcomes", async () => {
      const set = await loadGoldEvalSet(GOLD_FILE, articles);
      const report = await runEval(set, createAnswerer(index));
      expectConsistent(report, set);
      expect(report.answerable + report.unanswerable).toBe(set.questions.length);
      expect(Object.keys(report.hitAt1ByKind)).not.toContain("unanswerable");
      const kinds = new Set(set.questions.filter(({ gold }) => gold.length > 0).map(({ kind }) => kind));
      expect(new Set(Object.keys(report.hitAt1ByKind))).toEqual(kinds);
    });
  });
});
