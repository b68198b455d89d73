import type { QueryTerm } from "../retrieval/index.js";
import type { ScoredSentence } from "./sentence-scoring.js";

/** The candidate sentences for a question, best first, and the question's words as they were searched. */
export interface Ranking {
  readonly sentences: readonly ScoredSentence[];
  readonly terms: readonly QueryTerm[];
}

/**
 * What the evidence allows:
 * - `answer`: the best sentence answers the question;
 * - `hedge`: it may, but much of the question is found nowhere: answer, saying that the article does not
 *   answer in so many words, and let the quoted sentences speak;
 * - `refuse`: nothing supports an answer.
 */
export type Verdict = "answer" | "hedge" | "refuse";

/** Where the verdicts change. Shares are of the question's IDF-weighted words, 0 to 1. */
export interface EvidenceThresholds {
  /** Refuse when at least this share of the question is nowhere in the corpus … */
  readonly refuseUnmatched: number;
  /** … and the best sentence covers less than this share. */
  readonly refuseCoverage: number;
  /** Hedge when at least this share of the question is nowhere in the corpus … */
  readonly hedgeUnmatched: number;
  /** … and the best sentence covers less than this share. */
  readonly hedgeCoverage: number;
}

/** Calibrated on the gold set, ARCD and TyDi QA (README, "Quality"). */
export const DEFAULT_EVIDENCE_THRESHOLDS: EvidenceThresholds = {
  refuseUnmatched: 0.8,
  refuseCoverage: 0.2,
  hedgeUnmatched: 0.45,
  hedgeCoverage: 0.2,
};

/** The verdict and the measurements it rests on. */
export interface Judgement {
  readonly verdict: Verdict;
  /** Share of the question found nowhere in the corpus, in any form. */
  readonly unmatchedShare: number;
  /** Share of the question the best sentence covers. */
  readonly coverage: number;
}

/**
 * Judges whether the best sentence answers the question. Refuses when a question that asks for a number
 * or a date gets a best sentence without one (beyond what the question states), or when most of the
 * question is missing from the corpus and the best sentence shares almost nothing with it; hedges when
 * much is missing and the best sentence covers little.
 */
export function judgeEvidence(
  ranking: Ranking,
  thresholds: EvidenceThresholds = DEFAULT_EVIDENCE_THRESHOLDS,
): Judgement {
  const best = ranking.sentences[0];
  const total = ranking.terms.reduce((sum, term) => sum + term.idf, 0);
  const missing = ranking.terms.reduce((sum, term) => sum + (term.inCorpus ? 0 : term.idf), 0);
  const unmatchedShare = total === 0 ? 1 : missing / total;
  const coverage = best?.coverage ?? 0;
  const verdict = (v: Verdict): Judgement => ({ verdict: v, unmatchedShare, coverage });
  if (!best || best.offersAskedType === false) return verdict("refuse");
  if (best.sentence.kind === "meta") return verdict("answer");
  if (unmatchedShare >= thresholds.refuseUnmatched && coverage < thresholds.refuseCoverage)
    return verdict("refuse");
  if (unmatchedShare >= thresholds.hedgeUnmatched && coverage < thresholds.hedgeCoverage)
    return verdict("hedge");
  return verdict("answer");
}
