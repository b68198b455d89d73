import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Embeddings } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { z } from "zod";
import type { EmbeddingsConfig } from "../config/index.js";
import type { Article } from "../corpus/index.js";
import {
  embeddingsForBuild,
  embeddingsForLoad,
  embeddingsIdentity,
  type EmbeddingsIdentity,
} from "./embeddings-provider.js";
import { IndexBuildError, IndexLoadError } from "./errors.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import { HnswVectorStore, type PassageMetadata } from "./hnsw-store.js";
import {
  corpusFingerprint,
  INDEX_FORMAT_VERSION,
  MANIFEST_FILE,
  parseManifest,
  type IndexManifest,
} from "./manifest.js";
import { groupPassages, passageText, type PassageRecord } from "./passages.js";
import {
  documentOfArticle,
  sentencesOfArticle,
  type DocumentRecord,
  type SentenceRecord,
} from "./records.js";

const STORE_FILE = "store.json";

/** The shape of store.json, checked on load so that a damaged file is reported, not trusted. */
const STORE_SCHEMA = z.object({
  documents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      source: z.string().optional(),
      published: z.string().optional(),
      language: z.string(),
      url: z.string().optional(),
      contentHash: z.string(),
      sentenceCount: z.number().int().nonnegative(),
    }),
  ),
  sentences: z.array(
    z.object({
      id: z.string(),
      doc: z.string(),
      index: z.number().int().nonnegative(),
      text: z.string(),
      kind: z.enum(["body", "meta"]),
      block: z.number().int().nonnegative(),
      heading: z.string().optional(),
    }),
  ),
  passages: z.array(
    z.object({ id: z.string(), doc: z.string(), sentences: z.array(z.number().int().nonnegative()) }),
  ),
});
const IDF_FILE = "hashing-idf.f32";
/** Passages embedded per step, so that progress can be shown and a server gets reasonable batches. */
const EMBED_BATCH = 256;

/** Reports build progress: passages embedded so far, of the total. */
export type BuildProgress = (embedded: number, total: number) => void;

interface StoredRecords {
  readonly documents: readonly DocumentRecord[];
  readonly sentences: readonly SentenceRecord[];
  readonly passages: readonly PassageRecord[];
}

/**
 * The searchable index of a corpus: its documents, citable sentences and passages, and the vector store
 * over the passages. Built from articles, saved to a folder atomically, loaded back with its manifest
 * checked against the configuration.
 *
 * @example
 * const index = await SanadIndex.build(corpus.articles, config.embeddings);
 * await index.save("data/index");
 * const same = await SanadIndex.load("data/index", config.embeddings);
 */
export class SanadIndex {
  readonly manifest: IndexManifest;
  readonly documents: readonly DocumentRecord[];
  readonly sentences: readonly SentenceRecord[];
  readonly passages: readonly PassageRecord[];
  readonly vectorStore: HnswVectorStore;
  readonly embeddings: Embeddings;
  private readonly documentsById: ReadonlyMap<string, DocumentRecord>;

  private constructor(
    manifest: IndexManifest,
    records: StoredRecords,
    vectorStore: HnswVectorStore,
    embeddings: Embeddings,
  ) {
    this.manifest = manifest;
    this.documents = records.documents;
    this.sentences = records.sentences;
    this.passages = records.passages;
    this.vectorStore = vectorStore;
    this.embeddings = embeddings;
    this.documentsById = new Map(records.documents.map((document) => [document.id, document]));
  }

  /** The document a record belongs to; throws for an id the index does not hold (a programming error). */
  document(id: string): DocumentRecord {
    const document = this.documentsById.get(id);
    if (!document) throw new RangeError(`no document ${id} in the index`);
    return document;
  }

  /** The text a passage is matched by (title, heading, sentences). */
  passageText(passage: PassageRecord): string {
    return passageText(
      this.document(passage.doc).title,
      passage.sentences.flatMap((position) => this.sentences[position] ?? []),
    );
  }

  /** Builds the index of the given articles in memory. */
  static async build(
    articles: readonly Article[],
    config: EmbeddingsConfig,
    onProgress?: BuildProgress,
  ): Promise<SanadIndex> {
    const documents: DocumentRecord[] = [];
    const sentences: SentenceRecord[] = [];
    for (const article of articles) {
      const own = sentencesOfArticle(article);
      documents.push(documentOfArticle(article, own.length));
      sentences.push(...own);
    }
    const passages = groupPassages(sentences);
    const titles = new Map(documents.map((document) => [document.id, document.title]));
    const texts = passages.map((passage) =>
      passageText(
        titles.get(passage.doc) ?? "",
        passage.sentences.flatMap((position) => sentences[position] ?? []),
      ),
    );

    const embeddings = embeddingsForBuild(config, texts);
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      try {
        vectors.push(...(await embeddings.embedDocuments(texts.slice(start, start + EMBED_BATCH))));
      } catch (error) {
        throw new IndexBuildError(`embedding passages failed: ${describe(error)}`, { cause: error });
      }
      onProgress?.(vectors.length, texts.length);
    }
    const dimensions = vectors[0]?.length ?? (config.provider === "hashing" ? config.dimensions : 1);
    const store = new HnswVectorStore(embeddings, { dimensions });
    await store.addVectors(
      vectors,
      passages.map(
        (passage, i) =>
          new Document<PassageMetadata>({ pageContent: texts[i] ?? "", metadata: { passageId: passage.id } }),
      ),
    );
    const manifest: IndexManifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embeddings: embeddingsIdentity(config, dimensions),
      corpusHash: corpusFingerprint(articles),
      builtAt: new Date().toISOString(),
      counts: { documents: documents.length, sentences: sentences.length, passages: passages.length },
    };
    return new SanadIndex(manifest, { documents, sentences, passages }, store, embeddings);
  }

  /**
   * Writes the index to `dir` atomically: everything goes to a temporary sibling folder that is then
   * renamed into place, so a reader sees the old index, the new one, or (for an instant) none — never
   * half of one.
   */
  async save(dir: string): Promise<void> {
    const target = path.resolve(dir);
    await mkdir(path.dirname(target), { recursive: true });
    const staging = await mkdtemp(`${target}.tmp-`);
    try {
      await this.vectorStore.save(staging);
      const records: StoredRecords = {
        documents: this.documents,
        sentences: this.sentences,
        passages: this.passages,
      };
      await writeFile(path.join(staging, STORE_FILE), JSON.stringify(records));
      if (this.embeddings instanceof HashingEmbeddings) {
        await writeFile(path.join(staging, IDF_FILE), Buffer.from(this.embeddings.idf.buffer));
      }
      // The manifest goes last: a folder with a manifest is a complete index.
      await writeFile(path.join(staging, MANIFEST_FILE), JSON.stringify(this.manifest, null, 2));
      await swapIntoPlace(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  /** Reads the manifest of the index in `dir`, or undefined when there is no index there. */
  static async readManifest(dir: string): Promise<IndexManifest | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(dir, MANIFEST_FILE), "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new IndexLoadError(dir, `cannot read ${MANIFEST_FILE} (${describe(error)})`, { cause: error });
    }
    try {
      return parseManifest(text);
    } catch (error) {
      throw new IndexLoadError(dir, `${MANIFEST_FILE} is corrupt`, { cause: error });
    }
  }

  /** Loads the index in `dir`, checking that it was built the way `config` says to query it. */
  static async load(dir: string, config: EmbeddingsConfig): Promise<SanadIndex> {
    const manifest = await SanadIndex.readManifest(dir);
    if (!manifest) throw new IndexLoadError(dir, "no index found");
    checkCompatible(dir, manifest, config);
    try {
      const records = STORE_SCHEMA.parse(JSON.parse(await readFile(path.join(dir, STORE_FILE), "utf8")));
      const { documents, sentences, passages } = manifest.counts;
      if (
        records.documents.length !== documents ||
        records.sentences.length !== sentences ||
        records.passages.length !== passages
      ) {
        throw new Error(`${STORE_FILE} does not match ${MANIFEST_FILE}`);
      }
      const idf =
        config.provider === "hashing" ? await readIdf(dir, manifest.embeddings.dimensions) : undefined;
      const embeddings = embeddingsForLoad(config, idf);
      const store = await HnswVectorStore.load(dir, embeddings);
      if (store.size !== records.passages.length) {
        throw new Error(
          `vector store holds ${store.size} passages, ${STORE_FILE} ${records.passages.length}`,
        );
      }
      return new SanadIndex(manifest, records, store, embeddings);
    } catch (error) {
      if (error instanceof IndexLoadError) throw error;
      throw new IndexLoadError(dir, `missing or corrupt file (${describe(error)})`, { cause: error });
    }
  }
}

function checkCompatible(dir: string, manifest: IndexManifest, config: EmbeddingsConfig): void {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexLoadError(
      dir,
      `index format ${manifest.formatVersion}, this version of Sanad reads format ${INDEX_FORMAT_VERSION}`,
    );
  }
  const built = manifest.embeddings;
  const wanted: Partial<EmbeddingsIdentity> =
    config.provider === "hashing"
      ? embeddingsIdentity(config, config.dimensions)
      : { provider: "openai", model: config.model };
  const matches =
    built.provider === wanted.provider &&
    built.model === wanted.model &&
    (wanted.dimensions === undefined || built.dimensions === wanted.dimensions);
  if (!matches) {
    const said = config.provider === "hashing" ? `hashing/${config.dimensions}` : `openai/${config.model}`;
    throw new IndexLoadError(
      dir,
      `built with ${built.provider}/${built.provider === "hashing" ? built.dimensions : built.model}, ` +
        `the configuration says ${said}`,
    );
  }
}

async function readIdf(dir: string, dimensions: number): Promise<Float32Array> {
  const bytes = await readFile(path.join(dir, IDF_FILE));
  if (bytes.byteLength !== dimensions * Float32Array.BYTES_PER_ELEMENT) {
    throw new Error(`${IDF_FILE} has ${bytes.byteLength} bytes for ${dimensions} dimensions`);
  }
  // Copy into an aligned buffer: a Buffer's offset into Node's pool need not be a multiple of 4.
  return new Float32Array(new Uint8Array(bytes).buffer);
}

/** Attempts at swapping a new index into place while other writers are doing the same. */
const SWAP_ATTEMPTS = 8;

/**
 * Moves the staged folder to `target`, moving any index already there aside first and deleting it after.
 * Another process saving at the same moment can put its own index at `target` between the two renames;
 * then the swap is tried again (the last writer wins, and both indexes are complete).
 */
async function swapIntoPlace(staging: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const retired = `${target}.old-${randomBytes(4).toString("hex")}`;
    const hadPrevious = await rename(target, retired).then(
      () => true,
      (error: unknown) => {
        if (isMissing(error)) return false;
        throw error;
      },
    );
    try {
      await rename(staging, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      const raced = code === "ENOTEMPTY" || code === "EEXIST";
      if (hadPrevious) {
        // Another writer's index now stands at target: ours is dropped, theirs kept. Otherwise the old
        // index goes back, so that a failed save never leaves no index at all.
        if (raced) await rm(retired, { recursive: true, force: true });
        else await rename(retired, target).catch(() => undefined);
      }
      if (attempt >= SWAP_ATTEMPTS || !raced) throw error;
      continue;
    }
    if (hadPrevious) await rm(retired, { recursive: true, force: true });
    return;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
