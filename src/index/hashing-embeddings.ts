import { Embeddings } from "@langchain/core/embeddings";
import { DEFAULT_MAX_GRAM, DEFAULT_MIN_GRAM, featureStrings, hashFeatures } from "./feature-hashing.js";

/** Default vector size. Below about 2048 buckets, collisions cost retrieval quality fast (see README). */
export const DEFAULT_HASHING_DIMENSIONS = 2048;

/** Options of {@link HashingEmbeddings}. */
export interface HashingEmbeddingsFields {
  /** Vector size (number of hash buckets). Defaults to {@link DEFAULT_HASHING_DIMENSIONS}. */
  dimensions?: number;
  /** Inverse document frequency per bucket, as learned by {@link HashingEmbeddings.fit}. Defaults to all 1. */
  idf?: Float32Array;
}

/**
 * Model-free embeddings: signed feature hashing of analyzed Arabic words and character 3–5-grams,
 * weighted by inverse document frequency and L2-normalized, so that the inner product of two vectors is
 * their cosine similarity. Offline and deterministic: the same text always gives the same vector.
 *
 * @example
 * const embeddings = HashingEmbeddings.fit(passageTexts, { dimensions: 2048 });
 * const vector = await embeddings.embedQuery("كم عدد الطلاب؟");
 */
export class HashingEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly idf: Float32Array;

  constructor(fields: HashingEmbeddingsFields = {}) {
    super({});
    this.dimensions = fields.dimensions ?? DEFAULT_HASHING_DIMENSIONS;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 8) {
      throw new RangeError(`hashing dimensions must be an integer of at least 8, got ${this.dimensions}`);
    }
    this.idf = fields.idf ?? new Float32Array(this.dimensions).fill(1);
    if (this.idf.length !== this.dimensions) {
      throw new RangeError(`idf has ${this.idf.length} weights for ${this.dimensions} dimensions`);
    }
  }

  /** Embeddings whose IDF weights are learned from the given texts (the passages about to be indexed). */
  static fit(texts: readonly string[], fields: Omit<HashingEmbeddingsFields, "idf"> = {}): HashingEmbeddings {
    const dimensions = fields.dimensions ?? DEFAULT_HASHING_DIMENSIONS;
    const documentFrequency = new Uint32Array(dimensions);
    for (const text of texts) {
      for (const bucket of hashFeatures(featureStrings(text), dimensions).keys()) {
        documentFrequency[bucket] = (documentFrequency[bucket] ?? 0) + 1;
      }
    }
    const idf = new Float32Array(dimensions);
    // Smoothed IDF (as scikit-learn's): never zero, so a bucket seen everywhere still counts a little.
    documentFrequency.forEach((df, bucket) => {
      idf[bucket] = Math.log((texts.length + 1) / (df + 1)) + 1;
    });
    return new HashingEmbeddings({ dimensions, idf });
  }

  /** Embeds one text synchronously (the work is pure computation). */
  embedText(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    let squaredNorm = 0;
    for (const [bucket, value] of hashFeatures(
      featureStrings(text, DEFAULT_MIN_GRAM, DEFAULT_MAX_GRAM),
      this.dimensions,
    )) {
      const weighted = value * (this.idf[bucket] ?? 1);
      vector[bucket] = weighted;
      squaredNorm += weighted * weighted;
    }
    if (squaredNorm === 0) return vector;
    const norm = Math.sqrt(squaredNorm);
    return vector.map((value) => value / norm);
  }

  embedDocuments(documents: string[]): Promise<number[][]> {
    return Promise.resolve(documents.map((text) => this.embedText(text)));
  }

  embedQuery(document: string): Promise<number[]> {
    return Promise.resolve(this.embedText(document));
  }
}
