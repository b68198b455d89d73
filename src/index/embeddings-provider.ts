import type { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import type { EmbeddingsConfig } from "../config/index.js";
import { IndexBuildError, IndexLoadError, messageOf } from "./errors.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import type { SparseQuery } from "./exact-vectors.js";
import { EXACT_SEARCH_MAX_BYTES } from "./hnsw-store.js";
import { readFrequencies, writeFrequencies } from "./index-files.js";
import type { IndexManifest } from "./manifest.js";

/** {@link EmbeddingsProvider.exactSearchMaxBytes} of a model's dense vectors: 16 MiB. */
export const SERVER_EXACT_SEARCH_MAX_BYTES = 16 * 1024 * 1024;

/** How an index's vectors were made: recorded in the manifest, checked on every load. */
export interface EmbeddingsIdentity {
  readonly provider: "hashing" | "openai";
  readonly model: string;
  readonly dimensions: number;
}

/** The model name recorded for the built-in hashing embeddings. */
export const HASHING_MODEL = "char-3-5-gram-hashing-v2";

/** Reports build progress: passages embedded so far, of the total. */
export type BuildProgress = (embedded: number, total: number) => void;

/** Passage texts with their analyzed words (`terms[i]` for `texts[i]`). */
export interface PassageTexts {
  readonly texts: readonly string[];
  readonly terms: readonly (readonly string[])[];
}

/** Passage vectors laid end to end in one array: vector `i` at `i × dimensions`. */
export interface PassageVectors {
  readonly vectors: Float32Array;
  readonly dimensions: number;
}

/**
 * Everything an index does differently with the built-in hashing embeddings and with an OpenAI-compatible
 * server: how passages are embedded, what questions are embedded with, what is saved beside the index,
 * and what the manifest records and is checked against. Get one from {@link embeddingsProviderFor}.
 */
export interface EmbeddingsProvider {
  /** The vector size to check memory against; `known` is that of an index already built. */
  vectorSize(known?: number): number;
  /**
   * Bytes of vectors up to which an index is searched exactly, without a graph: set by what a question
   * costs, which depends on how many of its dimensions are not zero (see {@link EXACT_SEARCH_MAX_BYTES}).
   */
  readonly exactSearchMaxBytes: number;
  /**
   * Embeds passage texts (with their analyzed words, `terms[i]` for `texts[i]`) in batches, reporting
   * progress after each. `knownDimensions` is the vector size of the index being updated. Throws
   * IndexBuildError when a server fails or answers with vectors of another size.
   */
  embedPassages(
    texts: readonly string[],
    terms: readonly (readonly string[])[],
    onProgress?: BuildProgress,
    knownDimensions?: number,
  ): Promise<PassageVectors>;
  /** The embeddings that questions are embedded with, for an index of these passage vectors. */
  queryEmbeddings(passages: PassageVectors): Embeddings;
  /**
   * The query embeddings of an index after an update added passage vectors and removed passages, given
   * by their texts and analyzed words (their vectors may be in a graph the update did not read).
   */
  updatedQueryEmbeddings(
    previous: Embeddings,
    added: readonly ArrayLike<number>[],
    removed: PassageTexts,
  ): Embeddings;
  /**
   * A question by its non-zero terms, for exact search, when these embeddings make it so (hashing: a
   * hundred-odd of 2,048); undefined when the question is embedded whole (a server's dense vectors).
   */
  sparseQuery(embeddings: Embeddings, question: string): SparseQuery | undefined;
  /**
   * A passage's vector made again from its text and analyzed words, the stored one bit for bit, when
   * these embeddings make it without a server; undefined when it has to be read from the store.
   */
  passageVector(embeddings: Embeddings, text: string, terms?: readonly string[]): Float32Array | undefined;
  /** What the manifest of an index of vectors of this size records. */
  identity(dimensions: number): EmbeddingsIdentity;
  /** Throws IndexLoadError, naming both settings, when the index of `manifest` was built otherwise. */
  checkCompatible(dir: string, manifest: IndexManifest): void;
  /** Writes the files these embeddings need to answer questions into the index folder `dir`. */
  saveFiles(dir: string, embeddings: Embeddings): Promise<void>;
  /** The query embeddings of the saved index in `dir`, of `passages` passages. */
  loadEmbeddings(dir: string, manifest: IndexManifest, passages: number): Promise<Embeddings>;
}

/** The provider that `config` names. */
export function embeddingsProviderFor(config: EmbeddingsConfig): EmbeddingsProvider {
  return config.provider === "hashing" ? new HashingProvider(config) : new ServerProvider(config);
}

/** The identity that an index built with `config` will record; `dimensions` as measured on a vector. */
export function embeddingsIdentity(config: EmbeddingsConfig, dimensions: number): EmbeddingsIdentity {
  return embeddingsProviderFor(config).identity(dimensions);
}

/** The vectors laid end to end, one view a passage. */
export function rowsOf({ vectors, dimensions }: PassageVectors): Float32Array[] {
  const count = dimensions > 0 ? vectors.length / dimensions : 0;
  return Array.from({ length: count }, (_, i) => vectors.subarray(i * dimensions, (i + 1) * dimensions));
}

/** Passages embedded per step, so that progress can be shown and a server gets reasonable batches. */
const EMBED_BATCH = 256;
/** Texts per request to an embeddings server: large enough to be fast, small enough for any server. */
const OPENAI_BATCH_SIZE = 128;
/** Vector size assumed for an embeddings server before it has answered (bge-m3, multilingual-e5-large). */
const ASSUMED_SERVER_DIMENSIONS = 1024;

type HashingConfig = Extract<EmbeddingsConfig, { provider: "hashing" }>;
type ServerConfig = Extract<EmbeddingsConfig, { provider: "openai" }>;

/**
 * The built-in hashing embeddings. A passage's vector depends on its own text alone; the query weights
 * are counted over the index's passages, so they are recounted on every change and saved beside it.
 */
class HashingProvider implements EmbeddingsProvider {
  /** A hashing question has about a hundred non-zero dimensions of thousands: exact search is cheap. */
  readonly exactSearchMaxBytes = EXACT_SEARCH_MAX_BYTES;

  constructor(private readonly config: HashingConfig) {}

  vectorSize(): number {
    return this.config.dimensions;
  }

  embedPassages(
    texts: readonly string[],
    terms: readonly (readonly string[])[],
    onProgress?: BuildProgress,
  ): Promise<PassageVectors> {
    const { dimensions } = this.config;
    const hashing = new HashingEmbeddings({ dimensions });
    const vectors = new Float32Array(texts.length * dimensions);
    texts.forEach((text, i) => {
      hashing.embedPassageInto(vectors, i * dimensions, text, terms[i]);
      if ((i + 1) % EMBED_BATCH === 0 || i + 1 === texts.length) onProgress?.(i + 1, texts.length);
    });
    return Promise.resolve({ vectors, dimensions });
  }

  queryEmbeddings(passages: PassageVectors): Embeddings {
    return new HashingEmbeddings({ dimensions: passages.dimensions }).withCounted(rowsOf(passages), []);
  }

  updatedQueryEmbeddings(
    previous: Embeddings,
    added: readonly ArrayLike<number>[],
    removed: PassageTexts,
  ): Embeddings {
    const vectors = removed.texts.map((text, i) => this.passageVector(previous, text, removed.terms[i]));
    return hashingOf(previous).withCounted(added, vectors);
  }

  sparseQuery(embeddings: Embeddings, question: string): SparseQuery {
    return hashingOf(embeddings).embedQuerySparse(question);
  }

  // A passage's vector is a function of its text and words alone: made again, it is the stored one, bit
  // for bit (tests/index/incremental-update.test.ts checks it), without reading the store.
  passageVector(embeddings: Embeddings, text: string, terms?: readonly string[]): Float32Array {
    return hashingOf(embeddings).embedPassage(text, terms);
  }

  identity(): EmbeddingsIdentity {
    return { provider: "hashing", model: HASHING_MODEL, dimensions: this.config.dimensions };
  }

  checkCompatible(dir: string, manifest: IndexManifest): void {
    checkIdentity(dir, manifest, this.identity(), `hashing/${this.config.dimensions}`);
  }

  async saveFiles(dir: string, embeddings: Embeddings): Promise<void> {
    await writeFrequencies(dir, hashingOf(embeddings).documentFrequency);
  }

  async loadEmbeddings(dir: string, manifest: IndexManifest, passages: number): Promise<Embeddings> {
    const { dimensions } = manifest.embeddings;
    const documentFrequency = await readFrequencies(dir, dimensions);
    return new HashingEmbeddings({ dimensions, documentFrequency, documentCount: passages });
  }
}

/**
 * An OpenAI-compatible embeddings server. Its vector size is known once it answers; questions are
 * embedded by the same server, so nothing is counted or saved beside the index.
 */
class ServerProvider implements EmbeddingsProvider {
  /**
   * A model's question vector is dense: exact search reads every dimension of every passage (15 ms at
   * 12,000 passages of 1,536 dimensions on the benchmark machine), so only a small index (about 2,700
   * passages at 1,536 dimensions, 3 ms) goes without a graph.
   */
  readonly exactSearchMaxBytes = SERVER_EXACT_SEARCH_MAX_BYTES;

  constructor(private readonly config: ServerConfig) {}

  vectorSize(known?: number): number {
    return known ?? ASSUMED_SERVER_DIMENSIONS;
  }

  async embedPassages(
    texts: readonly string[],
    _terms: readonly (readonly string[])[],
    onProgress?: BuildProgress,
    knownDimensions?: number,
  ): Promise<PassageVectors> {
    const embeddings = serverEmbeddings(this.config);
    let dimensions = knownDimensions;
    let vectors = new Float32Array(0);
    let embedded = 0;
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      let batch: number[][];
      try {
        batch = await embeddings.embedDocuments(texts.slice(start, start + EMBED_BATCH));
      } catch (error) {
        throw new IndexBuildError(`embedding passages failed: ${messageOf(error)}`, { cause: error });
      }
      for (const vector of batch) {
        dimensions ??= vector.length;
        if (vector.length !== dimensions) {
          throw new IndexBuildError(
            `the embeddings server returned a vector of ${vector.length} dimensions, expected ${dimensions}`,
          );
        }
        if (vectors.length === 0) vectors = new Float32Array(texts.length * dimensions);
        vectors.set(vector, embedded * dimensions);
        embedded++;
      }
      onProgress?.(embedded, texts.length);
    }
    return { vectors, dimensions: dimensions ?? 1 };
  }

  queryEmbeddings(): Embeddings {
    return serverEmbeddings(this.config);
  }

  updatedQueryEmbeddings(previous: Embeddings): Embeddings {
    return previous;
  }

  // A model's question is dense, and its passages' vectors come from the server: both are read whole.
  sparseQuery(): undefined {
    return undefined;
  }

  passageVector(): undefined {
    return undefined;
  }

  identity(dimensions: number): EmbeddingsIdentity {
    return { provider: "openai", model: this.config.model, dimensions };
  }

  checkCompatible(dir: string, manifest: IndexManifest): void {
    // Any vector size will do: it is the model's, and the model is checked.
    const wanted = { provider: "openai", model: this.config.model } as const;
    checkIdentity(dir, manifest, wanted, `openai/${this.config.model}`);
  }

  saveFiles(): Promise<void> {
    return Promise.resolve();
  }

  loadEmbeddings(): Promise<Embeddings> {
    return Promise.resolve(serverEmbeddings(this.config));
  }
}

/** Throws IndexLoadError when the index was built otherwise than `wanted`; `said` names the configuration. */
function checkIdentity(
  dir: string,
  manifest: IndexManifest,
  wanted: Partial<EmbeddingsIdentity>,
  said: string,
): void {
  const built = manifest.embeddings;
  const matches =
    built.provider === wanted.provider &&
    built.model === wanted.model &&
    (wanted.dimensions === undefined || built.dimensions === wanted.dimensions);
  if (!matches) {
    throw new IndexLoadError(
      dir,
      `built with ${built.provider}/${built.provider === "hashing" ? built.dimensions : built.model}, ` +
        `the configuration says ${said}`,
    );
  }
}

/** The hashing embeddings of an index built by this provider (its query weights are theirs). */
function hashingOf(embeddings: Embeddings): HashingEmbeddings {
  if (!(embeddings instanceof HashingEmbeddings)) {
    throw new TypeError("the index was not built with the hashing embeddings");
  }
  return embeddings;
}

/** The client of the embeddings server `config` names. */
function serverEmbeddings(config: ServerConfig): Embeddings {
  return new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey,
    // Servers that do not implement base64 return garbage for the client's default format.
    encodingFormat: "float",
    batchSize: OPENAI_BATCH_SIZE,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    ...(config.baseURL ? { configuration: { baseURL: config.baseURL } } : {}),
  });
}
