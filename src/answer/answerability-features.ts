import type { PassageHit, QueryTerm } from "../retrieval/index.js";
import { hasAny } from "./question-cues.js";
import {
  coverage,
  rarestWordForms,
  SENTENCE_FEATURES,
  termSet,
  type SentenceFeature,
} from "./sentence-features.js";
import type { ScoredSentence } from "./sentence-scoring.js";

/**
 * What the answerability model sees of a question and its best candidates: how much of the question's
 * specific content the best sentence and its passage hold, whether the kind of answer asked for is there,
 * how far ahead the best candidate is, whether the lexical and the vector search agree, and how much of
 * the question the corpus does not know at all. The order is that of the model file's weights
 * (src/answer/models/answerability.json).
 */
export const ANSWERABILITY_FEATURES = [
  /** The best sentence's ranker score (a log-odds). */
  "bestScore",
  /** How far ahead of the second candidate it is. */
  "margin",
  /** Share of the question's IDF-weighted words the best sentence holds (with alternatives, skeletons). */
  "coverage",
  /** The same word for word. */
  "exactCoverage",
  /** The same share for its passage. */
  "passageCoverage",
  /** Whether the best sentence holds the question's rarest word. */
  "rarestWord",
  /** Whether its passage does. */
  "rarestWordInPassage",
  /** How close together the question's words stand in the best sentence. */
  "proximity",
  /** Share of the question's IDF weight that the corpus holds in no form. */
  "unknownShare",
  /** The question asks for a date or number, and the best sentence offers one. */
  "typeOffered",
  /** The question asks for a date or number, and the best sentence offers none. */
  "typeMissing",
  /** The question asks who or where, and the best sentence names a person or place. */
  "entityOffered",
  /** Cosine similarity of the best sentence's passage to the question. */
  "similarity",
  /** Its BM25 score over the sum of the question's IDF: how much of the question it matches, absolutely. */
  "lexicalStrength",
  /** Whether its passage is first by BM25 among the hits. */
  "lexicalFirst",
  /** Whether its passage is first by cosine similarity among the hits. */
  "vectorFirst",
  /** Words the question searched: log(1 + n) / log(16). */
  "questionLength",
  /** A number the question states is in no hit's text. */
  "numberUnmatched",
  /**
   * Whether the best sentence holds the question's focus: its first searched word, which names what is
   * asked (كم عمر …، ما عدد الجنود …) where the words after it name what it is asked about.
   */
  "focusFound",
  /** Whether the best sentence's passage holds it. */
  "focusInPassage",
  /** Share of the IDF of the question's words the corpus knows that the best passage does not hold. */
  "knownMissing",
] as const;

/** A feature of the answerability model. */
export type AnswerabilityFeature = (typeof ANSWERABILITY_FEATURES)[number];

/** Where each sentence feature stands in a candidate's features. */
const SENTENCE_FEATURE_AT = Object.fromEntries(SENTENCE_FEATURES.map((name, i) => [name, i])) as Record<
  SentenceFeature,
  number
>;
const of = (candidate: ScoredSentence | undefined, name: SentenceFeature): number =>
  candidate?.features[SENTENCE_FEATURE_AT[name]] ?? 0;

/**
 * The answerability features of a question, from its ranked candidates, the hits they come from and the
 * question's words as searched. All 0 when there is no candidate.
 */
export function answerabilityFeatures(
  sentences: readonly ScoredSentence[],
  hits: readonly PassageHit[],
  terms: readonly QueryTerm[],
): Float64Array {
  const best = sentences[0];
  const second = sentences[1];
  const hit = best
    ? hits.find(({ sentences: own }) => own.some(({ id }) => id === best.sentence.id))
    : undefined;
  const totalIdf = terms.reduce((sum, { idf }) => sum + idf, 0);
  const unknownIdf = terms.reduce((sum, term) => sum + (term.inCorpus ? 0 : term.idf), 0);
  let bestLexical = 0;
  let bestSimilarity = -1;
  for (const { bm25Score, similarity } of hits) {
    bestLexical = Math.max(bestLexical, bm25Score);
    bestSimilarity = Math.max(bestSimilarity, similarity);
  }
  const questionNumbers: string[] = [];
  for (const { term } of terms) if (/^\d/.test(term)) questionNumbers.push(term);
  const focus = terms.slice(0, 1);
  const rarest = rarestWordForms(terms);
  const sentenceWords = termSet(best?.sentence.traits.terms ?? []);
  const passageWords = termSet(hit?.terms ?? []);
  const known = terms.filter(({ inCorpus }) => inCorpus);
  const values: Record<AnswerabilityFeature, number> = {
    bestScore: best?.score ?? 0,
    margin: best && second ? best.score - second.score : best ? 1 : 0,
    coverage: of(best, "coverage"),
    exactCoverage: of(best, "exactCoverage"),
    passageCoverage: of(best, "passageCoverage"),
    rarestWord: of(best, "rarestWord"),
    // The rarest word's few forms looked up among the passage's words, not its every word among them.
    rarestWordInPassage: hit && hasAny(rarest, passageWords.terms) ? 1 : 0,
    proximity: of(best, "proximity"),
    unknownShare: totalIdf === 0 ? 1 : unknownIdf / totalIdf,
    typeOffered: of(best, "dateOffered") + of(best, "numberOffered") > 0 ? 1 : 0,
    typeMissing: of(best, "dateMissing") + of(best, "numberMissing") > 0 ? 1 : 0,
    entityOffered: of(best, "personOffered") + of(best, "placeOffered") > 0 ? 1 : 0,
    similarity: hit?.similarity ?? 0,
    lexicalStrength: hit && totalIdf > 0 ? hit.bm25Score / totalIdf : 0,
    lexicalFirst: hit && hit.bm25Score > 0 && hit.bm25Score === bestLexical ? 1 : 0,
    vectorFirst: hit && hit.similarity === bestSimilarity ? 1 : 0,
    questionLength: Math.log1p(terms.length) / Math.log(16),
    numberUnmatched: questionNumbers.some(
      (number) => !hits.some(({ terms: words }) => words.includes(number)),
    )
      ? 1
      : 0,
    focusFound: focus.length > 0 && coverage(focus, sentenceWords) > 0 ? 1 : 0,
    focusInPassage: focus.length > 0 && coverage(focus, passageWords) > 0 ? 1 : 0,
    knownMissing: known.length === 0 ? 0 : 1 - coverage(known, passageWords),
  };
  const features = new Float64Array(ANSWERABILITY_FEATURES.length);
  for (let i = 0; i < features.length; i++)
    features[i] = values[ANSWERABILITY_FEATURES[i] as AnswerabilityFeature];
  return features;
}
