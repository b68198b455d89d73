import { z } from "zod";
import { OperatorError } from "../errors/index.js";
import rankerFile from "./models/sentence-ranker.json" with { type: "json" };
import { SENTENCE_FEATURES } from "./sentence-features.js";

/**
 * A linear sentence ranker: a candidate's score is the weighted sum of its features, a log-odds that it
 * holds the answer (the weights are fitted as a conditional logit: softmax over a question's candidates).
 */
export interface SentenceRanker {
  /** One weight per feature, in the order of {@link SENTENCE_FEATURES}. */
  readonly weights: Float64Array;
}

const RANKER_SCHEMA = z.object({
  description: z.string(),
  features: z.array(z.string()),
  weights: z.array(z.number()),
});

/** The ranker of a model file's content; throws, naming the file and the command, when it does not fit. */
export function parseSentenceRanker(
  content: unknown,
  file = "src/answer/models/sentence-ranker.json",
): SentenceRanker {
  const parsed = RANKER_SCHEMA.safeParse(content);
  const same =
    parsed.success &&
    parsed.data.features.length === SENTENCE_FEATURES.length &&
    parsed.data.features.every((feature, i) => feature === SENTENCE_FEATURES[i]) &&
    parsed.data.weights.length === SENTENCE_FEATURES.length;
  if (!parsed.success || !same) {
    throw new OperatorError(
      `${file} does not hold a weight for each sentence feature (${SENTENCE_FEATURES.join(", ")}): run npm run fit`,
    );
  }
  return { weights: Float64Array.from(parsed.data.weights) };
}

/** The fitted ranker committed with the code (`npm run fit` writes it). */
export const SENTENCE_RANKER: SentenceRanker = parseSentenceRanker(rankerFile);

/** A candidate's score under a ranker: the weighted sum of its features. */
export function rankScore(ranker: SentenceRanker, features: Float64Array): number {
  let score = 0;
  for (let i = 0; i < features.length; i++) score += (ranker.weights[i] ?? 0) * (features[i] ?? 0);
  return score;
}
