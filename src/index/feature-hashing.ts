import { analyzeForIndex, analyzeForMatch } from "../text/index.js";

/** Character n-gram lengths: 3 to 5 letters catch Arabic roots under clitics and affixes. */
export const DEFAULT_MIN_GRAM = 3;
export const DEFAULT_MAX_GRAM = 5;

/** A text's hashed features: bucket → signed, sublinear term frequency. */
export type HashedFeatures = Map<number, number>;

/** FNV-1a's starting state (its offset basis). */
export const FNV_OFFSET_BASIS = 0x811c9dc5;

/** One step of FNV-1a: the state after one more UTF-16 unit (end with `>>> 0` for the 32-bit hash). */
export const fnvStep = (state: number, unit: number): number => Math.imul(state ^ unit, 0x01000193);

/**
 * 32-bit FNV-1a over UTF-16 units: fast, deterministic across runs and machines, and good enough
 * dispersion for feature hashing.
 */
export function fnv1a(text: string): number {
  return fnvAfter(text) >>> 0;
}

/** FNV-1a's state after `prefix`: the hash of any text that begins with it goes on from here. */
function fnvAfter(prefix: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < prefix.length; i++) hash = fnvStep(hash, prefix.charCodeAt(i));
  return hash;
}

/**
 * The feature strings of a text: its analyzed words and the character n-grams of its content words.
 * `indexTerms`, when the caller already has `analyzeForIndex(text)`, saves analyzing the text twice.
 */
export function featureStrings(
  text: string,
  minGram = DEFAULT_MIN_GRAM,
  maxGram = DEFAULT_MAX_GRAM,
  indexTerms: readonly string[] = analyzeForIndex(text),
): string[] {
  const features = indexTerms.map((stem) => `w:${stem}`);
  for (const word of analyzeForMatch(text)) {
    // Boundary marks make prefix and suffix n-grams distinct from the same letters inside a word.
    const marked = `<${word}>`;
    for (let n = minGram; n <= maxGram; n++) {
      for (let i = 0; i + n <= marked.length; i++) features.push(`c:${marked.slice(i, i + n)}`);
    }
  }
  return features;
}

/**
 * Signed feature hashing: each feature adds ±1 to one of `dimensions` buckets, the sign taken from a
 * hash bit the bucket does not use, so collisions cancel out on average instead of piling up.
 * Counts become 1 + ln(count) so that a word repeated in a long passage does not dominate it.
 */
export function hashFeatures(features: readonly string[], dimensions: number): HashedFeatures {
  const counts = new Map<number, number>();
  for (const feature of features) count(counts, fnv1a(feature), dimensions);
  return sublinear(counts);
}

/** Adds a feature's hash to its bucket's signed count. */
function count(counts: Map<number, number>, hash: number, dimensions: number): void {
  const bucket = hash % dimensions;
  counts.set(bucket, (counts.get(bucket) ?? 0) + (hash & 0x80000000 ? -1 : 1));
}

/** Bucket counts as features: 1 + ln(count), signed; buckets whose signs cancelled out are left out. */
function sublinear(counts: ReadonlyMap<number, number>): HashedFeatures {
  const hashed: HashedFeatures = new Map();
  for (const [bucket, total] of counts) {
    if (total !== 0) hashed.set(bucket, Math.sign(total) * (1 + Math.log(Math.abs(total))));
  }
  return hashed;
}

/** The UTF-16 unit at `at` of `<${word}>`, without making that string. */
function markedUnit(word: string, at: number): number {
  return at === 0 ? WORD_START : at === word.length + 1 ? WORD_END : word.charCodeAt(at - 1);
}

const WORD_STATE = fnvAfter("w:");
const GRAM_STATE = fnvAfter("c:");
const WORD_START = "<".charCodeAt(0);
const WORD_END = ">".charCodeAt(0);

/**
 * A text's hashed features as two lists side by side, in the order {@link hashTextFeatures}'s map has them
 * (the order a vector's norm is summed in). The lists are reused by the next text hashed to the same
 * number of dimensions: read them before hashing another.
 */
export interface HashedFeatureList {
  readonly size: number;
  readonly buckets: Int32Array;
  readonly values: Float64Array;
}

/**
 * Counts one text's features at a time into buckets, in typed arrays kept from text to text: every
 * question and every indexed passage is hashed, and a map per text (and another for its sublinear
 * counts) cost most of embedding a question.
 */
class FeatureCounter {
  private readonly counts: Int32Array;
  /** Which text last counted each bucket: a bucket is new to a text, and listed, on its first count. */
  private readonly marks: Uint32Array;
  private mark = 0;
  /** Buckets in the order first counted. */
  private touched: Int32Array = new Int32Array(256);
  private length = 0;
  private buckets = new Int32Array(256);
  private values = new Float64Array(256);

  constructor(readonly dimensions: number) {
    this.counts = new Int32Array(dimensions);
    this.marks = new Uint32Array(dimensions);
  }

  start(): void {
    this.length = 0;
    if (++this.mark === 0xffffffff) {
      this.marks.fill(0);
      this.mark = 1;
    }
  }

  /** Adds a feature's 32-bit hash: ±1, the sign from a bit the bucket does not use. */
  add(hash: number): void {
    const bucket = hash % this.dimensions;
    if (this.marks[bucket] !== this.mark) {
      this.marks[bucket] = this.mark;
      this.counts[bucket] = 0;
      if (this.length === this.touched.length) this.touched = grown(this.touched);
      this.touched[this.length++] = bucket;
    }
    this.counts[bucket] = (this.counts[bucket] as number) + (hash & 0x80000000 ? -1 : 1);
  }

  /** The counts as features: 1 + ln(count), signed; buckets whose signs cancelled out are left out. */
  finish(): HashedFeatureList {
    if (this.buckets.length < this.length) {
      this.buckets = new Int32Array(this.touched.length);
      this.values = new Float64Array(this.touched.length);
    }
    let size = 0;
    for (let i = 0; i < this.length; i++) {
      const bucket = this.touched[i] as number;
      const total = this.counts[bucket] as number;
      if (total === 0) continue;
      this.buckets[size] = bucket;
      this.values[size] = Math.sign(total) * (1 + Math.log(Math.abs(total)));
      size++;
    }
    return { size, buckets: this.buckets, values: this.values };
  }
}

/** A list twice as long, with the same first entries. */
function grown(list: Int32Array): Int32Array {
  const longer = new Int32Array(list.length * 2);
  longer.set(list);
  return longer;
}

/** One counter per number of dimensions (an index has one; tests try several). */
const COUNTERS = new Map<number, FeatureCounter>();

/**
 * {@link hashTextFeatures} as lists kept from text to text (see {@link HashedFeatureList}): what the
 * embeddings read, without a map per text.
 */
export function hashTextFeatureList(
  text: string,
  dimensions: number,
  minGram = DEFAULT_MIN_GRAM,
  maxGram = DEFAULT_MAX_GRAM,
  indexTerms: readonly string[] = analyzeForIndex(text),
): HashedFeatureList {
  let counter = COUNTERS.get(dimensions);
  if (!counter) {
    counter = new FeatureCounter(dimensions);
    COUNTERS.set(dimensions, counter);
  }
  counter.start();
  for (const term of indexTerms) {
    let hash = WORD_STATE;
    for (let i = 0; i < term.length; i++) hash = fnvStep(hash, term.charCodeAt(i));
    counter.add(hash >>> 0);
  }
  for (const word of analyzeForMatch(text)) {
    // The word between its boundary marks, as featureStrings writes it: `<${word}>`.
    const length = word.length + 2;
    for (let n = minGram; n <= maxGram; n++) {
      for (let i = 0; i + n <= length; i++) {
        let hash = GRAM_STATE;
        for (let j = i; j < i + n; j++) hash = fnvStep(hash, markedUnit(word, j));
        counter.add(hash >>> 0);
      }
    }
  }
  return counter.finish();
}

/**
 * {@link hashFeatures} of {@link featureStrings}, to the same buckets and values, without writing a
 * string per feature: each n-gram is hashed where it stands in its word. A passage has a thousand or
 * more features; making their strings was most of the time and garbage of embedding it.
 */
export function hashTextFeatures(
  text: string,
  dimensions: number,
  minGram = DEFAULT_MIN_GRAM,
  maxGram = DEFAULT_MAX_GRAM,
  indexTerms: readonly string[] = analyzeForIndex(text),
): HashedFeatures {
  const { size, buckets, values } = hashTextFeatureList(text, dimensions, minGram, maxGram, indexTerms);
  const hashed: HashedFeatures = new Map();
  for (let i = 0; i < size; i++) hashed.set(buckets[i] as number, values[i] as number);
  return hashed;
}
