import { cp, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { mulberry32 } from "../support/prng.js";

import { Document } from "@langchain/core/documents";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  EXACT_SEARCH_MAX_BYTES,
  EXACT_VECTORS_FILE,
  HNSW_DOCS_FILE,
  hnswShardFile,
  searchedExactly,
} from "../../src/index/hnsw-store.js";
import { exactVectorsFileBytes, layoutBytes } from "../../src/index/exact-vectors.js";
import { DEFAULT_EF_SEARCH, HashingEmbeddings, HnswVectorStore } from "../../src/index/index.js";
import type { PassageMetadata } from "../../src/index/index.js";

/** Gaussian coordinates (Box–Muller), normalized: uniformly spread directions. */
function randomUnitVectors(count: number, dimensions: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const vector = Array.from({ length: dimensions }, gaussian);
    const length = Math.hypot(...vector);
    return vector.map((value) => value / length);
  });
}

const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

/** Labels of the k exact nearest neighbours by cosine similarity (brute force). */
function exactNeighbours(vectors: readonly number[][], query: readonly number[], k: number): number[] {
  return vectors
    .map((vector, label) => ({ label, similarity: dot(vector, query) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k)
    .map(({ label }) => label);
}

const passage = (i: number, text = `passage ${i}`): Document<PassageMetadata> =>
  new Document<PassageMetadata>({ pageContent: text, metadata: { passageId: `p${i}` } });

/**
 * A store of these vectors in a graph, as an index over the exact-search limit holds them (built with the
 * limit at 0; the store's own limit stays the default, so exact search can be prepared from the graph).
 */
async function storeOf(vectors: readonly number[][], dimensions: number): Promise<HnswVectorStore> {
  return HnswVectorStore.fromVectors(
    new HashingEmbeddings({ dimensions: 8 }),
    { dimensions },
    Float32Array.from(vectors.flat()),
    vectors.map((_, i) => `p${i}`),
    { exactSearchMaxBytes: 0 },
  );
}

/** Mean recall@k of the store's search against brute force. */
async function recallAt(
  store: HnswVectorStore,
  vectors: readonly number[][],
  queries: readonly number[][],
  k: number,
): Promise<number> {
  let found = 0;
  for (const query of queries) {
    const exact = new Set(exactNeighbours(vectors, query, k).map((label) => `p${label}`));
    const hits = await store.similaritySearchVectorWithScore([...query], k);
    found += hits.filter(([document]) => exact.has(document.metadata.passageId)).length;
  }
  return found / (queries.length * k);
}

const ARABIC_TEXTS = [
  "يواصل الرئيس الروسي فلاديمير بوتين برنامجه في دوشنبه.",
  "ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.",
  "استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان.",
  "تعمل القاعدة العسكرية الروسية رقم 201 مع القوات المسلحة الطاجيكستانية.",
  "ومن المتوقع أن يعتمد القادة بياناً مشتركاً وخطة عمل مشتركة.",
];

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-hnsw-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("HnswVectorStore", () => {
  const embeddings = new HashingEmbeddings({ dimensions: 256 });
  let textStore: HnswVectorStore;

  beforeAll(async () => {
    // In graphs, as a store over its exact-search limit keeps them: the damaged-file cases damage a graph.
    textStore = new HnswVectorStore(embeddings, { dimensions: 256, exactSearchMaxBytes: 0 });
    const ids = await textStore.addDocuments(ARABIC_TEXTS.map((text, i) => passage(i, text)));
    expect(ids).toEqual(["p0", "p1", "p2", "p3", "p4"]);
  });

  it("counts its documents and names its type", () => {
    expect(textStore.size).toBe(ARABIC_TEXTS.length);
    expect(textStore.dimensions).toBe(256);
    expect(textStore._vectorstoreType()).toBe("sanad-hnswlib");
    expect(DEFAULT_EF_SEARCH).toBe(400);
  });

  it("returns cosine similarity, higher is better", async () => {
    const query = embeddings.embedText(ARABIC_TEXTS[1] ?? "");
    const hits = await textStore.similaritySearchVectorWithScore(query, ARABIC_TEXTS.length);
    expect(hits).toHaveLength(ARABIC_TEXTS.length);
    const [first] = hits;
    expect(first?.[0].metadata.passageId).toBe("p1");
    expect(first?.[0].pageContent).toBe(ARABIC_TEXTS[1]);
    expect(first?.[1]).toBeCloseTo(1, 5);
    const scores = hits.map(([, score]) => score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const [document, score] of hits) {
      const stored = embeddings.embedText(document.pageContent);
      expect(score).toBeCloseTo(dot(query, stored), 5);
      expect(score).toBeLessThanOrEqual(1 + 1e-6);
      expect(score).toBeGreaterThanOrEqual(-1 - 1e-6);
    }
  });

  it("answers LangChain's text search with the same similarities", async () => {
    const hits = await textStore.similaritySearchWithScore("الطلاب الطاجيكستانيون في المؤسسات الروسية", 2);
    expect(hits).toHaveLength(2);
    expect(hits[0]?.[0].metadata.passageId).toBe("p1");
    expect(hits[0]?.[1]).toBeGreaterThan(hits[1]?.[1] ?? 1);
  });

  it("does not throw for k larger than its size", async () => {
    const hits = await textStore.similaritySearchVectorWithScore(embeddings.embedText("روسيا"), 100);
    expect(hits).toHaveLength(ARABIC_TEXTS.length);
    expect(new Set(hits.map(([document]) => document.metadata.passageId)).size).toBe(ARABIC_TEXTS.length);
  });

  it("returns nothing for k = 0", async () => {
    expect(await textStore.similaritySearchVectorWithScore(embeddings.embedText("روسيا"), 0)).toEqual([]);
  });

  it("returns nothing when empty", async () => {
    const empty = new HnswVectorStore(embeddings, { dimensions: 256 });
    expect(empty.size).toBe(0);
    expect(await empty.similaritySearchVectorWithScore(embeddings.embedText("روسيا"), 5)).toEqual([]);
  });

  it("starts without a graph, and grows one only past its exact-search limit", async () => {
    const store = new HnswVectorStore(embeddings, { dimensions: 256 });
    expect(store.shardCount).toBe(0);
    await store.addDocuments(ARABIC_TEXTS.map((text, i) => passage(i, text)));
    expect(store.shardCount).toBe(0);
    for (const text of ["روسيا", ARABIC_TEXTS[3] ?? ""]) {
      const query = embeddings.embedText(text);
      const exact = await store.similaritySearchVectorWithScore(query, 3);
      const graphed = await textStore.similaritySearchVectorWithScore(query, 3);
      expect(exact.map(([document]) => document)).toEqual(graphed.map(([document]) => document));
      // The same similarities, summed in another order (hnswlib's kernel, ours).
      exact.forEach(([, similarity], i) => {
        expect(similarity).toBeCloseTo(graphed[i]?.[1] ?? NaN, 5);
      });
    }
    const bounded = new HnswVectorStore(embeddings, { dimensions: 256, exactSearchMaxBytes: 3 * 256 * 4 });
    await bounded.addDocuments(ARABIC_TEXTS.slice(0, 3).map((text, i) => passage(i, text)));
    expect(bounded.shardCount).toBe(0);
    await bounded.addDocuments([passage(3, ARABIC_TEXTS[3] ?? "")]);
    // A graph of the three it held, and one of its own for what is added after (see deltaShard).
    expect(bounded.shardCount).toBe(2);
    const [hit] = await bounded.similaritySearchWithScore(ARABIC_TEXTS[3] ?? "", 1);
    expect(hit?.[0].metadata.passageId).toBe("p3");
  });

  it("gives a zero query vector similarity 0 to everything", async () => {
    const hits = await textStore.similaritySearchVectorWithScore(embeddings.embedText("في من"), 3);
    expect(hits).toHaveLength(3);
    for (const [, score] of hits) expect(score).toBeCloseTo(0, 6);
  });

  it("keeps only the documents a filter accepts", async () => {
    const query = embeddings.embedText(ARABIC_TEXTS[1] ?? "");
    const even = (document: Document<PassageMetadata>): boolean =>
      Number(document.metadata.passageId.slice(1)) % 2 === 0;
    const hits = await textStore.similaritySearchVectorWithScore(query, 5, even);
    expect(hits.map(([document]) => document.metadata.passageId).sort()).toEqual(["p0", "p2", "p4"]);
  });

  it("treats a throwing filter as rejecting, without crashing", async () => {
    const query = embeddings.embedText(ARABIC_TEXTS[0] ?? "");
    const hits = await textStore.similaritySearchVectorWithScore(query, 5, () => {
      throw new Error("filter bug");
    });
    expect(hits).toEqual([]);
    const some = await textStore.similaritySearchVectorWithScore(query, 5, (document) => {
      if (document.metadata.passageId === "p0") throw new Error("filter bug");
      return true;
    });
    expect(some.map(([document]) => document.metadata.passageId)).not.toContain("p0");
    expect(some).toHaveLength(4);
  });

  it("matches its search similarity in similarityTo", async () => {
    const query = embeddings.embedText("التجارة بين روسيا وطاجيكستان");
    const hits = await textStore.similaritySearchVectorWithScore(query, ARABIC_TEXTS.length);
    for (const [document, score] of hits) {
      const label = Number(document.metadata.passageId.slice(1));
      expect(textStore.similarityTo(query, label)).toBeCloseTo(score, 5);
    }
  });

  it("rejects vectors that do not fit", async () => {
    const store = new HnswVectorStore(embeddings, { dimensions: 4 });
    await expect(async () => store.addVectors([[1, 0, 0, 0]], [passage(0), passage(1)])).rejects.toThrow(
      RangeError,
    );
    await expect(async () => store.addVectors([[1, 0, 0]], [passage(0)])).rejects.toThrow(
      /3 dimensions in a 4-dimension index/,
    );
  });

  it("keeps adding after a first batch", async () => {
    const store = new HnswVectorStore(embeddings, { dimensions: 2 });
    await store.addVectors([[1, 0]], [passage(0)]);
    await store.addVectors([[0, 1]], [passage(1)]);
    expect(store.size).toBe(2);
    const [hit] = await store.similaritySearchVectorWithScore([0, 1], 1);
    expect(hit?.[0].metadata.passageId).toBe("p1");
  });

  describe("against brute force on 500 random unit vectors", () => {
    const dimensions = 48;
    const vectors = randomUnitVectors(500, dimensions, 20_251_009);
    const queries = randomUnitVectors(60, dimensions, 42);
    let store: HnswVectorStore;

    beforeAll(async () => {
      store = await storeOf(vectors, dimensions);
    });

    it("has recall@10 of at least 0.95", async () => {
      expect(await recallAt(store, vectors, queries, 10)).toBeGreaterThanOrEqual(0.95);
    });

    it("finds every stored vector as its own nearest neighbour, with similarity 1", async () => {
      for (const label of [0, 17, 250, 499]) {
        const [hit] = await store.similaritySearchVectorWithScore([...(vectors[label] ?? [])], 1);
        expect(hit?.[0].metadata.passageId).toBe(`p${label}`);
        expect(hit?.[1]).toBeCloseTo(1, 5);
      }
    });

    it("reports the exact cosine similarity of each hit", async () => {
      const query = queries[0] ?? [];
      for (const [document, score] of await store.similaritySearchVectorWithScore([...query], 10)) {
        const label = Number(document.metadata.passageId.slice(1));
        expect(score).toBeCloseTo(dot(vectors[label] ?? [], query), 5);
        expect(store.similarityTo(query, label)).toBeCloseTo(score, 6);
      }
    });

    it("gives identical results after save and load, with the search breadth restored", async () => {
      const dir = await mkdtemp(path.join(tmp, "random-"));
      await store.save(dir);
      const loaded = await HnswVectorStore.load(dir, new HashingEmbeddings({ dimensions: 8 }));
      expect(loaded.size).toBe(500);
      expect(loaded.dimensions).toBe(dimensions);
      for (const query of queries.slice(0, 20)) {
        expect(await loaded.similaritySearchVectorWithScore([...query], 10)).toEqual(
          await store.similaritySearchVectorWithScore([...query], 10),
        );
      }
      // hnswlib resets the search breadth to 10 on load; the store must set it again.
      expect(await recallAt(loaded, vectors, queries, 10)).toBeGreaterThanOrEqual(0.95);
    });
  });

  describe("save and load", () => {
    let saved: string;

    beforeAll(async () => {
      saved = await mkdtemp(path.join(tmp, "text-"));
      await textStore.save(saved);
    });

    /** A fresh copy of the saved store's folder, to damage. */
    async function copyOfSaved(): Promise<string> {
      const dir = await mkdtemp(path.join(tmp, "copy-"));
      await cp(saved, dir, { recursive: true });
      return dir;
    }

    it("round-trips documents and search results", async () => {
      const loaded = await HnswVectorStore.load(saved, embeddings);
      expect(loaded.size).toBe(textStore.size);
      for (const text of ["روسيا", "الطلاب", ARABIC_TEXTS[3] ?? ""]) {
        const query = embeddings.embedText(text);
        expect(await loaded.similaritySearchVectorWithScore(query, 3)).toEqual(
          await textStore.similaritySearchVectorWithScore(query, 3),
        );
      }
      const [hit] = await loaded.similaritySearchWithScore(ARABIC_TEXTS[2] ?? "", 1);
      expect(hit?.[0]).toBeInstanceOf(Document);
      expect(hit?.[0].metadata).toEqual({ passageId: "p2" });
    });

    it("can grow after loading", async () => {
      const loaded = await HnswVectorStore.load(await copyOfSaved(), embeddings);
      await loaded.addDocuments([passage(9, "أسعار النفط في الأسواق العالمية")]);
      expect(loaded.size).toBe(ARABIC_TEXTS.length + 1);
      const [hit] = await loaded.similaritySearchWithScore("أسعار النفط في الأسواق العالمية", 1);
      expect(hit?.[0].metadata.passageId).toBe("p9");
    });

    it.each<[string, (dir: string) => Promise<void>]>([
      ["a truncated graph file", async (dir) => truncate(path.join(dir, hnswShardFile(0)), 0.5)],
      ["a graph file cut by a few bytes", async (dir) => truncate(path.join(dir, hnswShardFile(0)), 0.99)],
      ["an empty graph file", async (dir) => writeFile(path.join(dir, hnswShardFile(0)), "")],
      [
        "a graph file of garbage",
        async (dir) => writeFile(path.join(dir, hnswShardFile(0)), Buffer.alloc(4096, 0xff)),
      ],
      ["a missing graph file", async (dir) => unlink(path.join(dir, hnswShardFile(0)))],
      ["a missing passage file", async (dir) => unlink(path.join(dir, HNSW_DOCS_FILE))],
      ["a passage file that is not JSON", async (dir) => writeFile(path.join(dir, HNSW_DOCS_FILE), "{oops")],
      [
        "a passage file without documents",
        async (dir) => writeFile(path.join(dir, HNSW_DOCS_FILE), JSON.stringify({ dimensions: 256 })),
      ],
      [
        "a passage file with one passage fewer than the graph",
        async (dir) => editDocs(dir, (saved) => ({ ...saved, passages: saved.passages.slice(1) })),
      ],
      [
        "a passage file whose dimensions disagree with the graph",
        async (dir) => editDocs(dir, (saved) => ({ ...saved, dimensions: 128 })),
      ],
    ])("rejects %s", async (_name, damage) => {
      const dir = await copyOfSaved();
      await damage(dir);
      await expect(HnswVectorStore.load(dir, embeddings)).rejects.toThrow();
    });
  });
});

async function truncate(file: string, fraction: number): Promise<void> {
  const bytes = await readFile(file);
  await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

interface SavedDocs {
  dimensions: number;
  passages: unknown[];
}

async function editDocs(dir: string, edit: (saved: SavedDocs) => SavedDocs): Promise<void> {
  const file = path.join(dir, HNSW_DOCS_FILE);
  await writeFile(file, JSON.stringify(edit(JSON.parse(await readFile(file, "utf8")) as SavedDocs)));
}

describe("HnswVectorStore exact search (small stores)", () => {
  const vectors = randomUnitVectors(400, 32, 11);
  const queries = randomUnitVectors(30, 32, 12);

  it("finds exactly the brute-force nearest neighbours, with their similarities", async () => {
    const store = await storeOf(vectors, 32);
    expect(store.exactSimilarities(queries[0] ?? [])).toBeUndefined();
    expect(store.prepareExactSearch()).toBe(true);
    for (const query of queries) {
      const exact = store.exactSimilarities(query);
      const best = exact?.best(10) ?? [];
      expect(best.map(([label]) => label)).toEqual(exactNeighbours(vectors, query, 10));
      for (const [label, similarity] of best) {
        expect(similarity).toBeCloseTo(dot(vectors[label] ?? [], query), 5);
      }
      // Every vector's similarity is there, in the order of the labels given.
      exact?.labels.forEach((label, i) => {
        expect(exact.values[i]).toBeCloseTo(dot(vectors[label] ?? [], query), 5);
      });
    }
  });

  it("a sparse query (a hashing query's few non-zero dimensions) gives the same as a dense one", async () => {
    const store = await storeOf(vectors, 32);
    store.prepareExactSearch();
    const sparse = Array.from({ length: 32 }, (_, d) => (d % 7 === 0 ? ((queries[1] ?? [])[d] ?? 0) : 0));
    const best = store.exactSimilarities(sparse)?.best(5) ?? [];
    expect(best.map(([label]) => label)).toEqual(exactNeighbours(vectors, sparse, 5));
  });

  it("breaks ties of similarity by passage id, as text (p10 before p2), through additions and deletions", async () => {
    // The first three point partly along the query; the rest are orthogonal to it, all tied at 0.
    const tied = Array.from({ length: 24 }, (_, i) =>
      Array.from({ length: 8 }, (_, d) =>
        i < 3 ? (d === 0 ? 0.5 + i / 10 : d === 1 ? 0.5 : 0) : d === 2 + (i % 6) ? 1 : 0,
      ),
    );
    const query = [1, 0, 0, 0, 0, 0, 0, 0];
    const byId = (labels: readonly number[]): number[] =>
      [...labels].sort((a, b) => (`p${a}` < `p${b}` ? -1 : `p${a}` > `p${b}` ? 1 : 0));
    const store = await storeOf(tied, 8);
    store.prepareExactSearch();
    const zeros = byId(Array.from({ length: 21 }, (_, i) => i + 3));
    expect(
      store
        .exactSimilarities(query)
        ?.best(10)
        .map(([label]) => label),
    ).toEqual([2, 1, 0, ...zeros.slice(0, 7)]);
    // A new layout (a passage gone, another added) orders its ties anew.
    store.deleteLabels([10]);
    const [added] = await store.addVectors([[0, 0, 0, 0, 0, 0, 0, 1]], [passage(24)]);
    expect(added).toBe("p24");
    const after = byId([...zeros.filter((label) => label !== 10), 24]);
    expect(
      store
        .exactSimilarities(query)
        ?.best(12)
        .map(([label]) => label),
    ).toEqual([2, 1, 0, ...after.slice(0, 9)]);
  });

  it("can be prepared in the background, and a change meanwhile leaves it unprepared", async () => {
    const store = await storeOf(vectors, 32);
    const ready = store.prepareExactSearchInBackground();
    // Until it is done, searches go through the graph.
    expect(store.exactSimilarities(queries[0] ?? [])).toBeUndefined();
    expect(await ready).toBe(true);
    const best = store.exactSimilarities(queries[0] ?? [])?.best(5) ?? [];
    expect(best.map(([label]) => label)).toEqual(exactNeighbours(vectors, queries[0] ?? [], 5));

    const changing = await storeOf(vectors, 32);
    const stale = changing.prepareExactSearchInBackground();
    changing.deleteLabels([0]);
    expect(await stale).toBe(false);
    expect(changing.exactSimilarities(queries[0] ?? [])).toBeUndefined();
    expect(await changing.prepareExactSearchInBackground()).toBe(true);
    expect(changing.exactSimilarities(queries[0] ?? [])?.labels).not.toContain(0);
  });

  it("replaces the graphs once prepared, follows every change, and is not prepared over its byte limit", async () => {
    const store = await storeOf(vectors.slice(0, 50), 32);
    expect(store.prepareExactSearch(49 * 32 * 4)).toBe(false);
    expect(store.shardCount).toBe(1);
    expect(store.prepareExactSearch()).toBe(true);
    expect(store.shardCount).toBe(0);
    expect(store.exactSearchBytes).toBe(50 * 32 * 4 + 50 * 4);
    store.deleteLabels([3]);
    expect(store.exactSimilarities(queries[0] ?? [])?.labels).not.toContain(3);
    const [added] = await store.addVectors([[...(vectors[60] ?? [])]], [passage(60)]);
    expect(added).toBe("p60");
    const best = store.exactSimilarities(vectors[60] ?? [])?.best(1);
    expect(best?.[0]?.[0]).toBe(50);
    expect(store.shardCount).toBe(0);
    // The default limit: the vectors of 1,024 dimensions that 128 MiB holds, and not one more.
    const fits = EXACT_SEARCH_MAX_BYTES / (1024 * 4);
    expect(searchedExactly(fits, 1024)).toBe(true);
    expect(searchedExactly(fits + 1, 1024)).toBe(false);
  });
});

describe("HnswVectorStore without graphs (a store small enough for exact search)", () => {
  const dimensions = 32;
  const vectors = randomUnitVectors(300, dimensions, 21);
  const queries = randomUnitVectors(20, dimensions, 22);
  const rows = Float32Array.from(vectors.flat());
  const ids = vectors.map((_, i) => `p${i}`);
  const embeddings = new HashingEmbeddings({ dimensions: 8 });
  const fromRows = (options = {}): Promise<HnswVectorStore> =>
    // A copy each time: a store searched exactly takes the array over.
    HnswVectorStore.fromVectors(embeddings, { dimensions }, rows.slice(), ids, options);
  const labelsOf = (hits: [Document<PassageMetadata>, number][]): number[] =>
    hits.map(([document]) => Number(document.metadata.passageId.slice(1)));

  it("is built without a graph and searches exactly, with no preparation", async () => {
    const store = await fromRows();
    expect(store.shardCount).toBe(0);
    expect(store.exactSearchBytes).toBe(300 * dimensions * 4 + 300 * 4);
    for (const query of queries) {
      expect(labelsOf(await store.similaritySearchVectorWithScore([...query], 10))).toEqual(
        exactNeighbours(vectors, query, 10),
      );
    }
    // Its vectors are the ones given, and a filter is applied before the k best are taken.
    expect(store.vectorOf(7)).toEqual([...rows.subarray(7 * dimensions, 8 * dimensions)]);
    const even = await store.similaritySearchVectorWithScore(
      [...(queries[0] ?? [])],
      5,
      (document) => Number(document.metadata.passageId.slice(1)) % 2 === 0,
    );
    expect(labelsOf(even)).toEqual(
      exactNeighbours(vectors, queries[0] ?? [], 300)
        .filter((label) => label % 2 === 0)
        .slice(0, 5),
    );
  });

  it("keeps to the limit it is given: graphs above it, and exact search is not prepared", async () => {
    const limited = await HnswVectorStore.fromVectors(
      embeddings,
      { dimensions, exactSearchMaxBytes: 299 * dimensions * 4 },
      rows.slice(),
      ids,
    );
    expect(limited.shardCount).toBe(1);
    expect(limited.prepareExactSearch()).toBe(false);
    expect(limited.prepareExactSearch(300 * dimensions * 4)).toBe(true);
  });

  it("is built with graphs when exactSearchMaxBytes is 0, and both search alike", async () => {
    const graphed = await fromRows({ exactSearchMaxBytes: 0 });
    expect(graphed.shardCount).toBe(1);
    const exact = await fromRows();
    expect(await recallAt(graphed, vectors, queries, 10)).toBeGreaterThan(0.95);
    expect(await recallAt(exact, vectors, queries, 10)).toBe(1);
  });

  it("is saved as its vectors, not a graph, and loads searching exactly what was saved", async () => {
    const store = await fromRows();
    const dir = await mkdtemp(path.join(tmp, "exact-"));
    await store.save(dir);
    expect((await readdir(dir)).sort()).toEqual([HNSW_DOCS_FILE, EXACT_VECTORS_FILE].sort());
    // Every value of these dense vectors: the dense layout is the smaller.
    expect((await stat(path.join(dir, EXACT_VECTORS_FILE))).size).toBe(
      exactVectorsFileBytes("dense", 300, dimensions, 300 * dimensions),
    );
    const loaded = await HnswVectorStore.load(dir, embeddings);
    expect(loaded.shardCount).toBe(0);
    expect(loaded.prepareExactSearch()).toBe(true);
    for (const query of queries.slice(0, 5)) {
      expect(loaded.exactSimilarities(query)?.best(10)).toEqual(store.exactSimilarities(query)?.best(10));
    }
    expect(loaded.vectorOf(7)).toEqual(store.vectorOf(7));
  });

  /** Overwrites the 32-bit number at byte `at` of the vector file. */
  const overwrite = (at: number, value: number) => async (dir: string) => {
    const file = path.join(dir, EXACT_VECTORS_FILE);
    const bytes = await readFile(file);
    bytes.writeInt32LE(value, at);
    await writeFile(file, bytes);
  };
  // The header's six numbers: magic, layout, count, dimensions, values, bytes per index.
  const LABELS_AT = 24;

  it.each<[string, (dir: string) => Promise<void>, RegExp]>([
    [
      "a truncated vector file",
      async (dir) => truncate(path.join(dir, EXACT_VECTORS_FILE), 0.5),
      /vectors\.f32 has \d+ bytes, its header \(300 vectors of 32 dimensions, 9600 values\) says \d+/,
    ],
    ["a missing vector file", async (dir) => unlink(path.join(dir, EXACT_VECTORS_FILE)), /ENOENT/],
    [
      "a vector file of other labels",
      overwrite(LABELS_AT, 12345),
      /vectors\.f32 holds other labels than vectors\.json lists/,
    ],
    [
      "a vector file of something else",
      overwrite(0, 0),
      /vectors\.f32 is not a file of vectors for exact search/,
    ],
    [
      "a vector file of other dimensions",
      async (dir) => {
        // Its own header consistent, vectors.json saying otherwise.
        const file = path.join(dir, HNSW_DOCS_FILE);
        const saved = JSON.parse(await readFile(file, "utf8")) as { dimensions: number };
        await writeFile(file, JSON.stringify({ ...saved, dimensions: 64 }));
      },
      /vectors\.f32 holds 300 vectors of 32 dimensions, vectors\.json lists 300 of 64/,
    ],
    [
      "deleted vectors listed without a graph",
      async (dir) => {
        const file = path.join(dir, HNSW_DOCS_FILE);
        const saved = JSON.parse(await readFile(file, "utf8")) as { deleted: number[] };
        await writeFile(file, JSON.stringify({ ...saved, deleted: [400] }));
      },
      /vectors\.json lists deleted vectors without a graph/,
    ],
  ])("refuses %s", async (_damage, damage, message) => {
    const dir = await mkdtemp(path.join(tmp, "exact-damaged-"));
    await (await fromRows()).save(dir);
    await damage(dir);
    await expect(HnswVectorStore.load(dir, embeddings)).rejects.toThrow(message);
  });

  it("keeps sparse vectors (hashing ones) as their non-zero values, in memory and on disk", async () => {
    const hashing = new HashingEmbeddings({ dimensions: 512 });
    const texts = Array.from({ length: 40 }, (_, i) => `${ARABIC_TEXTS[i % ARABIC_TEXTS.length] ?? ""} ${i}`);
    const sparseRows = Float32Array.from(texts.flatMap((text) => hashing.embedText(text)));
    const nonZeros = sparseRows.reduce((n, value) => n + (value !== 0 ? 1 : 0), 0);
    expect(nonZeros).toBeLessThan(sparseRows.length / 4);
    const store = await HnswVectorStore.fromVectors(
      hashing,
      { dimensions: 512 },
      sparseRows.slice(),
      texts.map((_, i) => `p${i}`),
    );
    expect(store.exactSearchBytes).toBe(40 * 4 + layoutBytes("sparse", 40, 512, nonZeros));
    const dir = await mkdtemp(path.join(tmp, "exact-sparse-"));
    await store.save(dir);
    expect((await stat(path.join(dir, EXACT_VECTORS_FILE))).size).toBe(
      exactVectorsFileBytes("sparse", 40, 512, nonZeros),
    );
    const loaded = await HnswVectorStore.load(dir, hashing);
    expect(loaded.exactSearchBytes).toBe(store.exactSearchBytes);
    const query = hashing.embedText(texts[7] ?? "");
    expect(loaded.exactSimilarities(query)?.values).toEqual(store.exactSimilarities(query)?.values);
    expect(loaded.exactSimilarities(query)?.best(3)[0]?.[0]).toBe(7);
    expect(loaded.vectorOf(7)).toEqual([...sparseRows.subarray(7 * 512, 8 * 512)]);
  });

  it("is changed without a graph, and saves and loads what it holds", async () => {
    const store = await fromRows();
    store.deleteLabels([0, 1, 2]);
    expect(store.shardCount).toBe(0);
    expect(store.deletedCount).toBe(0);
    expect(store.size).toBe(297);
    await store.addVectors([[...(vectors[0] ?? [])]], [passage(1000)]);
    expect(store.shardCount).toBe(0);
    const [top] = await store.similaritySearchVectorWithScore([...(vectors[0] ?? [])], 1);
    expect(top?.[0].metadata.passageId).toBe("p1000");
    const dir = await mkdtemp(path.join(tmp, "changed-"));
    await store.save(dir);
    const loaded = await HnswVectorStore.load(dir, embeddings);
    expect(loaded.size).toBe(298);
    expect(loaded.passageIdOf(0)).toBeUndefined();
    const [again] = await loaded.similaritySearchVectorWithScore([...(vectors[0] ?? [])], 1);
    expect(again?.[0].metadata.passageId).toBe("p1000");
    expect(labelsOf(await loaded.similaritySearchVectorWithScore([...(queries[0] ?? [])], 10))).toEqual(
      labelsOf(await store.similaritySearchVectorWithScore([...(queries[0] ?? [])], 10)),
    );
  });
});

describe("HnswVectorStore saved again after a load (an incremental reindex)", () => {
  const dimensions = 16;
  const vectors = randomUnitVectors(120, dimensions, 31);
  const embeddings = new HashingEmbeddings({ dimensions: 8 });

  it("links the graphs it did not add to, keeps their deletions, and adds to one graph of its own", async () => {
    const first = await mkdtemp(path.join(tmp, "linked-a-"));
    await (await storeOf(vectors.slice(0, 100), dimensions)).save(first);

    const loaded = await HnswVectorStore.load(first, embeddings);
    loaded.deleteLabels([5]);
    const second = await mkdtemp(path.join(tmp, "linked-b-"));
    expect(await loaded.saveLinking(second)).toEqual({});
    // The graph was not written again: the same file, without the mark, which the load makes again.
    expect((await stat(path.join(second, hnswShardFile(0)))).ino).toBe(
      (await stat(path.join(first, hnswShardFile(0)))).ino,
    );
    const reloaded = await HnswVectorStore.load(second, embeddings);
    expect(reloaded.deletedCount).toBe(1);
    const hits = await reloaded.similaritySearchVectorWithScore([...(vectors[5] ?? [])], 100);
    expect(hits.map(([document]) => document.metadata.passageId)).not.toContain("p5");
    expect(hits).toHaveLength(99);

    // New vectors go to a graph of their own, which later additions share.
    await reloaded.addVectors(
      vectors.slice(100, 110).map((vector) => [...vector]),
      range(100, 110).map((i) => passage(i)),
    );
    expect(reloaded.shardCount).toBe(2);
    const third = await mkdtemp(path.join(tmp, "linked-c-"));
    await reloaded.save(third);
    const again = await HnswVectorStore.load(third, embeddings);
    await again.addVectors(
      vectors.slice(110, 120).map((vector) => [...vector]),
      range(110, 120).map((i) => passage(i)),
    );
    expect(again.shardCount).toBe(2);
    const [nearest] = await again.similaritySearchVectorWithScore([...(vectors[115] ?? [])], 1);
    expect(nearest?.[0].metadata.passageId).toBe("p115");
    expect(
      await recallAt(
        again,
        vectors.map((vector, i) => (i === 5 ? vector.map(() => 0) : vector)),
        vectors.slice(0, 10),
        5,
      ),
    ).toBeGreaterThan(0.9);
  });

  it("gives the checksums the load was given for the files it linked", async () => {
    const first = await mkdtemp(path.join(tmp, "sums-a-"));
    await (await storeOf(vectors.slice(0, 40), dimensions)).save(first);
    const checksum = { bytes: (await stat(path.join(first, hnswShardFile(0)))).size, sha256: "f".repeat(64) };
    const loaded = await HnswVectorStore.load(first, embeddings, {
      checksums: { [hnswShardFile(0)]: checksum },
    });
    const second = await mkdtemp(path.join(tmp, "sums-b-"));
    expect(await loaded.saveLinking(second)).toEqual({ [hnswShardFile(0)]: checksum });
    // Once added to, the graph is written again, and its checksum is for the caller to compute.
    await loaded.addVectors([[...(vectors[50] ?? [])]], [passage(50)]);
    const third = await mkdtemp(path.join(tmp, "sums-c-"));
    expect(await loaded.saveLinking(third)).toEqual({ [hnswShardFile(0)]: checksum });
    expect(loaded.shardCount).toBe(2);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe("HnswVectorStore.fromBatches (a build that never holds every vector beside its graphs)", () => {
  const dimensions = 16;
  const vectors = randomUnitVectors(90, dimensions, 41);
  const ids = vectors.map((_, i) => `p${i}`);
  const embeddings = new HashingEmbeddings({ dimensions: 8 });
  async function* batchesOf(size: number): AsyncGenerator<Float32Array> {
    for (let start = 0; start < vectors.length; start += size) {
      yield await Promise.resolve(Float32Array.from(vectors.slice(start, start + size).flat()));
    }
  }
  const rankingsOf = async (store: HnswVectorStore): Promise<string[][]> =>
    Promise.all(
      vectors
        .slice(0, 15)
        .map(async (query) =>
          (await store.similaritySearchVectorWithScore([...query], 10)).map(
            ([document]) => document.metadata.passageId,
          ),
        ),
    );

  it.each([
    ["searched exactly", {}],
    ["one graph", { exactSearchMaxBytes: 0 }],
    ["three graphs in worker threads", { exactSearchMaxBytes: 0, shardThreshold: 10, shards: 3 }],
  ])("builds from batches what it builds from one array (%s)", async (_kind, options) => {
    const whole = await HnswVectorStore.fromVectors(
      embeddings,
      { dimensions },
      Float32Array.from(vectors.flat()),
      ids,
      options,
    );
    const batched = await HnswVectorStore.fromBatches(
      { dimensions },
      ids,
      batchesOf(7),
      () => embeddings,
      options,
    );
    expect(batched.shardCount).toBe(whole.shardCount);
    expect(batched.size).toBe(90);
    expect(await rankingsOf(batched)).toEqual(await rankingsOf(whole));
    expect(batched.vectorOf(42)).toEqual(whole.vectorOf(42));
  });

  it("stops its workers and fails when the batches fail or do not add up", async () => {
    const options = { exactSearchMaxBytes: 0, shardThreshold: 10, shards: 2 };
    async function* failing(): AsyncGenerator<Float32Array> {
      yield await Promise.resolve(Float32Array.from(vectors.slice(0, 10).flat()));
      throw new Error("the embeddings server went away");
    }
    await expect(
      HnswVectorStore.fromBatches({ dimensions }, ids, failing(), () => embeddings, options),
    ).rejects.toThrow("the embeddings server went away");
    async function* short(): AsyncGenerator<Float32Array> {
      yield await Promise.resolve(Float32Array.from(vectors.slice(0, 10).flat()));
    }
    await expect(
      HnswVectorStore.fromBatches({ dimensions }, ids, short(), () => embeddings, options),
    ).rejects.toThrow("10 vectors for 90 passages");
    await expect(
      HnswVectorStore.fromBatches({ dimensions }, ids, short(), () => embeddings, {}),
    ).rejects.toThrow("10 vectors for 90 passages");
  });
});
