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
}

/**
 * What one indexed word tells of the question, so that a candidate sentence is read word by word, each
 * word looked up once, instead of looking each question word and each of its alternatives up in the
 * sentence (about sixty set look-ups per candidate).
 */
interface WordRole {
  /** The question words (positions) it stands for as an alternative, and its weight for each. */
  readonly alternativeOf: readonly number[];
  readonly weights: readonly number[];
  /** The question word it is, as the question has it; -1 when none. */
  readonly exactOf: number;
  /** Whether the question has it (its adjacent pairs are made of such words). */
  readonly inQuestion: boolean;
  /** Whether it is a form of the question's rarest word. */
  readonly rarest: boolean;
  /** The question word the proximity feature counts it as (see {@link shortestSpan}); -1 when none. */
  readonly proximityWord: number;
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
  /** Every word that stands for a question word, with what it stands for. */
  readonly roles: ReadonlyMap<string, WordRole>;
  /** Each question word's share of {@link coverage}: its IDF, lowered by its position. */
  readonly positionWeights: Float64Array;
  /** The sum of {@link positionWeights}, and of the question words' IDFs (for the exact coverage). */
  readonly positionWeightTotal: number;
  readonly idfTotal: number;
  /** The consonant skeleton of each question word. */
  readonly skeletons: readonly (string | undefined)[];
  /** Working space of {@link readSentence}, one slot per question word: made once, not per candidate. */
  readonly scratch: {
    readonly matches: Float64Array;
    readonly exact: Uint8Array;
    readonly counts: Int32Array;
    readonly ats: number[];
    readonly words: number[];
    /** The features {@link sentenceScoreCeiling} supposes. */
    readonly ceiling: Float64Array;
  };
}

/** Reads what the features of every candidate of this question need. */
export function questionContext(question: string, evidence: Evidence): QuestionContext {
  const cues = questionCues(question);
  const { terms } = evidence;
  const analyzed = analyzeForIndex(question);
  const rarest = rarestWordForms(terms);
  const positionWeights = new Float64Array(terms.length);
  let positionWeightTotal = 0;
  let idfTotal = 0;
  terms.forEach(({ idf }, position) => {
    positionWeights[position] = idf / (1 + QUESTION_POSITION_DECAY * position);
    positionWeightTotal += positionWeights[position] ?? 0;
    idfTotal += idf;
  });
  return {
    cues,
    terms,
    pairs: adjacentPairs(analyzed),
    asked: cues.asksWhen || cues.asksHowMany ? questionForms(question) : undefined,
    rarest,
    bestLexical: Math.max(0, ...evidence.hits.map((hit) => hit.bm25Score)),
    roles: wordRoles(terms, rarest, analyzed),
    positionWeights,
    positionWeightTotal,
    idfTotal,
    skeletons: questionSkeletons(terms),
    scratch: {
      matches: new Float64Array(terms.length),
      exact: new Uint8Array(terms.length),
      counts: new Int32Array(terms.length),
      ats: [],
      words: [],
      ceiling: new Float64Array(SENTENCE_FEATURES.length),
    },
  };
}

/** The role of every word that stands for a question word (see {@link WordRole}). */
function wordRoles(
  terms: readonly QueryTerm[],
  rarest: ReadonlySet<string>,
  questionWords: readonly string[],
): Map<string, WordRole> {
  const made = new Map<string, MutableWordRole>();
  for (const word of questionWords) roleOf(made, word, rarest).inQuestion = true;
  terms.forEach(({ term, alternatives }, position) => {
    roleOf(made, term, rarest).exactOf = position;
    for (const alternative of alternatives) {
      const role = roleOf(made, alternative.term, rarest);
      role.alternativeOf.push(position);
      role.weights.push(alternative.weight);
    }
  });
  for (const [word, position] of questionWordOf(terms)) roleOf(made, word, rarest).proximityWord = position;
  return made;
}

/** A word role while {@link wordRoles} fills it in. */
type MutableWordRole = WordRole & {
  alternativeOf: number[];
  weights: number[];
  exactOf: number;
  inQuestion: boolean;
  proximityWord: number;
};

/** The role of a word in the table being made, added empty on its first look-up. */
function roleOf(
  made: Map<string, MutableWordRole>,
  word: string,
  rarest: ReadonlySet<string>,
): MutableWordRole {
  let role = made.get(word);
  if (!role) {
    role = {
      alternativeOf: [],
      weights: [],
      exactOf: -1,
      inQuestion: false,
      rarest: rarest.has(word),
      proximityWord: -1,
    };
    made.set(word, role);
  }
  return role;
}

/** The question's word of highest IDF, and every indexed word it is searched as; empty without words. */
export function rarestWordForms(terms: readonly QueryTerm[]): ReadonlySet<string> {
  let rarest: QueryTerm | undefined;
  for (const term of terms) if (!rarest || term.idf > rarest.idf) rarest = term;
  const forms = new Set<string>();
  if (!rarest) return forms;
  forms.add(rarest.term);
  for (const { term } of rarest.alternatives) forms.add(term);
  return forms;
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
 * The features of a body sentence, in the order of {@link SENTENCE_FEATURES}, written into `features`
 * (every one of them): straight into an array, as every candidate of every question is scored (an object
 * per candidate cost a fifth of the scoring), and one given by the caller, who can make one array for all
 * of a question's candidates (a typed array of its own costs each candidate 0.3 µs).
 */
export function sentenceFeatures(
  context: QuestionContext,
  sentence: EvidenceSentence,
  place: CandidatePlace,
  features = new Float64Array(SENTENCE_FEATURES.length),
): Float64Array {
  const { cues, asked } = context;
  const { traits } = sentence;
  const analyzed = traits.terms;
  readSentence(context, analyzed, features);
  const date = asked !== undefined && cues.asksWhen ? offersDate(traits, asked) : undefined;
  const number = asked !== undefined && cues.asksHowMany ? offersNumber(traits, asked) : undefined;
  const lead = place.position === 0 ? 1 : 0;
  passageFeatures(context, place, features);
  features[DATE_OFFERED] = date === true ? 1 : 0;
  features[DATE_MISSING] = date === false ? 1 : 0;
  features[NUMBER_OFFERED] = number === true ? 1 : 0;
  features[NUMBER_MISSING] = number === false ? 1 : 0;
  features[PERSON_OFFERED] = cues.asksWho && traits.person ? 1 : 0;
  features[PLACE_OFFERED] = cues.asksWhere && traits.place ? 1 : 0;
  features[LEAD_SENTENCE] = lead;
  features[DEFINITION_LEAD] = cues.asksDefinition ? lead : 0;
  features[TENSE_AGREES] = tenseAgrees(cues, sentence) ? 1 : 0;
  features[TENSE_CLASHES] = tenseClashes(cues, sentence) ? 1 : 0;
  features[LENGTH] = lengthFeature(analyzed.length);
  return features;
}

/** Writes the features a candidate has from its passage alone, the same for each of its sentences. */
function passageFeatures(context: QuestionContext, place: CandidatePlace, features: Float64Array): void {
  features[PASSAGE_SCORE] = place.hit.score;
  features[SIMILARITY] = place.hit.similarity;
  features[LEXICAL] = context.bestLexical > 0 ? place.hit.bm25Score / context.bestLexical : 0;
  features[PASSAGE_RANK] = 1 / (1 + place.rank);
  features[PASSAGE_COVERAGE] = place.passageCoverage;
}

/**
 * 1 for each feature {@link passageFeatures} writes, known before any sentence of the passage is read:
 * by feature position, as every passage's ceiling reads each feature's.
 */
const PASSAGE_LEVEL = new Uint8Array(SENTENCE_FEATURES.length);
for (const at of [PASSAGE_SCORE, SIMILARITY, LEXICAL, PASSAGE_RANK, PASSAGE_COVERAGE]) PASSAGE_LEVEL[at] = 1;

/** What the sentences of one passage can offer at most, read once while the passage is kept. */
interface PassageCeiling {
  /** The words of all its body sentences together: a sentence's coverage is at most theirs. */
  readonly words: TermSet;
  /**
   * Whether the passage's own words (see PassageHit.terms) hold all of them: then its coverage, which the
   * scoring reads anyway, is a ceiling too.
   */
  readonly withinPassage: boolean;
  /** The {@link SENTENCE_FEATURES} length of its longest body sentence. */
  readonly length: number;
}

/** By the hit's sentence list, which the evidence keeps for the passage (see termSet for why a list can be a key). */
const CEILINGS = new WeakMap<readonly EvidenceSentence[], PassageCeiling>();

function ceilingOf(hit: PassageHit): PassageCeiling {
  let ceiling = CEILINGS.get(hit.sentences);
  if (!ceiling) {
    const words: string[] = [];
    let longest = 0;
    for (const sentence of hit.sentences) {
      if (sentence.kind !== "body") continue;
      const { terms } = sentence.traits;
      for (const term of terms) words.push(term);
      longest = Math.max(longest, terms.length);
    }
    const own = termSet(hit.terms).terms;
    ceiling = {
      words: makeTermSet(words),
      withinPassage: words.every((word) => own.has(word)),
      length: lengthFeature(longest),
    };
    CEILINGS.set(hit.sentences, ceiling);
  }
  return ceiling;
}

/**
 * The highest score under `weights` that any body sentence of the hit can have, without reading one: its
 * passage's features as they are, and every other feature at the most it can be where its weight is
 * positive (at its least, 0, where negative) — the coverage at that of the words of all the passage's
 * sentences together (a sentence holds a part of them, and coverage only grows with the words), the
 * length at its longest sentence's, a feature the question's cues rule out at 0 (it is 0 for every
 * sentence then), any other at 1 (each is a share or a yes or no).
 */
export function sentenceScoreCeiling(
  context: QuestionContext,
  place: CandidatePlace,
  weights: Float64Array,
): number {
  const { cues, asked } = context;
  const ceiling = ceilingOf(place.hit);
  const features = context.scratch.ceiling.fill(1);
  passageFeatures(context, place, features);
  features[COVERAGE] = ceiling.withinPassage
    ? place.passageCoverage
    : questionCoverage(context, ceiling.words);
  features[LENGTH] = ceiling.length;
  const asksDate = asked !== undefined && cues.asksWhen ? 1 : 0;
  const asksNumber = asked !== undefined && cues.asksHowMany ? 1 : 0;
  features[DATE_OFFERED] = features[DATE_MISSING] = asksDate;
  features[NUMBER_OFFERED] = features[NUMBER_MISSING] = asksNumber;
  features[PERSON_OFFERED] = cues.asksWho ? 1 : 0;
  features[PLACE_OFFERED] = cues.asksWhere ? 1 : 0;
  features[DEFINITION_LEAD] = cues.asksDefinition ? 1 : 0;
  features[TENSE_AGREES] = features[TENSE_CLASHES] = cues.verbs.length > 0 ? 1 : 0;
  let score = 0;
  for (let i = 0; i < features.length; i++) {
    const weight = weights[i] ?? 0;
    const value = features[i] ?? 0;
    score += PASSAGE_LEVEL[i] === 1 ? weight * value : Math.max(0, weight) * value;
  }
  return score;
}

/** The length feature of a sentence of `words` analyzed words. */
const lengthFeature = (words: number): number => Math.log1p(words) / Math.log(64);

/**
 * Reads the sentence's words once, in order, each looked up in the question's {@link WordRole}s, and
 * writes the features that {@link coverage}, the exact coverage, the rarest word, the shared pairs and
 * the proximity ({@link shortestSpan}) would each give: the same sums, in the same order, to the last bit.
 */
function readSentence(context: QuestionContext, analyzed: readonly string[], features: Float64Array): void {
  const { roles, terms } = context;
  const { matches, exact, ats, words } = context.scratch;
  matches.fill(0);
  exact.fill(0);
  ats.length = 0;
  words.length = 0;
  let rarestWord = 0;
  let shared: string[] | undefined;
  let previousInQuestion = false;
  for (let at = 0; at < analyzed.length; at++) {
    const word = analyzed[at] ?? "";
    const role = roles.get(word);
    if (role === undefined) {
      previousInQuestion = false;
      continue;
    }
    const { alternativeOf, weights } = role;
    for (let i = 0; i < alternativeOf.length; i++) {
      const position = alternativeOf[i] ?? 0;
      matches[position] = Math.max(matches[position] ?? 0, weights[i] ?? 0);
    }
    if (role.exactOf >= 0) exact[role.exactOf] = 1;
    // A pair of the question's own words, side by side: the question's pairs are only of those.
    if (role.inQuestion && previousInQuestion) {
      const pair = `${analyzed[at - 1] ?? ""} ${word}`;
      if (context.pairs.has(pair) && !shared?.includes(pair)) (shared ??= []).push(pair);
    }
    previousInQuestion = role.inQuestion;
    if (role.rarest) rarestWord = 1;
    if (role.proximityWord >= 0) {
      ats.push(at);
      words.push(role.proximityWord);
    }
  }
  let found = 0;
  let exactFound = 0;
  let skeletons: ReadonlySet<string> | undefined;
  for (let position = 0; position < terms.length; position++) {
    let match = matches[position] ?? 0;
    const skeleton = match < SKELETON_MATCH_WEIGHT ? context.skeletons[position] : undefined;
    if (skeleton !== undefined) {
      skeletons ??= sentenceSkeletons(analyzed);
      if (skeletons.has(skeleton)) match = SKELETON_MATCH_WEIGHT;
    }
    found += (context.positionWeights[position] ?? 0) * match;
    if (exact[position] === 1) exactFound += (terms[position] as QueryTerm).idf;
  }
  features[COVERAGE] = context.positionWeightTotal === 0 ? 0 : found / context.positionWeightTotal;
  features[EXACT_COVERAGE] = context.idfTotal === 0 ? 0 : exactFound / context.idfTotal;
  features[RAREST_WORD] = rarestWord;
  features[PHRASE] = context.pairs.size === 0 ? 0 : (shared?.length ?? 0) / context.pairs.size;
  features[PROXIMITY] = shortestSpan(context.scratch.counts, ats, words);
}

/** Whether a verb of the question in the imperfect stands in the sentence in the same aspect. */
function tenseAgrees(cues: QuestionCues, sentence: EvidenceSentence): boolean {
  for (const verb of cues.verbs) {
    for (const { root, aspect } of sentence.traits.verbs)
      if (root === verb.root && aspect === verb.aspect) return true;
  }
  return false;
}

/**
 * Whether a verb of the question stands in the sentence only in the other aspect (another event), for
 * some verb of the question: it may agree for another.
 */
function tenseClashes(cues: QuestionCues, sentence: EvidenceSentence): boolean {
  for (const verb of cues.verbs) {
    let same = false;
    let agrees = false;
    for (const { root, aspect } of sentence.traits.verbs) {
      if (root !== verb.root) continue;
      same = true;
      if (aspect === verb.aspect) agrees = true;
    }
    if (same && !agrees) return true;
  }
  return false;
}

/**
 * Share of the question's words, weighted by IDF and by position (see {@link QUESTION_POSITION_DECAY}),
 * that a text holds: a word counts fully when the text has it, by its alternative's weight when the text
 * has one of its likely meanings, and weakly when only its consonant skeleton matches.
 */
export function coverage(terms: readonly QueryTerm[], text: TermSet): number {
  let total = 0;
  let found = 0;
  for (let position = 0; position < terms.length; position++) {
    const queryTerm = terms[position] as QueryTerm;
    const termIdf = queryTerm.idf;
    const idf = termIdf / (1 + QUESTION_POSITION_DECAY * position);
    total += idf;
    found += idf * termMatch(queryTerm, skeletonOf(queryTerm), text);
  }
  return total === 0 ? 0 : found / total;
}

/**
 * How far a text holds a question word: fully when it has it, by its best alternative's weight, or by
 * {@link SKELETON_MATCH_WEIGHT} when it has only the word's consonant skeleton; 0 otherwise.
 */
function termMatch(queryTerm: QueryTerm, skeleton: string | undefined, text: TermSet): number {
  let match = 0;
  for (const alternative of queryTerm.alternatives) {
    if (text.terms.has(alternative.term)) match = Math.max(match, alternative.weight);
  }
  return match < SKELETON_MATCH_WEIGHT && skeleton !== undefined && text.skeletons.has(skeleton)
    ? SKELETON_MATCH_WEIGHT
    : match;
}

/**
 * {@link coverage} of the question of `context` by a text, to the last bit, from what the context has
 * read once: each word's weight and skeleton (a passage's coverage is read for every hit of a question).
 */
export function questionCoverage(context: QuestionContext, text: TermSet): number {
  const { terms, positionWeights, skeletons } = context;
  let found = 0;
  for (let position = 0; position < terms.length; position++) {
    const match = termMatch(terms[position] as QueryTerm, skeletons[position], text);
    found += (positionWeights[position] ?? 0) * match;
  }
  return context.positionWeightTotal === 0 ? 0 : found / context.positionWeightTotal;
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
  return { terms: new Set(analyzed), skeletons: skeletonsOfWords(analyzed) };
}

function skeletonsOfWords(analyzed: readonly string[]): Set<string> {
  const skeletons = new Set<string>();
  for (const term of analyzed) {
    const skeleton = consonantSkeleton(term);
    if (skeleton !== undefined) skeletons.add(skeleton);
  }
  return skeletons;
}

/**
 * The skeletons of a sentence's words, kept as long as its word list (the sentence's analysis, which the
 * evidence keeps for recent passages): a weak map's look-up, where the bounded cache of term sets costs
 * each of a question's thirty-odd candidates a few times more.
 */
const SENTENCE_SKELETONS = new WeakMap<readonly string[], ReadonlySet<string>>();

function sentenceSkeletons(analyzed: readonly string[]): ReadonlySet<string> {
  let skeletons = SENTENCE_SKELETONS.get(analyzed);
  if (!skeletons) {
    skeletons = skeletonsOfWords(analyzed);
    SENTENCE_SKELETONS.set(analyzed, skeletons);
  }
  return skeletons;
}

/**
 * How tightly the question's words stand together in the sentence: the number of distinct question
 * words found (as themselves or an alternative) over the length of the shortest run of words holding
 * them all; 0 when fewer than two are found. A reader looks for the answer where the question's words
 * meet, not where they are scattered over a long sentence. `ats` are the sentence positions of question
 * words, `words` which question word stands at each; `counts` has a slot per question word.
 */
function shortestSpan(counts: Int32Array, ats: readonly number[], words: readonly number[]): number {
  counts.fill(0);
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
 * The consonant skeleton of each question word, kept with the word (which lives as long as the
 * question's evidence): the coverage of the question by each passage, and by the best sentence of its
 * first word and of its known words, all read the same words' skeletons. Null for a word without one.
 */
const SKELETONS = new WeakMap<QueryTerm, string | null>();

/** The consonant skeleton of a question word. */
function skeletonOf(queryTerm: QueryTerm): string | undefined {
  let skeleton = SKELETONS.get(queryTerm);
  if (skeleton === undefined) {
    skeleton = consonantSkeleton(queryTerm.term) ?? null;
    SKELETONS.set(queryTerm, skeleton);
  }
  return skeleton ?? undefined;
}

/** The skeleton of each question word, in order (pushed, not mapped: see QueryTerm). */
function questionSkeletons(terms: readonly QueryTerm[]): (string | undefined)[] {
  const skeletons: (string | undefined)[] = [];
  for (const term of terms) skeletons.push(skeletonOf(term));
  return skeletons;
}

/** The question word (its position) each indexed word stands for: the word itself or one of its alternatives. */
function questionWordOf(terms: readonly QueryTerm[]): ReadonlyMap<string, number> {
  const wordOf = new Map<string, number>();
  terms.forEach(({ term, alternatives }, i) => {
    wordOf.set(term, i);
    for (const alternative of alternatives)
      if (!wordOf.has(alternative.term)) wordOf.set(alternative.term, i);
  });
  return wordOf;
}
