import type { SanadIndex } from "../index/index.js";
import { HybridRetriever, type PassageRetriever } from "../retrieval/index.js";
import { ExtractiveAnswerer } from "./extractive-answerer.js";
import { timedRetriever, type AnswerObserver } from "./observer.js";

/**
 * The answer pipeline over a loaded index: the built-in hybrid retriever, then the extractive answerer.
 * This is where an index meets the answer stage; another retrieval engine would be plugged in here, as a
 * {@link PassageRetriever} of its own.
 *
 * @example const answerer = createAnswerer(index, { topK: 3 });
 */
export function createAnswerer(
  index: SanadIndex,
  options: { readonly topK?: number; readonly observer?: AnswerObserver } = {},
): ExtractiveAnswerer {
  const hybrid: PassageRetriever = new HybridRetriever({ index });
  const retriever = options.observer ? timedRetriever(hybrid, options.observer) : hybrid;
  return new ExtractiveAnswerer({
    retriever,
    ...(options.topK === undefined ? {} : { topK: options.topK }),
  });
}
