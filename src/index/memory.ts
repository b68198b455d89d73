import { OperatorError } from "../errors/index.js";
import { EXACT_SEARCH_MAX_BYTES, HNSW_M, searchedExactly } from "./hnsw-store.js";

/** What the memory of a serving index is estimated from. */
export interface IndexSize {
  readonly sentences: number;
  readonly passages: number;
  /** UTF-16 code units of all sentence texts. */
  readonly textCharacters: number;
}

/**
 * Bytes per passage besides its vector: the passage record, its analyzed words and BM25 postings, and in
 * a graph, hnswlib's label map and lock. Calibrated with `npm run bench` at 10,000 articles
 * (bench/results.md), where the estimate is compared with the measured serving RSS.
 */
const BYTES_PER_PASSAGE = 7_800;
/** Bytes per passage of a graph's links: 2 × M at the base layer. */
const GRAPH_BYTES_PER_PASSAGE = (2 * HNSW_M + 1) * 4;
/** Bytes per sentence besides its text: the record object and its id. */
const BYTES_PER_SENTENCE = 260;
/** Node, the libraries and the answer pipeline with an empty index. */
const BASELINE_BYTES = 160 * 1024 * 1024;

/**
 * The resident memory an index of this size takes when serving questions: its float32 vectors, once
 * (in the graphs, or in the copy for exact search that replaces a small store's graphs once loaded),
 * the graphs' links, the records and the lexical index, plus the process itself.
 */
export function estimateServingBytes(
  size: IndexSize,
  dimensions: number,
  exactSearchMaxBytes = EXACT_SEARCH_MAX_BYTES,
): number {
  const graphBytes = searchedExactly(size.passages, dimensions, exactSearchMaxBytes)
    ? 0
    : GRAPH_BYTES_PER_PASSAGE;
  return (
    BASELINE_BYTES +
    size.passages * (dimensions * Float32Array.BYTES_PER_ELEMENT + BYTES_PER_PASSAGE + graphBytes) +
    size.sentences * BYTES_PER_SENTENCE +
    size.textCharacters * 2
  );
}

const MB = 1024 * 1024;

/** A corpus whose index would not fit the configured memory: reported at reindex time, not query time. */
export class IndexMemoryError extends OperatorError {
  readonly neededBytes: number;
  readonly limitBytes: number;

  constructor(
    neededBytes: number,
    limitBytes: number,
    size: { readonly articles: number; readonly sentences: number; readonly passages: number },
  ) {
    super(
      `the index of ${size.articles} articles (${size.sentences} sentences, ${size.passages} passages) ` +
        `would need about ${Math.ceil(neededBytes / MB)} MB of memory when serving, more than ` +
        `MAX_INDEX_MEMORY_MB=${Math.floor(limitBytes / MB)}: raise MAX_INDEX_MEMORY_MB (in .env) if the ` +
        `machine has the memory, lower HASHING_DIMENSIONS, or serve part of the corpus (--corpus DIR)`,
    );
    this.name = "IndexMemoryError";
    this.neededBytes = neededBytes;
    this.limitBytes = limitBytes;
  }
}
