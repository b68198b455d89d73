import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Embeddings } from "@langchain/core/embeddings";
import { z } from "zod";
import type { EmbeddingsProvider } from "./embeddings-provider.js";
import { IndexLoadError, messageOf } from "./errors.js";
import { HnswVectorStore } from "./hnsw-store.js";
import { checksumFolder, findDamagedFile } from "./file-checksums.js";
import { formatProblem, MANIFEST_FILE, parseManifest, type IndexManifest } from "./manifest.js";
import type { PassageRecord } from "./passages.js";
import { decodeRecords, encodeRecords, RECORDS_FILE } from "./record-files.js";
import type { DocumentRecord, SentenceRecord } from "./records.js";

/** The documents of an index, as JSON; their sentences and passages are in {@link RECORDS_FILE}. */
export const DOCUMENTS_FILE = "documents.json";
export { RECORDS_FILE };
/** Analyzed words of every passage, for the lexical index: ids into {@link VOCABULARY_FILE}. */
export const TERMS_FILE = "passage-terms.u32";
/** The distinct analyzed words, in order of first use. */
export const VOCABULARY_FILE = "vocabulary.json";
/** Per-bucket passage counts of the hashing embeddings (their query weights). */
export const FREQUENCY_FILE = "hashing-df.u32";
/** What the vector store's files are called in a load error (they are named by the store itself). */
const VECTOR_FILES = "the vector files (vectors.json, vectors.f32 or vectors-*.hnsw)";

/** The records an index keeps in {@link DOCUMENTS_FILE} and {@link RECORDS_FILE}. */
export interface StoredRecords {
  readonly documents: readonly DocumentRecord[];
  readonly sentences: readonly SentenceRecord[];
  readonly passages: readonly PassageRecord[];
}

/** Everything a saved index holds: what is written to its folder and read back from it. */
export interface IndexFiles {
  readonly manifest: IndexManifest;
  readonly records: StoredRecords;
  /** The analyzed words of each passage, in passage order. */
  readonly terms: readonly (readonly string[])[];
  readonly vectorStore: HnswVectorStore;
  /** The query-side embeddings; its provider saves and loads what they need. */
  readonly embeddings: Embeddings;
}

/** The shape of documents.json, checked on load so that a damaged file is reported, not trusted. */
const DOCUMENTS_SCHEMA = z.array(
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
);

/** The records of an index, read from its folder; an error names the first that is not what it should be. */
async function readRecords(dir: string): Promise<StoredRecords> {
  const documents = await namingFile(DOCUMENTS_FILE, async () =>
    DOCUMENTS_SCHEMA.parse(JSON.parse(await readFile(path.join(dir, DOCUMENTS_FILE), "utf8"))),
  );
  const { sentences, passages } = await namingFile(RECORDS_FILE, async () =>
    decodeRecords(await readFile(path.join(dir, RECORDS_FILE)), documents),
  );
  return { documents, sentences, passages };
}

/** Reads the manifest of the index in `dir`, or undefined when there is no index there. */
export async function readManifest(dir: string): Promise<IndexManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new IndexLoadError(dir, `cannot read ${MANIFEST_FILE} (${messageOf(error)})`, { cause: error });
  }
  try {
    return parseManifest(text);
  } catch (error) {
    throw new IndexLoadError(dir, `${MANIFEST_FILE} is corrupt`, { cause: error });
  }
}

/**
 * Reads the index in `dir`: its manifest, checked for this format version and by `provider` against the
 * configuration, then every file, checked against each other. Throws {@link IndexLoadError} naming the
 * file that is missing or damaged.
 */
export async function readIndexFolder(
  dir: string,
  provider: Pick<EmbeddingsProvider, "checkCompatible" | "loadEmbeddings" | "exactSearchMaxBytes">,
  options: { readonly forUpdate?: boolean } = {},
): Promise<IndexFiles> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new IndexLoadError(dir, "no index found");
  const problem = formatProblem(manifest);
  if (problem) throw new IndexLoadError(dir, problem);
  provider.checkCompatible(dir, manifest);
  if (manifest.files === undefined) throw new IndexLoadError(dir, `${MANIFEST_FILE} lists no file checksums`);
  const checksums = manifest.files;
  // An update reads no graph but the one it adds to (checked before it is read): the others are only
  // checked for size here, and in full by the next load that serves them.
  const forUpdate = options.forUpdate === true;
  const damaged = await findDamagedFile(dir, checksums, (name) => forUpdate && isGraphFile(name));
  if (damaged) throw new IndexLoadError(dir, `${damaged.file} ${damaged.problem}`);
  const checkGraph = async (name: string): Promise<void> => {
    const expected = checksums[name];
    const graphDamage = expected && (await findDamagedFile(dir, { [name]: expected }));
    if (graphDamage) throw new IndexLoadError(dir, `${graphDamage.file} ${graphDamage.problem}`);
  };
  try {
    const records = await readRecords(dir);
    const { documents, sentences, passages } = manifest.counts;
    if (
      records.documents.length !== documents ||
      records.sentences.length !== sentences ||
      records.passages.length !== passages
    ) {
      throw new Error(`${DOCUMENTS_FILE} and ${RECORDS_FILE} do not match ${MANIFEST_FILE}`);
    }
    const terms = await namingFile(TERMS_FILE, () => readTerms(dir, records.passages.length, forUpdate));
    const embeddings = await provider.loadEmbeddings(dir, manifest, records.passages.length);
    const vectorStore = await namingFile(VECTOR_FILES, () =>
      HnswVectorStore.load(dir, embeddings, {
        checksums,
        exactSearchMaxBytes: provider.exactSearchMaxBytes,
        deferGraphs: forUpdate,
        checkGraph,
      }),
    );
    if (vectorStore.size !== records.passages.length) {
      throw new Error(
        `vector store holds ${vectorStore.size} passages, ${RECORDS_FILE} ${records.passages.length}`,
      );
    }
    const wrong = records.passages.find((passage) => vectorStore.passageIdOf(passage.label) !== passage.id);
    if (wrong) throw new Error(`passage ${wrong.id} has no vector under label ${wrong.label}`);
    return { manifest, records, terms, vectorStore, embeddings };
  } catch (error) {
    if (error instanceof IndexLoadError) throw error;
    throw new IndexLoadError(dir, `missing or corrupt file (${messageOf(error)})`, { cause: error });
  }
}

/**
 * Writes an index to `dir` atomically: everything goes to a temporary sibling folder that is then
 * renamed into place, so a reader sees the old index, the new one, or (for an instant) none — never
 * half of one. `provider` adds the files its embeddings need.
 */
export async function writeIndexFolder(
  dir: string,
  files: IndexFiles,
  provider: Pick<EmbeddingsProvider, "saveFiles">,
): Promise<void> {
  const target = path.resolve(dir);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = await mkdtemp(`${target}.tmp-`);
  try {
    const linked = await files.vectorStore.saveLinking(staging);
    const { documents, sentences, passages } = files.records;
    await writeFile(path.join(staging, DOCUMENTS_FILE), JSON.stringify(documents));
    await writeFile(path.join(staging, RECORDS_FILE), encodeRecords(documents, { sentences, passages }));
    const { vocabulary, ids } = encodeTerms(files.terms);
    await writeFile(path.join(staging, VOCABULARY_FILE), JSON.stringify(vocabulary));
    await writeUint32(path.join(staging, TERMS_FILE), ids);
    await provider.saveFiles(staging, files.embeddings);
    // The manifest goes last: a folder with a manifest is a complete index, whose files it vouches for.
    const checksums = await checksumFolder(staging, [MANIFEST_FILE], linked);
    const manifest = { ...files.manifest, files: checksums };
    await writeFile(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    await swapIntoPlace(staging, target);
    await files.vectorStore.savedIn(target, checksums);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Writes the hashing embeddings' per-bucket passage counts into the index folder `dir`. */
export function writeFrequencies(dir: string, frequencies: Uint32Array): Promise<void> {
  return writeUint32(path.join(dir, FREQUENCY_FILE), frequencies);
}

/** Reads the per-bucket passage counts saved in `dir`; the error names {@link FREQUENCY_FILE}. */
export function readFrequencies(dir: string, dimensions: number): Promise<Uint32Array> {
  return namingFile(FREQUENCY_FILE, async () => {
    const frequencies = await readUint32(path.join(dir, FREQUENCY_FILE));
    if (frequencies.length !== dimensions) {
      throw new Error(`${FREQUENCY_FILE} has ${frequencies.length} counts for ${dimensions} dimensions`);
    }
    return frequencies;
  });
}

/** Whether a file of an index is a vector graph (see {@link hnswShardFile}). */
function isGraphFile(name: string): boolean {
  return /^vectors-\d+\.hnsw$/.test(name);
}

/** Runs one step of loading an index, naming its file in the error when it fails. */
async function namingFile<T>(file: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(`${file}: ${messageOf(error)}`, { cause: error });
  }
}

/** Where a passage's words were read from by a load for an update: their ids, already encoded. */
interface EncodedWords {
  readonly vocabulary: readonly string[];
  readonly ids: Uint32Array;
}

/**
 * The encoded ids of the word lists a load for an update read, by list: a list kept by the update is
 * the same array, and saving copies its ids instead of looking each word up again (6 million look-ups
 * at 10,000 articles, a fifth of a save).
 */
const encodedWords = new WeakMap<readonly string[], EncodedWords>();

/** Vocabulary and term ids of each passage: [count, id, id, …] per passage. */
function encodeTerms(terms: readonly (readonly string[])[]): { vocabulary: string[]; ids: Uint32Array } {
  // The vocabulary of the load the kept passages come from, if any, is the start of this one.
  const seed = terms.find((list) => encodedWords.has(list));
  const seeded = seed && encodedWords.get(seed)?.vocabulary;
  const vocabulary: string[] = seeded ? [...seeded] : [];
  let idOf: Map<string, number> | undefined;
  let length = 0;
  for (const list of terms) length += list.length + 1;
  const ids = new Uint32Array(length);
  let at = 0;
  for (const list of terms) {
    ids[at++] = list.length;
    const encoded = encodedWords.get(list);
    if (encoded && encoded.vocabulary === seeded) {
      ids.set(encoded.ids, at);
      at += list.length;
      continue;
    }
    idOf ??= new Map(vocabulary.map((term, id) => [term, id]));
    for (const term of list) {
      let id = idOf.get(term);
      if (id === undefined) {
        id = vocabulary.length;
        vocabulary.push(term);
        idOf.set(term, id);
      }
      ids[at++] = id;
    }
  }
  return seeded ? withoutUnusedWords(vocabulary, ids) : { vocabulary, ids };
}

/**
 * Drops the words no passage uses any more (those of removed passages, in a vocabulary an update
 * started from), renumbering the ids in order.
 */
function withoutUnusedWords(
  vocabulary: readonly string[],
  ids: Uint32Array,
): { vocabulary: string[]; ids: Uint32Array } {
  const newId = new Int32Array(vocabulary.length).fill(-1);
  for (let at = 0; at < ids.length; at += (ids[at] ?? 0) + 1) {
    for (let i = at + 1; i <= at + (ids[at] ?? 0); i++) newId[ids[i] ?? 0] = 0;
  }
  const kept: string[] = [];
  newId.forEach((used, id) => {
    if (used === 0) {
      newId[id] = kept.length;
      kept.push(vocabulary[id] ?? "");
    }
  });
  if (kept.length === vocabulary.length) return { vocabulary: kept, ids };
  for (let at = 0; at < ids.length; at += (ids[at] ?? 0) + 1) {
    for (let i = at + 1; i <= at + (ids[at] ?? 0); i++) ids[i] = newId[ids[i] ?? 0] ?? 0;
  }
  return { vocabulary: kept, ids };
}

async function readTerms(dir: string, passages: number, forUpdate: boolean): Promise<string[][]> {
  const vocabulary = z
    .array(z.string())
    .parse(JSON.parse(await readFile(path.join(dir, VOCABULARY_FILE), "utf8")));
  const ids = await readUint32(path.join(dir, TERMS_FILE));
  const terms: string[][] = [];
  let at = 0;
  while (at < ids.length) {
    const count = ids[at++] ?? 0;
    if (at + count > ids.length) break;
    const list: string[] = new Array<string>(count);
    if (forUpdate) encodedWords.set(list, { vocabulary, ids: ids.subarray(at, at + count) });
    for (let i = 0; i < count; i++) {
      const term = vocabulary[ids[at++] ?? 0];
      if (term === undefined) throw new Error(`${TERMS_FILE} names a word ${VOCABULARY_FILE} does not have`);
      list[i] = term;
    }
    terms.push(list);
  }
  if (terms.length !== passages || at !== ids.length) {
    throw new Error(`${TERMS_FILE} holds the words of ${terms.length} passages, not ${passages}`);
  }
  return terms;
}

function writeUint32(file: string, values: Uint32Array): Promise<void> {
  return writeFile(file, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
}

async function readUint32(file: string): Promise<Uint32Array> {
  const bytes = await readFile(file);
  if (bytes.byteLength % Uint32Array.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`${path.basename(file)} is truncated`);
  }
  // Copy into an aligned buffer: a Buffer's offset into Node's pool need not be a multiple of 4.
  return new Uint32Array(new Uint8Array(bytes).buffer);
}

/** Attempts at swapping a new index into place while other writers are doing the same. */
const SWAP_ATTEMPTS = 8;

/**
 * Moves the staged folder to `target`, moving any index already there aside first and deleting it after.
 * Another process saving at the same moment can put its own index at `target` between the two renames;
 * then the swap is tried again (the last writer wins, and both indexes are complete).
 */
export async function swapIntoPlace(staging: string, target: string): Promise<void> {
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
