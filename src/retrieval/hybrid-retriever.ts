import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { PassageRecord, SanadIndex } from "../index/index.js";
import { analyzeForIndex } from "../text/index.js";
import { Bm25Index } from "./bm25.js";
import { TermExpander, type WeightedTerm } from "./term-expansion.js";

/** A passage found for a question, with the evidence for it. All scores: higher is better. */
export interface PassageHit {
  readonly passage: PassageRecord;
  /** Position of the passage in the index. */
  readonly position: number;
  /** Lexical score (BM25 over analyzed words); 0 when no word is shared. */
  readonly bm25Score: number;
  /** Cosine similarity of the embeddings, -1 to 1. */
  readonly similarity: number;
  /** The fused score the hits are ranked by. */
  readonly score: number;
}

/** A word of the question as searched: its weight, and the indexed words it is matched by. */
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

/** The passages found for a question, and the question's words as they were searched. */
export interface RetrievalResult {
  readonly hits: readonly PassageHit[];
  readonly terms: readonly QueryTerm[];
}

/** Metadata of the LangChain documents the retriever returns. */
export interface PassageHitMetadata {
  readonly passageId: string;
  readonly doc: string;
  readonly bm25Score: number;
  readonly similarity: number;
  readonly score: number;
}

/** How the two rankings are fused: weights of the max-normalized BM25 score and of the cosine similarity. */
export interface FusionWeights {
  readonly lexical: number;
  readonly vector: number;
}

/**
 * Weights found by a coordinate search on the gold set, ARCD and TyDi QA together (README, "Choices measured"). A weighted sum
 * of normalized scores beat reciprocal rank fusion there by 2–4 points hit@1, because rank fusion throws
 * away how far ahead the best passage is.
 */
export const DEFAULT_FUSION_WEIGHTS: FusionWeights = { lexical: 0.3, vector: 2 };
/** Candidates taken from each ranking before fusion. */
export const DEFAULT_CANDIDATES = 30;
/** Passages returned by default. */
export const DEFAULT_PASSAGES = 8;

/** Options of {@link HybridRetriever}. */
export interface HybridRetrieverFields extends BaseRetrieverInput {
  index: SanadIndex;
  /** Passages returned by `invoke`. Defaults to {@link DEFAULT_PASSAGES}. */
  k?: number;
  /** Candidates from each ranking. Defaults to {@link DEFAULT_CANDIDATES}. */
  candidates?: number;
  weights?: FusionWeights;
  /**
   * `weighted` (the default): weighted sum of max-normalized BM25 and cosine similarity. `rrf`:
   * reciprocal rank fusion, Σ 1/(60 + rank), kept for comparison (README, "Choices measured").
   */
  fusion?: "weighted" | "rrf";
}

/** The constant of reciprocal rank fusion, as in the original paper and LangChain's ensemble retriever. */
const RRF_K = 60;
/** Scales a fused rank score so that first place in both rankings scores about 1, like the weighted sum. */
const RRF_SCALE = RRF_K / 2;

/**
 * Hybrid passage retrieval: BM25 over the analyzed passages and nearest neighbours in the vector store,
 * fused by a weighted sum of the max-normalized BM25 score and the cosine similarity.
 *
 * @example
 * const retriever = new HybridRetriever({ index });
 * const documents = await retriever.invoke("كم عدد الطلاب الطاجيك في روسيا؟");
 */
export class HybridRetriever extends BaseRetriever<PassageHitMetadata> {
  lc_namespace = ["sanad", "retrieval"];

  readonly index: SanadIndex;
  readonly lexical: Bm25Index;
  private readonly expander: TermExpander;
  private readonly k: number;
  private readonly candidates: number;
  private readonly weights: FusionWeights;
  private readonly fusion: "weighted" | "rrf";

  constructor(fields: HybridRetrieverFields) {
    super(fields);
    this.index = fields.index;
    this.k = fields.k ?? DEFAULT_PASSAGES;
    this.candidates = fields.candidates ?? DEFAULT_CANDIDATES;
    this.weights = fields.weights ?? DEFAULT_FUSION_WEIGHTS;
    this.fusion = fields.fusion ?? "weighted";
    // The index keeps every passage's analyzed words: nothing is analyzed again at start-up.
    this.lexical = new Bm25Index(
      fields.index.passages.map((_, position) => fields.index.passageTerms(position)),
    );
    this.expander = new TermExpander(this.lexical.vocabulary());
  }

  /** The question's analyzed words, each with the indexed words it is matched by and its weight. */
  queryTerms(question: string): QueryTerm[] {
    return [...new Set(analyzeForIndex(question))].map((term) => {
      const alternatives = this.expander.expand(term);
      const idf =
        alternatives.length === 0
          ? this.lexical.idf(term)
          : Math.max(...alternatives.map((alternative) => this.lexical.idf(alternative.term)));
      const inCorpus = alternatives.length > 0 || this.expander.sharesSkeleton(term);
      return { term, idf, alternatives, inCorpus };
    });
  }

  /** The `k` best passages for a question, best first, and the question's words as searched. */
  async retrieve(question: string, k = this.k): Promise<RetrievalResult> {
    const terms = this.queryTerms(question);
    const lexicalScores = this.lexical.scoreDense(strongestAlternatives(terms));
    const queryVector = await this.index.embeddings.embedQuery(question);
    const similarities = new Map<number, number>();
    const store = this.index.vectorStore;
    for (const [document, similarity] of await store.similaritySearchVectorWithScore(
      queryVector,
      this.candidates,
    )) {
      const position = this.positionOf(document.metadata.passageId);
      if (position !== undefined) similarities.set(position, similarity);
    }
    const lexicalBest = bestEntries(lexicalScores.entries(), this.candidates);
    for (const [position] of lexicalBest) {
      const label = this.index.passages[position]?.label;
      if (!similarities.has(position) && label !== undefined) {
        similarities.set(position, store.similarityTo(queryVector, label));
      }
    }
    const maxBm25 = lexicalScores.max();
    const lexicalRank = ranks([...similarities.keys()], (position) => lexicalScores.get(position));
    const vectorRank = ranks([...similarities.keys()], (position) => similarities.get(position) ?? -1);
    const hits: PassageHit[] = [];
    for (const [position, similarity] of similarities) {
      const passage = this.index.passages[position];
      if (!passage) continue;
      const bm25Score = lexicalScores.get(position);
      const score =
        this.fusion === "rrf"
          ? RRF_SCALE *
            (1 / (RRF_K + (lexicalRank.get(position) ?? 0)) + 1 / (RRF_K + (vectorRank.get(position) ?? 0)))
          : this.weights.lexical * (maxBm25 > 0 ? bm25Score / maxBm25 : 0) + this.weights.vector * similarity;
      hits.push({ passage, position, bm25Score, similarity, score });
    }
    hits.sort((a, b) => b.score - a.score || a.position - b.position);
    return { hits: hits.slice(0, k), terms };
  }

  async _getRelevantDocuments(query: string): Promise<Document<PassageHitMetadata>[]> {
    const { hits } = await this.retrieve(query);
    return hits.map(
      (hit) =>
        new Document<PassageHitMetadata>({
          pageContent: this.index.passageText(hit.passage),
          metadata: {
            passageId: hit.passage.id,
            doc: hit.passage.doc,
            bm25Score: hit.bm25Score,
            similarity: hit.similarity,
            score: hit.score,
          },
        }),
    );
  }

  // Built on first use: the store's ids are passage ids, the lexical index's are positions.
  private positionCache: Map<string, number> | undefined;

  private positionOf(passageId: string): number | undefined {
    this.positionCache ??= new Map(this.index.passages.map((passage, position) => [passage.id, position]));
    return this.positionCache.get(passageId);
  }
}

/**
 * The `k` highest-scoring entries, best first, ties by lower position: what sorting all of them and
 * keeping `k` gives, without sorting tens of thousands of scores when a common word matches most passages.
 */
export function bestEntries(scores: Iterable<[number, number]>, k: number): [number, number][] {
  const best: [number, number][] = [];
  const worse = (a: readonly [number, number], b: readonly [number, number]): boolean =>
    a[1] < b[1] || (a[1] === b[1] && a[0] > b[0]);
  for (const entry of scores) {
    if (k <= 0) break;
    const last = best[best.length - 1];
    if (best.length === k && last && !worse(last, entry)) continue;
    let at = best.length === k ? best.length - 1 : best.length;
    while (at > 0 && worse(best[at - 1] as [number, number], entry)) {
      best[at] = best[at - 1] as [number, number];
      at--;
    }
    best[at] = entry;
    if (best.length > k) best.length = k;
  }
  return best;
}

/** Each alternative once, with the largest weight any question word gives it. */
function strongestAlternatives(terms: readonly QueryTerm[]): WeightedTerm[] {
  const weights = new Map<string, number>();
  for (const { alternatives } of terms) {
    for (const { term, weight } of alternatives) weights.set(term, Math.max(weight, weights.get(term) ?? 0));
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

/** 1-based rank of each position by a score, best first; ties keep position order. */
function ranks(positions: readonly number[], score: (position: number) => number): Map<number, number> {
  const ordered = [...positions].sort((a, b) => score(b) - score(a) || a - b);
  return new Map(ordered.map((position, i) => [position, i + 1]));
}
