import { describe, expect, it } from "vitest";

import { minimize } from "../../../src/eval/fit/adam.js";
import {
  fitCoordinateAscent,
  meanReciprocalRank,
  type RankingExample,
} from "../../../src/eval/fit/coordinate-ascent.js";
import { fitLogistic } from "../../../src/eval/fit/logistic.js";
import { thresholdsWithin } from "../../../src/eval/fit/thresholds.js";
import { answerableProbability } from "../../../src/answer/answerability-model.js";
import { mulberry32 } from "../../support/prng.js";

describe("minimize", () => {
  it("finds the minimum of a convex function, the same every time", () => {
    const loss = (w: Float64Array, g: Float64Array): number => {
      g[0] = 2 * ((w[0] ?? 0) - 3);
      g[1] = 4 * ((w[1] ?? 0) + 1);
      return ((w[0] ?? 0) - 3) ** 2 + 2 * ((w[1] ?? 0) + 1) ** 2;
    };
    const first = minimize(loss, new Float64Array(2), { steps: 3000 });
    expect(first[0]).toBeCloseTo(3, 3);
    expect(first[1]).toBeCloseTo(-1, 3);
    expect(minimize(loss, new Float64Array(2), { steps: 3000 })).toEqual(first);
  });
});

describe("fitLogistic", () => {
  // Labels drawn from a known logistic model of two features; a third feature is noise.
  const random = mulberry32(7);
  const examples = Array.from({ length: 3000 }, () => {
    const features = Float64Array.from([random() * 4 - 2, random() * 4 - 2, random() * 10]);
    const p = 1 / (1 + Math.exp(-(2 * (features[0] ?? 0) - (features[1] ?? 0))));
    return { features, label: random() < p };
  });

  it("recovers the direction of each feature and ignores the noise", () => {
    const model = fitLogistic(examples, 3, { l2: 0.001 });
    // Weights are per standard deviation: the true ones are 2 and −1 per unit, deviations about 1.15.
    expect(model.weights[0]).toBeGreaterThan(1.8);
    expect(model.weights[1]).toBeLessThan(-0.8);
    expect(Math.abs(model.weights[2] ?? 1)).toBeLessThan(0.15);
  });

  it("predicts probabilities that follow the labels", () => {
    const model = { ...fitLogistic(examples, 3), refuseBelow: 0, hedgeBelow: 0 };
    expect(answerableProbability(model, Float64Array.from([2, -2, 5]))).toBeGreaterThan(0.95);
    expect(answerableProbability(model, Float64Array.from([-2, 2, 5]))).toBeLessThan(0.05);
  });
});

describe("fitCoordinateAscent", () => {
  // The right candidate has the larger second feature; the first feature misleads.
  const examples: RankingExample[] = Array.from({ length: 50 }, (_, q) => ({
    candidates: [Float64Array.from([1, 0.2 + (q % 3) * 0.1]), Float64Array.from([0.5, 0.9])],
    gold: [1],
  }));

  it("moves the weights until the right candidates come first", () => {
    const start = Float64Array.from([1, 0]);
    const scores = (w: Float64Array) =>
      examples.map(({ candidates }) =>
        Float64Array.from(candidates, (f) => (f[0] ?? 0) * (w[0] ?? 0) + (f[1] ?? 0) * (w[1] ?? 0)),
      );
    expect(meanReciprocalRank(examples, scores(start))).toBe(0.5);
    const fitted = fitCoordinateAscent(examples, start);
    expect(meanReciprocalRank(examples, scores(fitted))).toBe(1);
  });
});

describe("meanReciprocalRank", () => {
  it("counts a tie against the right candidate", () => {
    const example: RankingExample = { candidates: [new Float64Array(1), new Float64Array(1)], gold: [0] };
    expect(meanReciprocalRank([example], [Float64Array.from([1, 1])])).toBe(0.5);
    expect(meanReciprocalRank([example], [Float64Array.from([2, 1])])).toBe(1);
  });
});

describe("thresholdsWithin", () => {
  const answerable = Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100);

  it("refuses and hedges at most the shares given of the answerable questions", () => {
    const { refuseBelow, hedgeBelow } = thresholdsWithin(answerable, {
      refused: 0.05,
      refusedOrHedged: 0.15,
    });
    expect(answerable.filter((p) => p < refuseBelow)).toHaveLength(5);
    expect(answerable.filter((p) => p < hedgeBelow)).toHaveLength(15);
  });

  it("refuses nothing with a budget of zero", () => {
    expect(thresholdsWithin(answerable, { refused: 0, refusedOrHedged: 0 })).toEqual({
      refuseBelow: 0,
      hedgeBelow: 0,
    });
  });
});
