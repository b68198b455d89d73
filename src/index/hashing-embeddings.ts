import { Embeddings } from "@langchain/core/embeddings";
// The default vector size is HASHING_DIMENSIONS's default, set in one place: the configuration.
import { DEFAULT_HASHING_DIMENSIONS } from "../config/index.js";
import type { SparseQuery } from "./exact-vectors.js";
import { DEFAULT_MAX_GRAM, DEFAULT_MIN_GRAM, hashTextFeatureList } from "./feature-hashing.js";

/** Options of {@link HashingEmbeddings}. */
export interface HashingEmbeddingsFields {
  /** Vector size (number of hash buckets). Defaults to {@link DEFAULT_HASHING_DIMENSIONS}. */
  dimensions?: number;
  /**
   * How many indexed passages have each bucket, as counted by {@link HashingEmbeddings.fit} or kept up
   * to date by {@link HashingEmbeddings.withCounted}. Defaults to none (every weight 1).
   */
  documentFrequency?: Uint32Array;
  /** How many passages the frequencies were counted over. */
  documentCount?: number;
}

/**
 * Model-free embeddings: signed feature hashing of analyzed Arabic words and character 3–5-grams,
 * L2-normalized, so that the inner product of two vectors is their cosine similarity. Offline and
 * deterministic.
 *
 * Passages are embedded from their own text alone, and the query carries the inverse document frequency
 * weights: a passage's vector never depends on the rest of the corpus, so that an unchanged article
 * keeps its vectors when others are added or removed (incremental reindexing), while rare words still
 * count for more than common ones. Measured against weighting both sides, within 0.2 point hit@1 on
 * ARCD and TyDi QA (README, "Choices measured").
 *
 * @example
 * const embeddings = HashingEmbeddings.fit(passageTexts, { dimensions: 2048 });
 * const vector = await embeddings.embedQuery("كم عدد الطلاب؟");
 */
export class HashingEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly documentFrequency: Uint32Array;
  readonly documentCount: number;
  /** Smoothed inverse document frequency per bucket (as scikit-learn's): never zero. */
  readonly idf: Float32Array;

  constructor(fields: HashingEmbeddingsFields = {}) {
    super({});
    this.dimensions = fields.dimensions ?? DEFAULT_HASHING_DIMENSIONS;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 8) {
      throw new RangeError(`hashing dimensions must be an integer of at least 8, got ${this.dimensions}`);
    }
    this.documentFrequency = fields.documentFrequency ?? new Uint32Array(this.dimensions);
    if (this.documentFrequency.length !== this.dimensions) {
      throw new RangeError(
        `document frequencies of ${this.documentFrequency.length} buckets for ${this.dimensions} dimensions`,
      );
    }
    this.documentCount = fields.documentCount ?? 0;
    this.idf = new Float32Array(this.dimensions);
    this.components = new Float64Array(this.dimensions);
    if (fields.documentFrequency === undefined) this.idf.fill(1);
    else {
      this.documentFrequency.forEach((df, bucket) => {
        this.idf[bucket] = Math.log((this.documentCount + 1) / (df + 1)) + 1;
      });
    }
  }

  /** Embeddings whose query weights are counted over the given texts (the passages about to be indexed). */
  static fit(
    texts: readonly string[],
    fields: Omit<HashingEmbeddingsFields, "documentFrequency" | "documentCount"> = {},
  ): HashingEmbeddings {
    const plain = new HashingEmbeddings(fields);
    return plain.withCounted(
      texts.map((text) => plain.embedPassage(text)),
      [],
    );
  }

  /**
   * The same embeddings with the query weights counted again after adding and removing passages, given
   * by their vectors (a bucket counts where the vector is not zero, as it does when a text is embedded).
   */
  withCounted(added: Iterable<ArrayLike<number>>, removed: Iterable<ArrayLike<number>>): HashingEmbeddings {
    const documentFrequency = Uint32Array.from(this.documentFrequency);
    let documentCount = this.documentCount;
    const count = (vectors: Iterable<ArrayLike<number>>, step: 1 | -1): void => {
      for (const vector of vectors) {
        documentCount += step;
        for (let bucket = 0; bucket < this.dimensions; bucket++) {
          if (vector[bucket] !== 0) documentFrequency[bucket] = (documentFrequency[bucket] ?? 0) + step;
        }
      }
    };
    count(removed, -1);
    count(added, 1);
    return new HashingEmbeddings({ dimensions: this.dimensions, documentFrequency, documentCount });
  }

  /**
   * A passage's vector: its own features only, L2-normalized. `indexTerms` is `analyzeForIndex(text)`
   * when the caller has it already.
   */
  embedPassage(text: string, indexTerms?: readonly string[]): Float32Array {
    const vector = new Float32Array(this.dimensions);
    this.embedPassageInto(vector, 0, text, indexTerms);
    return vector;
  }

  /**
   * Writes {@link embedPassage}'s vector into `target` from `offset` (where it must find zeros): an
   * index's vectors go straight into the one array that holds them all.
   */
  embedPassageInto(target: Float32Array, offset: number, text: string, indexTerms?: readonly string[]): void {
    const { size, buckets, values } = hashTextFeatureList(
      text,
      this.dimensions,
      DEFAULT_MIN_GRAM,
      DEFAULT_MAX_GRAM,
      indexTerms,
    );
    let squaredNorm = 0;
    for (let i = 0; i < size; i++) squaredNorm += (values[i] as number) * (values[i] as number);
    if (squaredNorm === 0) return;
    const norm = Math.sqrt(squaredNorm);
    for (let i = 0; i < size; i++) target[offset + (buckets[i] as number)] = (values[i] as number) / norm;
  }

  /** A question's vector: its features weighted by inverse document frequency, L2-normalized (see {@link embedQuerySparse}). */
  embedText(text: string): number[] {
    return this.embedWeighted(text);
  }

  embedDocuments(documents: string[]): Promise<number[][]> {
    return Promise.resolve(documents.map((text) => Array.from(this.embedPassage(text))));
  }

  embedQuery(document: string): Promise<number[]> {
    return Promise.resolve(this.embedText(document));
  }

  /**
   * {@link embedQuery}'s vector by its non-zero terms, in increasing order of dimension: the same values,
   * without writing out the thousands of zeros around them (an exact search reads only the terms).
   */
  embedQuerySparse(
    text: string,
  ): SparseQuery & { readonly dimensions: Int32Array; readonly weights: Float64Array } {
    const { size, buckets, values } = hashTextFeatureList(text, this.dimensions);
    const components = this.components;
    let squaredNorm = 0;
    for (let i = 0; i < size; i++) {
      const bucket = buckets[i] as number;
      const component = (values[i] as number) * (this.idf[bucket] ?? 1);
      components[bucket] = component;
      squaredNorm += component * component;
    }
    const dimensions = buckets.slice(0, size).sort();
    const weights = new Float64Array(size);
    const norm = Math.sqrt(squaredNorm);
    for (let n = 0; n < size; n++) {
      const bucket = dimensions[n] as number;
      const component = components[bucket] as number;
      weights[n] = squaredNorm === 0 ? component : component / norm;
    }
    return { dimensions, weights };
  }

  /**
   * Working space of {@link embedQuerySparse}: a question's components by dimension, to be read in order
   * of dimension (a slot is written before it is read; what other questions left there is never read).
   */
  private readonly components: Float64Array;

  private embedWeighted(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const { dimensions, weights } = this.embedQuerySparse(text);
    for (let n = 0; n < dimensions.length; n++) vector[dimensions[n] as number] = weights[n] as number;
    return vector;
  }
}
