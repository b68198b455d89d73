import { mkdir, mkdtemp, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SyntheticCorpus } from "../../bench/lib/synthetic-corpus.js";
import { createAnswerer, type Answer } from "../../src/answer/index.js";
import type { EmbeddingsConfig } from "../../src/config/index.js";
import { parseArticle, type Article } from "../../src/corpus/index.js";
import { HashingEmbeddings } from "../../src/index/hashing-embeddings.js";
import { hnswShardFile } from "../../src/index/hnsw-store.js";
import { IndexLoadError, openIndex, SanadIndex } from "../../src/index/index.js";
import { silentLogger } from "../../src/log/index.js";
import { copyFolder, cutFile, overwriteBytes } from "./folder-edits.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HASHING: EmbeddingsConfig = { provider: "hashing", dimensions: 512 };

let tmp: string;
let synthetic: SyntheticCorpus;
let real: Article;
let questions: string[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-incremental-"));
  synthetic = await SyntheticCorpus.fromRepository(REPO_ROOT);
  const file = path.join(REPO_ROOT, "corpus/tass-2025-10-09-putin-dushanbe.md");
  real = parseArticle(file, await readFile(file, "utf8"));
  const gold = JSON.parse(await readFile(path.join(REPO_ROOT, "tests/gold/article-qa.json"), "utf8")) as {
    questions: { question: string }[];
  };
  // The article's gold questions, and questions made of words of the synthetic articles (their titles).
  questions = [
    ...gold.questions.map((entry) => entry.question),
    ...Array.from({ length: 40 }, (_, n) =>
      syntheticArticle(n * 3)
        .meta.title.split(" ")
        .slice(0, 6)
        .join(" "),
    ),
  ];
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function syntheticArticle(n: number, revision = 0): Article {
  const { fileName, text } = synthetic.article(n, revision);
  return parseArticle(fileName, text);
}

/** The articles numbered `numbers` (revision 1 for those in `edited`), then the real article. */
function corpusOf(numbers: readonly number[], edited: ReadonlySet<number> = new Set()): Article[] {
  return [...numbers.map((n) => syntheticArticle(n, edited.has(n) ? 1 : 0)), real];
}

async function answersOf(index: SanadIndex): Promise<Answer[]> {
  const answerer = createAnswerer(index, { topK: 3 });
  return Promise.all(questions.map((question) => answerer.answer(question)));
}

/** Everything of an index that answers depend on, without the vector labels (internal numbering). */
function contentOf(index: SanadIndex): unknown {
  return {
    documents: index.documents,
    sentences: index.sentences,
    passages: index.passages.map(({ id, doc, sentences }) => ({ id, doc, sentences })),
    terms: index.passages.map((_, position) => index.passageTerms(position)),
    counts: index.manifest.counts,
    corpusHash: index.manifest.corpusHash,
    // The question weights: an update counts removed passages out by their texts, not stored vectors.
    documentFrequency:
      index.embeddings instanceof HashingEmbeddings ? index.embeddings.documentFrequency : undefined,
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe("SanadIndex.update (incremental reindex)", () => {
  it.each([
    ["searched exactly, whose vectors are removed at once", {}],
    ["of graphs, whose vectors are marked deleted", { parallel: { exactSearchMaxBytes: 0 } }],
  ])(
    "answers exactly as a full rebuild after articles are added, edited and removed (a store %s)",
    async (kind, options) => {
      const graphs = kind.includes("graphs");
      const before = corpusOf(range(0, 30));
      const saved = path.join(tmp, graphs ? "index-graphs" : "index-exact");
      await (await SanadIndex.build(before, HASHING, options)).save(saved);

      // Three removed, two edited, four new; the rest unchanged.
      const after = corpusOf([...range(3, 30), ...range(30, 34)], new Set([10, 20]));
      const previous = await SanadIndex.load(saved, HASHING);
      const keptLabels = new Map(
        previous.passages.filter((p) => p.doc === "synthetic-000005").map((p) => [p.id, p.label]),
      );
      const { index: updated, summary } = await SanadIndex.update(previous, after, HASHING);
      expect(summary).toEqual({ kept: 26, added: 4, changed: 2, removed: 3, compacted: false });
      // An unchanged article keeps its vectors: same labels, nothing embedded again.
      for (const passage of updated.passages.filter((p) => p.doc === "synthetic-000005")) {
        expect(passage.label).toBe(keptLabels.get(passage.id));
      }
      const graphBefore = await stat(path.join(saved, hnswShardFile(0))).catch(() => undefined);
      await updated.save(saved);
      const reloaded = await SanadIndex.load(saved, HASHING);
      expect(reloaded.vectorStore.deletedCount > 0).toBe(graphs);
      // Graphs: the one built with the index is linked as it was (its deletions are listed beside it),
      // the new vectors are in a second graph of their own, the only one written.
      expect(reloaded.vectorStore.shardCount).toBe(graphs ? 2 : 0);
      if (graphBefore) {
        const graphAfter = await stat(path.join(saved, hnswShardFile(0)));
        expect(graphAfter.ino).toBe(graphBefore.ino);
      }
      expect(graphBefore !== undefined).toBe(graphs);

      const rebuilt = await SanadIndex.build(after, HASHING);
      expect(contentOf(reloaded)).toEqual(contentOf(rebuilt));
      expect(await answersOf(reloaded)).toEqual(await answersOf(rebuilt));
      expect(await answersOf(updated)).toEqual(await answersOf(rebuilt));
    },
  );

  it("compacts the vector graphs once deletions pass a fifth, and still answers as a full rebuild", async () => {
    // Graphs: a store searched exactly never holds deleted vectors.
    const previous = await SanadIndex.build(corpusOf(range(0, 20)), HASHING, {
      parallel: { exactSearchMaxBytes: 0 },
    });
    const after = corpusOf([...range(0, 12), 40, 41]);
    const { index: updated, summary } = await SanadIndex.update(previous, after, HASHING);
    expect(summary).toMatchObject({ kept: 13, added: 2, changed: 0, removed: 8, compacted: true });
    expect(updated.vectorStore.deletedCount).toBe(0);
    expect(updated.vectorStore.size).toBe(updated.passages.length);
    const rebuilt = await SanadIndex.build(after, HASHING);
    expect(contentOf(updated)).toEqual(contentOf(rebuilt));
    expect(await answersOf(updated)).toEqual(await answersOf(rebuilt));
  });

  it("answers as a full rebuild when the graphs are built in parallel shards", async () => {
    // Graphs at any size: a store this small is otherwise built without any, for exact search.
    const parallel = { shardThreshold: 50, shards: 2, exactSearchMaxBytes: 0 };
    const before = corpusOf(range(0, 12));
    const previous = await SanadIndex.build(before, HASHING, { parallel });
    expect(previous.vectorStore.shardCount).toBe(2);
    const after = corpusOf(range(2, 14), new Set([5]));
    const { index: updated } = await SanadIndex.update(previous, after, HASHING, { parallel });
    const rebuilt = await SanadIndex.build(after, HASHING, { parallel });
    expect(await answersOf(updated)).toEqual(await answersOf(rebuilt));
    const single = await SanadIndex.build(after, HASHING, { parallel: { exactSearchMaxBytes: 0 } });
    expect(single.vectorStore.shardCount).toBe(1);
    const exact = await SanadIndex.build(after, HASHING);
    expect(exact.vectorStore.shardCount).toBe(0);
    expect(await answersOf(exact)).toEqual(await answersOf(rebuilt));
    expect(await answersOf(single)).toEqual(await answersOf(rebuilt));
  });

  it("gives each passage's similarity from its text as the graphs hold it, bit for bit, before and after an update", async () => {
    const parallel = { shardThreshold: 50, shards: 2, exactSearchMaxBytes: 0 };
    const sameAsStored = async (index: SanadIndex): Promise<void> => {
      expect(index.vectorStore.searchedExactly).toBe(false);
      let compared = 0;
      for (const question of questions.slice(0, 20)) {
        const query = await index.embeddings.embedQuery(question);
        index.passages.forEach((passage, position) => {
          expect(index.similarityTo(query, position)).toBe(
            index.vectorStore.similarityTo(query, passage.label),
          );
          compared++;
        });
      }
      expect(compared).toBeGreaterThan(20 * 100);
    };
    const previous = await SanadIndex.build(corpusOf(range(0, 12)), HASHING, { parallel });
    await sameAsStored(previous);
    const after = corpusOf(range(2, 14), new Set([5]));
    await sameAsStored((await SanadIndex.update(previous, after, HASHING, { parallel })).index);
  });

  it("changes nothing when nothing changed", async () => {
    const articles = corpusOf(range(0, 5));
    const previous = await SanadIndex.build(articles, HASHING);
    const { index, summary } = await SanadIndex.update(previous, articles, HASHING);
    expect(summary).toEqual({ kept: 6, added: 0, changed: 0, removed: 0, compacted: false });
    expect(index.vectorStore.deletedCount).toBe(0);
  });
});

describe("SanadIndex.loadForUpdate (graphs an update does not add to are left unread)", () => {
  // Two graphs built together: an update adds a third, of its own, and leaves these two unread.
  const parallel = { shardThreshold: 50, shards: 2, exactSearchMaxBytes: 0 };
  let saved: string;

  beforeAll(async () => {
    saved = path.join(tmp, "deferred");
    await (await SanadIndex.build(corpusOf(range(0, 30)), HASHING, { parallel })).save(saved);
  });

  const inodes = async (dir: string, shards: readonly number[]): Promise<number[]> =>
    Promise.all(shards.map(async (shard) => (await stat(path.join(dir, hnswShardFile(shard)))).ino));

  it("links the unread graphs, deletes from them, and answers as a full rebuild once read", async () => {
    const dir = await copyFolder(saved, tmp);
    const before = await inodes(dir, [0, 1]);
    const previous = await SanadIndex.loadForUpdate(dir, HASHING);
    expect(previous.vectorStore.hasDeferredGraphs).toBe(true);
    // Two removed and one edited: their vectors are all in the unread graphs.
    const after = corpusOf(range(2, 30), new Set([7]));
    const { index: updated, summary } = await SanadIndex.update(previous, after, HASHING, { parallel });
    expect(summary).toEqual({ kept: 28, added: 0, changed: 1, removed: 2, compacted: false });
    await updated.save(dir);
    expect(await inodes(dir, [0, 1])).toEqual(before);
    // Not searchable until read: a store loaded for an update says so rather than answering wrongly.
    await expect(answersOf(updated)).rejects.toThrow(/was not read: the store was loaded for an update/);
    await updated.loadDeferred();

    const rebuilt = await SanadIndex.build(after, HASHING);
    const reloaded = await SanadIndex.load(dir, HASHING);
    expect(reloaded.vectorStore.shardCount).toBe(3);
    expect(contentOf(reloaded)).toEqual(contentOf(rebuilt));
    expect(contentOf(updated)).toEqual(contentOf(rebuilt));
    expect(await answersOf(reloaded)).toEqual(await answersOf(rebuilt));
    expect(await answersOf(updated)).toEqual(await answersOf(rebuilt));

    // Again: the graph of additions is read and added to, the two others stay unread and linked.
    const next = corpusOf([...range(3, 30), 40], new Set([7, 12]));
    const again = await SanadIndex.loadForUpdate(dir, HASHING);
    const second = await SanadIndex.update(again, next, HASHING, { parallel });
    expect(second.summary).toEqual({ kept: 27, added: 1, changed: 1, removed: 1, compacted: false });
    await second.index.save(dir);
    expect(await inodes(dir, [0, 1])).toEqual(before);
    const final = await SanadIndex.load(dir, HASHING);
    const rebuiltNext = await SanadIndex.build(next, HASHING);
    // The words of kept passages are copied as encoded; those no passage uses any more are dropped.
    const vocabulary = JSON.parse(await readFile(path.join(dir, "vocabulary.json"), "utf8")) as string[];
    const used = new Set(final.passages.flatMap((_, position) => final.passageTerms(position)));
    expect(new Set(vocabulary)).toEqual(used);
    expect(vocabulary).toHaveLength(used.size);
    expect(final.vectorStore.shardCount).toBe(3);
    expect(contentOf(final)).toEqual(contentOf(rebuiltNext));
    expect(await answersOf(final)).toEqual(await answersOf(rebuiltNext));
  });

  it("reads the unread graphs to compact them, and answers as a full rebuild", async () => {
    const dir = await copyFolder(saved, tmp);
    const previous = await SanadIndex.loadForUpdate(dir, HASHING);
    const after = corpusOf([...range(0, 18), 41]);
    const { index: updated, summary } = await SanadIndex.update(previous, after, HASHING, { parallel });
    expect(summary).toMatchObject({ removed: 12, added: 1, compacted: true });
    expect(updated.vectorStore.hasDeferredGraphs).toBe(false);
    expect(updated.vectorStore.deletedCount).toBe(0);
    await updated.save(dir);
    const rebuilt = await SanadIndex.build(after, HASHING);
    const reloaded = await SanadIndex.load(dir, HASHING);
    expect(contentOf(reloaded)).toEqual(contentOf(rebuilt));
    expect(await answersOf(reloaded)).toEqual(await answersOf(rebuilt));
  });

  it("refuses an unread graph that is missing or of another size, naming it", async () => {
    const cut = await copyFolder(saved, tmp);
    await cutFile(path.join(cut, hnswShardFile(1)), (size) => size - 8);
    const cutLoad = SanadIndex.loadForUpdate(cut, HASHING);
    await expect(cutLoad).rejects.toThrow(IndexLoadError);
    await expect(cutLoad).rejects.toThrow(/vectors-1\.hnsw has \d+ bytes, \d+ were written/);

    const missing = await copyFolder(saved, tmp);
    await unlink(path.join(missing, hnswShardFile(0)));
    await expect(SanadIndex.loadForUpdate(missing, HASHING)).rejects.toThrow(/vectors-0\.hnsw is missing/);
  });

  it("leaves a damaged unread graph to the load that reads it, which refuses it by name", async () => {
    const dir = await copyFolder(saved, tmp);
    await overwriteBytes(path.join(dir, hnswShardFile(0)), 96, 2);
    const previous = await SanadIndex.loadForUpdate(dir, HASHING);
    const { index } = await SanadIndex.update(previous, corpusOf(range(0, 30), new Set([4])), HASHING);
    await index.save(dir);
    const mismatch = /vectors-0\.hnsw does not hold the bytes that were written \(checksum mismatch\)/;
    await expect(index.loadDeferred()).rejects.toThrow(mismatch);
    await expect(index.loadDeferred()).rejects.toThrow(/npm run reindex -- --full/);
    await expect(SanadIndex.load(dir, HASHING)).rejects.toThrow(mismatch);
  });
});

describe("openIndex after an update", () => {
  it("reads the graphs left unread for a caller that answers, not for a reindex command", async () => {
    const parallel = { shardThreshold: 50, shards: 2, exactSearchMaxBytes: 0 };
    const corpusDir = path.join(tmp, "open-corpus");
    const indexDir = path.join(tmp, "open-index");
    await mkdir(corpusDir, { recursive: true });
    const write = async (n: number, revision = 0): Promise<void> => {
      const { fileName, text } = synthetic.article(n, revision);
      await writeFile(path.join(corpusDir, fileName), text);
    };
    for (const n of range(0, 12)) await write(n);
    const options = { corpusDir, indexDir, embeddings: HASHING, logger: silentLogger(), parallel };
    await openIndex({ ...options, rebuild: "full" });

    await write(3, 1);
    const reindexed = await openIndex({ ...options, rebuild: "incremental" });
    expect(reindexed.update).toMatchObject({ changed: 1 });
    expect(reindexed.index.vectorStore.hasDeferredGraphs).toBe(true);

    await write(5, 1);
    const served = await openIndex(options);
    expect(served.update).toMatchObject({ changed: 1 });
    expect(served.index.vectorStore.hasDeferredGraphs).toBe(false);
    const rebuilt = await SanadIndex.build(served.corpus.articles, HASHING);
    expect(await answersOf(served.index)).toEqual(await answersOf(rebuilt));
  });
});
