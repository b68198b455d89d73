import type { ArticleRecord, Evidence, EvidenceSentence, QueryTerm } from "../retrieval/index.js";
import {
  analyzeForIndex,
  consonantSkeleton,
  offersDate,
  offersNumber,
  questionForms,
} from "../text/index.js";
import { questionCues, type QuestionCues } from "./question-cues.js";

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
   * question does not already state. Undefined for other questions.
   */
  readonly offersAskedType: boolean | undefined;
  readonly score: number;
}

/** Weights of the parts of a sentence's score, added to its passage's fused score. */
export interface SentenceWeights {
  /** Share of the question the sentence covers (0–1). */
  readonly coverage: number;
  /** Share of the question's adjacent word pairs the sentence has side by side (0–1): رئيس طاجيكستان. */
  readonly phrase: number;
  /** A "when" question and a sentence with a date. */
  readonly when: number;
  /** A "how many" question and a sentence with a number. */
  readonly howMany: number;
  /** A question about the article itself and a metadata line: ahead of any body sentence. */
  readonly aboutArticle: number;
  /** And the metadata line is the one it asks for (the source for "أي وكالة نشرت الخبر؟"). */
  readonly articleTopic: number;
}

/** Weights found with the fusion weights by a coordinate search (README, "Choices measured"). */
export const SENTENCE_WEIGHTS: SentenceWeights = {
  coverage: 0.45,
  phrase: 0.05,
  when: 0.35,
  howMany: 0.35,
  aboutArticle: 2,
  articleTopic: 1,
};

/**
 * How fast a question word's weight falls with its position: an Arabic question names what it asks
 * right after the question word, and the people and places after that are context ("شو المواضيع اللي
 * رح يركزوا عليها بالمفاوضات بين بوتين ورحمون؟"). The n-th word (from 0) weighs 1 / (1 + 0.5 n) of its
 * IDF; measured: +1.2 points hit@1 on ARCD, +0.6 on TyDi QA, no change on the gold set.
 */
export const QUESTION_POSITION_DECAY = 0.5;

/** How much a word counts as found when only its consonant skeleton is (طلاب in a text with طالب). */
export const SKELETON_MATCH_WEIGHT = 0.6;

/** The analyzed words of a text, and their skeletons, for matching question words against. */
export interface TermSet {
  readonly terms: ReadonlySet<string>;
  readonly skeletons: ReadonlySet<string>;
  /** Adjacent analyzed words, joined by a space. */
  readonly pairs: ReadonlySet<string>;
}

/** What a body sentence offers of the answer types a question asks for. */
interface Offered {
  readonly date: boolean;
  readonly number: boolean;
}

/**
 * Scores every sentence of the evidence for a question: the passage's fused score, plus how much of the
 * question the sentence itself covers, plus a bonus when it offers the kind of answer the question asks
 * for (a date for متى, a number for كم). Metadata lines compete only for questions about the article
 * itself. Works on the evidence alone: the sentences' words and traits come with it. Best first.
 */
export function scoreSentences(
  question: string,
  evidence: Evidence,
  weights: SentenceWeights = SENTENCE_WEIGHTS,
): ScoredSentence[] {
  const cues = questionCues(question);
  const questionPairs = adjacentPairs(analyzeForIndex(question));
  // Numbers and dates the question itself states are no answer to it.
  const asked = cues.asksWhen || cues.asksHowMany ? questionForms(question) : undefined;
  const scored: ScoredSentence[] = [];
  const score = (
    sentence: EvidenceSentence,
    article: ArticleRecord,
    passageScore: number,
    passageCoverage: number,
  ): void => {
    const words = termSet(sentence.traits.terms);
    const sentenceCoverage = coverage(evidence.terms, words);
    const shared = [...questionPairs].filter((pair) => words.pairs.has(pair)).length;
    const phrase = questionPairs.size === 0 ? 0 : shared / questionPairs.size;
    const offered = asked && sentence.kind === "body" ? offeredTypes(sentence, asked) : undefined;
    const total =
      passageScore +
      weights.coverage * sentenceCoverage +
      weights.phrase * phrase +
      cueBonus(cues, sentence, offered, weights);
    scored.push({
      sentence,
      article,
      passageScore,
      coverage: sentenceCoverage,
      passageCoverage,
      offersAskedType: offered && ((cues.asksWhen && offered.date) || (cues.asksHowMany && offered.number)),
      score: total,
    });
  };
  for (const hit of evidence.hits) {
    const passageCoverage = coverage(evidence.terms, termSet(hit.terms));
    for (const sentence of hit.sentences) {
      if (sentence.kind === "body") score(sentence, hit.article, hit.score, passageCoverage);
    }
  }
  const best = evidence.hits[0];
  if (cues.aboutArticle !== undefined && best) {
    // Metadata lines rarely share a question's words ("أي وكالة نشرت الخبر؟"): offer those of the
    // best-matching article whatever their own retrieval score.
    for (const sentence of best.article.metadata) score(sentence, best.article, best.score, 1);
  }
  return scored.sort((a, b) => b.score - a.score || a.sentence.index - b.sentence.index);
}

/**
 * Share of the question's words, weighted by IDF and by position (see {@link QUESTION_POSITION_DECAY}),
 * that a text holds: a word counts fully when the text
 * has it, by its alternative's weight when the text has one of its likely meanings, and weakly when only
 * its consonant skeleton matches.
 */
export function coverage(terms: readonly QueryTerm[], text: TermSet): number {
  let total = 0;
  let found = 0;
  for (const [position, { term, idf: termIdf, alternatives }] of terms.entries()) {
    const idf = termIdf / (1 + QUESTION_POSITION_DECAY * position);
    total += idf;
    let match = 0;
    for (const alternative of alternatives) {
      if (text.terms.has(alternative.term)) match = Math.max(match, alternative.weight);
    }
    const skeleton = match < SKELETON_MATCH_WEIGHT ? consonantSkeleton(term) : undefined;
    if (skeleton !== undefined && text.skeletons.has(skeleton)) match = SKELETON_MATCH_WEIGHT;
    found += idf * match;
  }
  return total === 0 ? 0 : found / total;
}

/** The words of a text as {@link coverage} matches them, from its analyzed words in order. */
export function termSet(analyzed: readonly string[]): TermSet {
  const terms = new Set(analyzed);
  const skeletons = new Set<string>();
  for (const term of terms) {
    const skeleton = consonantSkeleton(term);
    if (skeleton !== undefined) skeletons.add(skeleton);
  }
  return { terms, skeletons, pairs: adjacentPairs(analyzed) };
}

function adjacentPairs(terms: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1] ?? ""} ${terms[i] ?? ""}`);
  return pairs;
}

function offeredTypes(sentence: EvidenceSentence, asked: ReadonlySet<string>): Offered {
  return { date: offersDate(sentence.traits, asked), number: offersNumber(sentence.traits, asked) };
}

function cueBonus(
  cues: QuestionCues,
  sentence: EvidenceSentence,
  offered: Offered | undefined,
  weights: SentenceWeights,
): number {
  if (sentence.kind === "meta") {
    return weights.aboutArticle + (sentence.traits.topic === cues.aboutArticle ? weights.articleTopic : 0);
  }
  if (!offered) return 0;
  return (
    (cues.asksWhen && offered.date ? weights.when : 0) +
    (cues.asksHowMany && offered.number ? weights.howMany : 0)
  );
}
