import { analyzeForIndex, analyzeForMatch } from "../text/index.js";

/** Character n-gram lengths: 3 to 5 letters catch Arabic roots under clitics and affixes. */
export const DEFAULT_MIN_GRAM = 3;
export const DEFAULT_MAX_GRAM = 5;

/** A text's hashed features: bucket → signed, sublinear term frequency. */
export type HashedFeatures = Map<number, number>;

/**
 * 32-bit FNV-1a over UTF-16 units: fast, deterministic across runs and machines, and good enough
 * dispersion for feature hashing.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
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
  for (const feature of features) {
    const hash = fnv1a(feature);
    const bucket = hash % dimensions;
    const sign = hash & 0x80000000 ? -1 : 1;
    counts.set(bucket, (counts.get(bucket) ?? 0) + sign);
  }
  const hashed: HashedFeatures = new Map();
  for (const [bucket, count] of counts) {
    if (count !== 0) hashed.set(bucket, Math.sign(count) * (1 + Math.log(Math.abs(count))));
  }
  return hashed;
}
