/** Answer stage: from a question to an Arabic answer with its cited sentences. */
export { ExtractiveAnswerer, DEFAULT_TOP_K, DEFAULT_MIN_EVIDENCE } from "./extractive-answerer.js";
export type { ExtractiveAnswererFields } from "./extractive-answerer.js";
export { scoreSentences, SENTENCE_WEIGHTS } from "./sentence-scoring.js";
export type { ScoredSentence, TermWeight } from "./sentence-scoring.js";
export { questionCues, sentenceTraits } from "./question-cues.js";
export type { QuestionCues, SentenceTraits } from "./question-cues.js";
export { MESSAGES } from "./messages.js";
export type { Answer, AnswerMode, Answerer, Citation } from "./types.js";
export { createAnswerer } from "./create-answerer.js";
