import { availableParallelism } from "node:os";
import { copyFile, link, open, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import hnswlib from "hnswlib-node";
import { ExactVectors, type SparseQuery } from "./exact-vectors.js";
import { GraphsBuilder } from "./graph-builder.js";
import { IndexBuildError, IndexLoadError } from "./errors.js";
import { findDamagedFile, type FileChecksum, type FileChecksums } from "./file-checksums.js";

// hnswlib-node is CommonJS: its named ESM exports fail at run time under node and tsx.
const { HierarchicalNSW } = hnswlib;
type HierarchicalNSWIndex = InstanceType<typeof HierarchicalNSW>;

/** What rebuilds an index whose unread graph turns out damaged: an update would read it again. */
const FULL_REINDEX = "npm run reindex -- --full";
/** The file saved beside the graphs: dimensions, labels, shards, deletions. */
export const HNSW_DOCS_FILE = "vectors.json";
/**
 * The vectors of a store searched exactly, in place of graphs, as {@link ExactVectors.fileParts} lays
 * them out: a header, the labels (int32, increasing), then the values column by column (float32,
 * dimension 0 of every vector first), only the non-zero ones with their vectors' indices when that is
 * smaller (hashing vectors); little-endian.
 */
export const EXACT_VECTORS_FILE = "vectors.f32";
/** The graph file of shard `i`. */
export const hnswShardFile = (shard: number): string => `vectors-${shard}.hnsw`;

/** Bytes of a saved graph's header that {@link savedGraphHeader} reads. */
const HNSW_HEADER_BYTES = 48;

/**
 * Graph degree and build breadth, measured on 12,000 synthetic passages when they were chosen: build
 * breadth 200 took twice the time of 100 for 1–3 points of recall@10 at the same search cost, and degree
 * 24 or 32 built slower for less recall per millisecond of search than 16.
 */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;
/** Fixed seed, so that the same vectors always build the same graph. */
const HNSW_SEED = 100;
/**
 * Search breadth; hnswlib resets it to 10 on load, which costs a third of recall@10 at scale. Hashed
 * n-gram vectors are hard for a graph (thousands of dimensions, little structure): at 10,000 articles
 * recall@10 is 0.90 at 128, 0.94 at 400 and 0.945 at 600, for 7, 19 and 27 ms (bench/results.md); 400
 * keeps a question's retrieval p99 under 50 ms.
 */
export const DEFAULT_EF_SEARCH = 400;
/**
 * Passages per shard before the graph is split across worker threads: building a graph is single-threaded
 * in hnswlib-node, so a large index is built as one shard per core, searched together.
 */
export const DEFAULT_SHARD_THRESHOLD = 20_000;
/** Share of deleted vectors above which {@link HnswVectorStore.needsCompaction} says to rebuild the graphs. */
/**
 * Bytes of vectors up to which a store is searched exactly (see {@link ExactVectors}) and has no graph,
 * for hashing vectors: 16,384 passages at 2048 dimensions. A hashing question has about a hundred
 * non-zero dimensions, so exact search costs 0.12 ms at 858 passages, 1.5 ms at 12,000 and 15 ms at
 * 120,000 — but 37 ms p99 there, against 14 ms for the graphs (README, "Speed and scale"); and the graphs
 * hold the vectors too, so memory no longer sets the limit, time does. Dense vectors have their own
 * (the embeddings provider's `exactSearchMaxBytes`).
 */
export const EXACT_SEARCH_MAX_BYTES = 128 * 1024 * 1024;

/** Stores up to this many vectors prepare exact search at once; larger ones in the background. */
export const EXACT_PREPARE_AT_ONCE_MAX = 2_048;

/** Thrown inside a background copy that a change made stale. */
class StaleCopy extends Error {}

/** Whether a store of this many vectors of this size is searched exactly. */
export function searchedExactly(
  vectors: number,
  dimensions: number,
  maxBytes = EXACT_SEARCH_MAX_BYTES,
): boolean {
  return vectors > 0 && vectors * dimensions * Float32Array.BYTES_PER_ELEMENT <= maxBytes;
}

/** The similarities of a query to every vector of a small store, from exact search. */
export interface ExactSimilarities {
  /** The label of each value. */
  readonly labels: Int32Array;
  readonly values: Float32Array;
  /** The `k` most similar [label, similarity], best first. */
  best(k: number): [number, number][];
}

export const COMPACTION_DELETED_SHARE = 0.2;

/** Metadata every stored passage carries. */
export interface PassageMetadata {
  readonly passageId: string;
}

/** Options of {@link HnswVectorStore}. */
export interface HnswVectorStoreFields {
  /** Vector size; all vectors must have it. */
  dimensions: number;
  /** Search breadth (candidates examined per query in each shard). Defaults to {@link DEFAULT_EF_SEARCH}. */
  efSearch?: number;
  /**
   * Bytes of vectors up to which the store is searched exactly, without graphs. Defaults to
   * {@link EXACT_SEARCH_MAX_BYTES}, which suits hashing vectors.
   */
  exactSearchMaxBytes?: number;
  /**
   * The text of a passage, for the documents a search returns. The store keeps only passage ids (the
   * index holds the texts once, in its sentences); text given to `addDocuments` is kept as given.
   */
  textOf?: (passageId: string) => string;
}

/** Options of {@link HnswVectorStore.fromVectors}: whether to build graphs, how many, in parallel. */
export interface ParallelBuildOptions {
  /**
   * Stores whose vectors fit this many bytes are built without graphs, for exact search. Defaults to the
   * store's own limit (`exactSearchMaxBytes` of its fields); 0 builds graphs at any size (a test of
   * sharded graphs on a few vectors).
   */
  exactSearchMaxBytes?: number;
  /** Vectors above which the graph is split into shards built in worker threads. */
  shardThreshold?: number;
  /** Shards (and worker threads) for a large build. Defaults to the number of cores, at most 4. */
  shards?: number;
}

/** What a stored label points at. */
interface StoredPassage {
  readonly passageId: string;
  readonly pageContent: string;
  readonly shard: number;
}

/** The shape of vectors.json. */
interface SavedVectors {
  readonly dimensions: number;
  readonly nextLabel: number;
  readonly shards: number;
  /** [label, passage id, shard, text] of every live vector; the text only when one was given. */
  readonly passages: readonly [number, string, number, string?][];
  /** Labels marked deleted but still in a graph (until compaction). */
  readonly deleted: readonly number[];
  /** The shard new vectors go to (see {@link HnswVectorStore.addLabelled}), once there is one. */
  readonly delta?: number;
}

/**
 * A graph a load for an update left unread (see {@link HnswVectorStore.load}'s `deferGraphs`): nothing is
 * added to it, its deletions are listed in vectors.json, so it is linked as it is on save. Reading it
 * (hnswlib reads the whole file, 500 MB at 10,000 articles) and hashing it were most of an update.
 */
export class DeferredGraph {
  constructor(
    /** Where it was loaded from (the folder it was last saved to, after a save). */
    readonly path: string,
    /** Vectors it holds, deleted ones included, from its header. */
    readonly count: number,
  ) {}
}

/** A shard: its graph, or the file of a graph left unread. */
type Shard = HierarchicalNSWIndex | DeferredGraph;

/** A file of a loaded store, unchanged since: linked into the next folder the store is saved to. */
interface UnchangedFile {
  /** Where it was loaded from. */
  readonly path: string;
  /**
   * Its inode then: a folder replaced since (another index saved there) holds another file under the
   * same name, which must not be linked as this one.
   */
  readonly inode: number;
  /** Its checksum as the index's manifest gave it, checked when it was loaded. */
  readonly checksum: FileChecksum | undefined;
}

/**
 * A LangChain vector store over hnswlib-node graphs in inner-product space. Vectors must be
 * L2-normalized, so the returned score is the cosine similarity: **higher is better** (LangChain's own
 * HNSWLib store returns a distance under the same name). Every vector has a numeric label that stays
 * the same for its life; a large store is split into shards built in parallel and searched together;
 * deletion marks vectors deleted, and {@link compact} rebuilds the graphs without them.
 *
 * @example
 * const store = new HnswVectorStore(embeddings, { dimensions: 2048 });
 * await store.addDocuments(passages);
 * const hits = await store.similaritySearchWithScore("متى عقدت القمة؟", 5); // [Document, similarity][]
 */
export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (document: Document<PassageMetadata>) => boolean;

  readonly dimensions: number;
  private efSearch: number;
  private readonly exactSearchMaxBytes: number;
  private textOf: ((passageId: string) => string) | undefined;
  /**
   * The graphs, or undefined while the store is searched exactly: then the copy for exact search is the
   * only place its vectors live (a graph holds a second copy of every vector); a graph is built from it
   * only when the store grows past its exact-search limit.
   */
  private shards: Shard[] | undefined = [];
  private readonly stored = new Map<number, StoredPassage>();
  /** Live vectors per shard: a graph is searched for at most as many neighbours as it holds. */
  private liveCounts: number[] = [];
  private readonly deleted = new Set<number>();
  private nextLabel = 0;
  /**
   * The shard new vectors are added to: the others stay as they were loaded, so that an incremental
   * reindex writes this one graph and links the others (a large index's graphs are a gigabyte).
   */
  private delta: number | undefined;
  /**
   * The files of the loaded store that still hold what it holds, by name: a graph to which nothing was
   * added (its deletions are listed in vectors.json), the vectors of a store searched exactly unchanged.
   */
  private readonly unchanged = new Map<string, UnchangedFile>();
  /**
   * The live vectors for exact search, while the store is small enough: kept up to date by changes when
   * the store has no graphs, dropped by a change to the graphs.
   */
  private exact: ExactVectors | undefined;
  /** Counts changes to the vectors: a copy begun before a change is thrown away. */
  private generation = 0;
  private preparing: Promise<boolean> | undefined;

  constructor(embeddings: EmbeddingsInterface, fields: HnswVectorStoreFields) {
    super(embeddings, fields);
    this.dimensions = fields.dimensions;
    this.efSearch = fields.efSearch ?? DEFAULT_EF_SEARCH;
    this.exactSearchMaxBytes = fields.exactSearchMaxBytes ?? EXACT_SEARCH_MAX_BYTES;
    this.textOf = fields.textOf;
    // Empty, and searched exactly until it outgrows the limit: a graph is made only when one is needed
    // (hnswlib's constructor alone takes 2.5 MB, its 65,536 label locks, whatever the graph holds).
    this.shards = undefined;
    this.exact = ExactVectors.empty(this.dimensions);
    this.liveCounts = [0];
  }

  _vectorstoreType(): string {
    return "sanad-hnswlib";
  }

  /** Gives the texts of the passages that searches return (the store keeps only their ids). */
  describePassagesWith(textOf: (passageId: string) => string): void {
    this.textOf = textOf;
  }

  /** Changes the search breadth of every graph (a benchmark measures recall against it). */
  setEfSearch(ef: number): void {
    this.efSearch = ef;
    for (const graph of this.shards ?? []) if (!(graph instanceof DeferredGraph)) graph.setEf(ef);
  }

  /** Number of live (not deleted) vectors. */
  get size(): number {
    return this.stored.size;
  }

  /** Number of graphs searched per query: 0 when the store is searched exactly. */
  get shardCount(): number {
    return this.shards?.length ?? 0;
  }

  /** Vectors marked deleted and still taking space in a graph. */
  get deletedCount(): number {
    return this.deleted.size;
  }

  /** Whether enough vectors are deleted that the graphs should be rebuilt without them. */
  needsCompaction(): boolean {
    const total = this.stored.size + this.deleted.size;
    return total > 0 && this.deleted.size / total > COMPACTION_DELETED_SHARE;
  }

  /** The passage id of a live label, or undefined. */
  passageIdOf(label: number): string | undefined {
    return this.stored.get(label)?.passageId;
  }

  /**
   * Builds a store from vectors laid end to end in one array (vector `i` at `i × dimensions`), with the
   * given labels. The array is the store's afterwards: a store searched exactly lays it out again in
   * place. Above the shard threshold the vectors are dealt round-robin to one shard per core and the
   * graphs are built in worker threads.
   */
  static async fromVectors(
    embeddings: EmbeddingsInterface,
    fields: HnswVectorStoreFields,
    vectors: Float32Array,
    passageIds: readonly string[],
    options: ParallelBuildOptions = {},
  ): Promise<HnswVectorStore> {
    return HnswVectorStore.fromBatches(fields, passageIds, oneBatch(vectors), () => embeddings, options);
  }

  /**
   * Builds a store from the vectors of `passageIds`, given in order a batch at a time (each batch laid
   * end to end). A store searched exactly gathers them into one array (a single batch of all of them is
   * taken over as it is); otherwise each batch goes into the graphs as it comes, so that a large build
   * never holds every vector besides its graphs. `embeddingsOf` is asked for the query embeddings once
   * every batch is in (a hashing model's weights are counted over them).
   */
  static async fromBatches(
    fields: HnswVectorStoreFields,
    passageIds: readonly string[],
    batches: AsyncIterable<Float32Array>,
    embeddingsOf: () => EmbeddingsInterface,
    options: ParallelBuildOptions = {},
  ): Promise<HnswVectorStore> {
    const count = passageIds.length;
    const { dimensions } = fields;
    const limit = options.exactSearchMaxBytes ?? fields.exactSearchMaxBytes ?? EXACT_SEARCH_MAX_BYTES;
    const exact = searchedExactly(count, dimensions, limit);
    let rows: Float32Array | undefined;
    const graphs = exact
      ? undefined
      : await GraphsBuilder.start(
          { dimensions, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, seed: HNSW_SEED },
          count,
          shardCountFor(count, options),
          fields.efSearch ?? DEFAULT_EF_SEARCH,
        );
    let at = 0;
    try {
      for await (const batch of batches) {
        const size = batch.length / dimensions;
        if (!Number.isInteger(size) || at + size > count) {
          throw new RangeError(
            `a batch of ${batch.length} values after ${at} of ${count} vectors of ${dimensions}`,
          );
        }
        if (graphs)
          await graphs.add(
            batch,
            Int32Array.from({ length: size }, (_, i) => at + i),
          );
        else if (at === 0 && size === count) rows = batch;
        else (rows ??= new Float32Array(count * dimensions)).set(batch, at * dimensions);
        at += size;
      }
      if (at !== count) throw new RangeError(`${at} vectors for ${count} passages`);
    } catch (error) {
      await graphs?.abort();
      throw error;
    }
    const store = new HnswVectorStore(embeddingsOf(), fields);
    store.nextLabel = count;
    if (!graphs) {
      // No graph: exact search needs none, and building one is most of the time and memory of a build.
      store.exact = ExactVectors.adoptingRows(
        dimensions,
        Int32Array.from(passageIds, (_, i) => i),
        rows ?? new Float32Array(0),
      );
      store.shards = undefined;
      store.liveCounts = [count];
      passageIds.forEach((passageId, label) =>
        store.stored.set(label, { passageId, pageContent: "", shard: 0 }),
      );
      return store;
    }
    store.adoptGraphs(await graphs.finish(), passageIds, (label) => graphs.shardOf(label));
    return store;
  }

  /** Adds vectors with their documents; all are checked first, so a bad batch adds nothing. */
  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a bad batch rejects, as LangChain callers expect, rather than throwing
  async addVectors(vectors: number[][], documents: Document[]): Promise<string[]> {
    return this.addLabelled(vectors, documents).map((label) => this.stored.get(label)?.passageId ?? "");
  }

  /**
   * Prepares exact search when the store's vectors fit `maxBytes` (the store's limit; a benchmark
   * comparing with exact search passes more): a copy of them laid out for a sparse query (see
   * {@link ExactVectors}), which replaces the graphs. Returns whether it did.
   */
  prepareExactSearch(maxBytes = this.exactSearchMaxBytes): boolean {
    if (this.exact) return true;
    if (!searchedExactly(this.stored.size, this.dimensions, maxBytes)) return false;
    this.exact = ExactVectors.of(this.dimensions, this.liveLabels(), (label) => this.vectorOf(label));
    this.releaseGraphs();
    return true;
  }

  /**
   * Prepares exact search as {@link prepareExactSearch} does, a slice of vectors at a time with the event
   * loop free between slices: reading the vectors out of the graphs takes about a second at 12,000
   * passages, which a bot loading a new index must not spend with questions waiting. Until it is done,
   * searches go through the graphs. Resolves with whether exact search is ready.
   */
  prepareExactSearchInBackground(): Promise<boolean> {
    if (this.exact) return Promise.resolve(true);
    if (!searchedExactly(this.stored.size, this.dimensions, this.exactSearchMaxBytes)) {
      return Promise.resolve(false);
    }
    this.preparing ??= (async () => {
      const generation = this.generation;
      try {
        const exact = await ExactVectors.inSlices(this.dimensions, this.liveLabels(), (label) => {
          // A change meanwhile (a vector deleted) ends the copy: it would be stale anyway.
          if (generation !== this.generation) throw new StaleCopy();
          return this.vectorOf(label);
        });
        if (generation !== this.generation) return false;
        this.exact = exact;
        this.releaseGraphs();
        return true;
      } catch (error) {
        if (error instanceof StaleCopy) return false;
        throw error;
      } finally {
        this.preparing = undefined;
      }
    })();
    return this.preparing;
  }

  /**
   * Whether {@link prepareExactSearch} is quick enough to run at once: reading a vector out of a graph
   * takes about 90 µs at 2048 dimensions, so 2,048 vectors hold the event loop 0.2 s at most.
   */
  prepareAtOnce(): boolean {
    return this.stored.size <= EXACT_PREPARE_AT_ONCE_MAX;
  }

  /** The live labels in increasing order: the columns of exact search. */
  private liveLabels(): Int32Array {
    return Int32Array.from([...this.stored.keys()].sort((a, b) => a - b));
  }

  /**
   * Drops the copy for exact search before a change (the change makes it stale), first building the
   * graph from it when it is where the vectors live.
   */
  private dropExact(): void {
    this.ensureGraphs();
    this.forgetExact();
  }

  private forgetExact(): void {
    this.exact = undefined;
    this.generation++;
  }

  /** Lets the graphs go once exact search holds every vector: they would only keep a second copy. */
  private releaseGraphs(): void {
    this.shards = undefined;
    this.delta = undefined;
    this.unchanged.clear();
    this.liveCounts = [this.stored.size];
    // Deleted vectors went with the graphs that kept them: a graph built from the copy holds none.
    this.deleted.clear();
    for (const [label, stored] of this.stored) this.stored.set(label, { ...stored, shard: 0 });
  }

  /** The graphs, built from the copy for exact search when the store has none (one graph: it is small). */
  private ensureGraphs(): Shard[] {
    if (this.shards) return this.shards;
    this.shards = [this.graphFromExact()];
    this.unchanged.clear();
    this.liveCounts = [this.stored.size];
    return this.shards;
  }

  /** One graph of every vector of the copy for exact search. */
  private graphFromExact(): HierarchicalNSWIndex {
    const exact = this.exact;
    if (!exact) throw new Error("a vector store holds neither graphs nor vectors for exact search");
    const graph = this.newGraph(exact.count);
    for (const label of exact.labels) graph.addPoint(exact.vectorOf(label) ?? [], label);
    return graph;
  }

  /**
   * The order of [label, similarity] hits, best first. Ties go by passage id, not label: labels depend
   * on the order vectors were added in, and an index updated incrementally must rank as one built from
   * scratch; exact search and the graphs' search break them alike.
   */
  private readonly rankOrder = (a: readonly [number, number], b: readonly [number, number]): number =>
    a[1] !== b[1] ? b[1] - a[1] : this.idOrder(a[0], b[0]);

  /** The order of two labels' passage ids. */
  idOrder(a: number, b: number): number {
    const x = this.stored.get(a)?.passageId ?? "";
    const y = this.stored.get(b)?.passageId ?? "";
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * The cosine similarity of a query to every live vector, exactly, when {@link prepareExactSearch} has
   * prepared it (a small store); undefined otherwise.
   */
  exactSimilarities(query: readonly number[] | SparseQuery): ExactSimilarities | undefined {
    const exact = this.exact;
    if (!exact) return undefined;
    return new ExactResult(exact.labels, exact.similarities(query), this);
  }

  /** Whether a search now is exact ({@link exactSimilarities} answers), not through the graphs. */
  get searchedExactly(): boolean {
    return this.exact !== undefined;
  }

  /** Bytes the copy for exact search takes (0 when there is none). */
  get exactSearchBytes(): number {
    return this.exact?.bytes ?? 0;
  }

  /** Adds vectors with their documents and returns the labels they were given. */
  addLabelled(vectors: readonly ArrayLike<number>[], documents: readonly Document[]): number[] {
    if (vectors.length !== documents.length) {
      throw new RangeError(`${vectors.length} vectors for ${documents.length} documents`);
    }
    const wrong = vectors.find((vector) => vector.length !== this.dimensions);
    if (wrong) {
      throw new RangeError(`vector of ${wrong.length} dimensions in a ${this.dimensions}-dimension index`);
    }
    const remember = (label: number, i: number): void => {
      const document = documents[i] as Document<PassageMetadata>;
      this.stored.set(label, {
        passageId: document.metadata.passageId,
        pageContent: document.pageContent,
        shard: 0,
      });
    };
    const stillSmall = searchedExactly(
      this.stored.size + vectors.length,
      this.dimensions,
      this.exactSearchMaxBytes,
    );
    if (!this.shards && this.exact && stillSmall) {
      // Still small: the copy grows, and no graph is built.
      const labels = vectors.map(() => this.nextLabel++);
      this.exact = this.exact.withAdded(labels, vectors);
      this.unchanged.clear();
      this.generation++;
      labels.forEach(remember);
      this.liveCounts = [this.stored.size];
      return labels;
    }
    this.dropExact();
    return vectors.map((vector, i) => {
      const document = documents[i] as Document<PassageMetadata>;
      const shard = this.deltaShard();
      const graph = this.graphOf(shard);
      this.unchanged.delete(hnswShardFile(shard));
      if (graph.getCurrentCount() >= graph.getMaxElements()) {
        graph.resizeIndex(Math.max(16, Math.ceil(graph.getMaxElements() * 1.5)));
      }
      const label = this.nextLabel++;
      graph.addPoint(Array.from(vector), label);
      this.stored.set(label, {
        passageId: document.metadata.passageId,
        pageContent: document.pageContent,
        shard,
      });
      this.liveCounts[shard] = (this.liveCounts[shard] ?? 0) + 1;
      return label;
    });
  }

  /**
   * The shard that takes new vectors: a small one of its own beside those built together, made on the
   * first addition. Compaction folds it back into balanced shards.
   */
  private deltaShard(): number {
    const shards = this.ensureGraphs();
    if (this.delta === undefined) {
      // A store whose only graph is still empty takes its vectors there.
      if (shards.length === 1 && this.stored.size === 0 && this.deleted.size === 0) this.delta = 0;
      else {
        shards.push(this.newGraph(0));
        this.liveCounts.push(0);
        this.delta = shards.length - 1;
      }
    }
    return this.delta;
  }

  async addDocuments(documents: Document[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((document) => document.pageContent));
    return this.addVectors(vectors, documents);
  }

  /** Marks the vectors with these labels deleted: searches no longer return them. */
  deleteLabels(labels: Iterable<number>): void {
    if (!this.shards && this.exact) {
      const gone = new Set([...labels].filter((label) => this.stored.has(label)));
      if (gone.size === 0) return;
      this.exact = this.exact.without(gone);
      this.unchanged.clear();
      this.generation++;
      for (const label of gone) this.stored.delete(label);
      this.liveCounts = [this.stored.size];
      return;
    }
    this.dropExact();
    for (const label of labels) {
      const stored = this.stored.get(label);
      if (!stored) continue;
      // A graph left unread is not marked: its deletions are listed in vectors.json, marked on its load.
      const graph = this.ensureGraphs()[stored.shard];
      if (graph && !(graph instanceof DeferredGraph)) graph.markDelete(label);
      this.stored.delete(label);
      this.deleted.add(label);
      this.liveCounts[stored.shard] = (this.liveCounts[stored.shard] ?? 1) - 1;
    }
  }

  /**
   * Rebuilds the graphs from the live vectors only (same labels), dropping the space and the detours
   * that deleted vectors cost. Run when {@link needsCompaction} says so.
   */
  async compact(options: ParallelBuildOptions = {}): Promise<void> {
    await this.loadDeferredGraphs();
    const labels = [...this.stored.keys()].sort((a, b) => a - b);
    const vectors = new Float32Array(labels.length * this.dimensions);
    labels.forEach((label, i) => {
      vectors.set(this.vectorOf(label), i * this.dimensions);
    });
    const passageIds = labels.map((label) => this.stored.get(label)?.passageId ?? "");
    const texts = new Map(labels.map((label) => [label, this.stored.get(label)?.pageContent ?? ""]));
    await this.rebuildGraphs(vectors, labels, passageIds, options, texts);
  }

  /** The stored vector of a live label. */
  vectorOf(label: number): number[] {
    const stored = this.stored.get(label);
    if (!stored) throw new RangeError(`no vector with label ${label}`);
    if (!this.shards) return this.exact?.vectorOf(label) ?? [];
    return this.graphOf(stored.shard).getPoint(label);
  }

  /** The graph of a shard; throws for one a load for an update left unread. */
  private graphOf(shard: number): HierarchicalNSWIndex {
    const graph = this.ensureGraphs()[shard];
    if (graph instanceof DeferredGraph) {
      throw new Error(
        `${path.basename(graph.path)} was not read: the store was loaded for an update (call loadDeferredGraphs first)`,
      );
    }
    if (!graph) throw new RangeError(`no shard ${shard}`);
    return graph;
  }

  /** Whether a load for an update left graphs unread (see {@link loadDeferredGraphs}). */
  get hasDeferredGraphs(): boolean {
    return (this.shards ?? []).some((graph) => graph instanceof DeferredGraph);
  }

  /**
   * Reads the graphs a load for an update left unread, each checked first against the checksum the
   * manifest gave (hnswlib reading a damaged graph can crash the process), and marks their deletions.
   * Needed before the store is searched or its vectors are read (compaction). Throws IndexLoadError
   * naming a file that is missing or damaged.
   */
  async loadDeferredGraphs(): Promise<void> {
    const shards = this.shards;
    if (!shards) return;
    await Promise.all(
      shards.map(async (graph, shard) => {
        if (!(graph instanceof DeferredGraph)) return;
        const name = hnswShardFile(shard);
        const checksum = this.unchanged.get(name)?.checksum;
        const damaged = checksum && (await findDamagedFile(path.dirname(graph.path), { [name]: checksum }));
        if (damaged) {
          throw new IndexLoadError(path.dirname(graph.path), `${name} ${damaged.problem}`, {
            reindexCommand: FULL_REINDEX,
          });
        }
        const loaded = await readGraph(graph.path, this.dimensions, this.efSearch);
        if (loaded.getCurrentCount() !== graph.count) {
          throw new IndexLoadError(
            path.dirname(graph.path),
            `${name} changed since it was first opened (another reindex replaced it meanwhile?)`,
            { reindexCommand: FULL_REINDEX },
          );
        }
        for (const label of this.deleted) markDeletedIn(loaded, label);
        shards[shard] = loaded;
      }),
    );
  }

  /** The `k` nearest passages to a vector, with their cosine similarity (higher is better). */
  similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[Document<PassageMetadata>, number][]> {
    const hits: [label: number, similarity: number][] = [];
    const accept = filter
      ? (label: number): boolean => {
          // A filter that throws inside the native search would kill the process: treat it as "no".
          try {
            const document = this.documentOf(label);
            return document !== undefined && filter(document);
          } catch {
            return false;
          }
        }
      : undefined;
    if (!this.shards) return Promise.resolve(this.exactSearch(query, k, accept));
    this.shards.forEach((_, shard) => {
      const count = Math.min(k, this.liveCounts[shard] ?? 0);
      if (count === 0) return;
      const { neighbors, distances } = this.graphOf(shard).searchKnn(query, count, accept);
      // Inner-product space reports 1 − dot product as the distance.
      neighbors.forEach((label, i) => hits.push([label, 1 - (distances[i] ?? 1)]));
    });
    hits.sort(this.rankOrder);
    return Promise.resolve(
      hits.slice(0, k).flatMap(([label, similarity]) => {
        const document = this.documentOf(label);
        return document ? [[document, similarity] as [Document<PassageMetadata>, number]] : [];
      }),
    );
  }

  /** The search of a store without graphs: every vector scored, then as the graphs' search orders them. */
  private exactSearch(
    query: readonly number[],
    k: number,
    accept: ((label: number) => boolean) | undefined,
  ): [Document<PassageMetadata>, number][] {
    const similarities = this.exactSimilarities(query);
    if (!similarities) return [];
    let best: [number, number][];
    if (accept) {
      best = [...similarities.labels]
        .map((label, i): [number, number] => [label, similarities.values[i] ?? 0])
        .filter(([label]) => accept(label))
        .sort(this.rankOrder);
    } else best = similarities.best(k);
    return best.slice(0, k).flatMap(([label, similarity]) => {
      const document = this.documentOf(label);
      return document ? [[document, similarity] as [Document<PassageMetadata>, number]] : [];
    });
  }

  /**
   * Cosine similarity of a query vector to the stored vector with this label, for candidates found by
   * other means than this store's search.
   */
  similarityTo(query: readonly number[], label: number): number {
    return innerProduct(this.vectorOf(label), query);
  }

  /**
   * Writes the graphs, or a store searched exactly its vectors as they are laid out for it
   * ({@link EXACT_VECTORS_FILE}: no graph is built to be saved, nor read to be loaded), and the labels
   * into `directory` (which must exist). A file unchanged since the store was loaded is linked, not
   * written: the checksums of those are returned, as the loaded index's manifest gave them.
   */
  async save(directory: string): Promise<void> {
    await this.saveLinking(directory);
  }

  /** {@link save}, returning the checksums of the files it linked rather than wrote. */
  async saveLinking(directory: string): Promise<FileChecksums> {
    const shards = this.shards ?? [];
    const linked: Record<string, FileChecksum> = {};
    /** Links a file unchanged since the store was loaded; false when it must be written. */
    const linkUnchanged = async (name: string): Promise<boolean> => {
      const unchanged = this.unchanged.get(name);
      if (!unchanged) return false;
      const done = await linkOrCopy(unchanged, path.join(directory, name));
      if (done && unchanged.checksum) linked[name] = unchanged.checksum;
      return done;
    };
    if (this.exact && !this.shards && !(await linkUnchanged(EXACT_VECTORS_FILE))) {
      await writeExactVectors(path.join(directory, EXACT_VECTORS_FILE), this.exact);
    }
    // hnswlib-node writes (and reads) a graph on libuv's thread pool: the shards go to disk together.
    await Promise.all(
      shards.map(async (graph, shard) => {
        const name = hnswShardFile(shard);
        if (await linkUnchanged(name)) return;
        if (graph instanceof DeferredGraph) {
          // It was left unread for the update: only the file itself can go into the new folder.
          throw new IndexBuildError(
            `${graph.path} was replaced or removed while the index was being updated, or can be neither ` +
              `linked nor copied (space left in ${directory}?); run npm run reindex again, one at a time`,
          );
        }
        await graph.writeIndex(path.join(directory, name));
      }),
    );
    const saved: SavedVectors = {
      dimensions: this.dimensions,
      nextLabel: this.nextLabel,
      shards: shards.length,
      passages: [...this.stored].map(([label, { passageId, shard, pageContent }]) =>
        pageContent ? [label, passageId, shard, pageContent] : [label, passageId, shard],
      ),
      deleted: [...this.deleted],
      // A store of one graph has no graph of additions apart: the next load starts one.
      ...(this.delta === undefined || shards.length < 2 ? {} : { delta: this.delta }),
    };
    await writeFile(path.join(directory, HNSW_DOCS_FILE), JSON.stringify(saved));
    return linked;
  }

  /**
   * Tells the store that it was just saved in `directory`, with these file checksums: its files there
   * hold what it holds, so the next save links them (and a graph left unread is now found there, its
   * first folder being gone once replaced).
   */
  async savedIn(directory: string, checksums: FileChecksums): Promise<void> {
    const names = this.shards ? this.shards.map((_, shard) => hnswShardFile(shard)) : [EXACT_VECTORS_FILE];
    for (const [shard, name] of names.entries()) {
      const checksum = checksums[name];
      // Another program saving there at the same moment may have replaced the folder already: then
      // the files stay where the store knew them.
      const file =
        checksum && (await unchangedFile(path.join(directory, name), checksum).catch(() => undefined));
      if (!file) continue;
      this.unchanged.set(name, file);
      const graph = this.shards?.[shard];
      if (graph instanceof DeferredGraph)
        this.shards?.splice(shard, 1, new DeferredGraph(file.path, graph.count));
    }
  }

  /**
   * Reads a store written by {@link save}; throws when a file is missing, corrupt or inconsistent. With
   * `deferGraphs` (an update), the graphs but the one that takes new vectors are left unread: only their
   * headers are read (their size and vector count checked); {@link loadDeferredGraphs} reads them.
   */
  static async load(
    directory: string,
    embeddings: EmbeddingsInterface,
    options: Pick<HnswVectorStoreFields, "efSearch" | "textOf" | "exactSearchMaxBytes"> & {
      /** The checksums of the files, as the index's manifest lists them (checked before this load). */
      readonly checksums?: FileChecksums;
      readonly deferGraphs?: boolean;
      /**
       * Checks a graph file before hnswlib reads it, when the load before this one did not (the one
       * that takes new vectors, in a load with `deferGraphs`).
       */
      readonly checkGraph?: (name: string) => Promise<void>;
    } = {},
  ): Promise<HnswVectorStore> {
    const saved = parseSavedVectors(await readFile(path.join(directory, HNSW_DOCS_FILE), "utf8"));
    const store = new HnswVectorStore(embeddings, { ...options, dimensions: saved.dimensions });
    store.nextLabel = saved.nextLabel;
    if (saved.shards === 0) {
      if (saved.deleted.length > 0)
        throw new Error(`${HNSW_DOCS_FILE} lists deleted vectors without a graph`);
      const labels = saved.passages.map(([label]) => label);
      store.exact = await readExactVectors(
        path.join(directory, EXACT_VECTORS_FILE),
        saved.dimensions,
        labels,
      );
      store.unchanged.set(
        EXACT_VECTORS_FILE,
        await unchangedFile(
          path.join(directory, EXACT_VECTORS_FILE),
          options.checksums?.[EXACT_VECTORS_FILE],
        ),
      );
      store.shards = undefined;
      store.liveCounts = [labels.length];
      for (const [label, passageId, , pageContent] of saved.passages) {
        store.stored.set(label, { passageId, shard: 0, pageContent: pageContent ?? "" });
      }
      return store;
    }
    const shards = await Promise.all(
      Array.from({ length: saved.shards }, async (_, shard): Promise<Shard> => {
        const name = hnswShardFile(shard);
        const file = path.join(directory, name);
        const header = await savedGraphHeader(file);
        if (header.dimensions !== saved.dimensions) {
          throw new Error(
            `${name} has ${header.dimensions} dimensions, ${HNSW_DOCS_FILE} says ${saved.dimensions}`,
          );
        }
        if (options.deferGraphs && shard !== saved.delta) return new DeferredGraph(file, header.count);
        if (options.deferGraphs) await options.checkGraph?.(name);
        return readGraph(file, saved.dimensions, store.efSearch);
      }),
    );
    store.forgetExact();
    store.shards = shards;
    store.liveCounts = shards.map(() => 0);
    for (const [label, passageId, shard, pageContent] of saved.passages) {
      store.stored.set(label, { passageId, shard, pageContent: pageContent ?? "" });
      store.liveCounts[shard] = (store.liveCounts[shard] ?? 0) + 1;
    }
    const graphs = shards.filter((graph): graph is HierarchicalNSWIndex => !(graph instanceof DeferredGraph));
    for (const label of saved.deleted) {
      store.deleted.add(label);
      // A graph linked from an earlier save does not carry the marks made since: made again here.
      markDeletedInSome(graphs, label);
    }
    await Promise.all(
      shards.map(async (_, shard) => {
        const name = hnswShardFile(shard);
        store.unchanged.set(name, await unchangedFile(path.join(directory, name), options.checksums?.[name]));
      }),
    );
    if (saved.delta !== undefined) {
      if (!Number.isInteger(saved.delta) || saved.delta < 0 || saved.delta >= shards.length) {
        throw new Error(`${HNSW_DOCS_FILE} names shard ${saved.delta} for new vectors, of ${shards.length}`);
      }
      store.delta = saved.delta;
    }
    const inGraphs = shards.reduce(
      (sum, graph) => sum + (graph instanceof DeferredGraph ? graph.count : graph.getCurrentCount()),
      0,
    );
    if (inGraphs !== saved.passages.length + saved.deleted.length) {
      throw new Error(
        `the graphs hold ${inGraphs} vectors, ${HNSW_DOCS_FILE} lists ${saved.passages.length} passages ` +
          `and ${saved.deleted.length} deleted`,
      );
    }
    store.nextLabel = saved.nextLabel;
    return store;
  }

  private documentOf(label: number): Document<PassageMetadata> | undefined {
    const stored = this.stored.get(label);
    if (!stored) return undefined;
    return new Document<PassageMetadata>({
      pageContent: stored.pageContent || (this.textOf?.(stored.passageId) ?? ""),
      metadata: { passageId: stored.passageId },
    });
  }

  private newGraph(capacity: number): HierarchicalNSWIndex {
    const graph = new HierarchicalNSW("ip", this.dimensions);
    graph.initIndex(Math.max(16, capacity), HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_SEED);
    graph.setEf(this.efSearch);
    return graph;
  }

  /** Replaces the graphs with new ones over these vectors and labels, in worker threads when large. */
  private async rebuildGraphs(
    vectors: Float32Array,
    labels: readonly number[],
    passageIds: readonly string[],
    options: ParallelBuildOptions,
    texts?: ReadonlyMap<number, string>,
  ): Promise<void> {
    this.forgetExact();
    const graphs = await GraphsBuilder.start(
      { dimensions: this.dimensions, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, seed: HNSW_SEED },
      labels.length,
      shardCountFor(labels.length, options),
      this.efSearch,
    );
    try {
      for (const [start, end] of batchBounds(labels.length)) {
        await graphs.add(
          vectors.slice(start * this.dimensions, end * this.dimensions),
          Int32Array.from(labels.slice(start, end)),
        );
      }
    } catch (error) {
      await graphs.abort();
      throw error;
    }
    this.adoptGraphs(await graphs.finish(), passageIds, (i) => graphs.shardOf(i), labels, texts);
  }

  /**
   * Makes `graphs` the store's: the passage at position `i` has label `labels[i]` (default `i`) and
   * lives in graph `shardOf(i)`.
   */
  private adoptGraphs(
    graphs: HierarchicalNSWIndex[],
    passageIds: readonly string[],
    shardOf: (position: number) => number,
    labels?: readonly number[],
    texts?: ReadonlyMap<number, string>,
  ): void {
    this.forgetExact();
    this.shards = graphs;
    this.delta = undefined;
    this.unchanged.clear();
    this.liveCounts = graphs.map(() => 0);
    this.stored.clear();
    this.deleted.clear();
    passageIds.forEach((passageId, i) => {
      const label = labels?.[i] ?? i;
      const shard = shardOf(i);
      this.stored.set(label, { passageId, pageContent: texts?.get(label) ?? "", shard });
      this.liveCounts[shard] = (this.liveCounts[shard] ?? 0) + 1;
    });
  }
}

/** Vectors per batch sent to the graphs: 32 MB at 2048 dimensions. */
export const BUILD_BATCH = 4_096;

/** [start, end) of each batch of {@link BUILD_BATCH} over `count` items. */
function batchBounds(count: number): [number, number][] {
  const bounds: [number, number][] = [];
  for (let start = 0; start < count; start += BUILD_BATCH)
    bounds.push([start, Math.min(count, start + BUILD_BATCH)]);
  return bounds;
}

/** How many graphs a build of `count` vectors makes: one per core (at most 4) above the shard threshold. */
function shardCountFor(count: number, options: ParallelBuildOptions): number {
  const threshold = options.shardThreshold ?? DEFAULT_SHARD_THRESHOLD;
  return count > threshold ? Math.max(1, options.shards ?? Math.min(4, availableParallelism())) : 1;
}

/** One batch of every vector, as an async iterable. */
async function* oneBatch(vectors: Float32Array): AsyncGenerator<Float32Array> {
  yield await Promise.resolve(vectors);
}

function parseSavedVectors(text: string): SavedVectors {
  const saved = JSON.parse(text) as Partial<SavedVectors>;
  if (
    typeof saved.dimensions !== "number" ||
    typeof saved.nextLabel !== "number" ||
    typeof saved.shards !== "number" ||
    !Number.isInteger(saved.shards) ||
    saved.shards < 0 ||
    !Array.isArray(saved.passages) ||
    !Array.isArray(saved.deleted)
  ) {
    throw new Error(`${HNSW_DOCS_FILE} is not a saved vector list`);
  }
  return saved as SavedVectors;
}

/**
 * The vector size and vector count recorded in a saved hnswlib graph. hnswlib trusts the size it is
 * constructed with and reads a file of another size into garbage, so it is read from the header:
 * eight-byte fields offsetLevel0, maxElements, count, sizeDataPerElement, labelOffset, offsetData, …
 * with each vector's float32 data between offsetData and labelOffset.
 */
async function savedGraphHeader(file: string): Promise<{ dimensions: number; count: number }> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(HNSW_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HNSW_HEADER_BYTES, 0);
    if (bytesRead < HNSW_HEADER_BYTES) throw new Error(`${path.basename(file)} is truncated`);
    const count = Number(header.readBigUInt64LE(16));
    const labelOffset = Number(header.readBigUInt64LE(32));
    const offsetData = Number(header.readBigUInt64LE(40));
    return { dimensions: (labelOffset - offsetData) / Float32Array.BYTES_PER_ELEMENT, count };
  } finally {
    await handle.close();
  }
}

/** Reads a saved graph, with the search breadth set (hnswlib resets it on load). */
async function readGraph(file: string, dimensions: number, efSearch: number): Promise<HierarchicalNSWIndex> {
  const graph = new HierarchicalNSW("ip", dimensions);
  await graph.readIndex(file);
  graph.setEf(efSearch);
  return graph;
}

/** Writes exact search's vectors as {@link EXACT_VECTORS_FILE} lays them out. */
async function writeExactVectors(file: string, exact: ExactVectors): Promise<void> {
  const handle = await open(file, "w");
  try {
    for (const part of exact.fileParts()) await handle.write(part);
  } finally {
    await handle.close();
  }
}

/** Reads {@link EXACT_VECTORS_FILE}; throws when it does not hold these labels' vectors. */
async function readExactVectors(
  file: string,
  dimensions: number,
  labels: readonly number[],
): Promise<ExactVectors> {
  const exact = ExactVectors.fromFile(await readFile(file), EXACT_VECTORS_FILE);
  if (exact.dimensions !== dimensions || exact.count !== labels.length) {
    throw new Error(
      `${EXACT_VECTORS_FILE} holds ${exact.count} vectors of ${exact.dimensions} dimensions, ${HNSW_DOCS_FILE} lists ${labels.length} of ${dimensions}`,
    );
  }
  const sorted = [...labels].sort((a, b) => a - b);
  if (sorted.some((label, i) => exact.labels[i] !== label)) {
    throw new Error(`${EXACT_VECTORS_FILE} holds other labels than ${HNSW_DOCS_FILE} lists`);
  }
  return exact;
}

/** Marks a label deleted in whichever graph holds it (hnswlib refuses a label twice, or one it lacks). */
function markDeletedInSome(graphs: readonly HierarchicalNSWIndex[], label: number): void {
  for (const graph of graphs) if (markDeletedIn(graph, label)) return;
}

/** Marks a label deleted in `graph`; false when the graph does not hold it or has it marked already. */
function markDeletedIn(graph: HierarchicalNSWIndex, label: number): boolean {
  try {
    graph.markDelete(label);
    return true;
  } catch {
    // Not in this graph, or marked already (the graph was written after the deletion).
    return false;
  }
}

/** A file of the store as it stands now at `file`. */
async function unchangedFile(file: string, checksum: FileChecksum | undefined): Promise<UnchangedFile> {
  return { path: file, inode: (await stat(file)).ino, checksum };
}

/**
 * Hard-links `from` to `to`, or copies it where links are refused; false when neither can be done, or
 * another file stands at its path now.
 */
async function linkOrCopy(from: UnchangedFile, to: string): Promise<boolean> {
  const same = await stat(from.path).then(
    (stats) => stats.ino === from.inode,
    () => false,
  );
  if (!same) return false;
  try {
    await link(from.path, to);
    return true;
  } catch {
    return copyFile(from.path, to).then(
      () => true,
      () => false,
    );
  }
}

/**
 * The similarities of one query, with the best of them on demand. A class, not an object of closures: a
 * question makes one, and its ordering is read for every passage.
 */
class ExactResult implements ExactSimilarities {
  constructor(
    readonly labels: Int32Array,
    readonly values: Float32Array,
    private readonly store: { idOrder(a: number, b: number): number },
  ) {}

  best(k: number): [number, number][] {
    const { labels, values } = this;
    // The best columns so far and their similarities, side by side: a similarity is compared as a number
    // read once, and the ids only on a tie.
    const columns: number[] = [];
    const similarities: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      if (columns.length === k) {
        const last = similarities[k - 1] as number;
        if (!(value > last || (value === last && this.idBefore(i, columns[k - 1] as number)))) continue;
      }
      let at = Math.min(columns.length, k - 1);
      while (at > 0) {
        const previous = similarities[at - 1] as number;
        if (!(value > previous || (value === previous && this.idBefore(i, columns[at - 1] as number)))) break;
        columns[at] = columns[at - 1] as number;
        similarities[at] = previous;
        at--;
      }
      columns[at] = i;
      similarities[at] = value;
    }
    return columns.map((column, n) => [labels[column] ?? 0, similarities[n] ?? 0] as [number, number]);
  }

  /** Whether column `a`'s passage id comes before column `b`'s: the order of tied similarities. */
  private idBefore(a: number, b: number): boolean {
    return this.store.idOrder(this.labels[a] ?? 0, this.labels[b] ?? 0) < 0;
  }
}

/** The inner product of a stored vector and a query, summed in order of dimension. */
export function innerProduct(stored: ArrayLike<number>, query: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < stored.length; i++) dot += (stored[i] ?? 0) * (query[i] ?? 0);
  return dot;
}
