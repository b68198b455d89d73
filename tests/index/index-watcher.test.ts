/**
 * watchIndex: a running bot or console picks up an index that `npm run reindex` saved into its folder,
 * keeps serving the old one when the new one is damaged (and does not retry that build on every poll,
 * only when asked, as SIGHUP does), and stops watching once closed.
 */
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  rename,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import type { EmbeddingsConfig } from "../../src/config/index.js";
import { loadCorpus, type Article } from "../../src/corpus/index.js";
import { MANIFEST_FILE, SanadIndex, watchIndex, type IndexWatcher } from "../../src/index/index.js";
import { INDEX_FORMAT_VERSION } from "../../src/index/manifest.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { memoryLogger, type LogRecord } from "../support/memory-logger.js";
import { editJson, overwriteBytes, resealManifest } from "./folder-edits.js";
import { expectChecksumsOf, withoutFiles } from "./manifest-files.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HASHING_256: EmbeddingsConfig = { provider: "hashing", dimensions: 256 };
const INTERVAL_MS = 50;
/** Longest wait for something the watcher should do within a few polls (a failed load retries once after 250 ms). */
const WAIT = { timeout: 5_000, interval: 10 } as const;

const LOADED_MSG = "new index loaded; answering from it";
const FAILED_MSG = "the new index failed to load; still answering from the previous one";

const EXTRA_ID = "dushanbe-cultural-centre";
const EXTRA_ARTICLE = [
  "---",
  `id: ${EXTRA_ID}`,
  "title: افتتاح مركز ثقافي روسي جديد في دوشنبه",
  "source: وكالة تجريبية",
  "published: 2025-10-10",
  "language: ar",
  "---",
  "",
  "افتتح الجانبان في ختام الزيارة مركزاً ثقافياً روسياً جديداً في دوشنبه.",
  "",
  "ويضم المركز مكتبة تحوي أكثر من 12 ألف كتاب باللغتين الروسية والطاجيكية.",
  "",
].join("\n");

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let tmp: string;
/** The real corpus, and the real corpus with one more article. */
let corpusA: readonly Article[];
let corpusB: readonly Article[];
/** Build times already used: every build of this file must be another build for the watcher. */
const builtAts = new Set<string>();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-watch-"));
  const corpusDir = path.join(tmp, "corpus");
  await mkdir(corpusDir);
  for (const name of await readdir(path.join(REPO_ROOT, "corpus"))) {
    if (name.endsWith(".md"))
      await copyFile(path.join(REPO_ROOT, "corpus", name), path.join(corpusDir, name));
  }
  corpusA = (await loadCorpus(corpusDir)).articles;
  await writeFile(path.join(corpusDir, `${EXTRA_ID}.md`), EXTRA_ARTICLE);
  const loaded = await loadCorpus(corpusDir);
  expect(loaded.problems).toEqual([]);
  corpusB = loaded.articles;
  expect(corpusB).toHaveLength(corpusA.length + 1);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A new build of `articles`, with a build time no other build of this file has. */
async function build(articles: readonly Article[]): Promise<SanadIndex> {
  for (;;) {
    const index = await SanadIndex.build(articles, HASHING_256);
    if (!builtAts.has(index.manifest.builtAt)) {
      builtAts.add(index.manifest.builtAt);
      return index;
    }
    await sleep(2);
  }
}

/** A fresh index folder holding a saved build of the real corpus. */
async function servedFolder(): Promise<{ indexDir: string; current: SanadIndex }> {
  const indexDir = path.join(await mkdtemp(path.join(tmp, "ws-")), "index");
  const current = await build(corpusA);
  await current.save(indexDir);
  return { indexDir, current };
}

interface Watched {
  readonly watcher: IndexWatcher;
  /** Every index handed to onIndex, in order. */
  readonly loaded: SanadIndex[];
  readonly records: () => LogRecord[];
  readonly errors: () => LogRecord[];
}

const open: IndexWatcher[] = [];

afterEach(() => {
  for (const watcher of open.splice(0)) watcher.close();
});

function watch(indexDir: string, current: SanadIndex, intervalMs = INTERVAL_MS): Watched {
  const log = memoryLogger("info");
  const loaded: SanadIndex[] = [];
  const watcher = watchIndex({
    indexDir,
    embeddings: HASHING_256,
    logger: log.logger,
    current,
    intervalMs,
    onIndex: (index) => {
      loaded.push(index);
    },
  });
  open.push(watcher);
  return {
    watcher,
    loaded,
    records: log.records,
    errors: () => log.records().filter((record) => record.level === 50),
  };
}

/**
 * Saves `index` elsewhere, damages the saved copy, and moves it into `indexDir` in place of the index
 * there, the way `npm run reindex` swaps a folder in: the watcher sees a complete-looking new build.
 */
async function swapInDamaged(
  index: SanadIndex,
  indexDir: string,
  damage: (dir: string) => Promise<void>,
): Promise<void> {
  const staged = `${indexDir}.staged`;
  await index.save(staged);
  await damage(staged);
  const retired = `${indexDir}.retired`;
  await rename(indexDir, retired);
  await rename(staged, indexDir);
  await rm(retired, { recursive: true, force: true });
}

/** Two bytes of the first vector graph overwritten where hnswlib keeps its first node's links. */
const overwriteGraphAt96 = (dir: string): Promise<void> =>
  overwriteBytes(path.join(dir, "vectors.f32"), 96, 2);

const DAMAGES: readonly [string, (dir: string) => Promise<void>, RegExp][] = [
  [
    "records.bin overwritten with garbage",
    (dir) => writeFile(path.join(dir, "records.bin"), "garbage, not records"),
    /: records\.bin has 20 bytes, \d+ were written;/,
  ],
  [
    "vectors.f32 truncated to half",
    async (dir) => {
      const file = path.join(dir, "vectors.f32");
      await truncate(file, Math.floor((await stat(file)).size / 2));
    },
    /: vectors\.f32 has \d+ bytes, \d+ were written;/,
  ],
  [
    "vectors.f32 with two bytes overwritten at offset 96",
    overwriteGraphAt96,
    /: vectors\.f32 does not hold the bytes that were written \(checksum mismatch\);/,
  ],
  [
    "documents.json overwritten with garbage, the manifest resealed to match",
    async (dir) => {
      await writeFile(path.join(dir, "documents.json"), "garbage, not JSON");
      await resealManifest(dir);
    },
    /missing or corrupt file \(documents\.json: .*not valid JSON/,
  ],
  [
    "manifest.json without file checksums",
    (dir) => editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, files: undefined })),
    /: manifest\.json lists no file checksums;/,
  ],
  [
    "manifest.json of another format version",
    (dir) => editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, formatVersion: 2 })),
    new RegExp(`index format 2, this version of Sanad reads format ${INDEX_FORMAT_VERSION}`),
  ],
];

describe("watchIndex", () => {
  it("loads a new index saved into the folder once, hands it over and logs it", async () => {
    const { indexDir, current } = await servedFolder();
    const watched = watch(indexDir, current);
    const next = await build(corpusB);
    await next.save(indexDir);

    await vi.waitFor(() => {
      expect(watched.loaded).toHaveLength(1);
    }, WAIT);
    const [loaded] = watched.loaded;
    expect(withoutFiles(loaded?.manifest)).toEqual(next.manifest);
    await expectChecksumsOf(indexDir, loaded?.manifest);
    expect(loaded?.manifest.builtAt).not.toBe(current.manifest.builtAt);
    expect(loaded?.hasDocument(EXTRA_ID)).toBe(true);
    expect(loaded?.sentences).toEqual(next.sentences);
    expect(watched.records()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: LOADED_MSG,
        indexDir,
        builtAt: next.manifest.builtAt,
        documents: next.manifest.counts.documents,
        sentences: next.manifest.counts.sentences,
        passages: next.manifest.counts.passages,
        seconds: expect.any(Number) as unknown,
      }),
    ]);

    // A few more polls, and an explicit check: the build now serving is not loaded again.
    await sleep(INTERVAL_MS * 5);
    expect(await watched.watcher.reload()).toBe(false);
    expect(watched.loaded).toHaveLength(1);
    expect(watched.records()).toHaveLength(1);
  });

  it("reload() without a new build resolves false, loads nothing and logs nothing", async () => {
    const { indexDir, current } = await servedFolder();
    const watched = watch(indexDir, current);
    expect(await watched.watcher.reload()).toBe(false);
    expect(await watched.watcher.reload()).toBe(false);
    expect(watched.loaded).toEqual([]);
    expect(watched.records()).toEqual([]);
  });

  it("with interval 0 loads a new build only on reload(), once when two reloads come together", async () => {
    const { indexDir, current } = await servedFolder();
    const manual = watch(indexDir, current, 0);
    // A polling watcher on the same folder shows when a poll would have seen the new build.
    const polling = watch(indexDir, current);
    const next = await build(corpusB);
    await next.save(indexDir);
    await vi.waitFor(() => {
      expect(polling.loaded).toHaveLength(1);
    }, WAIT);
    await sleep(INTERVAL_MS * 3);
    expect(manual.loaded).toEqual([]);

    // A poll and a SIGHUP at the same moment (here two reloads) load the index once.
    expect(await Promise.all([manual.watcher.reload(), manual.watcher.reload()])).toEqual([true, false]);
    expect(manual.loaded.map((index) => index.manifest.builtAt)).toEqual([next.manifest.builtAt]);
    expect(manual.records().filter((record) => record.msg === LOADED_MSG)).toHaveLength(1);
  });

  it.each(DAMAGES)(
    "keeps serving when the new build is damaged (%s), retries it only on reload(), then loads a good one",
    async (_name, damage, reason) => {
      const { indexDir, current } = await servedFolder();
      const watched = watch(indexDir, current);
      const damaged = await build(corpusB);
      await swapInDamaged(damaged, indexDir, damage);

      await vi.waitFor(() => {
        expect(watched.errors()).toHaveLength(1);
      }, WAIT);
      const [failure] = watched.errors();
      expect(failure).toMatchObject({ msg: FAILED_MSG, indexDir });
      expect(failure?.err).toEqual(expect.stringMatching(reason));
      expect(failure?.err).toContain(indexDir);
      expect(failure?.err).toContain("npm run reindex");
      expect(watched.loaded).toEqual([]);

      // The failed build is not tried again by the polls, not even when its manifest is touched.
      await sleep(INTERVAL_MS * 4);
      const future = new Date(Date.now() + 60_000);
      await utimes(path.join(indexDir, MANIFEST_FILE), future, future);
      await sleep(INTERVAL_MS * 6);
      expect(watched.errors()).toHaveLength(1);
      expect(watched.loaded).toEqual([]);

      // reload() (SIGHUP) tries it again: it fails again, with the same reason, and nothing is replaced.
      expect(await watched.watcher.reload()).toBe(false);
      expect(watched.errors()).toHaveLength(2);
      expect(watched.errors()[1]?.err).toEqual(failure?.err);
      expect(watched.loaded).toEqual([]);

      // A good build saved afterwards is picked up by the polls.
      const repaired = await build(corpusB);
      await repaired.save(indexDir);
      await vi.waitFor(() => {
        expect(watched.loaded).toHaveLength(1);
      }, WAIT);
      expect(watched.loaded[0]?.manifest.builtAt).toBe(repaired.manifest.builtAt);
      expect(watched.records().filter((record) => record.msg === LOADED_MSG)).toHaveLength(1);
      expect(watched.errors()).toHaveLength(2);
    },
  );

  it("keeps answering from the old index when the new build's vector graph has two bytes overwritten at offset 96", async () => {
    const { indexDir, current } = await servedFolder();
    const watched = watch(indexDir, current);
    const question = "كم عدد الطلاب الطاجيكستانيين في المؤسسات الروسية؟";
    const answers = async (): Promise<string[]> =>
      (await new HybridRetriever({ index: current, k: 3 }).retrieve(question)).hits.map(
        (hit) => hit.passageId,
      );
    const before = await answers();
    expect(before).toHaveLength(3);

    // Were hnswlib to read the damaged graph, the first search on it would end this process.
    await swapInDamaged(await build(corpusB), indexDir, overwriteGraphAt96);
    await vi.waitFor(() => {
      expect(watched.errors()).toHaveLength(1);
    }, WAIT);
    const [failure] = watched.errors();
    expect(failure).toMatchObject({ msg: FAILED_MSG, indexDir });
    expect(failure?.err).toContain("vectors.f32");
    expect(failure?.err).toContain("checksum");
    expect(failure?.err).toContain("npm run reindex");
    expect(await watched.watcher.reload()).toBe(false);
    expect(watched.errors()).toHaveLength(2);

    expect(watched.loaded).toEqual([]);
    expect(await answers()).toEqual(before);
    expect(current.hasDocument(EXTRA_ID)).toBe(false);
  });

  it("picks up nothing once closed", async () => {
    const { indexDir, current } = await servedFolder();
    const closed = watch(indexDir, current);
    const polling = watch(indexDir, current);
    closed.watcher.close();
    const next = await build(corpusB);
    await next.save(indexDir);

    await vi.waitFor(() => {
      expect(polling.loaded).toHaveLength(1);
    }, WAIT);
    await sleep(INTERVAL_MS * 4);
    expect(closed.loaded).toEqual([]);
    expect(closed.records()).toEqual([]);
  });
});
