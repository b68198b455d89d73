/**
 * The embeddings providers behind one interface: the hashing one and an OpenAI-compatible server (the
 * loopback stand-in) go through the same calls, and differ only where the providers really do.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import type { Embeddings } from "@langchain/core/embeddings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig, type EmbeddingsConfig } from "../../src/config/index.js";
import {
  embeddingsIdentity,
  HashingEmbeddings,
  IndexBuildError,
  IndexLoadError,
} from "../../src/index/index.js";
import {
  embeddingsProviderFor,
  SERVER_EXACT_SEARCH_MAX_BYTES,
  HASHING_MODEL,
  rowsOf,
  type EmbeddingsProvider,
  type PassageVectors,
} from "../../src/index/embeddings-provider.js";
import { FREQUENCY_FILE } from "../../src/index/index-files.js";
import { INDEX_FORMAT_VERSION, type IndexManifest } from "../../src/index/manifest.js";
import { analyzeForIndex } from "../../src/text/index.js";
import { startOpenAIStandIn, STAND_IN_DIMENSIONS, type OpenAIStandIn } from "../support/openai-stand-in.js";

const SENTENCES = [
  "التقى الرئيس الروسي نظيره الطاجيكي في دوشنبه.",
  "يدرس نحو 35 ألف طالب طاجيكستاني في الجامعات الروسية.",
  "بلغ حجم التجارة المتبادلة مليار دولار في عام 2024.",
  "افتتح الجانبان مركزاً ثقافياً جديداً.",
];
/** More passages than one embedding step (256), so that progress is reported twice. */
const TEXTS = Array.from({ length: 300 }, (_, i) => `${SENTENCES[i % SENTENCES.length] ?? ""} ${i}`);
const TERMS = TEXTS.map((text) => analyzeForIndex(text));

let server: OpenAIStandIn;
let tmp: string;

beforeAll(async () => {
  server = await startOpenAIStandIn();
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-provider-"));
});

afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const serverConfig = (model = "bge-m3", baseURL = server.baseURL): EmbeddingsConfig =>
  loadConfig({
    EMBEDDINGS: "openai",
    OPENAI_BASE_URL: baseURL,
    OPENAI_API_KEY: "test-key",
    EMBEDDINGS_MODEL: model,
    EMBEDDINGS_MAX_RETRIES: "0",
    EMBEDDINGS_TIMEOUT_MS: "5000",
  }).embeddings;

const manifestOf = (embeddings: IndexManifest["embeddings"]): IndexManifest => ({
  formatVersion: INDEX_FORMAT_VERSION,
  embeddings,
  corpusHash: "0".repeat(64),
  builtAt: "2026-01-01T00:00:00.000Z",
  counts: { documents: 1, sentences: TEXTS.length, passages: TEXTS.length },
});

const norm = (vector: ArrayLike<number>): number =>
  Math.sqrt(Array.from(vector).reduce((sum, value) => sum + value * value, 0));

/** The hashing embeddings a provider returned, failing the test when they are not. */
function hashingOf(embeddings: Embeddings): HashingEmbeddings {
  if (!(embeddings instanceof HashingEmbeddings)) throw new Error("expected HashingEmbeddings");
  return embeddings;
}

/** What the same calls should give for each provider. */
interface Case {
  readonly name: string;
  readonly config: () => EmbeddingsConfig;
  /** The vector size of its passages. */
  readonly dimensions: () => number;
  /** The manifest identity it records for its passages. */
  readonly identity: () => IndexManifest["embeddings"];
  /** Identities of indexes it must refuse to load, with the words the refusal must hold. */
  readonly refuses: () => [IndexManifest["embeddings"], string][];
  /** Files it saves beside an index. */
  readonly files: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: "hashing",
    config: () => ({ provider: "hashing", dimensions: 256 }),
    dimensions: () => 256,
    identity: () => ({ provider: "hashing", model: HASHING_MODEL, dimensions: 256 }),
    refuses: () => [
      [
        { provider: "hashing", model: HASHING_MODEL, dimensions: 512 },
        "built with hashing/512, the configuration says hashing/256",
      ],
      [
        { provider: "openai", model: "bge-m3", dimensions: 256 },
        "built with openai/bge-m3, the configuration says hashing/256",
      ],
      [{ provider: "hashing", model: "char-3-5-gram-hashing-v1", dimensions: 256 }, "hashing/256"],
    ],
    files: [FREQUENCY_FILE],
  },
  {
    name: "openai",
    config: () => serverConfig(),
    dimensions: () => STAND_IN_DIMENSIONS,
    identity: () => ({ provider: "openai", model: "bge-m3", dimensions: STAND_IN_DIMENSIONS }),
    refuses: () => [
      [
        { provider: "openai", model: "multilingual-e5-large", dimensions: STAND_IN_DIMENSIONS },
        "built with openai/multilingual-e5-large, the configuration says openai/bge-m3",
      ],
      [
        { provider: "hashing", model: HASHING_MODEL, dimensions: STAND_IN_DIMENSIONS },
        "built with hashing/64, the configuration says openai/bge-m3",
      ],
    ],
    files: [],
  },
];

describe.each(CASES)("the $name provider", (testCase) => {
  let provider: EmbeddingsProvider;
  let passages: PassageVectors;
  let progress: [number, number][];

  beforeAll(async () => {
    provider = embeddingsProviderFor(testCase.config());
    progress = [];
    passages = await provider.embedPassages(TEXTS, TERMS, (done, total) => progress.push([done, total]));
  });

  it("embeds passages in steps, reporting progress after each, into unit vectors of one size", () => {
    expect(progress).toEqual([
      [256, 300],
      [300, 300],
    ]);
    expect(passages.dimensions).toBe(testCase.dimensions());
    expect(passages.vectors.length).toBe(TEXTS.length * testCase.dimensions());
    const rows = rowsOf(passages);
    expect(rows).toHaveLength(TEXTS.length);
    for (const row of rows) expect(norm(row)).toBeCloseTo(1, 5);
  });

  it("embeds questions into vectors of the passages' size", async () => {
    const query = await provider.queryEmbeddings(passages).embedQuery("كم عدد الطلاب؟");
    expect(query).toHaveLength(testCase.dimensions());
    expect(norm(query)).toBeCloseTo(1, 5);
  });

  it("records its identity in the manifest, and accepts an index of that identity", () => {
    expect(provider.identity(passages.dimensions)).toEqual(testCase.identity());
    expect(embeddingsIdentity(testCase.config(), passages.dimensions)).toEqual(testCase.identity());
    expect(() => {
      provider.checkCompatible(tmp, manifestOf(testCase.identity()));
    }).not.toThrow();
  });

  it("refuses an index built otherwise, naming both settings and the folder", () => {
    for (const [identity, words] of testCase.refuses()) {
      let error: unknown;
      try {
        provider.checkCompatible(tmp, manifestOf(identity));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(IndexLoadError);
      expect((error as IndexLoadError).dir).toBe(tmp);
      expect((error as IndexLoadError).message).toContain(words);
      expect((error as IndexLoadError).message).toContain("npm run reindex");
    }
  });

  it("saves what its question embeddings need, and loads embeddings that embed questions the same", async () => {
    const dir = await mkdtemp(path.join(tmp, `${testCase.name}-`));
    const embeddings = provider.queryEmbeddings(passages);
    await provider.saveFiles(dir, embeddings);
    expect(await readdir(dir)).toEqual(testCase.files);
    const manifest = manifestOf(provider.identity(passages.dimensions));
    const loaded = await provider.loadEmbeddings(dir, manifest, TEXTS.length);
    const question = "متى التقى الرئيسان في دوشنبه؟";
    expect(await loaded.embedQuery(question)).toEqual(await embeddings.embedQuery(question));
  });

  it("brings the question embeddings up to date after passages are added and removed", async () => {
    const rows = rowsOf(passages);
    const half = (vectors: Float32Array[]): PassageVectors => ({
      vectors: Float32Array.from(vectors.flatMap((row) => Array.from(row))),
      dimensions: passages.dimensions,
    });
    const first = provider.queryEmbeddings(half(rows.slice(0, 150)));
    // Add the second half and take the first 50 away: as if the index held passages 50 to 299 from the start.
    const removed = { texts: TEXTS.slice(0, 50), terms: TERMS.slice(0, 50) };
    const updated = provider.updatedQueryEmbeddings(first, rows.slice(150), removed);
    const fresh = provider.queryEmbeddings(half(rows.slice(50)));
    const question = "ما حجم التجارة المتبادلة؟";
    expect(await updated.embedQuery(question)).toEqual(await fresh.embedQuery(question));
  });
});

describe("the hashing provider", () => {
  const provider = embeddingsProviderFor({ provider: "hashing", dimensions: 256 });

  it("embeds each passage from its own text and words, as HashingEmbeddings does", async () => {
    const passages = await provider.embedPassages(TEXTS.slice(0, 3), TERMS.slice(0, 3));
    const hashing = new HashingEmbeddings({ dimensions: 256 });
    expect(rowsOf(passages)).toEqual(TEXTS.slice(0, 3).map((text) => hashing.embedPassage(text)));
  });

  it("weighs questions by the passages counted, and recounts them on an update", async () => {
    const passages = await provider.embedPassages(TEXTS, TERMS);
    const embeddings = hashingOf(provider.queryEmbeddings(passages));
    expect(embeddings.documentCount).toBe(TEXTS.length);
    const rows = rowsOf(passages);
    const removed = { texts: TEXTS.slice(0, 100), terms: TERMS.slice(0, 100) };
    const updated = hashingOf(provider.updatedQueryEmbeddings(embeddings, [], removed));
    expect(updated.documentCount).toBe(TEXTS.length - 100);
    expect(updated.idf).not.toEqual(embeddings.idf);
    // Removed passages are counted out by their texts, made into the vectors they had, bit for bit.
    const counted = hashingOf(provider.queryEmbeddings(passages)).withCounted([], rows.slice(0, 100));
    expect(updated.documentFrequency).toEqual(counted.documentFrequency);
  });

  it("assumes its own vector size for the memory check, whatever an index had", () => {
    expect(provider.vectorSize()).toBe(256);
    expect(provider.vectorSize(1024)).toBe(256);
  });

  it("reads back the counts it saved, reporting the file by name when they are missing", async () => {
    const dir = await mkdtemp(path.join(tmp, "hashing-missing-"));
    const manifest = manifestOf(provider.identity(256));
    await expect(provider.loadEmbeddings(dir, manifest, 10)).rejects.toThrow(/hashing-df\.u32/);
  });

  it("refuses to update or save embeddings it did not make", async () => {
    const server = embeddingsProviderFor(serverConfig()).queryEmbeddings({
      vectors: new Float32Array(0),
      dimensions: 4,
    });
    const none = { texts: [], terms: [] };
    expect(() => provider.updatedQueryEmbeddings(server, [], none)).toThrow(TypeError);
    await expect(provider.saveFiles(tmp, server)).rejects.toThrow(TypeError);
  });
});

describe("the openai provider", () => {
  it("sends passages to the server in requests of at most 128 texts, as floats, with the key", async () => {
    const before = server.requests.length;
    await embeddingsProviderFor(serverConfig()).embedPassages(TEXTS, TERMS);
    const requests = server.requests.slice(before).filter((request) => request.path === "/v1/embeddings");
    const sizes = requests.map((request) => (request.body as { input: string[] }).input.length);
    expect(sizes).toEqual([128, 128, 44]);
    expect(requests.map((request) => request.authorization)).toEqual(Array(3).fill("Bearer test-key"));
    expect(requests[0]?.body).toMatchObject({ model: "bge-m3", encoding_format: "float" });
    expect(requests.flatMap((request) => (request.body as { input: string[] }).input)).toEqual(TEXTS);
  });

  it("searches exactly only a small index: a model's question vector is dense", () => {
    const server = embeddingsProviderFor(serverConfig());
    const hashing = embeddingsProviderFor({ provider: "hashing", dimensions: 2048 });
    expect(server.exactSearchMaxBytes).toBe(SERVER_EXACT_SEARCH_MAX_BYTES);
    expect(server.exactSearchMaxBytes).toBeLessThan(hashing.exactSearchMaxBytes);
    // About 2,700 passages of 1,536 dimensions, against 16,384 hashing vectors of 2,048.
    expect(Math.floor(server.exactSearchMaxBytes / (1536 * 4))).toBe(2730);
    expect(hashing.exactSearchMaxBytes / (2048 * 4)).toBe(16_384);
  });

  it("assumes 1024 dimensions for the memory check until an index says otherwise", () => {
    const provider = embeddingsProviderFor(serverConfig());
    expect(provider.vectorSize()).toBe(1024);
    expect(provider.vectorSize(STAND_IN_DIMENSIONS)).toBe(STAND_IN_DIMENSIONS);
  });

  it("accepts an index of the same model whatever its vector size", () => {
    const provider = embeddingsProviderFor(serverConfig());
    expect(() => {
      provider.checkCompatible(tmp, manifestOf({ provider: "openai", model: "bge-m3", dimensions: 1024 }));
    }).not.toThrow();
  });

  it("keeps the question embeddings of the index through an update: the server embeds questions", () => {
    const provider = embeddingsProviderFor(serverConfig());
    const previous: Embeddings = provider.queryEmbeddings({ vectors: new Float32Array(0), dimensions: 4 });
    const removed = { texts: ["نص"], terms: [["نص"]] };
    expect(provider.updatedQueryEmbeddings(previous, [[1, 0, 0, 0]], removed)).toBe(previous);
  });

  it("fails with IndexBuildError when the server's vectors are not of the index's size", async () => {
    const provider = embeddingsProviderFor(serverConfig());
    await expect(
      provider.embedPassages(TEXTS.slice(0, 2), TERMS.slice(0, 2), undefined, 1024),
    ).rejects.toThrow(
      new IndexBuildError(
        `the embeddings server returned a vector of ${STAND_IN_DIMENSIONS} dimensions, expected 1024`,
      ),
    );
  });

  it("fails with IndexBuildError when the server cannot be reached", async () => {
    const closed = await startOpenAIStandIn();
    const baseURL = closed.baseURL;
    await closed.close();
    const provider = embeddingsProviderFor(serverConfig("bge-m3", baseURL));
    const attempt = provider.embedPassages(TEXTS.slice(0, 2), TERMS.slice(0, 2));
    await expect(attempt).rejects.toThrow(IndexBuildError);
    await expect(attempt).rejects.toThrow(/embedding passages failed/);
  });
});
