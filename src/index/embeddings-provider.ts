import type { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import type { EmbeddingsConfig } from "../config/index.js";

/** How an index's vectors were made: recorded in the manifest, checked on every load. */
export interface EmbeddingsIdentity {
  readonly provider: "hashing" | "openai";
  readonly model: string;
  readonly dimensions: number;
}

/** The model name recorded for the built-in hashing embeddings. */
export const HASHING_MODEL = "char-3-5-gram-hashing-v2";

/** Texts per request to an embeddings server: large enough to be fast, small enough for any server. */
const OPENAI_BATCH_SIZE = 128;

/**
 * The embeddings of an embeddings server. (The hashing embeddings are made by the index itself: their
 * query weights are counted over its passages.)
 */
export function serverEmbeddings(config: Extract<EmbeddingsConfig, { provider: "openai" }>): Embeddings {
  return openAIEmbeddings(config);
}

/** The identity that an index built with `config` will record; `dimensions` as measured on a vector. */
export function embeddingsIdentity(config: EmbeddingsConfig, dimensions: number): EmbeddingsIdentity {
  return config.provider === "hashing"
    ? { provider: "hashing", model: HASHING_MODEL, dimensions: config.dimensions }
    : { provider: "openai", model: config.model, dimensions };
}

function openAIEmbeddings(config: Extract<EmbeddingsConfig, { provider: "openai" }>): Embeddings {
  return new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey,
    // Servers that do not implement base64 return garbage for the client's default format.
    encodingFormat: "float",
    batchSize: OPENAI_BATCH_SIZE,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    ...(config.baseURL ? { configuration: { baseURL: config.baseURL } } : {}),
  });
}
