import { describe, expect, it } from "vitest";

import { ExactVectors, transposeInPlace } from "../../src/index/exact-vectors.js";
import { mulberry32 } from "../support/prng.js";

/** A rows × columns matrix of distinct values, row by row. */
const matrix = (rows: number, columns: number): Float32Array =>
  Float32Array.from({ length: rows * columns }, (_, i) => i + 0.5);

/** The transpose written the plain way, into a new array. */
function transposed(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) out[j * rows + i] = values[i * columns + j] ?? 0;
  return out;
}

describe("transposeInPlace", () => {
  it.each([
    [1, 1],
    [1, 7],
    [7, 1],
    [2, 2],
    [3, 5],
    [5, 3],
    [16, 16],
    [13, 2048],
    [234, 64],
    [97, 89],
  ])("lays a %i × %i matrix out column by column, as a copy would", (rows, columns) => {
    const values = matrix(rows, columns);
    const expected = transposed(values, rows, columns);
    transposeInPlace(values, rows, columns);
    expect(values).toEqual(expected);
  });

  it("refuses an array of another size", () => {
    expect(() => {
      transposeInPlace(new Float32Array(5), 2, 3);
    }).toThrow(RangeError);
  });
});

describe("ExactVectors", () => {
  const random = mulberry32(0xe4ac7);
  const dimensions = 24;
  const rows = Array.from({ length: 40 }, () => Array.from({ length: dimensions }, () => random() - 0.5));
  const labels = Int32Array.from(rows.map((_, i) => i * 3));
  const adopted = (): ExactVectors =>
    ExactVectors.adoptingRows(dimensions, labels, Float32Array.from(rows.flat()));
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let sum = 0;
    for (let d = 0; d < dimensions; d++) sum += (a[d] ?? 0) * (b[d] ?? 0);
    return sum;
  };

  it("gives back each vector by its label, and nothing for another label", () => {
    const exact = adopted();
    rows.forEach((row, i) => {
      expect(exact.vectorOf(i * 3)).toEqual([...Float32Array.from(row)]);
    });
    expect(exact.vectorOf(1)).toBeUndefined();
    expect(exact.vectorOf(1000)).toBeUndefined();
  });

  it("scores a query against every vector, a sparse one and a dense one alike", () => {
    const exact = adopted();
    for (const nonZero of [1, 3, 5, 9, dimensions]) {
      const query = Array.from({ length: dimensions }, (_, d) =>
        d % Math.ceil(dimensions / nonZero) === 0 ? random() : 0,
      );
      const similarities = exact.similarities(query);
      rows.forEach((row, i) => {
        expect(similarities[i]).toBeCloseTo(dot(Float32Array.from(row), query), 5);
      });
    }
  });

  it("adds and removes vectors as a store built with and without them holds them", () => {
    const extra = [Array.from({ length: dimensions }, () => random())];
    const grown = adopted().withAdded([200], extra);
    expect([...grown.labels]).toEqual([...labels, 200]);
    expect(grown.vectorOf(200)).toEqual([...Float32Array.from(extra[0] ?? [])]);
    expect(grown.vectorOf(9)).toEqual(adopted().vectorOf(9));
    const shrunk = grown.without(new Set([0, 9, 10, 200]));
    expect([...shrunk.labels]).toEqual([...labels].filter((label) => label !== 0 && label !== 9));
    for (const label of shrunk.labels) expect(shrunk.vectorOf(label)).toEqual(adopted().vectorOf(label));
    const query = Array.from({ length: dimensions }, () => random());
    const all = adopted().similarities(query);
    const kept = shrunk.similarities(query);
    [...shrunk.labels].forEach((label, column) => {
      expect(kept[column]).toBe(all[label / 3]);
    });
  });

  it("reads back the columns it gives", () => {
    const exact = adopted();
    const copy = ExactVectors.fromColumns(dimensions, exact.labels, exact.columns.slice());
    expect(copy.vectorOf(12)).toEqual(exact.vectorOf(12));
    expect(() => ExactVectors.fromColumns(dimensions, exact.labels, new Float32Array(3))).toThrow(RangeError);
  });
});
