import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { EmbeddingsConfig } from "../../src/config/index.js";
import { loadCorpus, parseArticle, type Article } from "../../src/corpus/index.js";
import {
  corpusFingerprint,
  HashingEmbeddings,
  IndexLoadError,
  MANIFEST_FILE,
  REINDEX_HINT,
  SanadIndex,
  type SentenceRecord,
} from "../../src/index/index.js";
import { EXACT_VECTORS_FILE, HNSW_DOCS_FILE } from "../../src/index/hnsw-store.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { errorOf } from "../support/errors.js";
import { copyFolder, cutFile, editJson, overwriteBytes, resealManifest } from "./folder-edits.js";
import { checksumRefusal, expectChecksumsOf, withoutFiles, writtenBytes } from "./manifest-files.js";

/** Half of a file's bytes: what a damaged file keeps. */
const half = (size: number): number => Math.floor(size / 2);

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CORPUS_DIR = path.join(REPO_ROOT, "corpus");
const HASHING_256: EmbeddingsConfig = { provider: "hashing", dimensions: 256 };
const QUESTIONS = [
  "كم عدد الطلاب الطاجيكستانيين في المؤسسات الروسية؟",
  "متى عقد الاجتماع غير الرسمي بين بوتين ورحمون؟",
  "ما حجم التجارة المتبادلة في عام 2024؟",
];

let tmp: string;
let articles: readonly Article[];
let index: SanadIndex;
/** The folder the shared index was saved to; tests that damage an index work on copies. */
let savedDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-index-"));
  const corpus = await loadCorpus(CORPUS_DIR);
  expect(corpus.problems).toEqual([]);
  articles = corpus.articles;
  index = await SanadIndex.build(articles, HASHING_256);
  savedDir = path.join(tmp, "saved", "index");
  await index.save(savedDir);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A copy of the saved index in a folder of its own. */
function copyOfSaved(): Promise<string> {
  return copyFolder(savedDir, tmp);
}

/** Runs SanadIndex.load and returns the IndexLoadError it rejects with. */
async function loadError(dir: string, config: EmbeddingsConfig = HASHING_256): Promise<IndexLoadError> {
  const loadFailure = await errorOf(() => SanadIndex.load(dir, config), IndexLoadError);
  expect(loadFailure.message).toContain(REINDEX_HINT);
  expect(loadFailure.dir).toBe(dir);
  return loadFailure;
}

async function retrievalOf(target: SanadIndex): Promise<[string, number][][]> {
  const retriever = new HybridRetriever({ index: target, k: 5 });
  const results: [string, number][][] = [];
  for (const question of QUESTIONS) {
    results.push((await retriever.retrieve(question)).hits.map((hit) => [hit.passageId, hit.score]));
  }
  return results;
}

describe("SanadIndex.build", () => {
  it("records what it was built from and with", () => {
    expect(index.manifest).toMatchObject({
      formatVersion: 7,
      embeddings: { provider: "hashing", model: "char-3-5-gram-hashing-v2", dimensions: 256 },
      corpusHash: corpusFingerprint(articles),
      counts: {
        documents: articles.length,
        sentences: index.sentences.length,
        passages: index.passages.length,
      },
    });
    expect(Number.isNaN(Date.parse(index.manifest.builtAt))).toBe(false);
  });

  it("holds every sentence of the corpus and covers each exactly once with passages", () => {
    expect(index.documents.map((document) => document.id)).toEqual(
      articles.map((article) => article.meta.id),
    );
    expect(index.documents[0]?.sentenceCount).toBe(index.sentences.length);
    const covered = index.passages.flatMap((passage) => passage.sentences);
    expect(covered).toEqual(index.sentences.map((_, position) => position));
    expect(index.sentences.some((sentence) => sentence.text.includes("35 ألف طالب"))).toBe(true);
  });

  it("stores one vector per passage, with the passage text as content", async () => {
    expect(index.vectorStore.size).toBe(index.passages.length);
    expect(index.vectorStore.dimensions).toBe(256);
    expect(index.embeddings).toBeInstanceOf(HashingEmbeddings);
    const first = index.passages[0];
    expect(first).toBeDefined();
    if (!first) return;
    const [hit] = await index.vectorStore.similaritySearchWithScore(index.passageText(first), 1);
    expect(hit?.[0].metadata.passageId).toBe(first.id);
    expect(hit?.[0].pageContent).toBe(index.passageText(first));
  });

  it("matches passages by title, heading and sentences", () => {
    const passage = index.passages.find((candidate) =>
      candidate.sentences.some((position) => index.sentences[position]?.text.includes("35 ألف طالب")),
    );
    expect(passage).toBeDefined();
    if (!passage) return;
    const text = index.passageText(passage);
    expect(text.startsWith(`${index.documents[0]?.title ?? "?"}\nالأجندة الثنائية\n`)).toBe(true);
    expect(text).toContain("35 ألف طالب");
  });

  it("knows its documents and refuses unknown ones", () => {
    const id = "tass-2025-10-09-putin-dushanbe";
    expect(index.document(id)).toMatchObject({ id, source: "تاس (TASS)", published: "2025-10-09" });
    expect(() => index.document("no-such-article")).toThrow(RangeError);
  });

  it("reports progress up to the total", async () => {
    const calls: [number, number][] = [];
    const built = await SanadIndex.build(articles, HASHING_256, {
      onProgress: (embedded, total) => calls.push([embedded, total]),
    });
    expect(calls.at(-1)).toEqual([built.passages.length, built.passages.length]);
  });

  it("builds the same index twice from the same corpus", async () => {
    const again = await SanadIndex.build(articles, HASHING_256);
    expect(again.passages).toEqual(index.passages);
    expect(await retrievalOf(again)).toEqual(await retrievalOf(index));
  });
});

describe("SanadIndex.sentencesOf", () => {
  const small = (id: string, body: string, front = ""): Article =>
    parseArticle(`corpus/${id}.md`, `---\nid: ${id}\ntitle: خبر ${id}\n${front}---\n\n${body}\n`);
  const others = [
    small("first", "وصل الرئيس إلى دوشنبه. والتقى نظيره.\n\nوعقدا اجتماعاً مغلقاً.", "source: وكالة\n"),
    small("second", "افتتح الجانبان مركزاً ثقافياً جديداً.", "published: 2025-10-10\n"),
  ];

  /** What sentencesOf must give: the document's sentences, looked for the slow way. */
  const expected = (target: SanadIndex, id: string): SentenceRecord[] =>
    target.sentences.filter((sentence) => sentence.doc === id);

  it("gives each document's sentences in order: body first, then metadata lines", async () => {
    const several = await SanadIndex.build(
      [others[0] as Article, ...articles, others[1] as Article],
      HASHING_256,
    );
    for (const document of several.documents) {
      const sentences = several.sentencesOf(document.id);
      expect(sentences).toEqual(expected(several, document.id));
      expect(sentences.map((sentence) => sentence.index)).toEqual(sentences.map((_, i) => i));
      expect(sentences).toHaveLength(document.sentenceCount);
      const firstMeta = sentences.findIndex((sentence) => sentence.kind === "meta");
      expect(firstMeta).toBeGreaterThan(0);
      expect(sentences.slice(firstMeta).every((sentence) => sentence.kind === "meta")).toBe(true);
    }
    expect(several.sentencesOf("first").map((sentence) => sentence.text)).toEqual([
      "وصل الرئيس إلى دوشنبه.",
      "والتقى نظيره.",
      "وعقدا اجتماعاً مغلقاً.",
      "المصدر: وكالة",
    ]);
  });

  it("refuses an id the index does not hold, as document() does", () => {
    expect(() => index.sentencesOf("no-such-article")).toThrow(
      new RangeError("no document no-such-article in the index"),
    );
  });

  it("gives the same after a save and load, and after an incremental update", async () => {
    const loaded = await SanadIndex.load(savedDir, HASHING_256);
    const id = articles[0]?.meta.id ?? "";
    expect(loaded.sentencesOf(id)).toEqual(index.sentencesOf(id));

    const before = await SanadIndex.build([...others, ...articles], HASHING_256);
    const edited = small("second", "افتتح الجانبان مركزاً جديداً. ويضم مكتبة كبيرة.");
    const { index: updated } = await SanadIndex.update(before, [edited, ...articles], HASHING_256);
    expect(updated.hasDocument("first")).toBe(false);
    for (const document of updated.documents) {
      expect(updated.sentencesOf(document.id)).toEqual(expected(updated, document.id));
    }
    expect(updated.sentencesOf("second").map((sentence) => sentence.text)).toEqual([
      "افتتح الجانبان مركزاً جديداً.",
      "ويضم مكتبة كبيرة.",
    ]);
  });
});

describe("SanadIndex.save and load", () => {
  it("round-trips: same manifest, records and retrieval results", async () => {
    const loaded = await SanadIndex.load(savedDir, HASHING_256);
    expect(withoutFiles(loaded.manifest)).toEqual(index.manifest);
    await expectChecksumsOf(savedDir, loaded.manifest);
    expect(loaded.documents).toEqual(index.documents);
    expect(loaded.sentences).toEqual(index.sentences);
    expect(loaded.passages).toEqual(index.passages);
    expect(loaded.vectorStore.size).toBe(index.vectorStore.size);
    expect(loaded.embeddings).toBeInstanceOf(HashingEmbeddings);
    const idfOf = (target: SanadIndex): Float32Array | undefined =>
      target.embeddings instanceof HashingEmbeddings ? target.embeddings.idf : undefined;
    expect(idfOf(loaded)).toEqual(idfOf(index));
    expect(await retrievalOf(loaded)).toEqual(await retrievalOf(index));
  });

  it("reads the manifest alone, or undefined where there is no index", async () => {
    const manifest = await SanadIndex.readManifest(savedDir);
    expect(withoutFiles(manifest)).toEqual(index.manifest);
    await expectChecksumsOf(savedDir, manifest);
    expect(await SanadIndex.readManifest(path.join(tmp, "nothing-here"))).toBeUndefined();
  });

  it("creates missing parent folders", async () => {
    const dir = path.join(tmp, "deep", "er", "index");
    await index.save(dir);
    expect((await SanadIndex.load(dir, HASHING_256)).passages).toEqual(index.passages);
  });

  it("replaces an existing index and leaves no temporary folders behind", async () => {
    const parent = await mkdtemp(path.join(tmp, "replace-"));
    const dir = path.join(parent, "index");
    await index.save(dir);
    await writeFile(path.join(dir, "stale-file.txt"), "from the old index");

    const small = parseArticle(
      "corpus/small.md",
      "---\nid: small\ntitle: خبر قصير\n---\n\nوصل الرئيس إلى دوشنبه. والتقى نظيره.\n",
    );
    const other = await SanadIndex.build([small], HASHING_256);
    await other.save(dir);

    expect(await readdir(parent)).toEqual(["index"]);
    expect(await readdir(dir)).not.toContain("stale-file.txt");
    const loaded = await SanadIndex.load(dir, HASHING_256);
    expect(loaded.manifest.corpusHash).toBe(corpusFingerprint([small]));
    expect(loaded.documents.map((document) => document.id)).toEqual(["small"]);
    expect(loaded.manifest.counts).toEqual(other.manifest.counts);

    // And once more over that one.
    await index.save(dir);
    expect(await readdir(parent)).toEqual(["index"]);
    expect((await SanadIndex.load(dir, HASHING_256)).manifest.corpusHash).toBe(index.manifest.corpusHash);
  });

  it("leaves nothing behind when the target cannot be written", async () => {
    const parent = await mkdtemp(path.join(tmp, "blocked-"));
    // A file where the index's parent folder should be.
    await writeFile(path.join(parent, "file"), "");
    await expect(index.save(path.join(parent, "file", "index"))).rejects.toThrow();
    expect(await readdir(parent)).toEqual(["file"]);
  });
});

describe("SanadIndex.load refuses", () => {
  it("a folder without an index: no index found", async () => {
    const dir = path.join(tmp, "missing");
    expect((await loadError(dir)).message).toContain("no index found");
    await mkdir(dir);
    expect((await loadError(dir)).message).toContain("no index found");
  });

  it("an index of other hashing dimensions, saying to reindex and naming both settings", async () => {
    const error = await loadError(savedDir, { provider: "hashing", dimensions: 512 });
    expect(error.message).toContain("npm run reindex");
    expect(error.message).toContain("hashing/256");
    expect(error.message).toContain("hashing/512");
  });

  it("an index built with hashing when the configuration says openai", async () => {
    const error = await loadError(savedDir, {
      provider: "openai",
      model: "bge-m3",
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: "not-needed",
      timeoutMs: 1000,
      maxRetries: 0,
    });
    expect(error.message).toContain("hashing/256");
    expect(error.message).toContain("openai/bge-m3");
  });

  it.each<[string, (dir: string) => Promise<void>, RegExp]>([
    [
      "a corrupt manifest.json",
      (dir) => writeFile(path.join(dir, MANIFEST_FILE), "{ not json"),
      /manifest\.json/,
    ],
    [
      "a manifest.json of the wrong shape",
      (dir) => writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify({ formatVersion: 1 })),
      /manifest\.json/,
    ],
    [
      "a manifest of another format version",
      async (dir) =>
        editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, formatVersion: 99 })),
      /format 99/,
    ],
    [
      "a manifest.json without file checksums, written by hand",
      async (dir) =>
        editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, files: undefined })),
      /manifest\.json lists no file checksums/,
    ],
  ])("%s", async (_name, damage, reason) => {
    const dir = await copyOfSaved();
    await damage(dir);
    expect((await loadError(dir)).message).toMatch(reason);
  });

  it("a vector graph with two bytes overwritten at offset 96, by checksum, before hnswlib reads it", async () => {
    const dir = await copyOfSaved();
    const file = path.join(dir, EXACT_VECTORS_FILE);
    const size = (await stat(file)).size;
    await overwriteBytes(file, 96, 2);
    expect((await stat(file)).size).toBe(size);
    // Were hnswlib to read this file, the first search would end the process with a segmentation fault.
    const error = await loadError(dir);
    expect(error.problem).toBe(
      `${EXACT_VECTORS_FILE} does not hold the bytes that were written (checksum mismatch)`,
    );
    expect(error.message).toContain(EXACT_VECTORS_FILE);
    expect(error.message).toContain("checksum");
    expect(error.message).toContain("npm run reindex");
  });

  /**
   * Damage to one file, the file damaged, and what the check of its content says. The checksums find
   * each first; with the manifest resealed (rewritten to what the files hold now, as a manifest edited by
   * hand or a folder mixed from two builds has it) the content checks still must.
   */
  const DAMAGES: readonly [string, string, (dir: string) => Promise<void>, RegExp][] = [
    ["a deleted records.bin", "records.bin", (dir) => unlink(path.join(dir, "records.bin")), /records\.bin/],
    [
      "a corrupt documents.json",
      "documents.json",
      (dir) => writeFile(path.join(dir, "documents.json"), "[1, 2"),
      /corrupt/,
    ],
    [
      "a documents.json with fewer documents than the manifest",
      "documents.json",
      async (dir) => {
        const file = path.join(dir, "documents.json");
        const documents = JSON.parse(await readFile(file, "utf8")) as unknown[];
        await writeFile(file, JSON.stringify(documents.slice(1)));
      },
      /records\.bin/,
    ],
    [
      "a deleted frequency file",
      "hashing-df.u32",
      (dir) => unlink(path.join(dir, "hashing-df.u32")),
      /hashing-df\.u32/,
    ],
    [
      "a frequency file cut to half",
      "hashing-df.u32",
      (dir) => cutFile(path.join(dir, "hashing-df.u32"), half),
      /hashing-df\.u32 has 128 counts for 256 dimensions/,
    ],
    [
      "a deleted word list",
      "passage-terms.u32",
      (dir) => unlink(path.join(dir, "passage-terms.u32")),
      /passage-terms\.u32/,
    ],
    [
      "a truncated word list",
      "passage-terms.u32",
      (dir) => cutFile(path.join(dir, "passage-terms.u32"), half),
      /passage-terms\.u32/,
    ],
    [
      "a deleted vocabulary",
      "vocabulary.json",
      (dir) => unlink(path.join(dir, "vocabulary.json")),
      /vocabulary\.json/,
    ],
    [
      "a deleted vector graph",
      EXACT_VECTORS_FILE,
      (dir) => unlink(path.join(dir, EXACT_VECTORS_FILE)),
      /corrupt/,
    ],
    [
      "a truncated vector graph",
      EXACT_VECTORS_FILE,
      (dir) => cutFile(path.join(dir, EXACT_VECTORS_FILE), half),
      /corrupt/,
    ],
    ["a deleted passage list", HNSW_DOCS_FILE, (dir) => unlink(path.join(dir, HNSW_DOCS_FILE)), /corrupt/],
  ];

  it.each(DAMAGES)("%s, by its checksum, naming %s", async (_name, file, damage) => {
    const dir = await copyOfSaved();
    const written = writtenBytes(await SanadIndex.readManifest(dir), file);
    await damage(dir);
    const error = await loadError(dir);
    expect(error.problem).toBe(await checksumRefusal(dir, file, written));
    expect(error.message).toContain("npm run reindex");
  });

  it.each(DAMAGES)("%s, with the manifest resealed", async (_name, _file, damage, reason) => {
    const dir = await copyOfSaved();
    await damage(dir);
    await resealManifest(dir);
    const error = await loadError(dir);
    // Past the checksums: refused by the check of the file's content.
    expect(error.problem).toMatch(/^missing or corrupt file \(/);
    expect(error.message).toMatch(reason);
  });
});
