import type { SanadIndex } from "../index/index.js";
import type { HybridRetriever } from "../retrieval/index.js";
import { analyzeForIndex } from "../text/index.js";
import { MESSAGES } from "./messages.js";
import {
  scoreSentences,
  SENTENCE_WEIGHTS,
  type ScoredSentence,
  type SentenceWeights,
} from "./sentence-scoring.js";
import type { Answer, Answerer, Citation } from "./types.js";

/** Sentences an answer cites by default. */
export const DEFAULT_TOP_K = 3;
/**
 * Least share of the question (IDF-weighted words) that the best sentence's passage must hold for an
 * answer; below it the answerer refuses. Calibrated on the gold set and ARCD (README, "Refusals").
 */
export const DEFAULT_MIN_EVIDENCE = 0.5;

/** Options of {@link ExtractiveAnswerer}. */
export interface ExtractiveAnswererFields {
  retriever: HybridRetriever;
  /** Sentences cited at most. Defaults to {@link DEFAULT_TOP_K}. */
  topK?: number;
  /** Refusal threshold. Defaults to {@link DEFAULT_MIN_EVIDENCE}. */
  minEvidence?: number;
  /** Weights of the sentence score. Defaults to {@link SENTENCE_WEIGHTS}. */
  weights?: SentenceWeights;
}

/**
 * Answers without a language model: retrieves passages, scores their sentences, and answers with the
 * best one quoted and the next best cited after it; refuses when the corpus does not cover the question.
 *
 * @example
 * const answerer = new ExtractiveAnswerer({ retriever: new HybridRetriever({ index }) });
 * const { answer, citations } = await answerer.answer("متى وصل بوتين إلى دوشنبه؟");
 */
export class ExtractiveAnswerer implements Answerer {
  private readonly retriever: HybridRetriever;
  private readonly index: SanadIndex;
  private readonly topK: number;
  private readonly minEvidence: number;
  private readonly weights: SentenceWeights;

  constructor(fields: ExtractiveAnswererFields) {
    this.retriever = fields.retriever;
    this.index = fields.retriever.index;
    this.topK = fields.topK ?? DEFAULT_TOP_K;
    this.minEvidence = fields.minEvidence ?? DEFAULT_MIN_EVIDENCE;
    this.weights = fields.weights ?? SENTENCE_WEIGHTS;
  }

  /** The ranked candidate sentences for a question, with their scores (for evaluation and debugging). */
  async rankSentences(question: string): Promise<ScoredSentence[]> {
    return scoreSentences(question, await this.retriever.retrieve(question), this.index, this.weights);
  }

  async answer(question: string, options: { readonly topK?: number } = {}): Promise<Answer> {
    if (analyzeForIndex(question).length === 0) return refusal(question, MESSAGES.emptyQuestion);
    return this.answerFromRanking(question, await this.rankSentences(question), options.topK);
  }

  /** The answer given sentences already ranked by {@link rankSentences}: cited, or refused. */
  answerFromRanking(question: string, ranked: readonly ScoredSentence[], topK = this.topK): Answer {
    if (analyzeForIndex(question).length === 0) return refusal(question, MESSAGES.emptyQuestion);
    const best = ranked[0];
    if (!best || best.passageCoverage < this.minEvidence) return refusal(question, MESSAGES.refusal);
    const citations: Citation[] = ranked.slice(0, topK).map(({ sentence }, i) => ({
      n: i + 1,
      doc: sentence.doc,
      sentence: sentence.index,
      text: sentence.text,
    }));
    return {
      question,
      mode: "extractive",
      refused: false,
      answer: `${best.sentence.text} [1]`,
      citations,
    };
  }
}

function refusal(question: string, message: string): Answer {
  return { question, mode: "extractive", refused: true, answer: message, citations: [] };
}
