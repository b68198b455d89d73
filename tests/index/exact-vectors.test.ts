import { describe, expect, it } from "vitest";

import {
  ExactVectors,
  exactVectorsFileBytes,
  layoutBytes,
  transposeInPlace,
  type VectorLayoutKind,
} from "../../src/index/exact-vectors.js";
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

/** `count` vectors of `dimensions` end to end, each value non-zero with probability `density`. */
function sparseRows(count: number, dimensions: number, density: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: count * dimensions }, () => (random() < density ? random() - 0.5 : 0));
}

/** A query (double weights, as an embedding gives) with about `nonZero` non-zero dimensions. */
function sparseQuery(dimensions: number, nonZero: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: dimensions }, () => (random() < nonZero / dimensions ? random() - 0.3 : 0));
}

/**
 * The similarities as the dense kernel defines them: per non-zero query dimension in increasing order,
 * each sum rounded to float32 after each term.
 */
function plainSimilarities(rows: Float32Array, count: number, query: readonly number[]): Float32Array {
  const dimensions = query.length;
  const out = new Float32Array(count);
  query.forEach((weight, d) => {
    if (weight === 0) return;
    for (let i = 0; i < count; i++) out[i] = (out[i] ?? 0) + weight * (rows[i * dimensions + d] ?? 0);
  });
  return out;
}

/** A query by its non-zero terms, in increasing order of dimension (see SparseQuery). */
function termsOf(query: readonly number[]): { dimensions: Int32Array; weights: Float64Array } {
  const dimensions = query.flatMap((weight, d) => (weight === 0 ? [] : [d]));
  return {
    dimensions: Int32Array.from(dimensions),
    weights: Float64Array.from(dimensions, (d) => query[d] ?? 0),
  };
}

/** The bits of each float, a zero of either sign as +0: equal bits are the same floats to the last bit. */
const bits = (values: Float32Array): Uint32Array =>
  new Uint32Array(Float32Array.from(values, (value) => value + 0).buffer);

const nonZerosOf = (rows: Float32Array): number => rows.reduce((n, value) => n + (value !== 0 ? 1 : 0), 0);

const labelsFor = (count: number): Int32Array => Int32Array.from({ length: count }, (_, i) => i * 3);

/** The vectors laid out as `kind` asks (the smaller when not given), from a copy of the rows. */
const laidOut = (
  rows: Float32Array,
  count: number,
  dimensions: number,
  kind?: VectorLayoutKind,
): ExactVectors => ExactVectors.adoptingRows(dimensions, labelsFor(count), rows.slice(), kind);

/** One file's bytes, as the store writes them part after part. */
const fileOf = (exact: ExactVectors): Uint8Array => Buffer.concat(exact.fileParts());

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

  it("starts empty, and takes vectors read one at a time (at once or a slice at a time)", async () => {
    const empty = ExactVectors.empty(dimensions);
    expect([empty.count, empty.bytes, empty.similarities(rows[0] ?? []).length]).toEqual([0, 0, 0]);
    const vectorOf = (label: number): number[] => rows[label / 3] ?? [];
    const read = ExactVectors.of(dimensions, labels, vectorOf);
    const sliced = await ExactVectors.inSlices(dimensions, labels, vectorOf, 7);
    for (const exact of [read, sliced, empty.withAdded([...labels], rows)]) {
      expect(exact.layout).toEqual(adopted().layout);
      expect(exact.vectorOf(33)).toEqual(adopted().vectorOf(33));
    }
  });
});

describe("ExactVectors of sparse vectors", () => {
  // Count, dimensions, share of non-zero values, non-zero query dimensions: hashing vectors' shapes
  // (ARCD, TyDi QA), small ones, and more vectors than two-byte indices can number.
  it.each([
    [1, 8, 0.5, 4],
    [17, 64, 0.1, 9],
    [234, 2048, 0.3, 100],
    [858, 512, 0.235, 40],
    [70_000, 12, 0.3, 5],
  ])(
    "gives the dense kernel's similarities to the last bit: %i vectors of %i, density %f",
    (count, dimensions, density, nonZero) => {
      const rows = sparseRows(count, dimensions, density, count + dimensions);
      const sparse = laidOut(rows, count, dimensions, "sparse");
      const dense = laidOut(rows, count, dimensions, "dense");
      if (sparse.layout.kind === "sparse") {
        expect(sparse.layout.indices).toBeInstanceOf(count <= 65_536 ? Uint16Array : Uint32Array);
      }
      expect(sparse.bytes).toBe(count * 4 + layoutBytes("sparse", count, dimensions, nonZerosOf(rows)));
      expect(dense.bytes).toBe(count * 4 + count * dimensions * 4);
      for (let seed = 0; seed < 5; seed++) {
        const query = sparseQuery(dimensions, nonZero, seed);
        const expected = bits(plainSimilarities(rows, count, query));
        expect(bits(sparse.similarities(query))).toEqual(expected);
        expect(bits(dense.similarities(query))).toEqual(expected);
        // The query by its non-zero terms, as a hashing question is searched, and with a term beyond the
        // vectors' dimensions, which reads nothing.
        const terms = termsOf(query);
        expect(bits(sparse.similarities(terms))).toEqual(expected);
        expect(bits(dense.similarities(terms))).toEqual(expected);
        const beyond = {
          dimensions: Int32Array.from([...terms.dimensions, dimensions + 3]),
          weights: Float64Array.from([...terms.weights, 0.5]),
        };
        expect(bits(sparse.similarities(beyond))).toEqual(expected);
        expect(bits(dense.similarities(beyond))).toEqual(expected);
      }
    },
  );

  it("lays out vectors read one at a time (at once or a slice at a time) as it lays out rows", async () => {
    const count = 700;
    const dimensions = 300;
    const rows = sparseRows(count, dimensions, 0.25, 12);
    const labels = labelsFor(count);
    const vectorOf = (label: number): Float32Array =>
      rows.subarray((label / 3) * dimensions, (label / 3 + 1) * dimensions);
    const expected = laidOut(rows, count, dimensions).layout;
    expect(expected.kind).toBe("sparse");
    expect(ExactVectors.of(dimensions, labels, vectorOf).layout).toEqual(expected);
    expect((await ExactVectors.inSlices(dimensions, labels, vectorOf, 64)).layout).toEqual(expected);
  });

  it("numbers up to 65,536 vectors with two-byte indices, more with four", () => {
    for (const [count, type] of [
      [65_536, Uint16Array],
      [65_537, Uint32Array],
    ] as const) {
      const exact = laidOut(sparseRows(count, 4, 0.2, 5), count, 4);
      expect(exact.layout.kind === "sparse" && exact.layout.indices).toBeInstanceOf(type);
      expect(exact.vectorOf((count - 1) * 3)).toEqual(
        laidOut(sparseRows(count, 4, 0.2, 5), count, 4, "dense").vectorOf((count - 1) * 3),
      );
    }
  });

  it("takes whichever layout is smaller: sparse for hashing vectors, dense for a model's", () => {
    const count = 100;
    const dimensions = 64;
    expect(laidOut(sparseRows(count, dimensions, 0.3, 1), count, dimensions).layout.kind).toBe("sparse");
    // Six bytes per non-zero value against four per value: sparse only below two thirds non-zero.
    expect(laidOut(sparseRows(count, dimensions, 0.6, 1), count, dimensions).layout.kind).toBe("sparse");
    expect(laidOut(sparseRows(count, dimensions, 0.7, 1), count, dimensions).layout.kind).toBe("dense");
    expect(laidOut(sparseRows(count, dimensions, 1, 1), count, dimensions).layout.kind).toBe("dense");
  });

  it("gives back each vector, adds and removes vectors, changing layout when the other becomes smaller", () => {
    const count = 120;
    const dimensions = 48;
    const rows = sparseRows(count, dimensions, 0.25, 9);
    const rowOf = (i: number): number[] => [...rows.subarray(i * dimensions, (i + 1) * dimensions)];
    const sparse = laidOut(rows, count, dimensions);
    expect(sparse.layout.kind).toBe("sparse");
    for (let i = 0; i < count; i++) expect(sparse.vectorOf(i * 3)).toEqual(rowOf(i));
    expect(sparse.vectorOf(4)).toBeUndefined();

    // Built with and without vectors, both layouts hold the same and score alike, to the last bit.
    const extra = sparseRows(5, dimensions, 0.25, 10);
    const extraRows = Array.from({ length: 5 }, (_, j) => [
      ...extra.subarray(j * dimensions, (j + 1) * dimensions),
    ]);
    const all = new Float32Array([...rows, ...extra]);
    const whole = laidOut(all, count + 5, dimensions);
    const extraLabels = extraRows.map((_, j) => (count + j) * 3);
    for (const kind of ["sparse", "dense"] as const) {
      const grown = laidOut(rows, count, dimensions, kind).withAdded(extraLabels, extraRows);
      expect(grown.layout).toEqual(whole.layout);
      expect([...grown.labels]).toEqual([...whole.labels]);
      const gone = new Set([0, 30, 3 * (count - 1), (count + 2) * 3]);
      const shrunk = grown.without(gone);
      const keptRows = Array.from({ length: count + 5 }, (_, i) => i).filter((i) => !gone.has(i * 3));
      expect([...shrunk.labels]).toEqual(keptRows.map((i) => i * 3));
      const keptAll = new Float32Array(
        keptRows.flatMap((i) => [...all.subarray(i * dimensions, (i + 1) * dimensions)]),
      );
      expect(shrunk.layout).toEqual(ExactVectors.adoptingRows(dimensions, shrunk.labels, keptAll).layout);
      const query = sparseQuery(dimensions, 10, 3);
      expect(bits(shrunk.similarities(query))).toEqual(
        bits(plainSimilarities(keptAll, keptRows.length, query)),
      );
    }

    // Dense vectors added to sparse ones: dense takes fewer bytes now.
    const denseRows = Array.from({ length: 3 * count }, () => Array.from({ length: dimensions }, () => 1));
    const mixed = sparse.withAdded(
      denseRows.map((_, j) => (count + j) * 3),
      denseRows,
    );
    expect(mixed.layout.kind).toBe("dense");
    expect(mixed.vectorOf(6)).toEqual(rowOf(2));
    // And sparse again once they go.
    expect(mixed.without(new Set(denseRows.map((_, j) => (count + j) * 3))).layout).toEqual(sparse.layout);
  });
});

describe("ExactVectors in a file", () => {
  const count = 60;
  const dimensions = 32;
  const rows = sparseRows(count, dimensions, 0.25, 77);
  const query = sparseQuery(dimensions, 12, 8);

  it.each(["sparse", "dense"] as const)(
    "reads back the %s layout it wrote, of the size it should be",
    (kind) => {
      const exact = laidOut(rows, count, dimensions, kind);
      const bytes = fileOf(exact);
      expect(bytes.byteLength).toBe(exactVectorsFileBytes(kind, count, dimensions, nonZerosOf(rows)));
      // At an offset of four bytes (viewed) and of one (copied: a typed array starts at its element size).
      for (const shift of [4, 1]) {
        const shifted = new Uint8Array(bytes.byteLength + shift).fill(0xff);
        shifted.set(bytes, shift);
        const read = ExactVectors.fromFile(shifted.subarray(shift), "vectors.f32");
        expect(read.layout).toEqual(exact.layout);
        expect([...read.labels]).toEqual([...exact.labels]);
        expect(read.dimensions).toBe(dimensions);
        expect(bits(read.similarities(query))).toEqual(bits(exact.similarities(query)));
        expect(read.layout.values.buffer === shifted.buffer).toBe(shift === 4);
      }
    },
  );

  /** Overwrites the 32-bit number at `at` of a copy of the bytes. */
  const withNumber = (bytes: Uint8Array, at: number, value: number): Uint8Array => {
    const copy = Buffer.from(bytes);
    copy.writeUInt32LE(value, at);
    return copy;
  };
  const sparseFile = (): Uint8Array => fileOf(laidOut(rows, count, dimensions, "sparse"));
  const denseFile = (): Uint8Array => fileOf(laidOut(rows, count, dimensions, "dense"));
  const offsetsAt = 24 + count * 4;
  const nonZeros = nonZerosOf(rows);
  const indicesAt = offsetsAt + (dimensions + 1) * 4 + nonZeros * 4;

  it.each<[string, () => Uint8Array, RegExp]>([
    ["empty", () => new Uint8Array(0), /vectors\.f32 has 0 bytes, too few for its 24-byte header/],
    [
      "of something else",
      () => withNumber(sparseFile(), 0, 0x464c457f),
      /vectors\.f32 is not a file of vectors/,
    ],
    [
      "of an unknown layout",
      () => withNumber(sparseFile(), 4, 3),
      /vectors\.f32 has an unknown layout \(3\)/,
    ],
    [
      "truncated",
      () => sparseFile().subarray(0, 1000),
      /vectors\.f32 has 1000 bytes, its header .* says \d+/,
    ],
    [
      "truncated (dense)",
      () => denseFile().subarray(0, 1000),
      /vectors\.f32 has 1000 bytes, its header .* says \d+/,
    ],
    [
      "one byte too long",
      () => Buffer.concat([sparseFile(), new Uint8Array(1)]),
      /vectors\.f32 has \d+ bytes, its header/,
    ],
    [
      "of another count",
      () => withNumber(sparseFile(), 8, count + 1),
      /vectors\.f32 has \d+ bytes, its header \(61 vectors/,
    ],
    [
      "of three-byte indices",
      () => withNumber(sparseFile(), 20, 3),
      /vectors\.f32 has indices of 3 bytes for a sparse layout/,
    ],
    [
      "of more values than a dense layout",
      () => withNumber(denseFile(), 16, 5),
      /vectors\.f32 says it has 5 values for 60 vectors/,
    ],
    [
      "of offsets not ending at its values",
      () => withNumber(sparseFile(), offsetsAt + dimensions * 4, 3),
      /column offsets from 0 to 3, not 0 to \d+/,
    ],
    [
      "of a column ending before it starts",
      () => withNumber(sparseFile(), offsetsAt + 4, nonZeros),
      /column 1 ending before it starts/,
    ],
    [
      "of a vector beyond the count",
      () => withNumber(sparseFile(), indicesAt, 0xffff),
      /vector 65535 out of order in column 0 \(of 60 vectors\)/,
    ],
    [
      "of a column out of order",
      () => withNumber(sparseFile(), indicesAt, 59),
      /vector \d+ out of order in column 0/,
    ],
  ])("refuses a file %s, naming it and what is wrong", (_damage, bytes, message) => {
    expect(() => ExactVectors.fromFile(bytes(), "vectors.f32")).toThrow(message);
  });
});
