import { open, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import hnswlib from "hnswlib-node";

// hnswlib-node is CommonJS: its named ESM exports fail at run time under node and tsx.
const { HierarchicalNSW } = hnswlib;
type HierarchicalNSWIndex = InstanceType<typeof HierarchicalNSW>;

/** File names inside the folder a store is saved to. */
export const HNSW_FILE = "vectors.hnsw";
export const HNSW_DOCS_FILE = "vectors-docs.json";

/** Bytes of a saved graph's header that {@link savedGraphDimensions} reads. */
const HNSW_HEADER_BYTES = 48;

/** Graph degree and build breadth: hnswlib's recommended values for recall above 0.98. */
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 200;
/** Fixed seed, so that the same vectors always build the same graph. */
const HNSW_SEED = 100;
/** Search breadth; hnswlib resets it to 10 on load, which costs a third of recall@10 at scale. */
export const DEFAULT_EF_SEARCH = 128;

/** Metadata every stored passage carries. */
export interface PassageMetadata {
  readonly passageId: string;
}

/** The JSON file saved beside the graph. */
interface SavedDocuments {
  readonly dimensions: number;
  readonly documents: readonly { pageContent: string; metadata: PassageMetadata }[];
}

/** Options of {@link HnswVectorStore}. */
export interface HnswVectorStoreFields {
  /** Vector size; all vectors must have it. */
  dimensions: number;
  /** Search breadth (candidates examined per query). Defaults to {@link DEFAULT_EF_SEARCH}. */
  efSearch?: number;
}

/**
 * A LangChain vector store over an hnswlib-node graph in inner-product space. Vectors must be
 * L2-normalized, so the returned score is the cosine similarity: **higher is better** (LangChain's own
 * HNSWLib store returns a distance under the same name).
 *
 * @example
 * const store = new HnswVectorStore(embeddings, { dimensions: 2048 });
 * await store.addDocuments(passages);
 * const hits = await store.similaritySearchWithScore("متى عقدت القمة؟", 5); // [Document, similarity][]
 */
export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (document: Document<PassageMetadata>) => boolean;

  readonly dimensions: number;
  private readonly efSearch: number;
  private index: HierarchicalNSWIndex;
  private readonly documents: Document<PassageMetadata>[] = [];

  constructor(embeddings: EmbeddingsInterface, fields: HnswVectorStoreFields) {
    super(embeddings, fields);
    this.dimensions = fields.dimensions;
    this.efSearch = fields.efSearch ?? DEFAULT_EF_SEARCH;
    this.index = new HierarchicalNSW("ip", this.dimensions);
    this.index.initIndex(0, HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_SEED);
    this.index.setEf(this.efSearch);
  }

  _vectorstoreType(): string {
    return "sanad-hnswlib";
  }

  /** Number of stored vectors. */
  get size(): number {
    return this.documents.length;
  }

  /** Adds vectors with their documents; all are checked first, so a bad batch adds nothing. */
  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a bad batch rejects, as LangChain callers expect, rather than throwing
  async addVectors(vectors: number[][], documents: Document[]): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new RangeError(`${vectors.length} vectors for ${documents.length} documents`);
    }
    const wrong = vectors.find((vector) => vector.length !== this.dimensions);
    if (wrong) {
      throw new RangeError(`vector of ${wrong.length} dimensions in a ${this.dimensions}-dimension index`);
    }
    this.index.resizeIndex(this.documents.length + vectors.length);
    vectors.forEach((vector, i) => {
      const document = documents[i] as Document<PassageMetadata>;
      this.index.addPoint(vector, this.documents.length);
      this.documents.push(document);
    });
    return documents.map((document) => (document.metadata as PassageMetadata).passageId);
  }

  async addDocuments(documents: Document[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((document) => document.pageContent));
    return this.addVectors(vectors, documents);
  }

  /** The `k` nearest passages to a vector, with their cosine similarity (higher is better). */
  similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[Document<PassageMetadata>, number][]> {
    const count = Math.min(k, this.documents.length);
    if (count === 0) return Promise.resolve([]);
    const accept = filter
      ? (label: number): boolean => {
          // A filter that throws inside the native search would kill the process: treat it as "no".
          try {
            const document = this.documents[label];
            return document !== undefined && filter(document);
          } catch {
            return false;
          }
        }
      : undefined;
    const { neighbors, distances } = this.index.searchKnn(query, count, accept);
    return Promise.resolve(
      neighbors.flatMap((label, i) => {
        const document = this.documents[label];
        // Inner-product space reports 1 − dot product as the distance.
        return document ? [[document, 1 - (distances[i] ?? 1)] as [Document<PassageMetadata>, number]] : [];
      }),
    );
  }

  /**
   * Cosine similarity of a query vector to the stored vector with this label (its insertion position),
   * for candidates found by other means than this store's search.
   */
  similarityTo(query: readonly number[], label: number): number {
    const stored = this.index.getPoint(label);
    let dot = 0;
    for (let i = 0; i < stored.length; i++) dot += (stored[i] ?? 0) * (query[i] ?? 0);
    return dot;
  }

  /** Writes the graph and the stored passages into `directory` (which must exist). */
  async save(directory: string): Promise<void> {
    this.index.writeIndexSync(path.join(directory, HNSW_FILE));
    const saved: SavedDocuments = { dimensions: this.dimensions, documents: this.documents };
    await writeFile(path.join(directory, HNSW_DOCS_FILE), JSON.stringify(saved));
  }

  /** Reads a store written by {@link save}; throws when a file is missing, corrupt or inconsistent. */
  static async load(
    directory: string,
    embeddings: EmbeddingsInterface,
    options: Pick<HnswVectorStoreFields, "efSearch"> = {},
  ): Promise<HnswVectorStore> {
    const saved = JSON.parse(
      await readFile(path.join(directory, HNSW_DOCS_FILE), "utf8"),
    ) as Partial<SavedDocuments>;
    const raw = saved.documents;
    if (raw === undefined || typeof saved.dimensions !== "number") {
      throw new Error(`${HNSW_DOCS_FILE} is not a saved passage list`);
    }
    const store = new HnswVectorStore(embeddings, { ...options, dimensions: saved.dimensions });
    const index = new HierarchicalNSW("ip", saved.dimensions);
    const graphDimensions = await savedGraphDimensions(path.join(directory, HNSW_FILE));
    if (graphDimensions !== saved.dimensions) {
      throw new Error(
        `${HNSW_FILE} has ${graphDimensions} dimensions, ${HNSW_DOCS_FILE} says ${saved.dimensions}`,
      );
    }
    index.readIndexSync(path.join(directory, HNSW_FILE));
    if (index.getCurrentCount() !== raw.length) {
      throw new Error(`${HNSW_FILE} holds ${index.getCurrentCount()} vectors for ${raw.length} passages`);
    }
    index.setEf(store.efSearch);
    store.index = index;
    for (const item of raw) {
      store.documents.push(
        new Document<PassageMetadata>({ pageContent: item.pageContent, metadata: item.metadata }),
      );
    }
    return store;
  }
}

/**
 * The vector size recorded in a saved hnswlib graph. hnswlib trusts the size it is constructed with and
 * reads a file of another size into garbage, so it is read from the header: eight-byte fields
 * offsetLevel0, maxElements, count, sizeDataPerElement, labelOffset, offsetData, … with each vector's
 * float32 data between offsetData and labelOffset.
 */
async function savedGraphDimensions(file: string): Promise<number> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(HNSW_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HNSW_HEADER_BYTES, 0);
    if (bytesRead < HNSW_HEADER_BYTES) throw new Error(`${HNSW_FILE} is truncated`);
    const labelOffset = Number(header.readBigUInt64LE(32));
    const offsetData = Number(header.readBigUInt64LE(40));
    return (labelOffset - offsetData) / Float32Array.BYTES_PER_ELEMENT;
  } finally {
    await handle.close();
  }
}
