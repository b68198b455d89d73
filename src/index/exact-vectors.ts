/**
 * How the vectors of {@link ExactVectors} are laid out: column by column (column `d` holds dimension `d`
 * of every vector), either every value or only the non-zero ones.
 */
export type VectorLayout =
  /** Every value: dimension `d` of vector `i` at `d × count + i`. */
  | { readonly kind: "dense"; readonly values: Float32Array }
  /**
   * The non-zero values only (compressed sparse columns): those of dimension `d` from `offsets[d]` up to
   * `offsets[d + 1]`, with the vector each belongs to at the same place in `indices`, in increasing order.
   * A hashing vector has a quarter of its dimensions non-zero: a third of the dense bytes.
   */
  | {
      readonly kind: "sparse";
      readonly offsets: Uint32Array;
      readonly indices: Uint16Array | Uint32Array;
      readonly values: Float32Array;
    };

export type VectorLayoutKind = VectorLayout["kind"];

/** Vectors up to which a sparse layout's indices take two bytes each. */
const NARROW_INDEX_COUNT = 65_536;

/** Bytes of one index of the sparse layout of `count` vectors. */
const indexBytes = (count: number): number => (count <= NARROW_INDEX_COUNT ? 2 : 4);

/**
 * Bytes of the values (and for a sparse layout, of the offsets and indices) of `count` vectors of
 * `dimensions` with `nonZeros` non-zero values in all, in either layout: the smaller one is used.
 */
export function layoutBytes(
  kind: VectorLayoutKind,
  count: number,
  dimensions: number,
  nonZeros: number,
): number {
  return kind === "dense"
    ? count * dimensions * Float32Array.BYTES_PER_ELEMENT
    : (dimensions + 1) * Uint32Array.BYTES_PER_ELEMENT +
        nonZeros * (indexBytes(count) + Float32Array.BYTES_PER_ELEMENT);
}

/** The layout taking fewer bytes (dense on a tie: its search is the simpler). */
function smallerLayout(count: number, dimensions: number, nonZeros: number): VectorLayoutKind {
  return layoutBytes("sparse", count, dimensions, nonZeros) <
    layoutBytes("dense", count, dimensions, nonZeros)
    ? "sparse"
    : "dense";
}

/**
 * Every vector of a small store laid out dimension by dimension, so that a query's similarity to all of
 * them costs one pass per non-zero dimension of the query. A hashing query has one non-zero dimension in
 * ten or so: at a few thousand passages this exact search takes a fraction of what a graph search takes,
 * finds the true nearest neighbours, and gives the similarity of any passage (a lexical candidate) for
 * free. Sparse vectors (hashing) keep only their non-zero values, dense ones (a model's embeddings) every
 * value: whichever takes fewer bytes, counted whenever the vectors are laid out.
 */
export class ExactVectors {
  readonly count: number;

  private constructor(
    readonly dimensions: number,
    /** The label of each vector, in the order of the layout: increasing. */
    readonly labels: Int32Array,
    /** The values, as a file holds them (see {@link fileParts}). */
    readonly layout: VectorLayout,
    /** Non-zero values in all, when known (a dense layout's are counted when first needed). */
    private nonZeroCount?: number,
  ) {
    this.count = labels.length;
  }

  /** Non-zero values in all: what the choice of layout goes by. */
  private get nonZeros(): number {
    if (this.layout.kind === "sparse") return this.layout.values.length;
    return (this.nonZeroCount ??= nonZerosOf(this.layout.values));
  }

  /** No vectors. */
  static empty(dimensions: number): ExactVectors {
    return new ExactVectors(dimensions, new Int32Array(0), { kind: "dense", values: new Float32Array(0) });
  }

  /** The vectors of these labels (increasing), read one at a time. */
  static of(
    dimensions: number,
    labels: Int32Array,
    vectorOf: (label: number) => ArrayLike<number>,
  ): ExactVectors {
    const dense = ExactVectors.dense(dimensions, labels);
    for (let i = 0; i < dense.count; i++) dense.fill(i, vectorOf(labels[i] ?? 0));
    const steps = dense.inSmallerLayout();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same as {@link of}, a slice of vectors at a time with the event loop free in between (reading a
   * vector out of a graph is the slow part).
   */
  static async inSlices(
    dimensions: number,
    labels: Int32Array,
    vectorOf: (label: number) => ArrayLike<number>,
    slice = 256,
  ): Promise<ExactVectors> {
    const dense = ExactVectors.dense(dimensions, labels);
    for (let start = 0; start < dense.count; start += slice) {
      for (let i = start; i < Math.min(dense.count, start + slice); i++)
        dense.fill(i, vectorOf(labels[i] ?? 0));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const steps = dense.inSmallerLayout();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Vectors read one at a time go straight into a dense layout (their non-zeros are not known before),
   * then into a sparse one if it is smaller: no second dense copy, no transposition.
   */
  private static dense(dimensions: number, labels: Int32Array): ExactVectors {
    return new ExactVectors(dimensions, labels, {
      kind: "dense",
      values: new Float32Array(labels.length * dimensions),
    });
  }

  private fill(i: number, vector: ArrayLike<number>): void {
    const { layout, count, dimensions } = this;
    if (layout.kind !== "dense") throw new Error("only a dense layout is filled a vector at a time");
    const { values } = layout;
    for (let d = 0; d < dimensions; d++) values[d * count + i] = vector[d] ?? 0;
  }

  /**
   * These vectors, or the same in the sparse layout when it takes fewer bytes: laid out a slice of
   * dimensions at a time (0.15 s in all at 12,000 hashing vectors), pausing at each `yield`.
   */
  private *inSmallerLayout(): Generator<undefined, ExactVectors> {
    const { dimensions, count } = this;
    if (this.layout.kind === "sparse") return this;
    const perDimension = Uint32Array.from({ length: dimensions }, (_, d) =>
      nonZerosOf(this.column(d).values),
    );
    this.nonZeroCount = perDimension.reduce((sum, n) => sum + n, 0);
    if (smallerLayout(count, dimensions, this.nonZeroCount) === "dense") return this;
    const columns = new Columns(count, dimensions, perDimension);
    for (let d = 0; d < dimensions; d++) {
      columns.copy(d, this.column(d));
      if (d % 256 === 255) yield;
    }
    return new ExactVectors(dimensions, this.labels, columns.layout);
  }

  /**
   * The same, over vectors laid end to end in one array (vector `i` at `i × dimensions`). The array is
   * theirs afterwards: dense vectors are laid out again in that very array (a build's vectors are most
   * of its memory, and a second array of them would double it); sparse ones are copied into their
   * smaller layout, and the array is let go. `kind` forces a layout (a test or a benchmark compares them).
   */
  static adoptingRows(
    dimensions: number,
    labels: Int32Array,
    rows: Float32Array,
    kind?: VectorLayoutKind,
  ): ExactVectors {
    const count = labels.length;
    if (rows.length !== count * dimensions) {
      throw new RangeError(`${rows.length} values for ${count} vectors of ${dimensions} dimensions`);
    }
    const perDimension = new Uint32Array(dimensions);
    let nonZeros = 0;
    for (let at = 0, i = 0; i < count; i++) {
      for (let d = 0; d < dimensions; d++, at++) {
        perDimension[d] = (perDimension[d] as number) + +(rows[at] !== 0);
      }
    }
    for (const n of perDimension) nonZeros += n;
    if ((kind ?? smallerLayout(count, dimensions, nonZeros)) === "dense") {
      transposeInPlace(rows, count, dimensions);
      return new ExactVectors(dimensions, labels, { kind: "dense", values: rows }, nonZeros);
    }
    const columns = new Columns(count, dimensions, perDimension);
    for (let at = 0, i = 0; i < count; i++) {
      for (let d = 0; d < dimensions; d++, at++) {
        const value = rows[at] ?? 0;
        if (value !== 0) columns.put(d, i, value);
      }
    }
    return new ExactVectors(dimensions, labels, columns.layout);
  }

  /** The same vectors with these added, under labels greater than every label here. */
  withAdded(labels: readonly number[], vectors: readonly ArrayLike<number>[]): ExactVectors {
    const { dimensions } = this;
    const count = this.count + vectors.length;
    const added = new Uint32Array(dimensions);
    let nonZeros = this.nonZeros;
    for (const vector of vectors) {
      for (let d = 0; d < dimensions; d++) {
        if ((vector[d] ?? 0) !== 0) {
          added[d] = (added[d] ?? 0) + 1;
          nonZeros++;
        }
      }
    }
    // The non-zeros of each dimension are counted only for a sparse layout (a dense one's are every value).
    const columns =
      smallerLayout(count, dimensions, nonZeros) === "dense"
        ? new Columns(count, dimensions)
        : new Columns(
            count,
            dimensions,
            added.map((n, d) => {
              // A sparse column is copied whole (its values are its non-zeros).
              const { indices, values } = this.column(d);
              return n + (indices ? values.length : nonZerosOf(values));
            }),
          );
    for (let d = 0; d < dimensions; d++) {
      columns.copy(d, this.column(d));
      vectors.forEach((vector, j) => {
        const value = vector[d] ?? 0;
        if (value !== 0) columns.put(d, this.count + j, value);
      });
    }
    return new ExactVectors(dimensions, Int32Array.from([...this.labels, ...labels]), columns.layout);
  }

  /** The same vectors without those of these labels. */
  without(labels: ReadonlySet<number>): ExactVectors {
    const { dimensions, count, layout } = this;
    // The new place of each vector, -1 for those that go.
    const placeOf = new Int32Array(count);
    let kept = 0;
    this.labels.forEach((label, i) => (placeOf[i] = labels.has(label) ? -1 : kept++));
    const keptPerDimension = (): Uint32Array =>
      Uint32Array.from({ length: dimensions }, (_, d) => {
        const { indices, values } = this.column(d);
        let n = 0;
        for (let k = 0; k < values.length; k++) {
          if ((values[k] ?? 0) !== 0 && (placeOf[indices ? (indices[k] ?? 0) : k] ?? -1) >= 0) n++;
        }
        return n;
      });
    // A sparse layout's kept values are counted per dimension from its indices; a dense one's, in all,
    // from the few vectors that go.
    let perDimension: Uint32Array | undefined;
    let nonZeros = this.nonZeros;
    if (layout.kind === "sparse") {
      perDimension = keptPerDimension();
      nonZeros = perDimension.reduce((sum, n) => sum + n, 0);
    } else {
      placeOf.forEach((to, i) => {
        if (to >= 0) return;
        for (let d = 0; d < dimensions; d++) if ((layout.values[d * count + i] ?? 0) !== 0) nonZeros--;
      });
    }
    const columns =
      smallerLayout(kept, dimensions, nonZeros) === "dense"
        ? new Columns(kept, dimensions)
        : new Columns(kept, dimensions, perDimension ?? keptPerDimension());
    // Dense to dense, runs of vectors kept are copied whole: a few articles' vectors go, and the rest
    // moves in blocks.
    const runs: [from: number, to: number, length: number][] = [];
    placeOf.forEach((to, i) => {
      const last = runs[runs.length - 1];
      if (to < 0) return;
      if (last && last[0] + last[2] === i && last[1] + last[2] === to) last[2]++;
      else runs.push([i, to, 1]);
    });
    for (let d = 0; d < dimensions; d++) {
      const { indices, values } = this.column(d);
      if (!indices && columns.layout.kind === "dense") {
        for (const [from, to, length] of runs) {
          columns.layout.values.set(values.subarray(from, from + length), d * kept + to);
        }
        continue;
      }
      for (let k = 0; k < values.length; k++) {
        const value = values[k] ?? 0;
        const to = placeOf[indices ? (indices[k] ?? 0) : k] ?? -1;
        if (value !== 0 && to >= 0) columns.put(d, to, value);
      }
    }
    const keptLabels = this.labels.filter((label) => !labels.has(label));
    return new ExactVectors(dimensions, keptLabels, columns.layout);
  }

  /**
   * The values of dimension `d` of every vector, or of those whose places `indices` gives (increasing):
   * views of the layout, neither copied.
   */
  private column(d: number): Column {
    const { layout, count } = this;
    if (layout.kind === "dense") {
      return { indices: undefined, values: layout.values.subarray(d * count, (d + 1) * count) };
    }
    const start = layout.offsets[d] ?? 0;
    const end = layout.offsets[d + 1] ?? 0;
    return { indices: layout.indices.subarray(start, end), values: layout.values.subarray(start, end) };
  }

  /** The vector with this label, or undefined when there is none. */
  vectorOf(label: number): number[] | undefined {
    // Labels are in increasing order: a binary search finds the vector, as it finds a value in a column.
    const i = lowerBound(this.labels, 0, this.count, label);
    if (this.labels[i] !== label) return undefined;
    const { layout, count } = this;
    const vector = new Array<number>(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) {
      if (layout.kind === "dense") {
        vector[d] = layout.values[d * count + i] ?? 0;
        continue;
      }
      const end = layout.offsets[d + 1] ?? 0;
      const k = lowerBound(layout.indices, layout.offsets[d] ?? 0, end, i);
      vector[d] = k < end && layout.indices[k] === i ? (layout.values[k] ?? 0) : 0;
    }
    return vector;
  }

  /** Bytes these vectors take. */
  get bytes(): number {
    const { layout } = this;
    const layoutBytes =
      layout.kind === "dense"
        ? layout.values.byteLength
        : layout.offsets.byteLength + layout.indices.byteLength + layout.values.byteLength;
    return layoutBytes + this.labels.byteLength;
  }

  /**
   * The inner product of the query with every vector, in the order of {@link labels}. A query given by
   * its non-zero terms gives the same floats as the same query written out.
   */
  similarities(query: ArrayLike<number> | SparseQuery): Float32Array {
    const terms = isSparseQuery(query) ? query : nonZeroTerms(query, this.dimensions);
    return this.layout.kind === "dense"
      ? denseSimilarities(this.layout.values, this.count, this.dimensions, terms)
      : sparseSimilarities(this.layout, this.count, this.dimensions, terms);
  }

  /**
   * The bytes of a file of these vectors (a store's vectors.f32), to be written one after another: a header (see {@link fromFile}), the labels, then the layout's arrays (offsets, values and
   * indices of a sparse layout: every part starts at a multiple of four, so a file read is viewed, not
   * copied).
   */
  fileParts(): Uint8Array[] {
    const { layout, count } = this;
    const sparse = layout.kind === "sparse";
    const header = Uint32Array.of(
      FILE_MAGIC,
      sparse ? SPARSE_KIND : DENSE_KIND,
      count,
      this.dimensions,
      layout.values.length,
      sparse ? layout.indices.BYTES_PER_ELEMENT : 0,
    );
    const arrays = sparse ? [layout.offsets, layout.values, layout.indices] : [layout.values];
    return [header, this.labels, ...arrays].map(
      (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
    );
  }

  /**
   * Vectors from the bytes {@link fileParts} wrote, viewed where they are aligned (else copied); throws,
   * naming the file, when they are not such bytes. The caller checks the labels and dimensions against
   * what else it knows.
   */
  static fromFile(bytes: Uint8Array, file: string): ExactVectors {
    if (bytes.byteLength < FILE_HEADER_BYTES) {
      throw new Error(
        `${file} has ${bytes.byteLength} bytes, too few for its ${FILE_HEADER_BYTES}-byte header`,
      );
    }
    const [magic, kind, count = 0, dimensions = 0, nonZeros = 0, width = 0] = viewOf(
      Uint32Array,
      bytes,
      0,
      FILE_HEADER_BYTES / 4,
    );
    if (magic !== FILE_MAGIC) throw new Error(`${file} is not a file of vectors for exact search`);
    if (kind !== DENSE_KIND && kind !== SPARSE_KIND)
      throw new Error(`${file} has an unknown layout (${kind})`);
    const sparse = kind === SPARSE_KIND;
    if (sparse ? width !== 2 && width !== 4 : width !== 0) {
      throw new Error(`${file} has indices of ${width} bytes for a ${sparse ? "sparse" : "dense"} layout`);
    }
    if (
      sparse
        ? (width === 2 && count > NARROW_INDEX_COUNT) || nonZeros > count * dimensions
        : nonZeros !== count * dimensions
    ) {
      throw new Error(
        `${file} says it has ${nonZeros} values for ${count} vectors of ${dimensions} dimensions`,
      );
    }
    const labelsAt = FILE_HEADER_BYTES;
    const layoutAt = labelsAt + count * Int32Array.BYTES_PER_ELEMENT;
    const valuesAt = layoutAt + (sparse ? (dimensions + 1) * Uint32Array.BYTES_PER_ELEMENT : 0);
    const indicesAt = valuesAt + nonZeros * Float32Array.BYTES_PER_ELEMENT;
    const size = indicesAt + (sparse ? nonZeros * width : 0);
    if (bytes.byteLength !== size) {
      throw new Error(
        `${file} has ${bytes.byteLength} bytes, its header (${count} vectors of ${dimensions} dimensions, ${nonZeros} values) says ${size}`,
      );
    }
    const labels = viewOf(Int32Array, bytes, labelsAt, count);
    const values = viewOf(Float32Array, bytes, valuesAt, nonZeros);
    if (!sparse) return new ExactVectors(dimensions, labels, { kind: "dense", values });
    const offsets = viewOf(Uint32Array, bytes, layoutAt, dimensions + 1);
    const indices =
      width === 2
        ? viewOf(Uint16Array, bytes, indicesAt, nonZeros)
        : viewOf(Uint32Array, bytes, indicesAt, nonZeros);
    // Checked as the kernel and vectorOf rely on them: each column's indices increasing and in range.
    if (offsets[0] !== 0 || offsets[dimensions] !== nonZeros) {
      throw new Error(
        `${file} has column offsets from ${offsets[0]} to ${offsets[dimensions]}, not 0 to ${nonZeros}`,
      );
    }
    for (let d = 0; d < dimensions; d++) {
      if ((offsets[d + 1] ?? 0) < (offsets[d] ?? 0)) {
        throw new Error(`${file} has column ${d} ending before it starts`);
      }
    }
    for (let d = 0; d < dimensions; d++) {
      const end = offsets[d + 1] ?? 0;
      for (let k = offsets[d] ?? 0, last = -1; k < end; k++) {
        const i = indices[k] ?? 0;
        if (i <= last || i >= count) {
          throw new Error(`${file} has vector ${i} out of order in column ${d} (of ${count} vectors)`);
        }
        last = i;
      }
    }
    return new ExactVectors(dimensions, labels, { kind: "sparse", offsets, indices, values });
  }
}

/** "SNDV", read as a little-endian number: the first four bytes of a file of vectors for exact search. */
const FILE_MAGIC = 0x56444e53;
const DENSE_KIND = 1;
const SPARSE_KIND = 2;
/** Magic, layout, count, dimensions, values, bytes per index: six 32-bit numbers. */
const FILE_HEADER_BYTES = 6 * Uint32Array.BYTES_PER_ELEMENT;

/** Bytes of the file {@link ExactVectors.fileParts} writes for these vectors. */
export function exactVectorsFileBytes(
  kind: VectorLayoutKind,
  count: number,
  dimensions: number,
  nonZeros: number,
): number {
  return (
    FILE_HEADER_BYTES + count * Int32Array.BYTES_PER_ELEMENT + layoutBytes(kind, count, dimensions, nonZeros)
  );
}

/** One dimension's values: of every vector, or of those whose places `indices` gives. */
interface Column {
  readonly indices: Uint16Array | Uint32Array | undefined;
  readonly values: Float32Array;
}

/**
 * The columns of a layout being filled: each dimension's non-zero values are counted first, then put
 * in increasing vector order.
 */
class Columns {
  readonly layout: VectorLayout;
  /** Where the next value of each dimension goes, in a sparse layout. */
  private readonly next: Uint32Array;

  constructor(
    private readonly count: number,
    dimensions: number,
    /** The non-zero values of each dimension, for a sparse layout; none for a dense one. */
    perDimension?: Uint32Array,
  ) {
    if (!perDimension) {
      this.layout = { kind: "dense", values: new Float32Array(count * dimensions) };
      this.next = new Uint32Array(0);
      return;
    }
    const offsets = new Uint32Array(dimensions + 1);
    for (let d = 0; d < dimensions; d++) offsets[d + 1] = (offsets[d] ?? 0) + (perDimension[d] ?? 0);
    const nonZeros = offsets[dimensions] ?? 0;
    this.layout = {
      kind: "sparse",
      offsets,
      indices: count <= NARROW_INDEX_COUNT ? new Uint16Array(nonZeros) : new Uint32Array(nonZeros),
      values: new Float32Array(nonZeros),
    };
    this.next = offsets.slice(0, dimensions);
  }

  /**
   * Puts a column of vectors at the same places, the first ones laid out: one copy when both layouts are
   * alike, as they are but when a change tips the balance.
   */
  copy(d: number, { indices, values }: Column): void {
    const { layout } = this;
    if (layout.kind === "dense" && !indices) {
      layout.values.set(values, d * this.count);
    } else if (layout.kind === "sparse" && indices) {
      const k = this.next[d] ?? 0;
      layout.indices.set(indices, k);
      layout.values.set(values, k);
      this.next[d] = k + values.length;
    } else if (layout.kind === "sparse") {
      // A dense column into a sparse layout: its non-zeros.
      const { indices: to, values: toValues } = layout;
      let k = this.next[d] ?? 0;
      for (let i = 0; i < values.length; i++) {
        const value = values[i] as number;
        if (value === 0) continue;
        to[k] = i;
        toValues[k++] = value;
      }
      this.next[d] = k;
    } else {
      const at = d * this.count;
      values.forEach((value, k) => (layout.values[at + (indices?.[k] ?? 0)] = value));
    }
  }

  /** Puts the value of dimension `d` of vector `i`: after every value of a vector before `i`. */
  put(d: number, i: number, value: number): void {
    const { layout } = this;
    if (layout.kind === "dense") {
      layout.values[d * this.count + i] = value;
      return;
    }
    const k = this.next[d] ?? 0;
    this.next[d] = k + 1;
    layout.indices[k] = i;
    layout.values[k] = value;
  }
}

/** The non-zero values of these. */
function nonZerosOf(values: Float32Array): number {
  let n = 0;
  // Added, not tested: a quarter of the values non-zero, at random, is a branch mispredicted often.
  for (let i = 0; i < values.length; i++) n += +(values[i] !== 0);
  return n;
}

/** The first place from `low` up to `high` in increasing `values` not below `value`. */
function lowerBound(values: ArrayLike<number>, low: number, high: number, value: number): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A typed array over `length` elements of `bytes` from `at`: a view when aligned, else a copy. */
function viewOf<T>(
  type: {
    new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
    readonly BYTES_PER_ELEMENT: number;
  },
  bytes: Uint8Array,
  at: number,
  length: number,
): T {
  const start = bytes.byteOffset + at;
  // A typed array must start at a multiple of its element size; a large file's buffer is its own.
  return start % type.BYTES_PER_ELEMENT === 0
    ? new type(bytes.buffer, start, length)
    : new type(new Uint8Array(bytes.subarray(at, at + length * type.BYTES_PER_ELEMENT)).buffer, 0, length);
}

/**
 * A query by its non-zero terms: their dimensions in increasing order (each once), and their weights. A
 * hashing question has a hundred-odd of 2048: searched this way, it is neither written out nor read
 * through, and the kernels add the same terms in the same order as for the query written out.
 */
export interface SparseQuery {
  readonly dimensions: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
}

function isSparseQuery(query: ArrayLike<number> | SparseQuery): query is SparseQuery {
  return "weights" in query;
}

/** The non-zero terms of a query written out, up to `dimensions`. */
function nonZeroTerms(query: ArrayLike<number>, dimensions: number): SparseQuery {
  const at: number[] = [];
  const weights: number[] = [];
  const last = Math.min(dimensions, query.length);
  for (let d = 0; d < last; d++) {
    const weight = query[d] ?? 0;
    if (weight === 0) continue;
    at.push(d);
    weights.push(weight);
  }
  return { dimensions: at, weights };
}

/** The similarities of a query to vectors laid out densely, column by column. */
function denseSimilarities(
  values: Float32Array,
  count: number,
  dimensions: number,
  query: SparseQuery,
): Float32Array {
  const out = new Float32Array(count);
  const columns: number[] = [];
  const weights: number[] = [];
  for (let n = 0; n < query.dimensions.length; n++) {
    const d = query.dimensions[n] as number;
    const weight = query.weights[n] as number;
    if (d >= dimensions || weight === 0) continue;
    columns.push(d * count);
    weights.push(weight);
  }
  // Four dimensions per pass over the output: a quarter of the loads and stores of one at a time. Each
  // sum is rounded to float32 after each term, as storing it one dimension at a time did, so that the
  // similarities are those of the plain loop to the last bit (rankings do not move on a tie).
  let at = 0;
  for (; at + 4 <= columns.length; at += 4) {
    const [a, b, c, d] = [columns[at] ?? 0, columns[at + 1] ?? 0, columns[at + 2] ?? 0, columns[at + 3] ?? 0];
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

/**
 * The similarities of a query to vectors laid out sparsely: the same sums as {@link denseSimilarities}
 * in the same order, rounded to float32 after each term (a zero term adds nothing), so the same floats
 * to the last bit; only the non-zero terms are read.
 */
function sparseSimilarities(
  layout: Extract<VectorLayout, { kind: "sparse" }>,
  count: number,
  dimensions: number,
  query: SparseQuery,
): Float32Array {
  const out = new Float32Array(count);
  const { offsets, indices, values } = layout;
  // Every read is in bounds (the query's up to its length; the offsets and indices were checked when laid
  // out or read from a file): `as number` rather than `?? 0`, whose test costs a third of the time here
  // (a weight that may be the integer 0 is no longer kept as a plain double). A column's vectors are
  // distinct, so four of its terms at a time are four independent sums (a third faster again).
  for (let n = 0; n < query.dimensions.length; n++) {
    const d = query.dimensions[n] as number;
    const weight = query.weights[n] as number;
    if (d >= dimensions || weight === 0) continue;
    const end = offsets[d + 1] as number;
    let k = offsets[d] as number;
    for (; k + 4 <= end; k += 4) {
      const a = indices[k] as number;
      const b = indices[k + 1] as number;
      const c = indices[k + 2] as number;
      const e = indices[k + 3] as number;
      out[a] = (out[a] as number) + weight * (values[k] as number);
      out[b] = (out[b] as number) + weight * (values[k + 1] as number);
      out[c] = (out[c] as number) + weight * (values[k + 2] as number);
      out[e] = (out[e] as number) + weight * (values[k + 3] as number);
    }
    for (; k < end; k++) {
      const i = indices[k] as number;
      out[i] = (out[i] as number) + weight * (values[k] as number);
    }
  }
  return out;
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
