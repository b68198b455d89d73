/** Retrieval stage: lexical (BM25) and hybrid passage retrieval over a loaded index. */
export { Bm25Index, LexicalScores } from "./bm25.js";
export type { Bm25Hit, Bm25Options } from "./bm25.js";
export {
  HybridRetriever,
  DEFAULT_FUSION_WEIGHTS,
  DEFAULT_CANDIDATES,
  DEFAULT_PASSAGES,
} from "./hybrid-retriever.js";
export type {
  PassageHit,
  PassageHitMetadata,
  FusionWeights,
  HybridRetrieverFields,
  QueryTerm,
  RetrievalResult,
} from "./hybrid-retriever.js";
export { TermExpander, EXPANSION_WEIGHTS, withinOneEdit } from "./term-expansion.js";
export type { WeightedTerm } from "./term-expansion.js";
