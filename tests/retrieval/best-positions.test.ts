import { describe, expect, it } from "vitest";

import { bestPositions } from "../../src/retrieval/hybrid-retriever.js";
import { mulberry32 } from "../support/prng.js";

/** What bestPositions must equal: every entry sorted by score (then position), the first k kept. */
function sortedBest(scores: ReadonlyMap<number, number>, k: number): [number, number][] {
  return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}

/** The k best of a map of position → score, the scores read by position (as the lexical scores are). */
const bestOf = (scores: ReadonlyMap<number, number>, k: number): [number, number][] =>
  bestPositions([...scores.keys()], (position) => scores.get(position) ?? 0, k);

/** The same, the scores read by their index in a list beside the positions (as the fused scores are). */
const bestOfLists = (scores: ReadonlyMap<number, number>, k: number): [number, number][] => {
  const values = [...scores.values()];
  return bestPositions([...scores.keys()], (_, i) => values[i] ?? 0, k);
};

describe("bestPositions", () => {
  it.each([0, 1, 5, 30, 200])("equals sorting then keeping the first %d, on 300 random maps", (k) => {
    const random = mulberry32(20_251_009 + k);
    for (let round = 0; round < 300; round++) {
      const scores = new Map<number, number>();
      const size = Math.floor(random() * 120);
      for (let i = 0; i < size; i++) {
        // Few distinct scores, so that ties between positions are common.
        scores.set(Math.floor(random() * 1000), Math.floor(random() * 8) / 4);
      }
      expect(bestOf(scores, k)).toEqual(sortedBest(scores, k));
      expect(bestOfLists(scores, k)).toEqual(sortedBest(scores, k));
    }
  });

  it("keeps position order among equal scores whatever the insertion order", () => {
    const scores = new Map([
      [9, 1],
      [3, 1],
      [7, 2],
      [1, 1],
    ]);
    expect(bestOf(scores, 3)).toEqual([
      [7, 2],
      [1, 1],
      [3, 1],
    ]);
  });
});
