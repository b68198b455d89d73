import { FNV_OFFSET_BASIS, fnvStep } from "../index/index.js";
import { consonantSkeleton, stripProclitic, tokenForms } from "../text/index.js";
import type { WeightedTerm } from "./passage-retriever.js";

/** Weights of the alternatives to a word the index does not hold. */
export const EXPANSION_WEIGHTS = {
  /** The word without a glued preposition or conjunction (بقمة → قمه). */
  clitic: 0.9,
  /** A word one letter away (طاجكستان → طاجيكستان, بوتن → بوتين). */
  oneEdit: 0.8,
  /** A longer word it begins (طاجيك → طاجيكستان). */
  prefix: 0.7,
} as const;

/** Shorter words are too easily one letter away from an unrelated word. */
const MIN_FUZZY_LENGTH = 4;
/** A prefix this short would begin too many words. */
const MIN_PREFIX_LENGTH = 5;
/** Alternatives kept per kind: the words a misspelling could mean are few. */
const MAX_ALTERNATIVES = 3;

/**
 * Finds, for a question word the index does not hold, the indexed words it most likely means: the word
 * without a glued clitic, words one edit away (a deletion index, as in SymSpell), and longer words it
 * begins. Words the index holds are searched as they are.
 *
 * @example new TermExpander(["طاجيكست", "قمه"]).expand("بقمه") → [{ term: "قمه", weight: 0.9 }]
 */
export class TermExpander {
  private readonly vocabulary: ReadonlySet<string>;
  private nearby: OneEditIndex | undefined;
  private sorted: string[] | undefined;
  private skeletons: PackedStringSet | undefined;

  constructor(vocabulary: Iterable<string>) {
    this.vocabulary = new Set(vocabulary);
  }

  /** The terms to search for a question word: itself if indexed, else its likely meanings (maybe none). */
  expand(term: string): WeightedTerm[] {
    if (this.vocabulary.has(term) || /^\d/.test(term)) return [{ term, weight: 1 }];
    const found = new Map<string, number>();
    const offer = (candidate: string, weight: number): void => {
      if (candidate !== term && weight > (found.get(candidate) ?? 0)) found.set(candidate, weight);
    };
    // The light stemmer strips only و of the one-letter proclitics, and only from longer words.
    const bare = stripProclitic(term);
    if (bare !== undefined && this.vocabulary.has(bare)) offer(bare, EXPANSION_WEIGHTS.clitic);
    for (const word of tokenForms(term)) {
      if (word.length >= MIN_FUZZY_LENGTH) {
        for (const candidate of this.oneEditAway(word).slice(0, MAX_ALTERNATIVES)) {
          offer(candidate, EXPANSION_WEIGHTS.oneEdit);
        }
      }
      if (word.length >= MIN_PREFIX_LENGTH) {
        for (const candidate of this.extensionsOf(word).slice(0, MAX_ALTERNATIVES)) {
          offer(candidate, EXPANSION_WEIGHTS.prefix);
        }
      }
    }
    // Pushed, not mapped: one array shape whatever the tier running this (see QueryTerm).
    const alternatives: WeightedTerm[] = [];
    for (const [candidate, weight] of found) alternatives.push({ term: candidate, weight });
    return alternatives;
  }

  /** Whether some indexed word has the same consonant skeleton as `term` (a form of the same root). */
  sharesSkeleton(term: string): boolean {
    const skeleton = consonantSkeleton(term);
    if (skeleton === undefined) return false;
    this.skeletons ??= new PackedStringSet(
      [...this.vocabulary].flatMap((word) => {
        const own = consonantSkeleton(word);
        return own === undefined ? [] : [own];
      }),
    );
    return this.skeletons.has(skeleton);
  }

  /** Indexed words one insertion, deletion, substitution or transposition away, sorted for stability. */
  private oneEditAway(word: string): string[] {
    const index = (this.nearby ??= new OneEditIndex(this.vocabulary));
    return [...index.find(word)].sort();
  }

  /** Indexed words that begin with `word`, shortest first. */
  private extensionsOf(word: string): string[] {
    const sorted = (this.sorted ??= [...this.vocabulary].sort());
    const found: string[] = [];
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((sorted[middle] ?? "") < word) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < sorted.length && (sorted[i] ?? "").startsWith(word); i++)
      found.push(sorted[i] ?? "");
    return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  }
}

/**
 * The words of a vocabulary within one edit of a word, found through deletions as in SymSpell: a word
 * and each of its one-letter deletions are its keys, and two words within one edit share a key. Keys
 * are kept as 32-bit hashes in typed arrays grouped by their top bits, not as strings in a map of
 * arrays: TyDi's 11,000 indexed words make 60,000 keys, 6.3 MB of heap as a map, 0.7 MB this way.
 * A hash collision can only bring up a word that {@link withinOneEdit} then turns away, so the words
 * found are exactly those within one edit.
 *
 * Words shorter than MIN_FUZZY_LENGTH - 1 and numbers are left out: nothing is matched to them.
 */
export class OneEditIndex {
  /** The indexed words; a key's entry holds the word's position here. */
  private readonly words: string[] = [];
  /** Keep only the top bits of each hash: below 32, a test can make collisions the rule. */
  private readonly hashMask: number;
  /** A key's group is its hash's top bits: hash >>> groupShift. */
  private readonly groupShift: number;
  /** Group g's keys are entries groupStart[g] to groupStart[g + 1] of `hashes` and `wordOf`. */
  private readonly groupStart: Uint32Array;
  private readonly hashes: Uint32Array;
  private readonly wordOf: Uint32Array;

  constructor(vocabulary: Iterable<string>, hashBits = 32) {
    this.hashMask = hashBits >= 32 ? 0xffffffff : ~(0xffffffff >>> hashBits);
    let keys = 0;
    for (const word of vocabulary) {
      if (word.length < MIN_FUZZY_LENGTH - 1 || /^\d/.test(word)) continue;
      this.words.push(word);
      keys += word.length + 1;
    }
    // A group of two to four keys on average: a lookup compares few hashes, and the group starts cost
    // about one array entry per two keys.
    const groupBits = Math.min(Math.max(1, Math.floor(Math.log2(keys)) - 1), 24);
    this.groupShift = 32 - groupBits;
    this.groupStart = new Uint32Array(2 ** groupBits + 1);
    // Two passes: count the keys of each group, then fill each group's slice.
    this.words.forEach((word) => {
      this.forEachKey(word, (hash) => {
        const group = (hash >>> this.groupShift) + 1;
        this.groupStart[group] = (this.groupStart[group] ?? 0) + 1;
      });
    });
    for (let group = 1; group < this.groupStart.length; group++) {
      this.groupStart[group] = (this.groupStart[group] ?? 0) + (this.groupStart[group - 1] ?? 0);
    }
    const stored = this.groupStart[this.groupStart.length - 1] ?? 0;
    this.hashes = new Uint32Array(stored);
    this.wordOf = new Uint32Array(stored);
    const filled = this.groupStart.slice(0, -1);
    this.words.forEach((word, number) => {
      this.forEachKey(word, (hash) => {
        const group = hash >>> this.groupShift;
        const at = filled[group] ?? 0;
        this.hashes[at] = hash;
        this.wordOf[at] = number;
        filled[group] = at + 1;
      });
    });
  }

  /** The indexed words within one edit of `word` (itself included if indexed), in no particular order. */
  find(word: string): Set<string> {
    const found = new Set<string>();
    this.forEachKey(word, (hash) => {
      const group = hash >>> this.groupShift;
      const end = this.groupStart[group + 1] ?? 0;
      for (let at = this.groupStart[group] ?? 0; at < end; at++) {
        if (this.hashes[at] !== hash) continue;
        const candidate = this.words[this.wordOf[at] ?? 0] ?? "";
        if (withinOneEdit(word, candidate)) found.add(candidate);
      }
    });
    return found;
  }

  /**
   * Calls `visit` with the hash of `word` and of each of its distinct one-letter deletions, hashed
   * without building them. Deleting either of two equal neighbours leaves the same word: only the
   * first is a key.
   */
  private forEachKey(word: string, visit: (hash: number) => void): void {
    visit((hashWithout(word, -1) & this.hashMask) >>> 0);
    for (let skip = 0; skip < word.length; skip++) {
      if (skip > 0 && word.charCodeAt(skip) === word.charCodeAt(skip - 1)) continue;
      visit((hashWithout(word, skip) & this.hashMask) >>> 0);
    }
  }
}

/**
 * A set of strings kept as one string, sorted and concatenated, with where each begins: a few thousand
 * short strings (TyDi's 5,000 consonant skeletons) cost several times their letters as strings in a
 * Set. Membership is an exact comparison, so nothing is found that was not put in.
 */
export class PackedStringSet {
  private readonly text: string;
  /** String i is text[starts[i]] up to text[starts[i + 1]]. */
  private readonly starts: Uint32Array;

  constructor(strings: Iterable<string>) {
    const sorted = [...new Set(strings)].sort();
    this.text = sorted.join("");
    this.starts = new Uint32Array(sorted.length + 1);
    sorted.forEach((value, i) => {
      this.starts[i + 1] = (this.starts[i] ?? 0) + value.length;
    });
  }

  has(value: string): boolean {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = this.compareAt(middle, value);
      if (order === 0) return true;
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    return false;
  }

  /** Negative, zero or positive as string `position` sorts before, with or after `value` (as sort() does). */
  private compareAt(position: number, value: string): number {
    const start = this.starts[position] ?? 0;
    const length = (this.starts[position + 1] ?? 0) - start;
    for (let i = 0; i < length && i < value.length; i++) {
      const difference = this.text.charCodeAt(start + i) - value.charCodeAt(i);
      if (difference !== 0) return difference;
    }
    return length - value.length;
  }
}

/** 32-bit FNV-1a over the UTF-16 units of `text` but the one at `skip` (-1: all of them). */
function hashWithout(text: string, skip: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) if (i !== skip) hash = fnvStep(hash, text.charCodeAt(i));
  return hash >>> 0;
}

/** Optimal-string-alignment distance ≤ 1 (one insertion, deletion, substitution or adjacent swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
