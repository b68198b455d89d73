/**
 * Every vector of a small store laid out dimension by dimension (column `d` holds dimension `d` of every
 * vector), so that a query's similarity to all of them costs one pass per non-zero dimension of the
 * query. A hashing query has one non-zero dimension in ten or so: at a few thousand passages this exact
 * search takes a fraction of what a graph search takes, finds the true nearest neighbours, and gives the
 * similarity of any passage (a lexical candidate) for free.
 */
export class ExactVectors {
  /** Column-major: value of dimension `d` of vector `i` at `d × count + i`. */
  private readonly values: Float32Array;
  readonly count: number;

  constructor(
    readonly dimensions: number,
    /** The label of each vector, in column order: increasing. */
    readonly labels: Int32Array,
    vectorOf: ((label: number) => ArrayLike<number>) | undefined,
    /** The values already laid out, kept as they are (not copied). */
    columns?: Float32Array,
  ) {
    this.count = labels.length;
    this.values = columns ?? new Float32Array(dimensions * this.count);
    if (vectorOf) for (let i = 0; i < this.count; i++) this.fill(i, vectorOf);
  }

  /** The same, over the columns of {@link columns} and their labels (as a file holds them), not copied. */
  static fromColumns(dimensions: number, labels: Int32Array, columns: Float32Array): ExactVectors {
    if (columns.length !== dimensions * labels.length) {
      throw new RangeError(
        `${columns.length} values for ${labels.length} vectors of ${dimensions} dimensions`,
      );
    }
    return new ExactVectors(dimensions, labels, undefined, columns);
  }

  /** The same vectors with these added, under labels greater than every label here. */
  withAdded(labels: readonly number[], vectors: readonly ArrayLike<number>[]): ExactVectors {
    const grown = new ExactVectors(this.dimensions, Int32Array.from([...this.labels, ...labels]), undefined);
    const { count } = grown;
    for (let d = 0; d < this.dimensions; d++) {
      // Column by column: each old column is one contiguous copy.
      grown.values.set(this.values.subarray(d * this.count, (d + 1) * this.count), d * count);
      vectors.forEach((vector, j) => (grown.values[d * count + this.count + j] = vector[d] ?? 0));
    }
    return grown;
  }

  /** The same vectors without those of these labels. */
  without(labels: ReadonlySet<number>): ExactVectors {
    const keptColumns: number[] = [];
    this.labels.forEach((label, i) => {
      if (!labels.has(label)) keptColumns.push(i);
    });
    const kept = new ExactVectors(
      this.dimensions,
      Int32Array.from(keptColumns, (i) => this.labels[i] ?? 0),
      undefined,
    );
    // Runs of kept columns are copied whole: a few articles' vectors go, and the rest moves in blocks.
    const runs: [from: number, to: number, length: number][] = [];
    keptColumns.forEach((i, k) => {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[2] === i && last[1] + last[2] === k) last[2]++;
      else runs.push([i, k, 1]);
    });
    for (let d = 0; d < this.dimensions; d++) {
      const from = d * this.count;
      const to = d * kept.count;
      for (const [i, k, length] of runs) {
        kept.values.set(this.values.subarray(from + i, from + i + length), to + k);
      }
    }
    return kept;
  }

  /** The values, column by column: what {@link fromColumns} reads back. */
  get columns(): Float32Array {
    return this.values;
  }

  /**
   * The same, over vectors laid end to end in one array (vector `i` at `i × dimensions`), laid out again
   * in that very array: the array is theirs afterwards. A build's vectors are most of its memory, and a
   * second array of them (or its pages, which the allocator may keep) would double it.
   */
  static adoptingRows(dimensions: number, labels: Int32Array, rows: Float32Array): ExactVectors {
    transposeInPlace(rows, labels.length, dimensions);
    return new ExactVectors(dimensions, labels, undefined, rows);
  }

  /**
   * The same, filled a slice of vectors at a time with the event loop free in between (reading a vector
   * out of a graph is the slow part).
   */
  static async inSlices(
    dimensions: number,
    labels: Int32Array,
    vectorOf: (label: number) => ArrayLike<number>,
    slice = 256,
  ): Promise<ExactVectors> {
    const exact = new ExactVectors(dimensions, labels, undefined);
    for (let start = 0; start < exact.count; start += slice) {
      for (let i = start; i < Math.min(exact.count, start + slice); i++) exact.fill(i, vectorOf);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return exact;
  }

  private fill(i: number, vectorOf: (label: number) => ArrayLike<number>): void {
    const vector = vectorOf(this.labels[i] ?? 0);
    for (let d = 0; d < this.dimensions; d++) this.values[d * this.count + i] = vector[d] ?? 0;
  }

  /** The vector with this label, or undefined when there is none. */
  vectorOf(label: number): number[] | undefined {
    // Labels are in increasing order: a binary search finds the column.
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.labels[middle] ?? 0) < label) low = middle + 1;
      else high = middle;
    }
    if (this.labels[low] !== label) return undefined;
    const vector = new Array<number>(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) vector[d] = this.values[d * this.count + low] ?? 0;
    return vector;
  }

  /** Bytes these vectors take. */
  get bytes(): number {
    return this.values.byteLength + this.labels.byteLength;
  }

  /** The inner product of the query with every vector, in column order. */
  similarities(query: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.count);
    const { values, count } = this;
    const columns: number[] = [];
    const weights: number[] = [];
    for (let d = 0; d < this.dimensions; d++) {
      const weight = query[d] ?? 0;
      if (weight === 0) continue;
      columns.push(d * count);
      weights.push(weight);
    }
    // Four dimensions per pass over the output: a quarter of the loads and stores of one at a time. Each
    // sum is rounded to float32 after each term, as storing it one dimension at a time did, so that the
    // similarities are those of the plain loop to the last bit (rankings do not move on a tie).
    let at = 0;
    for (; at + 4 <= columns.length; at += 4) {
      const [a, b, c, d] = [
        columns[at] ?? 0,
        columns[at + 1] ?? 0,
        columns[at + 2] ?? 0,
        columns[at + 3] ?? 0,
      ];
      const [wa, wb, wc, wd] = [
        weights[at] ?? 0,
        weights[at + 1] ?? 0,
        weights[at + 2] ?? 0,
        weights[at + 3] ?? 0,
      ];
      for (let i = 0; i < count; i++) {
        let sum = Math.fround((out[i] ?? 0) + wa * (values[a + i] ?? 0));
        sum = Math.fround(sum + wb * (values[b + i] ?? 0));
        sum = Math.fround(sum + wc * (values[c + i] ?? 0));
        out[i] = sum + wd * (values[d + i] ?? 0);
      }
    }
    for (; at < columns.length; at++) {
      const column = columns[at] ?? 0;
      const weight = weights[at] ?? 0;
      for (let i = 0; i < count; i++) out[i] = (out[i] ?? 0) + weight * (values[column + i] ?? 0);
    }
    return out;
  }
}

/**
 * Transposes a `rows` × `columns` matrix stored row by row into the same array, column by column, by
 * following the permutation's cycles: the element at `p` goes to `p × rows mod (size − 1)` (the first
 * and last stay). A bit per element marks those already moved.
 */
export function transposeInPlace(values: Float32Array, rows: number, columns: number): void {
  const size = rows * columns;
  if (values.length !== size) throw new RangeError(`${values.length} values for ${rows} × ${columns}`);
  if (rows <= 1 || columns <= 1) return;
  const moved = new Uint32Array(Math.ceil(size / 32));
  for (let start = 1; start < size - 1; start++) {
    if ((moved[start >>> 5] ?? 0) & (1 << (start & 31))) continue;
    let at = start;
    let carried = values[at] ?? 0;
    do {
      const to = (at * rows) % (size - 1);
      const displaced = values[to] ?? 0;
      values[to] = carried;
      carried = displaced;
      moved[to >>> 5] = (moved[to >>> 5] ?? 0) | (1 << (to & 31));
      at = to;
    } while (at !== start);
  }
}
