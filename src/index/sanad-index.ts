import type { Embeddings } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsConfig } from "../config/index.js";
import type { Article, ArticleMeta, KnownArticles } from "../corpus/index.js";
import { analyzeForIndex } from "../text/index.js";
import {
  embeddingsProviderFor,
  rowsOf,
  type BuildProgress,
  type EmbeddingsProvider,
  type PassageVectors,
} from "./embeddings-provider.js";
import {
  BUILD_BATCH,
  HnswVectorStore,
  innerProduct,
  type ParallelBuildOptions,
  type PassageMetadata,
} from "./hnsw-store.js";
import type { SparseQuery } from "./exact-vectors.js";
import { readIndexFolder, readManifest, writeIndexFolder, type IndexFiles } from "./index-files.js";
import { corpusFingerprint, INDEX_FORMAT_VERSION, type IndexManifest } from "./manifest.js";
import { estimateServingBytes, IndexMemoryError } from "./memory.js";
import { groupPassages, passageText, type PassageRecord } from "./passages.js";
import {
  documentOfArticle,
  sentencesOfArticle,
  type DocumentRecord,
  type SentenceRecord,
} from "./records.js";

/** No passage removed. */
const NO_PASSAGES = { texts: [], terms: [] } as const;

/** Options of {@link SanadIndex.build} and {@link SanadIndex.update}. */
export interface BuildOptions {
  readonly onProgress?: BuildProgress;
  /** How the vector graphs are split and built in parallel (defaults suit the machine). */
  readonly parallel?: ParallelBuildOptions;
  /**
   * Memory the index may take when serving, in bytes: a corpus whose index would need more fails now,
   * before anything is embedded, rather than when the bot loads it.
   */
  readonly memoryLimitBytes?: number;
}

/** What an incremental reindex did. */
export interface UpdateSummary {
  readonly kept: number;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Whether the vector graphs were rebuilt without their deleted vectors. */
  readonly compacted: boolean;
}

/** One article's records before they are placed in an index: sentence positions are its own. */
interface ArticleRecords {
  readonly document: DocumentRecord;
  readonly sentences: readonly SentenceRecord[];
  /** Passages with sentence positions counted from the article's first sentence. */
  readonly passages: readonly { readonly id: string; readonly sentences: readonly number[] }[];
  /** The analyzed words of each passage. */
  readonly terms: readonly (readonly string[])[];
  /** Vector labels of its passages, when they are already in the store. */
  readonly labels?: readonly number[];
}

/** Where a document's sentences start in the index's list. */
interface DocumentPlace {
  readonly document: DocumentRecord;
  readonly firstSentence: number;
}

/**
 * The searchable index of a corpus: its documents, citable sentences and passages, the analyzed words
 * of each passage, and the vector store over the passages. Built from articles (or updated from a
 * previous index, re-analyzing and re-embedding only the articles that changed), saved to a folder
 * atomically, loaded back with its manifest checked against the configuration.
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
  /** Each document, with the position of its first sentence: its sentences follow in order. */
  private readonly placeOf: ReadonlyMap<string, DocumentPlace>;
  private readonly terms: readonly (readonly string[])[];
  /** What saves the files of {@link embeddings} beside the index. */
  private readonly provider: EmbeddingsProvider;

  private constructor(files: IndexFiles, provider: EmbeddingsProvider) {
    const { manifest, records, terms, vectorStore, embeddings } = files;
    this.manifest = manifest;
    this.documents = records.documents;
    this.sentences = records.sentences;
    this.passages = records.passages;
    this.terms = terms;
    this.vectorStore = vectorStore;
    this.embeddings = embeddings;
    this.provider = provider;
    let firstSentence = 0;
    this.placeOf = new Map(
      records.documents.map((document) => {
        const place = { document, firstSentence };
        firstSentence += document.sentenceCount;
        return [document.id, place];
      }),
    );
    const positions = new Map(records.passages.map((passage, position) => [passage.id, position]));
    vectorStore.describePassagesWith((passageId) => {
      const passage = this.passages[positions.get(passageId) ?? -1];
      return passage ? this.passageText(passage) : "";
    });
  }

  /** The document a record belongs to; throws for an id the index does not hold (a programming error). */
  document(id: string): DocumentRecord {
    return this.place(id).document;
  }

  /**
   * The articles of this index by content hash, with the metadata a file of those bytes parses to
   * ({@link documentOfArticle} keeps all of it): a corpus loaded with them parses only the files that
   * changed.
   */
  knownArticles(): KnownArticles {
    const known = new Map<string, ArticleMeta[]>();
    for (const { id, title, source, published, language, url, contentHash } of this.documents) {
      const meta: ArticleMeta = {
        id,
        title,
        language,
        ...(source ? { source } : {}),
        ...(published ? { published } : {}),
        ...(url ? { url } : {}),
      };
      known.set(contentHash, [...(known.get(contentHash) ?? []), meta]);
    }
    return known;
  }

  /** Whether the index holds a document with this id. */
  hasDocument(id: string): boolean {
    return this.placeOf.has(id);
  }

  /**
   * The sentences of a document in reading order (body, then metadata lines); throws for an id the
   * index does not hold, as {@link document} does.
   */
  sentencesOf(id: string): readonly SentenceRecord[] {
    const { document, firstSentence } = this.place(id);
    return this.sentences.slice(firstSentence, firstSentence + document.sentenceCount);
  }

  /** The analyzed words of the passage at this position (what the lexical index holds). */
  passageTerms(position: number): readonly string[] {
    return this.terms[position] ?? [];
  }

  /**
   * The similarity of a query vector to the passage at `position`, as the vector store gives it. A
   * passage whose vector the embeddings make again from its text (hashing: the stored one, bit for bit)
   * is not read out of a graph, which takes about 0.2 ms a vector of 2,048 through hnswlib-node.
   */
  similarityTo(query: readonly number[], position: number): number {
    const passage = this.passages[position];
    if (!passage) return 0;
    const remade = this.vectorStore.searchedExactly
      ? undefined
      : this.provider.passageVector(this.embeddings, this.passageText(passage), this.passageTerms(position));
    return remade ? innerProduct(remade, query) : this.vectorStore.similarityTo(query, passage.label);
  }

  /** The question by its non-zero terms, when the embeddings make it so (see EmbeddingsProvider.sparseQuery). */
  sparseQuery(question: string): SparseQuery | undefined {
    return this.provider.sparseQuery(this.embeddings, question);
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
    opts: BuildOptions = {},
  ): Promise<SanadIndex> {
    const provider = embeddingsProviderFor(config);
    const records = articles.map(recordsOfArticle);
    checkMemory(records, provider, opts.memoryLimitBytes);
    const passageIds = records.flatMap((article) => article.passages.map((passage) => passage.id));
    // Embedded a batch at a time and handed to the store as they come: a large index's graphs take them
    // as they are made, and neither the corpus's vectors nor its passages' texts are ever all in memory.
    const textBatches = passageTextBatches(records, BUILD_BATCH);
    let embedded = 0;
    const embedNext = async (known?: number): Promise<PassageVectors | undefined> => {
      const next = textBatches.next();
      if (next.done) return undefined;
      const start = embedded;
      embedded += next.value.texts.length;
      return provider.embedPassages(
        next.value.texts,
        next.value.terms,
        (done) => opts.onProgress?.(start + done, passageIds.length),
        known,
      );
    };
    const first = (await embedNext()) ?? (await provider.embedPassages([], []));
    const { dimensions } = first;
    let embeddings = provider.queryEmbeddings(first);
    async function* batches(): AsyncGenerator<Float32Array> {
      yield first.vectors;
      for (let batch = await embedNext(dimensions); batch; batch = await embedNext(dimensions)) {
        embeddings = provider.updatedQueryEmbeddings(embeddings, rowsOf(batch), NO_PASSAGES);
        yield batch.vectors;
      }
    }
    const store = await HnswVectorStore.fromBatches(
      { dimensions, exactSearchMaxBytes: provider.exactSearchMaxBytes },
      passageIds,
      batches(),
      () => embeddings,
      opts.parallel,
    );
    let label = 0;
    const labelled = records.map((article) => ({
      ...article,
      labels: article.passages.map(() => label++),
    }));
    return SanadIndex.assemble(labelled, provider, dimensions, articles, store, embeddings);
  }

  /**
   * The index of `articles`, made from `previous` by re-analyzing and re-embedding only the articles whose
   * content changed: unchanged ones keep their records and vectors, changed and removed ones have their
   * vectors marked deleted, and the graphs are rebuilt without them once deletions pass a fifth of the
   * vectors. Answers are the same as from a full build of the same articles. `previous` must not be
   * used afterwards: its vector store is updated in place.
   */
  static async update(
    previous: SanadIndex,
    articles: readonly Article[],
    config: EmbeddingsConfig,
    options: BuildOptions = {},
  ): Promise<{ index: SanadIndex; summary: UpdateSummary }> {
    const provider = embeddingsProviderFor(config);
    const oldById = new Map(previous.documents.map((document) => [document.id, document]));
    const oldPassages = new Map<string, number[]>();
    previous.passages.forEach((passage, position) => {
      const list = oldPassages.get(passage.doc) ?? [];
      list.push(position);
      oldPassages.set(passage.doc, list);
    });
    let kept = 0;
    let added = 0;
    let changed = 0;
    const fresh: ArticleRecords[] = [];
    const records = articles.map((article): ArticleRecords => {
      const old = oldById.get(article.meta.id);
      if (old && old.contentHash === article.contentHash) {
        kept++;
        return previous.recordsOf(old, oldPassages.get(old.id) ?? []);
      }
      if (old) changed++;
      else added++;
      const own = recordsOfArticle(article);
      fresh.push(own);
      return own;
    });
    checkMemory(records, provider, options.memoryLimitBytes, previous.vectorStore.dimensions);
    const keptIds = new Set(records.flatMap((article) => (article.labels ? [article.document.id] : [])));
    const removedLabels = previous.passages
      .filter((passage) => !keptIds.has(passage.doc))
      .map((p) => p.label);
    const currentIds = new Set(articles.map((article) => article.meta.id));
    const removed = previous.documents.filter((document) => !currentIds.has(document.id));

    const store = previous.vectorStore;
    const texts = fresh.flatMap(passageTextsOf);
    const terms = fresh.flatMap((article) => article.terms);
    const passageVectors = await provider.embedPassages(texts, terms, options.onProgress, store.dimensions);
    const newRows = rowsOf(passageVectors);
    // The passages whose vectors go, by their texts: their vectors may be in a graph left unread.
    const gone = previous.passages.flatMap((passage, position) =>
      keptIds.has(passage.doc) ? [] : [position],
    );
    const embeddings = provider.updatedQueryEmbeddings(previous.embeddings, newRows, {
      texts: gone.map((position) => previous.passageText(previous.passages[position] as PassageRecord)),
      terms: gone.map((position) => previous.passageTerms(position)),
    });
    store.deleteLabels(removedLabels);
    // Every new passage in one addition: a store searched exactly lays its vectors out again on each.
    const newLabels = store.addLabelled(
      newRows,
      fresh.flatMap((article) =>
        article.passages.map(
          (passage) =>
            new Document<PassageMetadata>({ pageContent: "", metadata: { passageId: passage.id } }),
        ),
      ),
    );
    let at = 0;
    const placed = records.map((article) => {
      if (article.labels) return article;
      const labels = newLabels.slice(at, at + article.passages.length);
      at += article.passages.length;
      return { ...article, labels };
    });
    const compacted = store.needsCompaction();
    if (compacted) await store.compact(options.parallel);
    const index = SanadIndex.assemble(
      placed,
      provider,
      passageVectors.dimensions,
      articles,
      store,
      embeddings,
    );
    return { index, summary: { kept, added, changed, removed: removed.length, compacted } };
  }

  /**
   * Writes the index to `dir` atomically: everything goes to a temporary sibling folder that is then
   * renamed into place, so a reader sees the old index, the new one, or (for an instant) none — never
   * half of one.
   */
  async save(dir: string): Promise<void> {
    const { manifest, documents, sentences, passages, terms, vectorStore, embeddings } = this;
    const records = { documents, sentences, passages };
    await writeIndexFolder(dir, { manifest, records, terms, vectorStore, embeddings }, this.provider);
  }

  /** Reads the manifest of the index in `dir`, or undefined when there is no index there. */
  static readManifest(dir: string): Promise<IndexManifest | undefined> {
    return readManifest(dir);
  }

  /** Loads the index in `dir`, checking that it was built the way `config` says to query it. */
  static async load(dir: string, config: EmbeddingsConfig): Promise<SanadIndex> {
    const provider = embeddingsProviderFor(config);
    return new SanadIndex(await readIndexFolder(dir, provider), provider);
  }

  /**
   * Loads the index in `dir` to be updated and saved: as {@link load}, but the vector graphs that an
   * update does not add to are neither read nor hashed (their size is checked); saving links them.
   * Call {@link loadDeferred} before searching it.
   */
  static async loadForUpdate(dir: string, config: EmbeddingsConfig): Promise<SanadIndex> {
    const provider = embeddingsProviderFor(config);
    return new SanadIndex(await readIndexFolder(dir, provider, { forUpdate: true }), provider);
  }

  /**
   * Reads what {@link loadForUpdate} left unread (each file checked against its checksum first), so that
   * the index can be searched. Throws IndexLoadError naming a damaged file.
   */
  async loadDeferred(): Promise<void> {
    await this.vectorStore.loadDeferredGraphs();
  }

  private place(id: string): DocumentPlace {
    const place = this.placeOf.get(id);
    if (!place) throw new RangeError(`no document ${id} in the index`);
    return place;
  }

  /** An article's records as this index holds them, with sentence positions made the article's own. */
  private recordsOf(document: DocumentRecord, positions: readonly number[]): ArticleRecords {
    const first = this.place(document.id).firstSentence;
    const sentences = this.sentencesOf(document.id);
    const passages = positions.map((position) => this.passages[position] as PassageRecord);
    return {
      document,
      sentences,
      passages: passages.map((passage) => ({
        id: passage.id,
        sentences: passage.sentences.map((sentence) => sentence - first),
      })),
      terms: positions.map((position) => this.passageTerms(position)),
      labels: passages.map((passage) => passage.label),
    };
  }

  /** Places the articles' records one after another and makes the index of them. */
  private static assemble(
    articles: readonly ArticleRecords[],
    provider: EmbeddingsProvider,
    dimensions: number,
    sources: readonly Article[],
    store: HnswVectorStore,
    embeddings: Embeddings,
  ): SanadIndex {
    const documents: DocumentRecord[] = [];
    const sentences: SentenceRecord[] = [];
    const passages: PassageRecord[] = [];
    const terms: (readonly string[])[] = [];
    for (const article of articles) {
      const offset = sentences.length;
      documents.push(article.document);
      sentences.push(...article.sentences);
      article.passages.forEach((passage, i) => {
        passages.push({
          id: passage.id,
          doc: article.document.id,
          sentences: passage.sentences.map((sentence) => sentence + offset),
          label: article.labels?.[i] ?? 0,
        });
        terms.push(article.terms[i] ?? []);
      });
    }
    const manifest: IndexManifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embeddings: provider.identity(dimensions),
      corpusHash: corpusFingerprint(sources),
      builtAt: new Date().toISOString(),
      counts: { documents: documents.length, sentences: sentences.length, passages: passages.length },
    };
    const records = { documents, sentences, passages };
    return new SanadIndex({ manifest, records, terms, vectorStore: store, embeddings }, provider);
  }
}

/** An article's sentences, passages and the analyzed words of each passage. */
function recordsOfArticle(article: Article): ArticleRecords {
  const sentences = sentencesOfArticle(article);
  const document = documentOfArticle(article, sentences.length);
  const passages = groupPassages(sentences).map((passage) => ({
    id: passage.id,
    sentences: passage.sentences,
  }));
  const terms = passageTextsOf({ document, sentences, passages }).map((text) => analyzeForIndex(text));
  return { document, sentences, passages, terms };
}

/** The texts an article's passages are embedded from (made again when needed: they are not kept). */
function passageTextsOf(article: Pick<ArticleRecords, "document" | "sentences" | "passages">): string[] {
  return article.passages.map((passage) =>
    passageText(
      article.document.title,
      passage.sentences.flatMap((p) => article.sentences[p] ?? []),
    ),
  );
}

/** The passages' texts and analyzed words, `size` at a time, in passage order. */
function* passageTextBatches(
  records: readonly ArticleRecords[],
  size: number,
): Generator<{ texts: string[]; terms: (readonly string[])[] }> {
  let texts: string[] = [];
  let terms: (readonly string[])[] = [];
  for (const article of records) {
    const own = passageTextsOf(article);
    for (let i = 0; i < own.length; i++) {
      texts.push(own[i] ?? "");
      terms.push(article.terms[i] ?? []);
      if (texts.length === size) {
        yield { texts, terms };
        texts = [];
        terms = [];
      }
    }
  }
  if (texts.length > 0) yield { texts, terms };
}

/** Fails with a clear message when the index of these articles would not fit the memory limit. */
function checkMemory(
  articles: readonly ArticleRecords[],
  provider: EmbeddingsProvider,
  limitBytes: number | undefined,
  knownDimensions?: number,
): void {
  if (limitBytes === undefined) return;
  let sentences = 0;
  let passages = 0;
  let textBytes = 0;
  for (const article of articles) {
    sentences += article.sentences.length;
    passages += article.passages.length;
    for (const sentence of article.sentences) textBytes += sentence.text.length;
  }
  const dimensions = provider.vectorSize(knownDimensions);
  const needed = estimateServingBytes(
    { sentences, passages, textCharacters: textBytes },
    dimensions,
    provider.exactSearchMaxBytes,
  );
  if (needed > limitBytes) {
    throw new IndexMemoryError(needed, limitBytes, { articles: articles.length, sentences, passages });
  }
}
