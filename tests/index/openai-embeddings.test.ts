import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { loadCorpus, type Article } from "../../src/corpus/index.js";
import { IndexBuildError, IndexLoadError, SanadIndex } from "../../src/index/index.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { startOpenAIStandIn, STAND_IN_DIMENSIONS, type OpenAIStandIn } from "../support/openai-stand-in.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("EMBEDDINGS=openai against an OpenAI-compatible server on 127.0.0.1", () => {
  let server: OpenAIStandIn;
  let articles: readonly Article[];
  let dir: string;

  beforeAll(async () => {
    server = await startOpenAIStandIn();
    articles = (await loadCorpus(path.join(ROOT, "corpus"))).articles;
    dir = await mkdtemp(path.join(os.tmpdir(), "sanad-openai-"));
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const config = () =>
    loadConfig({
      EMBEDDINGS: "openai",
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API_KEY: "test-key",
      EMBEDDINGS_MODEL: "bge-m3",
      EMBEDDINGS_MAX_RETRIES: "0",
    }).embeddings;

  it("builds, saves and loads an index whose vectors come from the server", async () => {
    const built = await SanadIndex.build(articles, config());
    expect(built.manifest.embeddings).toEqual({
      provider: "openai",
      model: "bge-m3",
      dimensions: STAND_IN_DIMENSIONS,
    });
    const embeddingRequests = server.requests.filter((request) => request.path === "/v1/embeddings");
    expect(embeddingRequests.length).toBeGreaterThan(0);
    expect(embeddingRequests[0]?.authorization).toBe("Bearer test-key");
    expect(embeddingRequests[0]?.body).toMatchObject({ model: "bge-m3", encoding_format: "float" });

    await built.save(dir);
    const loaded = await SanadIndex.load(dir, config());
    const { hits } = await new HybridRetriever({ index: loaded }).retrieve("كم عدد الطلاب الطاجيك في روسيا؟");
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.similarity >= -1 && hit.similarity <= 1.0001)).toBe(true);
  });

  it("refuses an index built with another model, saying to reindex", async () => {
    const other = loadConfig({
      EMBEDDINGS: "openai",
      OPENAI_BASE_URL: server.baseURL,
      EMBEDDINGS_MODEL: "multilingual-e5-large",
    }).embeddings;
    await expect(SanadIndex.load(dir, other)).rejects.toThrow(IndexLoadError);
    await expect(SanadIndex.load(dir, other)).rejects.toThrow(/npm run reindex/);
  });

  it("reports a server that cannot be reached as a build error", async () => {
    const unreachable = loadConfig({
      EMBEDDINGS: "openai",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      EMBEDDINGS_MAX_RETRIES: "0",
      EMBEDDINGS_TIMEOUT_MS: "2000",
    }).embeddings;
    await expect(SanadIndex.build(articles, unreachable)).rejects.toThrow(IndexBuildError);
  });
});
