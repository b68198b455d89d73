/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** Steps taken. Defaults to 2,000. */
  readonly steps?: number;
  /** Adam's step size. Defaults to 0.05. */
  readonly learningRate?: number;
}

/**
 * Minimizes a smooth function of a few dozen parameters by full-batch gradient descent with Adam
 * (Kingma and Ba, 2015), from the given start. Deterministic: the same loss and start give the same
 * parameters, so that `npm run fit` reproduces the committed models.
 *
 * @example minimize((w, g) => { g[0] = 2 * (w[0] - 3); return (w[0] - 3) ** 2; }, new Float64Array(1))
 */
export function minimize(
  lossAndGradient: (parameters: Float64Array, gradient: Float64Array) => number,
  start: Float64Array,
  options: MinimizeOptions = {},
): Float64Array {
  const steps = options.steps ?? 2000;
  const rate = options.learningRate ?? 0.05;
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  const parameters = Float64Array.from(start);
  const gradient = new Float64Array(parameters.length);
  const first = new Float64Array(parameters.length);
  const second = new Float64Array(parameters.length);
  for (let step = 1; step <= steps; step++) {
    gradient.fill(0);
    lossAndGradient(parameters, gradient);
    for (let i = 0; i < parameters.length; i++) {
      const g = gradient[i] ?? 0;
      first[i] = beta1 * (first[i] ?? 0) + (1 - beta1) * g;
      second[i] = beta2 * (second[i] ?? 0) + (1 - beta2) * g * g;
      const corrected = (first[i] ?? 0) / (1 - beta1 ** step);
      const scale = Math.sqrt((second[i] ?? 0) / (1 - beta2 ** step)) + epsilon;
      parameters[i] = (parameters[i] ?? 0) - (rate * corrected) / scale;
    }
  }
  return parameters;
}
