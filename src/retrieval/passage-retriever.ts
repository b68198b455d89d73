/**
 * The seam between retrieval and answers. A retrieval engine (the built-in hybrid of BM25 and hnswlib
 * today; OpenSearch, Elasticsearch or PostgreSQL for a corpus that outgrows one machine) implements
 * {@link PassageRetriever}; the answer stage sees nothing but the {@link Evidence} it returns. The evidence
 * is self-contained: every sentence an answer may quote, and every article a citation names, is in it, so
 * nothing downstream looks anything up in an index.
 */
import type { SentenceTraits } from "../text/index.js";

/** An article as a citation names it. */
export interface ArticleRecord {
  readonly id: string;
  readonly title: string;
  /** Who published it (تاس), when the article says. */
  readonly source?: string;
  /** When it was published, YYYY-MM-DD, when the article says. */
  readonly published?: string;
  readonly url?: string;
}

/**
 * The record of an article as a citation names it, from any object with its fields (an index's document
 * record, an article of the evidence): only those fields, and only the ones it has.
 */
export function articleRecord(article: ArticleRecord): ArticleRecord {
  const { id, title, source, published, url } = article;
  return {
    id,
    title,
    ...(source === undefined ? {} : { source }),
    ...(published === undefined ? {} : { published }),
    ...(url === undefined ? {} : { url }),
  };
}

/** What a sentence is for: `body`, article text; `meta`, a metadata line (source, date, photo credit). */
export type EvidenceSentenceKind = "body" | "meta";

/** A sentence of the evidence: quotable as it is, with what the answer stage scores it by. */
export interface EvidenceSentence {
  /** `${doc}#${index}`: stable as long as the article's text does not change. */
  readonly id: string;
  /** Id of its article. */
  readonly doc: string;
  /** 0-based position among its article's sentences (body sentences first, then metadata lines). */
  readonly index: number;
  /** The sentence exactly as written. */
  readonly text: string;
  readonly kind: EvidenceSentenceKind;
  /** Its analyzed words, and the dates, numbers and metadata topic it states. */
  readonly traits: SentenceTraits;
}

/** The article a passage comes from, with its metadata lines for questions about the article itself. */
export interface EvidenceArticle extends ArticleRecord {
  /** Its metadata lines (source, photo credit, publication date), in order; empty when it has none. */
  readonly metadata: readonly EvidenceSentence[];
}

/** A passage found for a question, with everything needed to quote and cite it. Scores: higher is better. */
export interface PassageHit {
  readonly passageId: string;
  /** The text it was matched by: its article's title, the section heading, then its sentences. */
  readonly text: string;
  /** The analyzed words of {@link text} (what the lexical search matched). */
  readonly terms: readonly string[];
  /** Its sentences, in reading order. */
  readonly sentences: readonly EvidenceSentence[];
  readonly article: EvidenceArticle;
  /** Lexical score (BM25 over analyzed words); 0 when no word is shared. */
  readonly bm25Score: number;
  /** Cosine similarity of the embeddings, -1 to 1. */
  readonly similarity: number;
  /** The score the hits are ranked by. */
  readonly score: number;
}

/** A search term with how much a match on it counts (1 for the question's own word). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/**
 * A word of the question as it was searched: its weight, and the indexed words it is matched by.
 *
 * The arrays every answer's loops read (the question's words, each word's alternatives, each passage's
 * body sentences) are built by push, not by Array.prototype.map: once the code calling it is optimized,
 * map returns holey arrays where it returned packed ones, and each loop optimized for the one shape is
 * deoptimized by the other, for several passes over a question set; on two cores the compiler threads
 * rebuilding them took the core from answers for 4 ms at a time (tests/answer/array-shapes.test.ts).
 */
export interface QueryTerm {
  /** The analyzed word, as the question has it. */
  readonly term: string;
  /** Inverse document frequency in the passages (of its best alternative when the word is not indexed). */
  readonly idf: number;
  /** The indexed words that count as this word, with how much; empty when nothing matches. */
  readonly alternatives: readonly WeightedTerm[];
  /** Whether the corpus has this word in any form: itself, an alternative, or a word of the same root. */
  readonly inCorpus: boolean;
}

/** What a retriever found for a question: the passages, best first, and the question's words as searched. */
export interface Evidence {
  readonly hits: readonly PassageHit[];
  readonly terms: readonly QueryTerm[];
}

/** Options of one retrieval. */
export interface RetrieveOptions {
  /** Passages returned at most. Each retriever documents its default. */
  readonly k?: number;
}

/**
 * A retrieval engine as the answer stage uses it: a question in, self-contained evidence out. An
 * implementation ranks passages best first, returns at most `k`, fills every field of the evidence, and
 * answers an empty or absurd question with few or no hits rather than an error
 * (`tests/retrieval/retriever-contract.ts` is the suite every implementation must pass).
 *
 * @example
 * const { hits, terms } = await retriever.retrieve("كم عدد الطلاب الطاجيك في روسيا؟", { k: 8 });
 * hits[0]?.sentences.map((sentence) => sentence.text);
 */
export interface PassageRetriever {
  retrieve(question: string, options?: RetrieveOptions): Promise<Evidence>;
}
