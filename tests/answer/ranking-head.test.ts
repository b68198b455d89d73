/**
 * The head of a ranking (scoreSentences with `head`, what an answer reads) against the whole ranking, on
 * every question of ARCD's test split and TyDi QA's half B: the passages it leaves unread could not have
 * placed a sentence in the head, and the answers are those of the whole ranking, word for word.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ExtractiveAnswerer } from "../../src/answer/index.js";
import {
  questionContext,
  questionCoverage,
  SENTENCE_FEATURES,
  sentenceScoreCeiling,
  termSet,
} from "../../src/answer/sentence-features.js";
import { SENTENCE_RANKER, type SentenceRanker } from "../../src/answer/sentence-ranker.js";
import { scoreSentences, type RankingHead, type ScoredSentence } from "../../src/answer/sentence-scoring.js";
import { loadSquadEvalSet, type EvalSet, type SquadLoadOptions } from "../../src/eval/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { HybridRetriever, type Evidence } from "../../src/retrieval/index.js";
import { REPO_ROOT } from "../support/corpus.js";

interface Asked {
  readonly question: string;
  readonly evidence: Evidence;
}

interface SetUnderTest {
  readonly set: EvalSet;
  readonly retriever: HybridRetriever;
  readonly asked: readonly Asked[];
}

const SETS: readonly [string, string, SquadLoadOptions][] = [
  ["ARCD test", "tests/datasets/arcd/arcd-test.json", {}],
  ["TyDi QA half B", "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json", { half: "B" }],
];

const loaded = new Map<string, SetUnderTest>();

beforeAll(async () => {
  for (const [name, file, options] of SETS) {
    const set = await loadSquadEvalSet(path.join(REPO_ROOT, file), options);
    const index = await SanadIndex.build(set.articles, { provider: "hashing", dimensions: 2048 });
    const retriever = new HybridRetriever({ index });
    const asked: Asked[] = [];
    for (const { question } of set.questions)
      asked.push({ question, evidence: await retriever.retrieve(question) });
    loaded.set(name, { set, retriever, asked });
  }
}, 120_000);

const setNamed = (name: string): SetUnderTest => {
  const found = loaded.get(name);
  if (!found) throw new Error(`${name} was not loaded`);
  return found;
};

/** A ranker of seeded random weights, negative ones too (a ceiling must hold for any weights). */
function randomRanker(seed: number): SentenceRanker {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  return { weights: Float64Array.from(SENTENCE_FEATURES, () => 4 * next() - 2) };
}

/** What of a ranking an answer reads: the sentence, its score and features, in order. */
const shown = (ranked: readonly ScoredSentence[]) =>
  ranked.map(({ sentence, score, features }) => ({ id: sentence.id, score, features: [...features] }));

/** The entries of the whole ranking that belong to its head. */
function headOf(whole: readonly ScoredSentence[], head: RankingHead): ScoredSentence[] {
  const best = whole[0]?.score ?? 0;
  return whole.filter((entry, at) => at < 2 || (at < head.places && entry.score >= best - head.within));
}

describe.each(SETS.map(([name]) => name))("the head of a ranking, on %s", (name) => {
  it("has a ceiling no sentence of the passage scores above, for the fitted ranker and random ones", () => {
    const { asked } = setNamed(name);
    let checked = 0;
    for (const ranker of [SENTENCE_RANKER, randomRanker(1), randomRanker(2), randomRanker(3)]) {
      for (const { question, evidence } of asked) {
        const context = questionContext(question, evidence);
        const scores = new Map(
          scoreSentences(question, evidence, ranker).map(({ sentence, score }) => [sentence.id, score]),
        );
        evidence.hits.forEach((hit, rank) => {
          const passageCoverage = questionCoverage(context, termSet(hit.terms));
          const ceiling = sentenceScoreCeiling(
            context,
            { hit, rank, passageCoverage, position: 0 },
            ranker.weights,
          );
          for (const sentence of hit.sentences) {
            const score = scores.get(sentence.id);
            if (sentence.kind !== "body" || score === undefined) continue;
            checked++;
            expect(score).toBeLessThanOrEqual(ceiling + 1e-9);
          }
        });
      }
    }
    expect(checked).toBeGreaterThan(4 * 5_000);
  });

  it("ranks its head as the whole ranking does, and leaves most candidates unread", () => {
    const { asked } = setNamed(name);
    const heads: RankingHead[] = [
      { places: 3, within: 0.5 },
      { places: 1, within: 0.5 },
      { places: 5, within: 2 },
    ];
    for (const ranker of [SENTENCE_RANKER, randomRanker(4)]) {
      for (const head of heads) {
        let whole = 0;
        let read = 0;
        for (const { question, evidence } of asked) {
          const all = scoreSentences(question, evidence, ranker);
          const part = scoreSentences(question, evidence, ranker, head);
          const expected = headOf(all, head);
          expect(shown(part.slice(0, expected.length))).toEqual(shown(expected));
          whole += all.length;
          read += part.length;
        }
        // With the fitted ranker and the answer's head, most passages cannot reach it.
        if (ranker === SENTENCE_RANKER && head.places === 3) expect(read).toBeLessThan(0.5 * whole);
      }
    }
  });

  it("answers every question as from the whole ranking", async () => {
    const { set, retriever } = setNamed(name);
    const answerer = new ExtractiveAnswerer({ retriever, topK: 3 });
    for (const { question } of set.questions) {
      const fromWhole = answerer.answerFromRanking(question, await answerer.rank(question));
      expect(await answerer.answer(question)).toEqual(fromWhole);
    }
    for (const { question } of set.questions.slice(0, 100)) {
      const fromWhole = answerer.answerFromRanking(question, await answerer.rank(question), 1);
      expect(await answerer.answer(question, { topK: 1 })).toEqual(fromWhole);
    }
  });
});
