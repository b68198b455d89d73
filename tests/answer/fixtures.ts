/** Shared fixtures of the answer-stage tests: evidence built by hand, as any retrieval engine returns it. */
import { SENTENCE_FEATURES } from "../../src/answer/sentence-features.js";
import type { ScoredSentence } from "../../src/answer/sentence-scoring.js";
import type { Answerer } from "../../src/answer/index.js";
import type {
  ArticleRecord,
  EvidenceArticle,
  EvidenceSentence,
  PassageHit,
  QueryTerm,
} from "../../src/retrieval/index.js";
import { analyzeForIndex, readSentenceTraits } from "../../src/text/index.js";

/** An article record; by default one with only an id and a title. */
export function articleRecord(fields: Partial<ArticleRecord> = {}): ArticleRecord {
  return { id: "doc", title: "عنوان المقال", ...fields };
}

/** A sentence of the evidence, its traits read from its text as a retriever reads them. */
export function evidenceSentence(
  fields: Partial<Omit<EvidenceSentence, "traits">> & { readonly text: string },
): EvidenceSentence {
  const doc = fields.doc ?? "doc";
  const index = fields.index ?? 0;
  return {
    id: `${doc}#${index}`,
    doc,
    index,
    kind: "body",
    ...fields,
    traits: readSentenceTraits(fields.text),
  };
}

/** A passage hit of these sentences, its text and words made as an index makes them. */
export function passageHit(
  fields: Partial<PassageHit> & {
    readonly sentences: readonly EvidenceSentence[];
    readonly article: EvidenceArticle;
  },
): PassageHit {
  const text = [fields.article.title, ...fields.sentences.map((sentence) => sentence.text)].join("\n");
  const first = fields.sentences[0];
  return {
    passageId: `${fields.article.id}@${first?.index ?? 0}`,
    text,
    terms: analyzeForIndex(text),
    bm25Score: 0,
    similarity: 0,
    score: 1,
    ...fields,
  };
}

/** A scored candidate sentence, by default a body sentence that covers the whole question. */
export function scored(
  fields: Partial<Omit<ScoredSentence, "sentence">> & {
    readonly sentence?: Partial<Omit<EvidenceSentence, "traits">>;
  } = {},
): ScoredSentence {
  const { sentence, ...rest } = fields;
  return {
    sentence: evidenceSentence({ text: "جملة", ...sentence }),
    article: articleRecord({ id: sentence?.doc ?? "doc" }),
    passageScore: 1,
    coverage: 1,
    passageCoverage: 1,
    offersAskedType: undefined,
    features: new Float64Array(SENTENCE_FEATURES.length),
    score: 1,
    ...rest,
  };
}

/** A question word as searched; by default found in the corpus as itself. */
export function queryTerm(term: string, idf: number, fields: Partial<QueryTerm> = {}): QueryTerm {
  return { term, idf, alternatives: [{ term, weight: 1 }], inCorpus: true, ...fields };
}

/** An answerer that answers as `inner` does and records the questions it is asked, in order. */
export function recordingAnswerer(inner: Answerer): { answerer: Answerer; asked: string[] } {
  const asked: string[] = [];
  const answerer: Answerer = {
    answer: (question, options) => {
      asked.push(question);
      return inner.answer(question, options);
    },
    stream: (question, options) => {
      asked.push(question);
      return inner.stream(question, options);
    },
  };
  return { answerer, asked };
}
