import { answerabilityFeatures } from "../../answer/answerability-features.js";
import { scoreSentences } from "../../answer/sentence-scoring.js";
import type { SentenceRanker } from "../../answer/sentence-ranker.js";
import type { LabelledExample } from "./logistic.js";
import type { RetrievedQuestion } from "./ranking-examples.js";

/** An example of the answerability model, with the id of its question (for folds by question). */
export interface AnswerabilityExample extends LabelledExample {
  readonly id: string;
}

/**
 * The answerability model's examples: each question's features from its ranked candidates, labelled
 * answerable when the set has a gold sentence for it in the corpus (held-out paragraphs' questions are
 * the unanswerable ones). Questions about the article itself have no place in these sets.
 */
export function answerabilityExamples(
  retrieved: readonly RetrievedQuestion[],
  ranker: SentenceRanker,
): AnswerabilityExample[] {
  return retrieved.map(({ question, evidence }) => ({
    id: question.id,
    features: answerabilityFeatures(
      scoreSentences(question.question, evidence, ranker),
      evidence.hits,
      evidence.terms,
    ),
    label: question.gold.length > 0,
  }));
}
