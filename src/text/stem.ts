import { normalizeArabic } from "./normalize.js";
import { isStemExcluded } from "./stem-exclusions.js";

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

/** The relative-adjective endings (روسي، روسية). */
const NISBA_SUFFIXES: readonly string[] = ["يه", "ي"].map(normalizeArabic);
const TWO_LETTER_SUFFIXES: readonly string[] = SUFFIXES.filter((suffix) => suffix.length === 2);

/** A stem keeps at least two letters: shorter ones conflate unrelated words. */
const MIN_STEM_LENGTH = 2;
/** The one-letter prefix و is only removed from words of four letters or more (وزن, ولد keep theirs). */
const MIN_LENGTH_FOR_SINGLE_LETTER_PREFIX = 4;

/**
 * Light stemming of one normalized Arabic word, after Lucene's `ArabicStemmer` (light10):
 * - removes one prefix of ال وال بال كال فال لل, or و from a word of four letters or more;
 * - then removes the suffixes ها ان ات ون ين يه ه ي, each at most once, in that order;
 * - then, if a nisba ending (ي، ية) went, the two-letter suffixes once more: الطاجيكستاني → طاجيكست;
 * - never leaves fewer than two letters;
 * - removes no suffix from a name of the stem exclusion list, alone or behind a glued one-letter
 *   proclitic (بوتين، لبوتين). Like Lucene's stem exclusion set, but checked after the prefix is gone,
 *   so that الكرملين and وبوتين are covered too (→ كرملين، بوتين).
 * Numbers and Latin words are returned unchanged.
 *
 * @example stemArabic("والمعلمين") === "معلم"
 */
export function stemArabic(word: string): string {
  const withoutPrefix = stripPrefix(word);
  return isStemExcluded(withoutPrefix) ? withoutPrefix : stripSuffixes(withoutPrefix);
}

function stripPrefix(word: string): string {
  for (const prefix of PREFIXES) {
    if (prefix.length === 1 && word.length < MIN_LENGTH_FOR_SINGLE_LETTER_PREFIX) continue;
    if (word.length < prefix.length + MIN_STEM_LENGTH) continue;
    if (word.startsWith(prefix)) return word.slice(prefix.length);
  }
  return word;
}

/**
 * Lucene's single pass over the suffixes, then, when it removed a nisba ending (ي or ية, also inside
 * ـيين and ـيات), one more pass
 * over the two-letter suffixes, so that the adjective meets its noun: الطاجيكستاني → طاجيكستان →
 * طاجيكست, as طاجيكستان itself gives. Measured on the gold set and TyDi QA, this adds 1–2 points hit@1
 * (README, "Choices measured").
 */
function stripSuffixes(word: string): string {
  const first = suffixPass(word, SUFFIXES);
  const removedNisba = first.removed.some((suffix) => NISBA_SUFFIXES.includes(suffix));
  return removedNisba ? suffixPass(first.stem, TWO_LETTER_SUFFIXES).stem : first.stem;
}

function suffixPass(word: string, suffixes: readonly string[]): { stem: string; removed: string[] } {
  let stem = word;
  const removed: string[] = [];
  for (const suffix of suffixes) {
    if (stem.length >= suffix.length + MIN_STEM_LENGTH && stem.endsWith(suffix)) {
      stem = stem.slice(0, -suffix.length);
      removed.push(suffix);
    }
  }
  return { stem, removed };
}
