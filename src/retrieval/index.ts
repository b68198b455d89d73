/**
 * Retrieval stage: a question in, self-contained evidence out. `PassageRetriever` is the seam a
 * retrieval engine implements; `HybridRetriever` (BM25 and hnswlib over a loaded index) is the built-in one.
 */
export type {
  ArticleRecord,
  Evidence,
  EvidenceArticle,
  EvidenceSentence,
  EvidenceSentenceKind,
  PassageHit,
  PassageRetriever,
  QueryTerm,
  RetrieveOptions,
  WeightedTerm,
} from "./passage-retriever.js";
export { articleRecord } from "./passage-retriever.js";
export {
  HybridRetriever,
  DEFAULT_FUSION_WEIGHTS,
  DEFAULT_CANDIDATES,
  DEFAULT_PASSAGES,
} from "./hybrid-retriever.js";
export type { PassageHitMetadata, FusionWeights, HybridRetrieverFields } from "./hybrid-retriever.js";
export { Bm25Index, LexicalScores } from "./bm25.js";
export type { Bm25Hit, Bm25Options } from "./bm25.js";
export { TermExpander, EXPANSION_WEIGHTS, withinOneEdit } from "./term-expansion.js";
