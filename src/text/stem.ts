import { normalizeArabic } from "./normalize.js";

/**
 * Prefixes of Lucene's light10 stemmer, tried in this order; at most one is removed.
 * Written unnormalized for readability and normalized once here.
 */
const PREFIXES: readonly string[] = ["ال", "وال", "بال", "كال", "فال", "لل", "و"].map(normalizeArabic);

/**
 * Suffixes of light10, each tried once, in this order. Normalization turns ة into ه and ية into يه, so
 * duplicates are removed: otherwise a word ending in ـهة (جبهة) would lose two letters.
 */
const SUFFIXES: readonly string[] = [
  ...new Set(["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"].map(normalizeArabic)),
];

/** A stem keeps at least two letters: shorter ones conflate unrelated words. */
const MIN_STEM_LENGTH = 2;
/** The one-letter prefix و is only removed from words of four letters or more (وزن, ولد keep theirs). */
const MIN_LENGTH_FOR_SINGLE_LETTER_PREFIX = 4;

/**
 * Light stemming of one normalized Arabic word, after Lucene's `ArabicStemmer` (light10):
 * - removes one prefix of ال وال بال كال فال لل, or و from a word of four letters or more;
 * - then removes the suffixes ها ان ات ون ين يه ه ي, each at most once, in that order;
 * - never leaves fewer than two letters.
 * Numbers and Latin words are returned unchanged.
 *
 * @example stemArabic("والمعلمين") === "معلم"
 */
export function stemArabic(word: string): string {
  return stripSuffixes(stripPrefix(word));
}

function stripPrefix(word: string): string {
  for (const prefix of PREFIXES) {
    if (prefix.length === 1 && word.length < MIN_LENGTH_FOR_SINGLE_LETTER_PREFIX) continue;
    if (word.length < prefix.length + MIN_STEM_LENGTH) continue;
    if (word.startsWith(prefix)) return word.slice(prefix.length);
  }
  return word;
}

function stripSuffixes(word: string): string {
  let stem = word;
  for (const suffix of SUFFIXES) {
    if (stem.length >= suffix.length + MIN_STEM_LENGTH && stem.endsWith(suffix)) {
      stem = stem.slice(0, -suffix.length);
    }
  }
  return stem;
}
