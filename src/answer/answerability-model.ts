import { z } from "zod";
import { OperatorError } from "../errors/index.js";
import modelFile from "./models/answerability.json" with { type: "json" };
import { ANSWERABILITY_FEATURES } from "./answerability-features.js";

/**
 * The fitted answerability model: a logistic regression over the answerability features (standardized
 * with the training means and deviations) giving the probability that the articles answer the question,
 * and the two probabilities where the verdict changes, chosen on the training data's out-of-fold
 * predictions (`npm run fit`).
 */
export interface AnswerabilityModel {
  readonly means: Float64Array;
  readonly deviations: Float64Array;
  readonly weights: Float64Array;
  readonly bias: number;
  /** Below this probability the question is refused. */
  readonly refuseBelow: number;
  /** Below this (and not refused) the answer is hedged; at or above it, answered with high confidence. */
  readonly hedgeBelow: number;
}

const numbers = z.array(z.number());
const MODEL_SCHEMA = z.object({
  description: z.string(),
  features: z.array(z.string()),
  means: numbers,
  deviations: numbers,
  weights: numbers,
  bias: z.number(),
  refuseBelow: z.number().min(0).max(1),
  hedgeBelow: z.number().min(0).max(1),
});

/** The model of a model file's content; throws, naming the file and the command, when it does not fit. */
export function parseAnswerabilityModel(
  content: unknown,
  file = "src/answer/models/answerability.json",
): AnswerabilityModel {
  const parsed = MODEL_SCHEMA.safeParse(content);
  const n = ANSWERABILITY_FEATURES.length;
  const fits =
    parsed.success &&
    parsed.data.features.length === n &&
    parsed.data.features.every((feature, i) => feature === ANSWERABILITY_FEATURES[i]) &&
    [parsed.data.means, parsed.data.deviations, parsed.data.weights].every((list) => list.length === n) &&
    parsed.data.refuseBelow <= parsed.data.hedgeBelow;
  if (!parsed.success || !fits) {
    throw new OperatorError(
      `${file} does not hold a model of the answerability features (${ANSWERABILITY_FEATURES.join(", ")}): run npm run fit`,
    );
  }
  const { means, deviations, weights, bias, refuseBelow, hedgeBelow } = parsed.data;
  return {
    means: Float64Array.from(means),
    deviations: Float64Array.from(deviations),
    weights: Float64Array.from(weights),
    bias,
    refuseBelow,
    hedgeBelow,
  };
}

/** The fitted model committed with the code (`npm run fit` writes it). */
export const ANSWERABILITY_MODEL: AnswerabilityModel = parseAnswerabilityModel(modelFile);

/** The regression part of the model: what gives a probability, without the thresholds that judge it. */
export type AnswerabilityRegression = Pick<AnswerabilityModel, "means" | "deviations" | "weights" | "bias">;

/** The probability, under the model, that the articles answer the question these features describe. */
export function answerableProbability(model: AnswerabilityRegression, features: Float64Array): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) {
    z +=
      (model.weights[i] ?? 0) * (((features[i] ?? 0) - (model.means[i] ?? 0)) / (model.deviations[i] || 1));
  }
  return 1 / (1 + Math.exp(-z));
}
