/** Index stage: sentences and passages of the corpus, embeddings, and the hnswlib vector store. */
export { SanadIndex } from "./sanad-index.js";
export { openIndex } from "./open-index.js";
export type { OpenIndexOptions, OpenedIndex } from "./open-index.js";
export type { BuildProgress } from "./sanad-index.js";
export { HashingEmbeddings, DEFAULT_HASHING_DIMENSIONS } from "./hashing-embeddings.js";
export { HnswVectorStore, DEFAULT_EF_SEARCH } from "./hnsw-store.js";
export type { PassageMetadata } from "./hnsw-store.js";
export { IndexLoadError, IndexBuildError, REINDEX_HINT } from "./errors.js";
export { corpusFingerprint, MANIFEST_FILE } from "./manifest.js";
export type { IndexManifest } from "./manifest.js";
export { sentencesOfArticle } from "./records.js";
export type { SentenceRecord, SentenceKind, DocumentRecord } from "./records.js";
export type { PassageRecord } from "./passages.js";
export { embeddingsIdentity } from "./embeddings-provider.js";
export type { EmbeddingsIdentity } from "./embeddings-provider.js";
