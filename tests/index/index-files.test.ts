/**
 * The on-disk format of an index: what a folder holds, that it reads back as written, that each damaged
 * file is reported by name, and that a folder is swapped into place whole or not at all.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadCorpus } from "../../src/corpus/index.js";
import {
  HashingEmbeddings,
  IndexLoadError,
  MANIFEST_FILE,
  REINDEX_HINT,
  SanadIndex,
} from "../../src/index/index.js";
import { EXACT_SEARCH_MAX_BYTES, EXACT_VECTORS_FILE, HNSW_DOCS_FILE } from "../../src/index/hnsw-store.js";
import {
  FREQUENCY_FILE,
  readFrequencies,
  readIndexFolder,
  readManifest,
  DOCUMENTS_FILE,
  RECORDS_FILE,
  swapIntoPlace,
  TERMS_FILE,
  VOCABULARY_FILE,
  writeFrequencies,
  writeIndexFolder,
  type IndexFiles,
} from "../../src/index/index-files.js";
import type { EmbeddingsProvider } from "../../src/index/embeddings-provider.js";
import { INDEX_FORMAT_VERSION, type IndexManifest } from "../../src/index/manifest.js";
import {
  appendBytes,
  copyFolder,
  cutFile,
  editJson,
  overwriteBytes,
  resealManifest,
} from "./folder-edits.js";
import { checksumRefusal, expectChecksumsOf, withoutFiles, writtenBytes } from "./manifest-files.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The part of an embeddings provider that reads and writes files. */
type ProviderFiles = Pick<
  EmbeddingsProvider,
  "checkCompatible" | "saveFiles" | "loadEmbeddings" | "exactSearchMaxBytes"
>;
/** The file the stand-in provider below adds to a folder, as the hashing provider adds its counts. */
const EXTRA_FILE = "provider-extra.txt";

let tmp: string;
let files: IndexFiles;
/** A folder written by {@link writeIndexFolder} from {@link files}; tests that damage it work on copies. */
let savedDir: string;

/**
 * A provider that saves one file of its own and loads embeddings without reading anything else, so that
 * the format is tested apart from either real provider. It records what it was asked.
 */
function standInProvider(): ProviderFiles & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    exactSearchMaxBytes: EXACT_SEARCH_MAX_BYTES,
    checkCompatible: (dir, manifest) => {
      calls.push(`check ${manifest.embeddings.provider}/${manifest.embeddings.dimensions}`);
      if (manifest.embeddings.dimensions !== 256) throw new IndexLoadError(dir, "built with other settings");
    },
    saveFiles: async (dir) => {
      calls.push("save");
      await writeFile(path.join(dir, EXTRA_FILE), "extra");
    },
    loadEmbeddings: async (dir, manifest, passages) => {
      calls.push(`load ${passages}`);
      expect(await readFile(path.join(dir, EXTRA_FILE), "utf8")).toBe("extra");
      return new HashingEmbeddings({ dimensions: manifest.embeddings.dimensions });
    },
  };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-files-"));
  const { articles } = await loadCorpus(path.join(REPO_ROOT, "corpus"));
  const index = await SanadIndex.build(articles, { provider: "hashing", dimensions: 256 });
  const { manifest, documents, sentences, passages, vectorStore, embeddings } = index;
  const terms = passages.map((_, position) => index.passageTerms(position));
  files = { manifest, records: { documents, sentences, passages }, terms, vectorStore, embeddings };
  savedDir = path.join(tmp, "saved", "index");
  await writeIndexFolder(savedDir, files, standInProvider());
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function copyOfSaved(): Promise<string> {
  return copyFolder(savedDir, tmp);
}

/** The IndexLoadError that reading `dir` rejects with. */
async function readError(dir: string, provider: ProviderFiles = standInProvider()): Promise<IndexLoadError> {
  const error: unknown = await readIndexFolder(dir, provider).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(IndexLoadError);
  expect((error as IndexLoadError).dir).toBe(dir);
  return error as IndexLoadError;
}

/** Changes the uint32 columns of records.bin in `dir` in place (see src/index/record-files.ts). */
async function editRecords(
  dir: string,
  edit: (column: Uint32Array, counts: { sentences: number; passages: number; headings: number }) => void,
): Promise<void> {
  const file = path.join(dir, RECORDS_FILE);
  const bytes = new Uint8Array(await readFile(file));
  const column = new Uint32Array(bytes.buffer, 0, Math.floor(bytes.length / 4));
  edit(column, { sentences: column[1] ?? 0, passages: column[2] ?? 0, headings: column[4] ?? 0 });
  await writeFile(file, bytes);
}

/** Rewrites the JSON list in `file` with what `edit` makes of it. */
async function editJsonList(file: string, edit: (list: Record<string, unknown>[]) => unknown): Promise<void> {
  await writeFile(
    file,
    JSON.stringify(edit(JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>[])),
  );
}

describe("writeIndexFolder and readIndexFolder", () => {
  it("write the format's files, the provider's own, and nothing else", async () => {
    expect((await readdir(savedDir)).sort()).toEqual(
      [
        EXTRA_FILE,
        HNSW_DOCS_FILE,
        MANIFEST_FILE,
        DOCUMENTS_FILE,
        RECORDS_FILE,
        TERMS_FILE,
        VOCABULARY_FILE,
        EXACT_VECTORS_FILE,
      ].sort(),
    );
    expect(await readdir(path.dirname(savedDir))).toEqual(["index"]);
  });

  it("round-trip: the same manifest, records, words and vectors", async () => {
    const provider = standInProvider();
    const read = await readIndexFolder(savedDir, provider);
    expect(provider.calls).toEqual(["check hashing/256", `load ${files.records.passages.length}`]);
    expect(withoutFiles(read.manifest)).toEqual(files.manifest);
    await expectChecksumsOf(savedDir, read.manifest);
    expect(read.records).toEqual(files.records);
    expect(read.terms).toEqual(files.terms);
    expect(read.vectorStore.size).toBe(files.vectorStore.size);
    for (const passage of files.records.passages) {
      expect(read.vectorStore.passageIdOf(passage.label)).toBe(passage.id);
      expect(read.vectorStore.vectorOf(passage.label)).toEqual(files.vectorStore.vectorOf(passage.label));
    }
  });

  it("keep each word once in the vocabulary, and each passage's words as [count, ids…] of 32 bits", async () => {
    const vocabulary = JSON.parse(await readFile(path.join(savedDir, VOCABULARY_FILE), "utf8")) as string[];
    expect(vocabulary).toEqual([...new Set(files.terms.flat())]);
    const bytes = await readFile(path.join(savedDir, TERMS_FILE));
    const ids = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readUInt32LE(i * 4));
    expect(ids).toEqual(
      files.terms.flatMap((list) => [list.length, ...list.map((w) => vocabulary.indexOf(w))]),
    );
  });

  it("write the manifest as indented JSON, the file checksums last, and the documents as documents.json", async () => {
    const manifestText = await readFile(path.join(savedDir, MANIFEST_FILE), "utf8");
    const written = JSON.parse(manifestText) as IndexManifest;
    expect(manifestText).toBe(JSON.stringify({ ...files.manifest, files: written.files }, null, 2));
    await expectChecksumsOf(savedDir, written);
    const documents = JSON.parse(await readFile(path.join(savedDir, DOCUMENTS_FILE), "utf8")) as unknown;
    expect(documents).toEqual(files.records.documents);
  });

  it("leave the previous index in place, and no temporary folder, when a write fails", async () => {
    const dir = await copyOfSaved();
    const failing: ProviderFiles = {
      ...standInProvider(),
      saveFiles: () => Promise.reject(new Error("disk full")),
    };
    await expect(writeIndexFolder(dir, files, failing)).rejects.toThrow("disk full");
    expect(await readdir(path.dirname(dir))).toEqual(["index"]);
    const kept = (await readIndexFolder(dir, standInProvider())).manifest;
    expect(withoutFiles(kept)).toEqual(files.manifest);
    await expectChecksumsOf(dir, kept);
  });
});

describe("readManifest", () => {
  it("reads the manifest, or undefined where there is no index", async () => {
    const manifest = await readManifest(savedDir);
    expect(withoutFiles(manifest)).toEqual(files.manifest);
    await expectChecksumsOf(savedDir, manifest);
    expect(await readManifest(path.join(tmp, "nothing-here"))).toBeUndefined();
  });

  it("reports a corrupt manifest.json by name", async () => {
    const dir = await copyOfSaved();
    await writeFile(path.join(dir, MANIFEST_FILE), "{ not json");
    const error = await readManifest(dir).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(IndexLoadError);
    expect((error as IndexLoadError).problem).toBe("manifest.json is corrupt");
  });
});

describe("readIndexFolder refuses", () => {
  it("a folder without an index", async () => {
    const dir = path.join(tmp, "empty");
    await mkdir(dir);
    expect((await readError(dir)).problem).toBe("no index found");
  });

  it("an index of another format version, before asking the provider", async () => {
    const dir = await copyOfSaved();
    await editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, formatVersion: 1 }));
    const provider = standInProvider();
    expect((await readError(dir, provider)).problem).toBe(
      `index format 1, this version of Sanad reads format ${INDEX_FORMAT_VERSION}`,
    );
    expect(provider.calls).toEqual([]);
  });

  it("an index the provider finds incompatible, with the provider's own error", async () => {
    const dir = await copyOfSaved();
    await editJson(path.join(dir, MANIFEST_FILE), (value) => {
      const manifest = value as unknown as IndexManifest;
      return { ...manifest, embeddings: { ...manifest.embeddings, dimensions: 512 } };
    });
    expect((await readError(dir)).problem).toBe("built with other settings");
  });

  it("an index whose manifest lists no file checksums (written by hand, or by an older Sanad), naming manifest.json", async () => {
    const dir = await copyOfSaved();
    await editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, files: undefined }));
    expect((await readManifest(dir))?.files).toBeUndefined();
    const provider = standInProvider();
    const error = await readError(dir, provider);
    expect(error.problem).toBe("manifest.json lists no file checksums");
    expect(error.message).toContain(REINDEX_HINT);
    expect(provider.calls).toEqual(["check hashing/256"]);
  });

  it("a vector graph with two bytes overwritten at offset 96 (same size), by checksum, before hnswlib reads it", async () => {
    const dir = await copyOfSaved();
    const file = path.join(dir, EXACT_VECTORS_FILE);
    const size = (await stat(file)).size;
    await overwriteBytes(file, 96, 2);
    expect((await stat(file)).size).toBe(size);
    const provider = standInProvider();
    const error = await readError(dir, provider);
    expect(error.problem).toBe(
      `${EXACT_VECTORS_FILE} does not hold the bytes that were written (checksum mismatch)`,
    );
    expect(error.message).toContain("checksum");
    expect(error.message).toContain("npm run reindex");
    // Refused before the provider loads anything (and before any file but the manifest is parsed).
    expect(provider.calls).toEqual(["check hashing/256"]);
  });

  it("a documents.json with one byte more than was written, giving both sizes", async () => {
    const dir = await copyOfSaved();
    const written = writtenBytes(await readManifest(dir), DOCUMENTS_FILE);
    await appendBytes(path.join(dir, DOCUMENTS_FILE), 1);
    // Still valid JSON (a trailing space): only the size tells it from what was written.
    JSON.parse(await readFile(path.join(dir, DOCUMENTS_FILE), "utf8"));
    const error = await readError(dir);
    expect(error.problem).toBe(`documents.json has ${written + 1} bytes, ${written} were written`);
    expect(error.message).toContain(REINDEX_HINT);
  });

  it("a provider's own file of the same size with other bytes, before the provider reads it", async () => {
    const dir = await copyOfSaved();
    await writeFile(path.join(dir, EXTRA_FILE), "EXTRA");
    const provider = standInProvider();
    expect((await readError(dir, provider)).problem).toBe(
      `${EXTRA_FILE} does not hold the bytes that were written (checksum mismatch)`,
    );
    expect(provider.calls).toEqual(["check hashing/256"]);
  });

  /**
   * Damage to one file, the file damaged, and what the check of that file's content says of it. The
   * checksums find each first; with the manifest resealed (rewritten to what the files hold now, as a
   * manifest edited by hand or a folder mixed from two builds has it) the content checks still must.
   */
  const DAMAGES: readonly [string, string, (dir: string) => Promise<unknown>, string][] = [
    [
      "records.bin deleted",
      RECORDS_FILE,
      (dir) => unlink(path.join(dir, RECORDS_FILE)),
      "records.bin: ENOENT",
    ],
    [
      "documents.json not JSON",
      DOCUMENTS_FILE,
      (dir) => writeFile(path.join(dir, DOCUMENTS_FILE), "[1, 2"),
      "documents.json: ",
    ],
    [
      "records.bin cut short",
      RECORDS_FILE,
      (dir) => cutFile(path.join(dir, RECORDS_FILE), (size) => size - 2),
      "records.bin: ",
    ],
    [
      "records.bin with a sentence of no kind",
      RECORDS_FILE,
      (dir) =>
        editRecords(dir, (column, { sentences }) => {
          column[8 + 3 * sentences + 2] = 7;
        }),
      "records.bin: sentence 2 is malformed",
    ],
    [
      "records.bin with a passage pointing past the sentences",
      RECORDS_FILE,
      (dir) =>
        editRecords(dir, (column, { sentences, passages, headings }) => {
          const firstCount = column[8 + 4 * sentences + headings + passages] ?? 0;
          column[8 + 4 * sentences + headings + 2 * passages + firstCount] = 1_000_000;
        }),
      "records.bin: passage 1 is malformed",
    ],
    [
      "documents.json with no document",
      DOCUMENTS_FILE,
      (dir) => writeFile(path.join(dir, DOCUMENTS_FILE), "[]"),
      "records.bin: its documents have 0 sentences, not 32",
    ],
    [
      "documents.json with a document's sentence count that leaves sentences over",
      DOCUMENTS_FILE,
      (dir) =>
        editJsonList(path.join(dir, DOCUMENTS_FILE), (documents) =>
          documents.map((document) => ({ ...document, sentenceCount: 30 })),
        ),
      "records.bin: its documents have 30 sentences, not 32",
    ],
    [
      "passage-terms.u32 deleted",
      TERMS_FILE,
      (dir) => unlink(path.join(dir, TERMS_FILE)),
      "passage-terms.u32: ENOENT",
    ],
    [
      "passage-terms.u32 cut inside a number",
      TERMS_FILE,
      (dir) => cutFile(path.join(dir, TERMS_FILE), (size) => size - 1),
      "passage-terms.u32: passage-terms.u32 is truncated",
    ],
    [
      "passage-terms.u32 cut to its first half",
      TERMS_FILE,
      (dir) => cutFile(path.join(dir, TERMS_FILE), (size) => Math.floor(size / 8) * 4),
      "passage-terms.u32: passage-terms.u32 holds the words of",
    ],
    [
      "vocabulary.json missing words passage-terms.u32 names",
      VOCABULARY_FILE,
      (dir) => writeFile(path.join(dir, VOCABULARY_FILE), JSON.stringify(["one"])),
      "passage-terms.u32: passage-terms.u32 names a word vocabulary.json does not have",
    ],
    [
      "vocabulary.json not a list of words",
      VOCABULARY_FILE,
      (dir) => writeFile(path.join(dir, VOCABULARY_FILE), JSON.stringify({ words: 1 })),
      "passage-terms.u32: ",
    ],
    [
      "vectors.json deleted",
      HNSW_DOCS_FILE,
      (dir) => unlink(path.join(dir, HNSW_DOCS_FILE)),
      "the vector files (vectors.json, vectors.f32 or vectors-*.hnsw): ENOENT",
    ],
    [
      "a vector graph deleted",
      EXACT_VECTORS_FILE,
      (dir) => unlink(path.join(dir, EXACT_VECTORS_FILE)),
      "the vector files (vectors.json, vectors.f32 or vectors-*.hnsw): ENOENT",
    ],
    [
      "vectors.json listing another passage under a label",
      HNSW_DOCS_FILE,
      (dir) =>
        editJson(path.join(dir, HNSW_DOCS_FILE), (saved) => {
          const passages = [...(saved.passages as [number, string, number][])];
          const [label, , shard] = passages[0] ?? [0, "", 0];
          passages[0] = [label, "someone-else@0", shard];
          return { ...saved, passages };
        }),
      "passage tass-2025-10-09-putin-dushanbe@0 has no vector under label 0",
    ],
  ];

  it.each(DAMAGES)("%s, by its checksum, naming %s", async (_name, file, damage) => {
    const dir = await copyOfSaved();
    const written = writtenBytes(await readManifest(dir), file);
    await damage(dir);
    const provider = standInProvider();
    const error = await readError(dir, provider);
    expect(error.problem).toBe(await checksumRefusal(dir, file, written));
    expect(error.message).toContain(REINDEX_HINT);
    expect(provider.calls).toEqual(["check hashing/256"]);
  });

  it.each(DAMAGES)(
    "%s, with the manifest resealed, naming the file",
    async (_name, _file, damage, message) => {
      const dir = await copyOfSaved();
      await damage(dir);
      await resealManifest(dir);
      const error = await readError(dir);
      expect(error.problem).toContain(`missing or corrupt file (${message}`);
    },
  );
});

describe("the document-frequency file", () => {
  it("round-trips the counts", async () => {
    const dir = await mkdtemp(path.join(tmp, "df-"));
    const counts = Uint32Array.from([0, 1, 2, 4_000_000_000, 7, 0, 3, 9]);
    await writeFrequencies(dir, counts);
    expect((await readFile(path.join(dir, FREQUENCY_FILE))).length).toBe(32);
    expect(await readFrequencies(dir, 8)).toEqual(counts);
  });

  it.each<[string, (dir: string) => Promise<unknown>, number, string]>([
    ["deleted", (dir) => unlink(path.join(dir, FREQUENCY_FILE)), 8, "hashing-df.u32: ENOENT"],
    [
      "cut inside a count",
      (dir) => cutFile(path.join(dir, FREQUENCY_FILE), (size) => size - 2),
      8,
      "hashing-df.u32: hashing-df.u32 is truncated",
    ],
    [
      "of other dimensions",
      () => Promise.resolve(),
      16,
      "hashing-df.u32: hashing-df.u32 has 8 counts for 16",
    ],
  ])("is reported by name when %s", async (_name, damage, dimensions, message) => {
    const dir = await mkdtemp(path.join(tmp, "df-"));
    await writeFrequencies(dir, new Uint32Array(8));
    await damage(dir);
    await expect(readFrequencies(dir, dimensions)).rejects.toThrow(message);
  });
});

describe("swapIntoPlace", () => {
  async function folderWith(file: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmp, "staged-"));
    await writeFile(path.join(dir, file), file);
    return dir;
  }

  it("moves the staged folder into place where there was none", async () => {
    const target = path.join(await mkdtemp(path.join(tmp, "swap-")), "index");
    await swapIntoPlace(await folderWith("a"), target);
    expect(await readdir(target)).toEqual(["a"]);
  });

  it("replaces the folder there, leaving nothing of it beside the new one", async () => {
    const parent = await mkdtemp(path.join(tmp, "swap-"));
    const target = path.join(parent, "index");
    await swapIntoPlace(await folderWith("old"), target);
    await swapIntoPlace(await folderWith("new"), target);
    expect(await readdir(target)).toEqual(["new"]);
    expect(await readdir(parent)).toEqual(["index"]);
  });

  it("puts the old folder back when the new one cannot be moved", async () => {
    const parent = await mkdtemp(path.join(tmp, "swap-"));
    const target = path.join(parent, "index");
    await swapIntoPlace(await folderWith("old"), target);
    await expect(swapIntoPlace(path.join(tmp, "no-such-staging"), target)).rejects.toThrow(/ENOENT/);
    expect(await readdir(target)).toEqual(["old"]);
    expect(await readdir(parent)).toEqual(["index"]);
  });
});
