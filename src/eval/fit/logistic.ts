import { minimize, type MinimizeOptions } from "./adam.js";

/** A binary example: its features and its label. */
export interface LabelledExample {
  readonly features: Float64Array;
  readonly label: boolean;
}

/**
 * A fitted logistic regression: features are standardized with the training means and deviations, then
 * weighted; the probability of the label is the logistic of the weighted sum plus the bias.
 */
export interface LogisticModel {
  readonly means: Float64Array;
  readonly deviations: Float64Array;
  readonly weights: Float64Array;
  readonly bias: number;
}

/** Options of {@link fitLogistic}. */
export interface LogisticOptions extends MinimizeOptions {
  /** Weight of the L2 penalty on the weights (not the bias). Defaults to 0.01. */
  readonly l2?: number;
}

/** Fits a logistic regression by maximum likelihood with an L2 penalty, on standardized features. */
export function fitLogistic(
  examples: readonly LabelledExample[],
  dimensions: number,
  options: LogisticOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 0.01;
  const means = new Float64Array(dimensions);
  const deviations = new Float64Array(dimensions);
  for (const { features } of examples)
    for (let i = 0; i < dimensions; i++) means[i] = (means[i] ?? 0) + (features[i] ?? 0);
  for (let i = 0; i < dimensions; i++) means[i] = (means[i] ?? 0) / Math.max(1, examples.length);
  for (const { features } of examples) {
    for (let i = 0; i < dimensions; i++)
      deviations[i] = (deviations[i] ?? 0) + ((features[i] ?? 0) - (means[i] ?? 0)) ** 2;
  }
  for (let i = 0; i < dimensions; i++) {
    // A feature that never varies gets a deviation of 1: its standardized value is then always 0.
    deviations[i] = Math.sqrt((deviations[i] ?? 0) / Math.max(1, examples.length)) || 1;
  }
  const standardized = examples.map(({ features, label }) => ({
    x: Float64Array.from(features, (value, i) => (value - (means[i] ?? 0)) / (deviations[i] ?? 1)),
    y: label ? 1 : 0,
  }));
  // Parameters: the weights, then the bias.
  const lossAndGradient = (parameters: Float64Array, gradient: Float64Array): number => {
    let loss = 0;
    for (const { x, y } of standardized) {
      let z = parameters[dimensions] ?? 0;
      for (let i = 0; i < dimensions; i++) z += (parameters[i] ?? 0) * (x[i] ?? 0);
      const p = sigmoid(z);
      loss -= y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12);
      for (let i = 0; i < dimensions; i++) gradient[i] = (gradient[i] ?? 0) + (p - y) * (x[i] ?? 0);
      gradient[dimensions] = (gradient[dimensions] ?? 0) + (p - y);
    }
    const n = Math.max(1, standardized.length);
    for (let i = 0; i <= dimensions; i++) gradient[i] = (gradient[i] ?? 0) / n;
    for (let i = 0; i < dimensions; i++) {
      gradient[i] = (gradient[i] ?? 0) + l2 * (parameters[i] ?? 0);
      loss += (l2 / 2) * (parameters[i] ?? 0) ** 2 * n;
    }
    return loss / n;
  };
  const parameters = minimize(lossAndGradient, new Float64Array(dimensions + 1), options);
  return { means, deviations, weights: parameters.slice(0, dimensions), bias: parameters[dimensions] ?? 0 };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
