import { scoreSentences } from "../../answer/sentence-scoring.js";
import type { EmbeddingsConfig } from "../../config/index.js";
import { SanadIndex } from "../../index/index.js";
import { HybridRetriever, type Evidence } from "../../retrieval/index.js";
import type { EvalQuestion, EvalSet } from "../types.js";
import type { RankingExample } from "./coordinate-ascent.js";

/** A question of a set with the evidence the built-in retriever finds for it over the set's articles. */
export interface RetrievedQuestion {
  readonly question: EvalQuestion;
  readonly evidence: Evidence;
}

/** Indexes a set's articles and retrieves every question's evidence, as the answerer would. */
export async function retrieveAll(set: EvalSet, embeddings: EmbeddingsConfig): Promise<RetrievedQuestion[]> {
  const index = await SanadIndex.build(set.articles, embeddings);
  const retriever = new HybridRetriever({ index });
  const retrieved: RetrievedQuestion[] = [];
  for (const question of set.questions) {
    retrieved.push({ question, evidence: await retriever.retrieve(question.question) });
  }
  return retrieved;
}

/**
 * The ranker's training examples: for each answerable question, the features of its candidate
 * sentences and which of them hold the answer. A question whose gold sentence is not among the
 * candidates teaches the ranker nothing (retrieval missed it) and is left out.
 */
export function rankingExamples(retrieved: readonly RetrievedQuestion[]): RankingExample[] {
  return retrieved.flatMap(({ question, evidence }) => {
    if (question.gold.length === 0) return [];
    const gold = new Set(question.gold.map(({ doc, sentence }) => `${doc}#${sentence}`));
    const candidates = scoreSentences(question.question, evidence).filter(
      ({ sentence }) => sentence.kind === "body",
    );
    const positions = candidates.flatMap(({ sentence }, at) => (gold.has(sentence.id) ? [at] : []));
    return positions.length === 0
      ? []
      : [{ candidates: candidates.map(({ features }) => features), gold: positions }];
  });
}
