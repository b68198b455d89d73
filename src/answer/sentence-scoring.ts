import type { ArticleRecord, Evidence, EvidenceSentence } from "../retrieval/index.js";
import {
  questionContext,
  questionCoverage,
  sentenceFeatures,
  sentenceScoreCeiling,
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
 * The part of a ranking an answer reads: the best two sentences (the answerability judgement weighs the
 * best against the runner-up), and those that rank among the first `places` with a score within `within`
 * of the best (the sentences it cites).
 */
export interface RankingHead {
  readonly places: number;
  readonly within: number;
}

/**
 * Scores every body sentence of the evidence for a question with the sentence ranker (its features:
 * how much of the question the sentence and its passage hold, how close together, whether it offers the
 * kind of answer asked for, its passage's retrieval scores …). Metadata lines compete only for
 * questions about the article itself, and then come first. Works on the evidence alone. Best first.
 *
 * With `head`, only the sentences of that head are sure to be there, scored and ordered as without it:
 * a passage none of whose sentences can reach the head, by {@link sentenceScoreCeiling}, is not read
 * (about 70% of the candidates of an ARCD or TyDi QA question are not).
 */
export function scoreSentences(
  question: string,
  evidence: Evidence,
  ranker: SentenceRanker = SENTENCE_RANKER,
  head?: RankingHead,
): ScoredSentence[] {
  const context = questionContext(question, evidence);
  const scored: ScoredSentence[] = [];
  // Pushed, not mapped or filtered: one array shape whatever the tier running this (see QueryTerm).
  const bodies: EvidenceSentence[][] = [];
  let candidates = 0;
  for (const hit of evidence.hits) {
    const body: EvidenceSentence[] = [];
    for (const sentence of hit.sentences) if (sentence.kind === "body") body.push(sentence);
    bodies.push(body);
    candidates += body.length;
  }
  // The features of every candidate in one array, each candidate's a view of its part.
  const all = new Float64Array(FEATURE_COUNT * candidates);
  const leaders = head ? new Leaders(head) : undefined;
  let candidate = 0;
  evidence.hits.forEach((hit, rank) => {
    const passageCoverage = questionCoverage(context, termSet(hit.terms));
    const body = bodies[rank] ?? [];
    const first = { hit, rank, passageCoverage, position: 0 };
    if (leaders && body.length > 0 && !leaders.mayEnter(sentenceScoreCeiling(context, first, ranker.weights)))
      return;
    body.forEach((sentence, position) => {
      const into = all.subarray(candidate * FEATURE_COUNT, ++candidate * FEATURE_COUNT);
      const features = sentenceFeatures(context, sentence, { hit, rank, passageCoverage, position }, into);
      const offered = (features[DATE_OFFERED] ?? 0) + (features[NUMBER_OFFERED] ?? 0) > 0;
      const missing = (features[DATE_MISSING] ?? 0) + (features[NUMBER_MISSING] ?? 0) > 0;
      const score = rankScore(ranker, features);
      leaders?.add(score);
      scored.push({
        sentence,
        article: hit.article,
        passageScore: hit.score,
        coverage: features[COVERAGE] ?? 0,
        passageCoverage: features[PASSAGE_COVERAGE] ?? 0,
        offersAskedType: offered ? true : missing ? false : undefined,
        features,
        score,
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

/**
 * How far a ceiling may fall short of a score it bounds by rounding alone (the two sums add the same
 * products in another order): a passage is left out only when its ceiling is below the head by more.
 */
const CEILING_TOLERANCE = 1e-9;

/** The best scores so far, to tell the score a sentence needs to enter a {@link RankingHead}. */
class Leaders {
  /** Best first: as many as the head's places, and two at least. */
  private readonly scores: number[] = [];
  private readonly size: number;

  constructor(private readonly head: RankingHead) {
    this.size = Math.max(2, head.places);
  }

  add(score: number): void {
    const { scores } = this;
    if (scores.length === this.size && score <= (scores[this.size - 1] ?? -Infinity)) return;
    let at = Math.min(scores.length, this.size - 1);
    while (at > 0 && score > (scores[at - 1] ?? -Infinity)) {
      scores[at] = scores[at - 1] ?? -Infinity;
      at--;
    }
    scores[at] = score;
  }

  /** Whether a sentence scoring `ceiling` at most may enter the head. */
  mayEnter(ceiling: number): boolean {
    return ceiling + CEILING_TOLERANCE >= this.entryScore();
  }

  /**
   * A sentence scoring below this is in the head neither as the best or the runner-up (below the second
   * score so far) nor as a cited one (below the last of the places so far, or too far below the best):
   * the scores so far only rise, and with them what a sentence needs.
   */
  entryScore(): number {
    const [best = -Infinity, second = -Infinity] = this.scores;
    const last =
      this.scores.length >= this.head.places ? (this.scores[this.head.places - 1] ?? -Infinity) : -Infinity;
    return Math.min(second, Math.max(last, best - this.head.within));
  }
}
