import type { PassageHit, QueryTerm } from "../retrieval/index.js";
import { answerabilityFeatures } from "./answerability-features.js";
import {
  ANSWERABILITY_MODEL,
  answerableProbability,
  type AnswerabilityModel,
} from "./answerability-model.js";
import type { ScoredSentence } from "./sentence-scoring.js";

/** The candidate sentences for a question, best first, the passages they come from, and the question's words. */
export interface Ranking {
  readonly sentences: readonly ScoredSentence[];
  readonly hits: readonly PassageHit[];
  readonly terms: readonly QueryTerm[];
}

/**
 * What the evidence allows:
 * - `answer`: the best sentence answers the question;
 * - `hedge`: it may, but the evidence is thin: answer, saying that the article does not answer in so
 *   many words, and let the quoted sentences speak;
 * - `refuse`: nothing supports an answer.
 */
export type Verdict = "answer" | "hedge" | "refuse";

/** The verdict and the probability it rests on. */
export interface Judgement {
  readonly verdict: Verdict;
  /** The probability, under the answerability model, that the articles answer the question. */
  readonly probability: number;
}

/**
 * Judges whether the articles answer the question, with the fitted answerability model: the probability
 * that they do, from the evidence (see answerability-features.ts), against the two thresholds fitted with
 * it. A question about the article itself answered by a metadata line is answered; a question without a
 * candidate is refused.
 */
export function judgeEvidence(ranking: Ranking, model: AnswerabilityModel = ANSWERABILITY_MODEL): Judgement {
  const best = ranking.sentences[0];
  if (!best) return { verdict: "refuse", probability: 0 };
  if (best.sentence.kind === "meta") return { verdict: "answer", probability: 1 };
  const probability = answerableProbability(
    model,
    answerabilityFeatures(ranking.sentences, ranking.hits, ranking.terms),
  );
  const verdict: Verdict =
    probability < model.refuseBelow ? "refuse" : probability < model.hedgeBelow ? "hedge" : "answer";
  return { verdict, probability };
}
