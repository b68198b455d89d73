import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { EmbeddingsConfig } from "../../src/config/index.js";
import {
  IndexBuildError,
  IndexLoadError,
  MANIFEST_FILE,
  openIndex,
  SanadIndex,
  type OpenIndexOptions,
} from "../../src/index/index.js";
import { INDEX_FORMAT_VERSION } from "../../src/index/manifest.js";
import { silentLogger } from "../../src/log/index.js";
import { memoryLogger } from "../support/memory-logger.js";
import { editJson } from "./folder-edits.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CORPUS_DIR = path.join(REPO_ROOT, "corpus");
const HASHING_256: EmbeddingsConfig = { provider: "hashing", dimensions: 256 };
const NEW_PARAGRAPH = "وأعلن الجانبان في ختام الزيارة عن افتتاح مركز ثقافي جديد في دوشنبه.";

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-open-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh corpus folder holding a copy of the real corpus, and an index folder beside it. */
async function workspace(): Promise<{ corpusDir: string; indexDir: string }> {
  const root = await mkdtemp(path.join(tmp, "ws-"));
  const corpusDir = path.join(root, "corpus");
  await mkdir(corpusDir);
  for (const name of await readdir(CORPUS_DIR)) {
    if (name.endsWith(".md")) await copyFile(path.join(CORPUS_DIR, name), path.join(corpusDir, name));
  }
  return { corpusDir, indexDir: path.join(root, "data", "index") };
}

describe("openIndex", () => {
  let options: OpenIndexOptions;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    log = memoryLogger("info");
    options = { ...(await workspace()), embeddings: HASHING_256, logger: log.logger };
  });

  // The steps below share one workspace and run in order: build, load, change, rebuild.
  it("builds and saves the index when there is none", async () => {
    const progress: number[] = [];
    const opened = await openIndex({ ...options, onProgress: (embedded) => progress.push(embedded) });
    expect(opened.built).toBe(true);
    expect(opened.seconds).toBeGreaterThanOrEqual(0);
    expect(opened.corpus.articles).toHaveLength(1);
    expect(opened.index.manifest.counts.documents).toBe(1);
    expect(progress.at(-1)).toBe(opened.index.passages.length);
    expect(await readdir(options.indexDir)).toContain("manifest.json");
    expect(log.records().find((record) => record.msg === "building the index")).toMatchObject({
      level: 30,
      reason: "missing, or not usable",
      corpusDir: options.corpusDir,
      indexDir: options.indexDir,
    });
  });

  it("loads the saved index when it is up to date", async () => {
    const before = log.records().length;
    const opened = await openIndex(options);
    expect(opened.built).toBe(false);
    expect(opened.index.manifest.counts.documents).toBe(1);
    expect(log.records().slice(before)).toEqual([]);
  });

  it("rebuilds when a corpus file changes, not when it is only touched", async () => {
    const [name] = await readdir(options.corpusDir);
    const file = path.join(options.corpusDir, name ?? "");
    const future = new Date(Date.now() + 60_000);
    await utimes(file, future, future);
    const loaded = await openIndex(options);
    expect(loaded.built).toBe(false);

    // A new paragraph goes before the trailer (after its break the text would be a trailer line).
    const text = await readFile(file, "utf8");
    const trailerBreak = text.lastIndexOf("\n---\n");
    await writeFile(file, `${text.slice(0, trailerBreak)}\n${NEW_PARAGRAPH}\n${text.slice(trailerBreak)}`);

    const rebuilt = await openIndex(options);
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.index.manifest.corpusHash).not.toBe(loaded.index.manifest.corpusHash);
    expect(rebuilt.index.sentences.map((sentence) => sentence.text)).toContain(NEW_PARAGRAPH);
    // Searched exactly, the store drops the article's old vectors at once: no graph to compact.
    expect(rebuilt.update).toEqual({ kept: 0, added: 0, changed: 1, removed: 0, compacted: false });
    expect(log.records().at(-1)).toMatchObject({
      msg: "updating the index: only changed articles are embedded",
    });

    const again = await openIndex(options);
    expect(again.built).toBe(false);
    expect(again.index.sentences).toEqual(rebuilt.index.sentences);
  });

  it("rebuilds when asked to, even when up to date", async () => {
    const opened = await openIndex({ ...options, rebuild: "full" });
    expect(opened.built).toBe(true);
    expect(log.records().at(-1)).toMatchObject({ msg: "building the index", reason: "asked" });
  });

  it("refuses an up-to-date index built with other settings, saying to reindex", async () => {
    const attempt = openIndex({ ...options, embeddings: { provider: "hashing", dimensions: 512 } });
    await expect(attempt).rejects.toThrow(IndexLoadError);
    await expect(attempt).rejects.toThrow(/npm run reindex/);
  });

  it("builds an index of other settings when the corpus changed anyway", async () => {
    await writeFile(
      path.join(options.corpusDir, "extra.md"),
      "---\nid: extra\ntitle: خبر إضافي\n---\n\nنص إضافي.\n",
    );
    const opened = await openIndex({ ...options, embeddings: { provider: "hashing", dimensions: 512 } });
    expect(opened.built).toBe(true);
    expect(opened.index.manifest.embeddings.dimensions).toBe(512);
    expect(opened.corpus.articles).toHaveLength(2);
  });
});

describe("openIndex with a saved index of another format version", () => {
  const FORMAT_MSG = "the saved index was written by another version of Sanad; building it from scratch";
  const reason = `index format 2, this version of Sanad reads format ${INDEX_FORMAT_VERSION}`;

  /** A workspace whose saved index says it is of format 2, as one written by the previous version. */
  async function oldFormatWorkspace(): Promise<{ corpusDir: string; indexDir: string }> {
    const dirs = await workspace();
    await openIndex({ ...dirs, embeddings: HASHING_256, logger: silentLogger() });
    await editJson(path.join(dirs.indexDir, MANIFEST_FILE), (manifest) => ({
      ...manifest,
      formatVersion: 2,
    }));
    return dirs;
  }

  it("rebuilds it from the corpus when the corpus has not changed, logging why, then loads it", async () => {
    const dirs = await oldFormatWorkspace();
    const log = memoryLogger("info");
    const opened = await openIndex({ ...dirs, embeddings: HASHING_256, logger: log.logger });
    expect(opened.built).toBe(true);
    expect(opened.update).toBeUndefined();
    expect(opened.index.manifest.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect(log.records()).toEqual([
      expect.objectContaining({ level: 30, msg: FORMAT_MSG, indexDir: dirs.indexDir, reason }),
      expect.objectContaining({ level: 30, msg: "building the index", reason: "missing, or not usable" }),
    ]);
    const saved = JSON.parse(await readFile(path.join(dirs.indexDir, MANIFEST_FILE), "utf8")) as {
      formatVersion: number;
    };
    expect(saved.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect((await openIndex({ ...dirs, embeddings: HASHING_256, logger: silentLogger() })).built).toBe(false);
  });

  it.each<[string, OpenIndexOptions["rebuild"]]>([
    ["the corpus changed", undefined],
    ["an incremental rebuild is asked for", "incremental"],
  ])("builds it from scratch when %s, reusing none of its words", async (_name, rebuild) => {
    const dirs = await oldFormatWorkspace();
    // Words no analysis makes: were the old index's words reused, they would show.
    const vocabularyFile = path.join(dirs.indexDir, "vocabulary.json");
    const vocabulary = JSON.parse(await readFile(vocabularyFile, "utf8")) as string[];
    await writeFile(vocabularyFile, JSON.stringify(vocabulary.map((word) => `stale-${word}`)));
    await writeFile(
      path.join(dirs.corpusDir, "extra.md"),
      "---\nid: extra\ntitle: خبر إضافي\n---\n\nنص إضافي.\n",
    );

    const log = memoryLogger("info");
    const opened = await openIndex({ ...dirs, embeddings: HASHING_256, logger: log.logger, rebuild });
    expect(opened.built).toBe(true);
    expect(opened.update).toBeUndefined();
    expect(log.records().map((record) => record.msg)).toEqual([FORMAT_MSG, "building the index"]);
    const terms = opened.index.passages.map((_, position) => opened.index.passageTerms(position));
    expect(terms.flat().some((word) => word.startsWith("stale-"))).toBe(false);
    const fresh = await SanadIndex.build(opened.corpus.articles, HASHING_256);
    expect(terms).toEqual(fresh.passages.map((_, position) => fresh.passageTerms(position)));
  });
});

describe("openIndex with bad corpus files", () => {
  it("logs each bad file with its reason and still loads the good ones", async () => {
    const dirs = await workspace();
    await writeFile(path.join(dirs.corpusDir, "broken.md"), "---\nid: broken\ntitle: لم تغلق\n\nنص.\n");
    await writeFile(path.join(dirs.corpusDir, "empty.txt"), "   \n");
    const log = memoryLogger("info");
    const opened = await openIndex({ ...dirs, embeddings: HASHING_256, logger: log.logger });

    expect(opened.built).toBe(true);
    expect(opened.corpus.articles.map((article) => article.meta.id)).toEqual([
      "tass-2025-10-09-putin-dushanbe",
    ]);
    const warnings = log.records().filter((record) => record.level === 40);
    expect(warnings).toHaveLength(2);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: "corpus file skipped",
          file: path.join(dirs.corpusDir, "broken.md"),
          reason: expect.stringContaining("never closed") as unknown,
        }),
        expect.objectContaining({
          msg: "corpus file skipped",
          file: path.join(dirs.corpusDir, "empty.txt"),
          reason: "file is empty",
        }),
      ]),
    );

    // Loading an up-to-date index reports the bad files again.
    const again = memoryLogger("info");
    expect((await openIndex({ ...dirs, embeddings: HASHING_256, logger: again.logger })).built).toBe(false);
    expect(again.records().filter((record) => record.level === 40)).toHaveLength(2);
  });

  it.each<[string, Record<string, string>]>([
    ["an empty folder", {}],
    ["only bad files", { "broken.md": "---\nid: x\n", "empty.md": "" }],
    ["only files that are not articles", { "notes.json": "{}" }],
  ])("throws IndexBuildError for %s", async (_name, files) => {
    const root = await mkdtemp(path.join(tmp, "bad-"));
    const corpusDir = path.join(root, "corpus");
    await mkdir(corpusDir);
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(corpusDir, name), text);
    const indexDir = path.join(root, "index");
    const attempt = openIndex({ corpusDir, indexDir, embeddings: HASHING_256, logger: silentLogger() });
    await expect(attempt).rejects.toThrow(IndexBuildError);
    await expect(attempt).rejects.toThrow(/no article could be loaded/);
    expect(await readdir(root)).toEqual(["corpus"]);
  });
});
