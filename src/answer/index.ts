/**
 * Answer stage: from a question to an Arabic answer with its cited sentences, made from the evidence a
 * retriever returns. What the interfaces and commands use; the parts are imported from their own files.
 */
export { createAnswerPipeline } from "./pipeline.js";
export type { AnswerPipeline } from "./pipeline.js";
export { createAnswerer } from "./create-answerer.js";
export { ExtractiveAnswerer } from "./extractive-answerer.js";
export type { ConversationalAnswerer, ConversationStore, Turn } from "./conversation.js";
export { EXAMPLE_QUESTION } from "./messages.js";
export { parseCitationMarkers } from "./citations.js";
export type { AnswerObserver, ModelErrorKind } from "./observer.js";
export type { Answer, AnswerEvent, Answerer, Citation, ReplyKind } from "./types.js";
export type { ArticleRecord } from "../retrieval/index.js";
