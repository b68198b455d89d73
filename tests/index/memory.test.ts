/**
 * The memory check of MAX_INDEX_MEMORY_MB: the serving estimate grows with the corpus and the vector
 * size, and a build whose index would not fit fails before anything is embedded, saying what to change.
 */
import { EXACT_SEARCH_MAX_BYTES } from "../../src/index/hnsw-store.js";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { beforeAll, describe, expect, it } from "vitest";

import type { EmbeddingsConfig } from "../../src/config/index.js";
import { loadCorpus, type Article } from "../../src/corpus/index.js";
import { estimateServingBytes, IndexMemoryError, SanadIndex, type IndexSize } from "../../src/index/index.js";
import { errorOf } from "../support/errors.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HASHING_256: EmbeddingsConfig = { provider: "hashing", dimensions: 256 };
const MB = 1024 * 1024;

let articles: readonly Article[];
/** The size of the real corpus's index, as the check counts it. */
let size: IndexSize;

beforeAll(async () => {
  articles = (await loadCorpus(path.join(REPO_ROOT, "corpus"))).articles;
  const index = await SanadIndex.build(articles, HASHING_256);
  size = {
    sentences: index.sentences.length,
    passages: index.passages.length,
    textCharacters: index.sentences.reduce((sum, sentence) => sum + sentence.text.length, 0),
  };
});

describe("estimateServingBytes", () => {
  const base: IndexSize = { sentences: 1_000, passages: 400, textCharacters: 80_000 };

  it("grows with passages, sentences, text and dimensions", () => {
    const estimate = estimateServingBytes(base, 256);
    expect(estimate).toBeGreaterThan(0);
    expect(estimateServingBytes({ ...base, passages: 800 }, 256)).toBeGreaterThan(estimate);
    expect(estimateServingBytes({ ...base, sentences: 2_000 }, 256)).toBeGreaterThan(estimate);
    expect(estimateServingBytes({ ...base, textCharacters: 160_000 }, 256)).toBeGreaterThan(estimate);
    expect(estimateServingBytes(base, 512)).toBeGreaterThan(estimate);
  });

  it("counts a float32 vector per passage, once, and graph links only where there are graphs", () => {
    // Up to the passages whose 1025-dimension vectors fit EXACT_SEARCH_MAX_BYTES: no graph.
    const exactAt1025 = Math.floor(EXACT_SEARCH_MAX_BYTES / (1025 * 4));
    for (const passages of [1, 400, exactAt1025, EXACT_SEARCH_MAX_BYTES / 1024 / 4 + 1, 50_000]) {
      const at = { ...base, passages };
      expect(estimateServingBytes(at, 1025) - estimateServingBytes(at, 1024)).toBe(4 * passages);
    }
    // One passage more than exact search holds brings the graph's links of every passage.
    const exactAt1024 = EXACT_SEARCH_MAX_BYTES / 1024 / 4;
    const graphed = estimateServingBytes({ ...base, passages: exactAt1024 + 1 }, 1024);
    const exact = estimateServingBytes({ ...base, passages: exactAt1024 }, 1024);
    expect(graphed - exact).toBeGreaterThan(1024 * 4 + (exactAt1024 + 1) * 100);
    // A lower limit (a model's dense vectors) brings the graph's links sooner.
    const at3000 = { ...base, passages: 3_000 };
    expect(estimateServingBytes(at3000, 1536, 16 * MB)).toBeGreaterThan(estimateServingBytes(at3000, 1536));
    // 10,000 more passages of 1024 dimensions take at least their 40 MB of vectors.
    const more = estimateServingBytes({ ...base, passages: 10_400 }, 1024) - estimateServingBytes(base, 1024);
    expect(more).toBeGreaterThanOrEqual(10_000 * 1024 * 4);
  });
});

describe("SanadIndex.build with memoryLimitBytes", () => {
  it("rejects an index over the limit with IndexMemoryError naming what to change", async () => {
    const needed = estimateServingBytes(size, 256);
    const attempt = SanadIndex.build(articles, HASHING_256, { memoryLimitBytes: 1 * MB });
    const error = await errorOf(() => attempt, IndexMemoryError);
    expect(error.name).toBe("IndexMemoryError");
    expect(error.message).toMatch(/MAX_INDEX_MEMORY_MB=1\b/);
    expect(error.message).toContain("HASHING_DIMENSIONS");
    expect(error.message).toContain(`about ${Math.ceil(needed / MB)} MB`);
    expect(error.message).toContain(
      `${articles.length} articles (${size.sentences} sentences, ${size.passages} passages)`,
    );
    expect(error.neededBytes).toBe(needed);
    expect(error.limitBytes).toBe(1 * MB);
  });

  it("fails before embedding anything", async () => {
    const progress: number[] = [];
    await expect(
      SanadIndex.build(articles, HASHING_256, {
        memoryLimitBytes: 1 * MB,
        onProgress: (embedded) => progress.push(embedded),
      }),
    ).rejects.toThrow(IndexMemoryError);
    expect(progress).toEqual([]);
  });

  it("is decided by the estimate: just under it fails, at it builds", async () => {
    const needed = estimateServingBytes(size, 256);
    await expect(SanadIndex.build(articles, HASHING_256, { memoryLimitBytes: needed - 1 })).rejects.toThrow(
      IndexMemoryError,
    );
    const index = await SanadIndex.build(articles, HASHING_256, { memoryLimitBytes: needed });
    expect(index.passages).toHaveLength(size.passages);
  });

  it("counts the configured dimensions: a limit that fits 256 dimensions refuses 65536", async () => {
    const limit = estimateServingBytes(size, 256) + MB;
    expect(estimateServingBytes(size, 65_536)).toBeGreaterThan(limit);
    await expect(
      SanadIndex.build(articles, HASHING_256, { memoryLimitBytes: limit }),
    ).resolves.toBeInstanceOf(SanadIndex);
    await expect(
      SanadIndex.build(articles, { provider: "hashing", dimensions: 65_536 }, { memoryLimitBytes: limit }),
    ).rejects.toThrow(IndexMemoryError);
  });

  it("builds under a generous limit, and without one", async () => {
    const limited = await SanadIndex.build(articles, HASHING_256, { memoryLimitBytes: 2048 * MB });
    const unlimited = await SanadIndex.build(articles, HASHING_256);
    expect(limited.manifest.counts).toEqual(unlimited.manifest.counts);
    expect(limited.sentences).toEqual(unlimited.sentences);
  });

  it("is checked on an incremental update too", async () => {
    const previous = await SanadIndex.build(articles, HASHING_256);
    await expect(
      SanadIndex.update(previous, articles, HASHING_256, { memoryLimitBytes: 1 * MB }),
    ).rejects.toThrow(IndexMemoryError);
    // The refused update left the previous index usable.
    const { summary } = await SanadIndex.update(previous, articles, HASHING_256, {
      memoryLimitBytes: 2048 * MB,
    });
    expect(summary).toMatchObject({ kept: articles.length, added: 0, changed: 0, removed: 0 });
  });
});
