import type { SanadIndex, SentenceRecord } from "../index/index.js";
import type { PassageHit } from "../retrieval/index.js";
import { analyzeForIndex } from "../text/index.js";
import { questionCues, sentenceTraits, type QuestionCues } from "./question-cues.js";

/** A candidate answer sentence and why it ranks where it does. All scores: higher is better. */
export interface ScoredSentence {
  readonly sentence: SentenceRecord;
  /** The fused score of the passage it comes from. */
  readonly passageScore: number;
  /** Share of the question's IDF-weighted words the sentence holds, 0 to 1. */
  readonly coverage: number;
  /** Share of the question's IDF-weighted words its passage holds (with title and heading), 0 to 1. */
  readonly passageCoverage: number;
  readonly score: number;
}

/** Weights of the sentence score, found with the fusion weights (README, "Retrieval"). */
export const SENTENCE_WEIGHTS = {
  coverage: 0.3,
  /** A "when" question and a sentence with a date, a "how many" question and one with a number. */
  when: 0.2,
  howMany: 0.6,
  /** A question about the article itself and a metadata line: ahead of any body sentence. */
  aboutArticle: 2,
} as const;

/** Gives a term's weight in the question: its inverse document frequency in the indexed passages. */
export type TermWeight = (term: string) => number;

/**
 * Scores every sentence of the retrieved passages for a question: the passage's fused score, plus how
 * much of the question the sentence itself covers, plus a bonus when it offers the kind of answer the
 * question asks for (a date for متى, a number for كم). Metadata lines compete only for questions about
 * the article itself. Best first.
 */
export function scoreSentences(
  question: string,
  hits: readonly PassageHit[],
  index: SanadIndex,
  termWeight: TermWeight,
): ScoredSentence[] {
  const cues = questionCues(question);
  const terms = [...new Set(analyzeForIndex(question))];
  const weights = terms.map(termWeight);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const coverageOf = (tokens: ReadonlySet<string>): number =>
    total === 0
      ? 0
      : terms.reduce((sum, term, i) => sum + (tokens.has(term) ? (weights[i] ?? 0) : 0), 0) / total;

  const scored: ScoredSentence[] = [];
  for (const hit of hits) {
    const passageCoverage = coverageOf(new Set(analyzeForIndex(index.passageText(hit.passage))));
    for (const position of hit.passage.sentences) {
      const sentence = index.sentences[position];
      if (!sentence || (sentence.kind === "meta" && !cues.asksAboutArticle)) continue;
      const coverage = coverageOf(new Set(analyzeForIndex(sentence.text)));
      const score = hit.score + SENTENCE_WEIGHTS.coverage * coverage + cueBonus(cues, sentence);
      scored.push({ sentence, passageScore: hit.score, coverage, passageCoverage, score });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.sentence.index - b.sentence.index);
}

function cueBonus(cues: QuestionCues, sentence: SentenceRecord): number {
  if (sentence.kind === "meta") return SENTENCE_WEIGHTS.aboutArticle;
  const traits = sentenceTraits(sentence.text);
  return (
    (cues.asksWhen && traits.hasDate ? SENTENCE_WEIGHTS.when : 0) +
    (cues.asksHowMany && traits.hasNumber ? SENTENCE_WEIGHTS.howMany : 0)
  );
}
