/** Answer stage: from a question to an Arabic answer with its cited sentences. */
export { ExtractiveAnswerer, DEFAULT_TOP_K, CITATION_SCORE_MARGIN } from "./extractive-answerer.js";
export { judgeEvidence, DEFAULT_EVIDENCE_THRESHOLDS } from "./evidence.js";
export type { EvidenceThresholds, Judgement, Ranking, Verdict } from "./evidence.js";
export type { ExtractiveAnswererFields } from "./extractive-answerer.js";
export {
  scoreSentences,
  coverage,
  SENTENCE_WEIGHTS,
  SKELETON_MATCH_WEIGHT,
  QUESTION_POSITION_DECAY,
} from "./sentence-scoring.js";
export type { ScoredSentence, SentenceWeights } from "./sentence-scoring.js";
export { questionCues } from "./question-cues.js";
export type { QuestionCues } from "./question-cues.js";
export { MESSAGES } from "./messages.js";
export type { Answer, AnswerEvent, AnswerMode, Answerer, Citation } from "./types.js";
export { createAnswerer } from "./create-answerer.js";
export { createAnswerPipeline, chatModel } from "./pipeline.js";
export { SwitchableAnswerer } from "./switchable-answerer.js";
export type { AnswerPipeline, AnswerPipelineOptions } from "./pipeline.js";
export { LlmAnswerer, DEFAULT_CONTEXT_SENTENCES } from "./llm-answerer.js";
export type { LlmAnswererFields } from "./llm-answerer.js";
export { checkCitations, describeProblems, parseCitationMarkers } from "./citations.js";
export type { CitationCheck, CitationProblem, NumberedSentence } from "./citations.js";
export { loadPrompts, parsePromptFile, PromptFileError, PROMPT_FILES } from "./prompts.js";
export type { Prompts } from "./prompts.js";
export {
  ConversationMemory,
  ConversationalAnswerer,
  joinShortFollowUp,
  MAX_FOLLOW_UP_WORDS,
} from "./conversation.js";
export type { ConversationMemoryOptions, QuestionRewriter, Turn } from "./conversation.js";
