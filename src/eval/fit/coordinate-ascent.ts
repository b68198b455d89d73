/** One question as the ranker learns from it: its candidates' features, and which of them are right. */
export interface RankingExample {
  readonly candidates: readonly Float64Array[];
  /** Positions of the candidates that hold the answer (at least one). */
  readonly gold: readonly number[];
}

/** Options of {@link fitCoordinateAscent}. */
export interface CoordinateAscentOptions {
  /** Passes over all the weights. Defaults to 8. */
  readonly sweeps?: number;
  /** The steps tried for each weight in a pass, added to its value. */
  readonly steps?: readonly number[];
}

/** Steps tried for a weight: small ones for fine tuning, large ones to leave a poor start. */
const DEFAULT_STEPS = [-2, -1, -0.5, -0.25, -0.1, -0.05, 0.05, 0.1, 0.25, 0.5, 1, 2];

/**
 * Fits the weights of a linear ranker by coordinate ascent on the mean reciprocal rank of the first
 * right candidate (Metzler and Croft, 2007): each weight in turn is moved to the step that most
 * improves the training MRR, until a pass improves nothing. It optimizes the ranking measure itself
 * rather than a likelihood, which spends its effort on questions whose answer is far down. Deterministic.
 */
export function fitCoordinateAscent(
  examples: readonly RankingExample[],
  start: Float64Array,
  options: CoordinateAscentOptions = {},
): Float64Array {
  const steps = options.steps ?? DEFAULT_STEPS;
  const weights = Float64Array.from(start);
  // Each candidate's score, kept up to date as one weight changes: score += step × feature.
  const scores = examples.map(({ candidates }) => Float64Array.from(candidates, (f) => dot(weights, f)));
  let best = meanReciprocalRank(examples, scores);
  for (let sweep = 0; sweep < (options.sweeps ?? 8); sweep++) {
    let improved = false;
    for (let i = 0; i < weights.length; i++) {
      let bestStep = 0;
      for (const step of steps) {
        const moved = examples.map(({ candidates }, q) =>
          Float64Array.from(scores[q] ?? [], (score, c) => score + step * (candidates[c]?.[i] ?? 0)),
        );
        const measure = meanReciprocalRank(examples, moved);
        if (measure > best + 1e-9) {
          best = measure;
          bestStep = step;
        }
      }
      if (bestStep !== 0) {
        improved = true;
        weights[i] = (weights[i] ?? 0) + bestStep;
        examples.forEach(({ candidates }, q) => {
          const row = scores[q];
          if (row)
            for (let c = 0; c < row.length; c++)
              row[c] = (row[c] ?? 0) + bestStep * (candidates[c]?.[i] ?? 0);
        });
      }
    }
    if (!improved) break;
  }
  return weights;
}

/** The mean over questions of 1 / rank of the best-ranked right candidate (ties count against it). */
export function meanReciprocalRank(
  examples: readonly RankingExample[],
  scores: readonly Float64Array[],
): number {
  let sum = 0;
  examples.forEach(({ gold }, q) => {
    const row = scores[q];
    if (!row) return;
    const right = Math.max(...gold.map((at) => row[at] ?? -Infinity));
    let above = 0;
    for (const score of row) if (score >= right) above++;
    // `above` counts the right candidate itself, and every other candidate that ties or beats it.
    sum += 1 / Math.max(1, above - (gold.length > 1 ? countEqual(row, gold, right) - 1 : 0));
  });
  return sum / Math.max(1, examples.length);
}

function countEqual(row: Float64Array, gold: readonly number[], value: number): number {
  return gold.filter((at) => row[at] === value).length;
}

function dot(weights: Float64Array, features: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < features.length; i++) sum += (weights[i] ?? 0) * (features[i] ?? 0);
  return sum;
}
