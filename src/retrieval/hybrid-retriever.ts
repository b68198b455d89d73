import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { ExactSimilarities, SanadIndex } from "../index/index.js";
import { analyzeForIndex } from "../text/index.js";
import { Bm25Index } from "./bm25.js";
import { IndexEvidence } from "./index-evidence.js";
import type {
  Evidence,
  PassageHit,
  PassageRetriever,
  QueryTerm,
  RetrieveOptions,
  WeightedTerm,
} from "./passage-retriever.js";
import { TermExpander } from "./term-expansion.js";

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
  /** Passages returned by `retrieve` and `invoke`. Defaults to {@link DEFAULT_PASSAGES}. */
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
 * Hybrid passage retrieval over a loaded index, the built-in {@link PassageRetriever}: BM25 over the
 * analyzed passages and nearest neighbours in the vector store, fused by a weighted sum of the
 * max-normalized BM25 score and the cosine similarity. Also a LangChain retriever (`invoke`).
 *
 * @example
 * const retriever = new HybridRetriever({ index });
 * const { hits } = await retriever.retrieve("كم عدد الطلاب الطاجيك في روسيا؟");
 */
export class HybridRetriever extends BaseRetriever<PassageHitMetadata> implements PassageRetriever {
  lc_namespace = ["sanad", "retrieval"];

  /** The lexical index over the passages (public for benchmarks that compare against bare BM25). */
  readonly lexical: Bm25Index;
  private readonly index: SanadIndex;
  private readonly evidence: IndexEvidence;
  private readonly expander: TermExpander;
  private readonly k: number;
  private readonly candidates: number;
  private readonly weights: FusionWeights;
  private readonly fusion: "weighted" | "rrf";
  private preparing: Promise<void> | undefined;

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
    this.evidence = new IndexEvidence(fields.index);
    // A small index is searched exactly: its vectors are laid out for it now, not at the first question;
    // a larger one (up to EXACT_SEARCH_MAX_BYTES) in the background, searched by its graphs meanwhile.
    const store = fields.index.vectorStore;
    if (store.prepareAtOnce()) store.prepareExactSearch();
    else
      this.preparing = store
        .prepareExactSearchInBackground()
        .then(() => undefined)
        .catch(() => {
          // The graphs keep serving: exact search is a shortcut, not a need.
        });
  }

  /**
   * Resolves once the retriever serves as it will from now on (exact search prepared, for an index that
   * has it prepared in the background): for a benchmark measuring the steady state. A busy loop that
   * never yields to the event loop would otherwise keep the preparation from progressing.
   */
  async ready(): Promise<void> {
    await this.preparing;
  }

  /** The question's analyzed words, each with the indexed words it is matched by and its weight. */
  queryTerms(question: string): QueryTerm[] {
    // Pushed, not mapped: one array shape whatever the tier running this (see QueryTerm).
    const terms: QueryTerm[] = [];
    for (const term of new Set(analyzeForIndex(question))) {
      const alternatives = this.expander.expand(term);
      let idf = alternatives.length === 0 ? this.lexical.idf(term) : -Infinity;
      for (const alternative of alternatives) idf = Math.max(idf, this.lexical.idf(alternative.term));
      const inCorpus = alternatives.length > 0 || this.expander.sharesSkeleton(term);
      terms.push({ term, idf, alternatives, inCorpus });
    }
    return terms;
  }

  /** The `k` best passages for a question, best first, and the question's words as searched. */
  async retrieve(question: string, options: RetrieveOptions = {}): Promise<Evidence> {
    const k = options.k ?? this.k;
    const terms = this.queryTerms(question);
    const lexicalScores = this.lexical.scoreDense(strongestAlternatives(terms));
    const candidates = await this.vectorCandidates(question);
    const similarities = candidates.nearest;
    const lexicalBest = bestPositions(
      lexicalScores.matched,
      (position) => lexicalScores.get(position),
      this.candidates,
    );
    for (const [position] of lexicalBest) {
      if (!similarities.has(position)) similarities.set(position, candidates.similarityOf(position));
    }
    const maxBm25 = lexicalScores.max();
    // Ranks are for rank fusion only: the weighted sum reads the scores.
    const rrf = this.fusion === "rrf";
    const lexicalRank = rrf
      ? ranks([...similarities.keys()], (position) => lexicalScores.get(position))
      : undefined;
    const vectorRank = rrf
      ? ranks([...similarities.keys()], (position) => similarities.get(position) ?? -1)
      : undefined;
    const fusedPositions: number[] = [];
    const fusedScores: number[] = [];
    for (const [position, similarity] of similarities) {
      const bm25Score = lexicalScores.get(position);
      const score =
        lexicalRank && vectorRank
          ? RRF_SCALE *
            (1 / (RRF_K + (lexicalRank.get(position) ?? 0)) + 1 / (RRF_K + (vectorRank.get(position) ?? 0)))
          : this.weights.lexical * (maxBm25 > 0 ? bm25Score / maxBm25 : 0) + this.weights.vector * similarity;
      fusedPositions.push(position);
      fusedScores.push(score);
    }
    // The k best by fused score, ties by position: the head of the candidates sorted, without the sort.
    // Evidence is made for the passages returned only: the candidates left out cost nothing more.
    const hits: PassageHit[] = [];
    for (const [position, score] of bestPositions(fusedPositions, (_, i) => fusedScores[i] ?? 0, k)) {
      const scores = {
        bm25Score: lexicalScores.get(position),
        similarity: similarities.get(position) ?? 0,
        score,
      };
      const hit = this.evidence.hit(position, scores);
      if (hit) hits.push(hit);
    }
    return { hits, terms };
  }

  async _getRelevantDocuments(query: string): Promise<Document<PassageHitMetadata>[]> {
    const { hits } = await this.retrieve(query);
    return hits.map(
      (hit) =>
        new Document<PassageHitMetadata>({
          pageContent: hit.text,
          metadata: {
            passageId: hit.passageId,
            doc: hit.article.id,
            bm25Score: hit.bm25Score,
            similarity: hit.similarity,
            score: hit.score,
          },
        }),
    );
  }

  /**
   * The passages nearest the query vector, by position, with a way to get any other passage's
   * similarity: exact search over a small store, the graph search otherwise.
   */
  private async vectorCandidates(question: string): Promise<VectorCandidates> {
    const { embeddings, vectorStore: store } = this.index;
    // Searched exactly, a question the embeddings give by its non-zero terms is not written out in full.
    const sparse = store.searchedExactly ? this.index.sparseQuery(question) : undefined;
    const sparseExact = sparse && store.exactSimilarities(sparse);
    if (sparseExact) return this.exactCandidates(sparseExact);
    const queryVector = await embeddings.embedQuery(question);
    const exact = store.exactSimilarities(queryVector);
    if (exact) return this.exactCandidates(exact);
    const nearest = new Map<number, number>();
    for (const [document, similarity] of await store.similaritySearchVectorWithScore(
      queryVector,
      this.candidates,
    )) {
      const position = this.positionOf(document.metadata.passageId);
      if (position !== undefined) nearest.set(position, similarity);
    }
    return new GraphCandidates(nearest, queryVector, this.index);
  }

  /** The nearest passages by exact search, by position, with every other passage's similarity at hand. */
  private exactCandidates(exact: ExactSimilarities): ExactCandidates {
    const positions = this.labelPositions();
    const nearest = new Map<number, number>();
    for (const [label, similarity] of exact.best(this.candidates)) {
      const position = positions.get(label);
      if (position !== undefined) nearest.set(position, similarity);
    }
    return new ExactCandidates(nearest, this.columnsOf(exact.labels), exact.values);
  }

  // Built on first use: the store's ids are passage ids, the lexical index's are positions.
  private positionCache: Map<string, number> | undefined;
  private labelCache: Map<number, number> | undefined;

  private columns: { labels: Int32Array; ofPosition: Int32Array } | undefined;

  /** The column of exact search's values that holds each passage (by position), -1 for none. */
  private columnsOf(labels: Int32Array): Int32Array {
    if (this.columns?.labels !== labels) {
      const ofPosition = new Int32Array(this.index.passages.length).fill(-1);
      const positions = this.labelPositions();
      labels.forEach((label, column) => {
        const position = positions.get(label);
        if (position !== undefined) ofPosition[position] = column;
      });
      this.columns = { labels, ofPosition };
    }
    return this.columns.ofPosition;
  }

  private labelPositions(): Map<number, number> {
    this.labelCache ??= new Map(this.index.passages.map((passage, position) => [passage.label, position]));
    return this.labelCache;
  }

  private positionOf(passageId: string): number | undefined {
    this.positionCache ??= new Map(this.index.passages.map((passage, position) => [passage.id, position]));
    return this.positionCache.get(passageId);
  }
}

/**
 * The `k` highest-scoring positions with their scores, best first, ties by lower position: what sorting
 * all of them and keeping `k` gives, without sorting tens of thousands of scores when a common word
 * matches most passages, nor making a pair for each.
 */
export function bestPositions(
  positions: ArrayLike<number>,
  /** The score of `positions[i]`, given the position and `i`. */
  scoreOf: (position: number, i: number) => number,
  k: number,
): [number, number][] {
  if (k <= 0) return [];
  // The best so far, side by side: positions and their scores, best first.
  const best: number[] = [];
  const bestScores: number[] = [];
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i] as number;
    const score = scoreOf(position, i);
    if (
      best.length === k &&
      !ranksBefore(score, position, bestScores[k - 1] as number, best[k - 1] as number)
    )
      continue;
    let at = Math.min(best.length, k - 1);
    while (at > 0 && ranksBefore(score, position, bestScores[at - 1] as number, best[at - 1] as number)) {
      best[at] = best[at - 1] as number;
      bestScores[at] = bestScores[at - 1] as number;
      at--;
    }
    best[at] = position;
    bestScores[at] = score;
  }
  return best.map((position, n) => [position, bestScores[n] as number]);
}

/** Whether a position of score `a` ranks before one of score `b`: a higher score, or the same at a lower position. */
function ranksBefore(a: number, position: number, b: number, other: number): boolean {
  return a > b || (a === b && position < other);
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

/**
 * The passages nearest a query vector (position → similarity), and the similarity of any other passage:
 * the lexical candidates are scored by both searches. Classes, not objects of closures: one per question.
 */
interface VectorCandidates {
  readonly nearest: Map<number, number>;
  similarityOf(position: number): number;
}

/** Nearest passages from exact search, whose similarities to every passage are at hand. */
class ExactCandidates implements VectorCandidates {
  constructor(
    readonly nearest: Map<number, number>,
    /** The column of `values` of each passage (by position), -1 for none. */
    private readonly columns: Int32Array,
    private readonly values: Float32Array,
  ) {}

  similarityOf(position: number): number {
    const column = this.columns[position] ?? -1;
    return column < 0 ? 0 : (this.values[column] ?? 0);
  }
}

/** Nearest passages from the graphs: another passage's similarity is computed from its vector. */
class GraphCandidates implements VectorCandidates {
  constructor(
    readonly nearest: Map<number, number>,
    private readonly queryVector: number[],
    private readonly index: SanadIndex,
  ) {}

  similarityOf(position: number): number {
    return this.index.similarityTo(this.queryVector, position);
  }
}
