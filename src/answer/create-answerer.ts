import type { SanadIndex } from "../index/index.js";
import { HybridRetriever } from "../retrieval/index.js";
import { ExtractiveAnswerer } from "./extractive-answerer.js";

/**
 * The answer pipeline over a loaded index: hybrid retrieval, then the extractive answerer.
 *
 * @example const answerer = createAnswerer(index, { topK: 3 });
 */
export function createAnswerer(
  index: SanadIndex,
  options: { readonly topK?: number } = {},
): ExtractiveAnswerer {
  return new ExtractiveAnswerer({
    retriever: new HybridRetriever({ index }),
    ...(options.topK === undefined ? {} : { topK: options.topK }),
  });
}
