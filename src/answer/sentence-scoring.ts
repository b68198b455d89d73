import type { ArticleRecord, Evidence, EvidenceSentence } from "../retrieval/index.js";
import {
  coverage,
  questionContext,
  sentenceFeatures,
  SENTENCE_FEATURES,
  termSet,
  type SentenceFeature,
} from "./sentence-features.js";
import { rankScore, SENTENCE_RANKER, type SentenceRanker } from "./sentence-ranker.js";

/** A candidate answer sentence and why it ranks where it does. All scores: higher is better. */
export interface ScoredSentence {
  readonly sentence: EvidenceSentence;
  /** The article it comes from, as its citation names it. */
  readonly article: ArticleRecord;
  /** The fused score of the passage it comes from. */
  readonly passageScore: number;
  /** Share of the question's IDF-weighted words the sentence holds, 0 to 1. */
  readonly coverage: number;
  /** Share of the question's IDF-weighted words its passage holds (with title and heading), 0 to 1. */
  readonly passageCoverage: number;
  /**
   * For a question that asks for a number (كم) or a date (متى): whether the sentence has one that the
   * question does not already state. Undefined for other questions, and for metadata lines.
   */
  readonly offersAskedType: boolean | undefined;
  /** Its features, in the order of SENTENCE_FEATURES (all 0 for a metadata line). */
  readonly features: Float64Array;
  /** Its score under the ranker: a log-odds that it holds the answer. */
  readonly score: number;
}

/**
 * How far a metadata line is put ahead of the best body sentence for a question about the article
 * itself, and again when it is the line asked for (the source for "أي وكالة نشرت الخبر؟"). A rule, not
 * a fitted weight: such questions ask for the metadata line, whatever the body says.
 */
const ABOUT_ARTICLE_LEAD = 1;

const FEATURE_COUNT = SENTENCE_FEATURES.length;
const feature = (name: SentenceFeature): number => SENTENCE_FEATURES.indexOf(name);
const COVERAGE = feature("coverage");
const PASSAGE_COVERAGE = feature("passageCoverage");
const DATE_OFFERED = feature("dateOffered");
const DATE_MISSING = feature("dateMissing");
const NUMBER_OFFERED = feature("numberOffered");
const NUMBER_MISSING = feature("numberMissing");

/**
 * Scores every body sentence of the evidence for a question with the sentence ranker (its features:
 * how much of the question the sentence and its passage hold, how close together, whether it offers the
 * kind of answer asked for, its passage's retrieval scores …). Metadata lines compete only for
 * questions about the article itself, and then come first. Works on the evidence alone. Best first.
 */
export function scoreSentences(
  question: string,
  evidence: Evidence,
  ranker: SentenceRanker = SENTENCE_RANKER,
): ScoredSentence[] {
  const context = questionContext(question, evidence);
  const scored: ScoredSentence[] = [];
  const bodies = evidence.hits.map((hit) => hit.sentences.filter((sentence) => sentence.kind === "body"));
  // The features of every candidate in one array, each candidate's a view of its part.
  const all = new Float64Array(FEATURE_COUNT * bodies.reduce((sum, body) => sum + body.length, 0));
  let candidate = 0;
  evidence.hits.forEach((hit, rank) => {
    const passageCoverage = coverage(context.terms, termSet(hit.terms));
    bodies[rank]?.forEach((sentence, position) => {
      const into = all.subarray(candidate * FEATURE_COUNT, ++candidate * FEATURE_COUNT);
      const features = sentenceFeatures(context, sentence, { hit, rank, passageCoverage, position }, into);
      const offered = (features[DATE_OFFERED] ?? 0) + (features[NUMBER_OFFERED] ?? 0) > 0;
      const missing = (features[DATE_MISSING] ?? 0) + (features[NUMBER_MISSING] ?? 0) > 0;
      scored.push({
        sentence,
        article: hit.article,
        passageScore: hit.score,
        coverage: features[COVERAGE] ?? 0,
        passageCoverage: features[PASSAGE_COVERAGE] ?? 0,
        offersAskedType: offered ? true : missing ? false : undefined,
        features,
        score: rankScore(ranker, features),
      });
    });
  });
  const best = evidence.hits[0];
  const topic = context.cues.aboutArticle;
  if (topic !== undefined && best) {
    // Metadata lines rarely share a question's words ("أي وكالة نشرت الخبر؟"): offer those of the
    // best-matching article, ahead of every body sentence.
    const lead = Math.max(best.score, ...scored.map(({ score }) => score)) + ABOUT_ARTICLE_LEAD;
    for (const sentence of best.article.metadata) {
      scored.push({
        sentence,
        article: best.article,
        passageScore: best.score,
        coverage: 0,
        passageCoverage: 1,
        offersAskedType: undefined,
        features: new Float64Array(SENTENCE_FEATURES.length),
        score: lead + (sentence.traits.topic === topic ? ABOUT_ARTICLE_LEAD : 0),
      });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.sentence.index - b.sentence.index);
}
