import { LRUCache } from "lru-cache";
import type { Evidence, EvidenceSentence, PassageHit, QueryTerm } from "../retrieval/index.js";
import {
  analyzeForIndex,
  consonantSkeleton,
  offersDate,
  offersNumber,
  questionForms,
} from "../text/index.js";
import { questionCues, type QuestionCues } from "./question-cues.js";

/**
 * What the sentence ranker sees of a candidate sentence, each a number of about 0 to 1 (higher: more
 * likely the answer). The order is the order of the weights in the fitted model file
 * (src/answer/models/sentence-ranker.json); `npm run fit` fits one weight per feature.
 */
export const SENTENCE_FEATURES = [
  /** The fused retrieval score of its passage (weighted BM25 and cosine similarity). */
  "passageScore",
  /** Cosine similarity of its passage's embedding to the question's. */
  "similarity",
  /** Its passage's BM25 score over the best of the evidence (0 to 1). */
  "lexical",
  /** 1 / (1 + rank) of its passage among the hits. */
  "passageRank",
  /** Share of the question's IDF-weighted words the sentence holds (see {@link coverage}). */
  "coverage",
  /** The same share for its whole passage, with the title and heading. */
  "passageCoverage",
  /** Share of the question's words it holds as they are, without alternatives or skeletons. */
  "exactCoverage",
  /** Whether it holds the question's rarest word (the one of highest IDF). */
  "rarestWord",
  /** Share of the question's adjacent word pairs it holds side by side (رئيس طاجيكستان). */
  "phrase",
  /** How close together the question's words stand in it: words found / the span they cover. */
  "proximity",
  /** A "when" question and it states a date or time the question does not. */
  "dateOffered",
  /** A "when" question and it states none. */
  "dateMissing",
  /** A "how many" question and it states a number the question does not. */
  "numberOffered",
  /** A "how many" question and it states none. */
  "numberMissing",
  /** A "who" question and it names a person (a title, an office, kinship). */
  "personOffered",
  /** A "where" question and it names a place (a place noun, يقع، شمال …). */
  "placeOffered",
  /** It opens its passage. */
  "leadSentence",
  /** A definition question (ما هو X؟) and it opens its passage, where a text defines what it names. */
  "definitionLead",
  /** A verb of the question in the imperfect (تُعقد) stands in it in the imperfect too. */
  "tenseAgrees",
  /** A verb of the question in the imperfect stands in it only in the perfect (عُقد): another event. */
  "tenseClashes",
  /** Its length: log(1 + analyzed words) / log(64). */
  "length",
] as const;

/** A feature of a candidate sentence. */
export type SentenceFeature = (typeof SENTENCE_FEATURES)[number];

/** How much a word counts as found when only its consonant skeleton is (طلاب in a text with طالب). */
export const SKELETON_MATCH_WEIGHT = 0.6;

/**
 * How fast a question word's weight falls with its position: an Arabic question names what it asks
 * right after the question word, and the people and places after that are context ("شو المواضيع اللي
 * رح يركزوا عليها بالمفاوضات بين بوتين ورحمون؟"). The n-th word (from 0) weighs 1 / (1 + 0.5 n) of its
 * IDF; measured: +1.2 points hit@1 on ARCD, +0.6 on TyDi QA, no change on the gold set.
 */
export const QUESTION_POSITION_DECAY = 0.5;

/** Words of a text as {@link coverage} matches them. */
export interface TermSet {
  readonly terms: ReadonlySet<string>;
  readonly skeletons: ReadonlySet<string>;
  /** Adjacent analyzed words, joined by a space. */
  readonly pairs: ReadonlySet<string>;
}

/** What is read once from a question and its evidence, to compute every candidate's features. */
export interface QuestionContext {
  readonly cues: QuestionCues;
  readonly terms: readonly QueryTerm[];
  /** The question's adjacent analyzed word pairs. */
  readonly pairs: ReadonlySet<string>;
  /** Forms of the question's tokens: a number or date it states is no answer to it. */
  readonly asked: ReadonlySet<string> | undefined;
  /** The question word of highest IDF, and every word it can be found as. */
  readonly rarest: ReadonlySet<string>;
  /** The best BM25 score among the hits, to put each hit's on a scale of 0 to 1. */
  readonly bestLexical: number;
}

/** Reads what the features of every candidate of this question need. */
export function questionContext(question: string, evidence: Evidence): QuestionContext {
  const cues = questionCues(question);
  return {
    cues,
    terms: evidence.terms,
    pairs: adjacentPairs(analyzeForIndex(question)),
    asked: cues.asksWhen || cues.asksHowMany ? questionForms(question) : undefined,
    rarest: rarestWordForms(evidence.terms),
    bestLexical: Math.max(0, ...evidence.hits.map((hit) => hit.bm25Score)),
  };
}

/** The question's word of highest IDF, and every indexed word it is searched as; empty without words. */
export function rarestWordForms(terms: readonly QueryTerm[]): ReadonlySet<string> {
  let rarest: QueryTerm | undefined;
  for (const term of terms) if (!rarest || term.idf > rarest.idf) rarest = term;
  return new Set(rarest ? [rarest.term, ...rarest.alternatives.map(({ term }) => term)] : []);
}

/** Where a candidate stands: its passage, that passage's rank and words, and its place in it. */
export interface CandidatePlace {
  readonly hit: PassageHit;
  /** 0-based rank of the hit. */
  readonly rank: number;
  /** {@link coverage} of the question by the hit's passage (its words, title and heading): one per hit. */
  readonly passageCoverage: number;
  /** 0-based position of the sentence in its passage. */
  readonly position: number;
}

/** The position of each feature in {@link SENTENCE_FEATURES}: constants, read for every candidate. */
const PASSAGE_SCORE = SENTENCE_FEATURES.indexOf("passageScore");
const SIMILARITY = SENTENCE_FEATURES.indexOf("similarity");
const LEXICAL = SENTENCE_FEATURES.indexOf("lexical");
const PASSAGE_RANK = SENTENCE_FEATURES.indexOf("passageRank");
const COVERAGE = SENTENCE_FEATURES.indexOf("coverage");
const PASSAGE_COVERAGE = SENTENCE_FEATURES.indexOf("passageCoverage");
const EXACT_COVERAGE = SENTENCE_FEATURES.indexOf("exactCoverage");
const RAREST_WORD = SENTENCE_FEATURES.indexOf("rarestWord");
const PHRASE = SENTENCE_FEATURES.indexOf("phrase");
const PROXIMITY = SENTENCE_FEATURES.indexOf("proximity");
const DATE_OFFERED = SENTENCE_FEATURES.indexOf("dateOffered");
const DATE_MISSING = SENTENCE_FEATURES.indexOf("dateMissing");
const NUMBER_OFFERED = SENTENCE_FEATURES.indexOf("numberOffered");
const NUMBER_MISSING = SENTENCE_FEATURES.indexOf("numberMissing");
const PERSON_OFFERED = SENTENCE_FEATURES.indexOf("personOffered");
const PLACE_OFFERED = SENTENCE_FEATURES.indexOf("placeOffered");
const LEAD_SENTENCE = SENTENCE_FEATURES.indexOf("leadSentence");
const DEFINITION_LEAD = SENTENCE_FEATURES.indexOf("definitionLead");
const TENSE_AGREES = SENTENCE_FEATURES.indexOf("tenseAgrees");
const TENSE_CLASHES = SENTENCE_FEATURES.indexOf("tenseClashes");
const LENGTH = SENTENCE_FEATURES.indexOf("length");

/**
 * The features of a body sentence, in the order of {@link SENTENCE_FEATURES}. Written straight into the
 * array, as every candidate of every question is: an object per candidate cost a fifth of the scoring.
 */
export function sentenceFeatures(
  context: QuestionContext,
  sentence: EvidenceSentence,
  place: CandidatePlace,
): Float64Array {
  const { cues, asked } = context;
  const { traits } = sentence;
  const analyzed = traits.terms;
  const words = termSet(analyzed);
  let shared = 0;
  for (const pair of context.pairs) if (words.pairs.has(pair)) shared++;
  let rarestWord = 0;
  for (const term of context.rarest) {
    if (words.terms.has(term)) {
      rarestWord = 1;
      break;
    }
  }
  const date = asked !== undefined && cues.asksWhen ? offersDate(traits, asked) : undefined;
  const number = asked !== undefined && cues.asksHowMany ? offersNumber(traits, asked) : undefined;
  const { tenseAgrees, tenseClashes } = tense(cues, sentence);
  const lead = place.position === 0 ? 1 : 0;
  const features = new Float64Array(SENTENCE_FEATURES.length);
  features[PASSAGE_SCORE] = place.hit.score;
  features[SIMILARITY] = place.hit.similarity;
  features[LEXICAL] = context.bestLexical > 0 ? place.hit.bm25Score / context.bestLexical : 0;
  features[PASSAGE_RANK] = 1 / (1 + place.rank);
  features[COVERAGE] = coverage(context.terms, words);
  features[PASSAGE_COVERAGE] = place.passageCoverage;
  features[EXACT_COVERAGE] = exactCoverage(context.terms, words);
  features[RAREST_WORD] = rarestWord;
  features[PHRASE] = context.pairs.size === 0 ? 0 : shared / context.pairs.size;
  features[PROXIMITY] = proximity(context.terms, analyzed);
  features[DATE_OFFERED] = date === true ? 1 : 0;
  features[DATE_MISSING] = date === false ? 1 : 0;
  features[NUMBER_OFFERED] = number === true ? 1 : 0;
  features[NUMBER_MISSING] = number === false ? 1 : 0;
  features[PERSON_OFFERED] = cues.asksWho && traits.person ? 1 : 0;
  features[PLACE_OFFERED] = cues.asksWhere && traits.place ? 1 : 0;
  features[LEAD_SENTENCE] = lead;
  features[DEFINITION_LEAD] = cues.asksDefinition ? lead : 0;
  features[TENSE_AGREES] = tenseAgrees;
  features[TENSE_CLASHES] = tenseClashes;
  features[LENGTH] = Math.log1p(analyzed.length) / Math.log(64);
  return features;
}

/** Whether the question's imperfect verbs stand in the sentence in the same aspect, or only in the other. */
function tense(
  cues: QuestionCues,
  sentence: EvidenceSentence,
): { tenseAgrees: number; tenseClashes: number } {
  let agrees = 0;
  let clashes = 0;
  for (const verb of cues.verbs) {
    const same = sentence.traits.verbs.filter(({ root }) => root === verb.root);
    if (same.some(({ aspect }) => aspect === verb.aspect)) agrees = 1;
    else if (same.length > 0) clashes = 1;
  }
  return { tenseAgrees: agrees, tenseClashes: clashes };
}

/**
 * Share of the question's words, weighted by IDF and by position (see {@link QUESTION_POSITION_DECAY}),
 * that a text holds: a word counts fully when the text has it, by its alternative's weight when the text
 * has one of its likely meanings, and weakly when only its consonant skeleton matches.
 */
export function coverage(terms: readonly QueryTerm[], text: TermSet): number {
  let total = 0;
  let found = 0;
  const skeletons = skeletonsOf(terms);
  for (let position = 0; position < terms.length; position++) {
    const { idf: termIdf, alternatives } = terms[position] as QueryTerm;
    const idf = termIdf / (1 + QUESTION_POSITION_DECAY * position);
    total += idf;
    let match = 0;
    for (const alternative of alternatives) {
      if (text.terms.has(alternative.term)) match = Math.max(match, alternative.weight);
    }
    const skeleton = match < SKELETON_MATCH_WEIGHT ? skeletons[position] : undefined;
    if (skeleton !== undefined && text.skeletons.has(skeleton)) match = SKELETON_MATCH_WEIGHT;
    found += idf * match;
  }
  return total === 0 ? 0 : found / total;
}

/** The words of a text as {@link coverage} matches them, from its analyzed words in order. */
export function termSet(analyzed: readonly string[]): TermSet {
  let known = TERM_SETS.get(analyzed);
  if (!known) {
    known = makeTermSet(analyzed);
    TERM_SETS.set(analyzed, known);
  }
  return known;
}

/**
 * Term sets made recently, by the word list they were made from: the retriever hands out the same list
 * for a passage or a sentence it keeps, so a set is made once while it is in use. Bounded: the passages
 * of a large index are not all kept.
 */
const TERM_SETS = new LRUCache<readonly string[], TermSet>({ max: 16_384 });

function makeTermSet(analyzed: readonly string[]): TermSet {
  const terms = new Set(analyzed);
  const skeletons = new Set<string>();
  for (const term of terms) {
    const skeleton = consonantSkeleton(term);
    if (skeleton !== undefined) skeletons.add(skeleton);
  }
  return { terms, skeletons, pairs: adjacentPairs(analyzed) };
}

/** Share of the question's IDF that the text holds word for word. */
function exactCoverage(terms: readonly QueryTerm[], text: TermSet): number {
  let total = 0;
  let found = 0;
  for (const { term, idf } of terms) {
    total += idf;
    if (text.terms.has(term)) found += idf;
  }
  return total === 0 ? 0 : found / total;
}

/**
 * How tightly the question's words stand together in the sentence: the number of distinct question
 * words found (as themselves or an alternative) over the length of the shortest run of words holding
 * them all; 0 when fewer than two are found. A reader looks for the answer where the question's words
 * meet, not where they are scattered over a long sentence.
 */
function proximity(terms: readonly QueryTerm[], analyzed: readonly string[]): number {
  const wordOf = questionWordOf(terms);
  // Where each question word stands (positions in the sentence) and which word it is, side by side.
  const ats: number[] = [];
  const words: number[] = [];
  for (let at = 0; at < analyzed.length; at++) {
    const word = wordOf.get(analyzed[at] ?? "");
    if (word !== undefined) {
      ats.push(at);
      words.push(word);
    }
  }
  const counts = new Int32Array(terms.length);
  let distinct = 0;
  for (const word of words) if ((counts[word] = (counts[word] ?? 0) + 1) === 1) distinct++;
  if (distinct < 2) return 0;
  // The shortest window holding every distinct word found: two pointers over the positions.
  counts.fill(0);
  let covered = 0;
  let shortest = Infinity;
  let start = 0;
  for (let i = 0; i < ats.length; i++) {
    const word = words[i] ?? 0;
    if ((counts[word] = (counts[word] ?? 0) + 1) === 1) covered++;
    while (covered === distinct && start <= i) {
      shortest = Math.min(shortest, (ats[i] ?? 0) - (ats[start] ?? 0) + 1);
      const first = words[start] ?? 0;
      if ((counts[first] = (counts[first] ?? 0) - 1) === 0) covered--;
      start++;
    }
  }
  return distinct / shortest;
}

function adjacentPairs(terms: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1] ?? ""} ${terms[i] ?? ""}`);
  return pairs;
}

/**
 * What is read from a question's words once and used for each of its candidate sentences: held by the
 * word list, which lives as long as the question's evidence.
 */
const SKELETONS = new WeakMap<readonly QueryTerm[], readonly (string | undefined)[]>();
const WORD_OF = new WeakMap<readonly QueryTerm[], ReadonlyMap<string, number>>();

/** The consonant skeleton of each question word. */
function skeletonsOf(terms: readonly QueryTerm[]): readonly (string | undefined)[] {
  let skeletons = SKELETONS.get(terms);
  if (!skeletons) {
    skeletons = terms.map(({ term }) => consonantSkeleton(term));
    SKELETONS.set(terms, skeletons);
  }
  return skeletons;
}

/** The question word (its position) each indexed word stands for: the word itself or one of its alternatives. */
function questionWordOf(terms: readonly QueryTerm[]): ReadonlyMap<string, number> {
  let wordOf = WORD_OF.get(terms);
  if (!wordOf) {
    const made = new Map<string, number>();
    terms.forEach(({ term, alternatives }, i) => {
      made.set(term, i);
      for (const alternative of alternatives) if (!made.has(alternative.term)) made.set(alternative.term, i);
    });
    wordOf = made;
    WORD_OF.set(terms, wordOf);
  }
  return wordOf;
}
