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
  private deletions: Map<string, string[]> | undefined;
  private sorted: string[] | undefined;
  private skeletons: Set<string> | undefined;

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
    return [...found].map(([candidate, weight]) => ({ term: candidate, weight }));
  }

  /** Whether some indexed word has the same consonant skeleton as `term` (a form of the same root). */
  sharesSkeleton(term: string): boolean {
    const skeleton = consonantSkeleton(term);
    if (skeleton === undefined) return false;
    this.skeletons ??= new Set(
      [...this.vocabulary].flatMap((word) => {
        const own = consonantSkeleton(word);
        return own === undefined ? [] : [own];
      }),
    );
    return this.skeletons.has(skeleton);
  }

  /** Indexed words one insertion, deletion, substitution or transposition away, sorted for stability. */
  private oneEditAway(word: string): string[] {
    const index = (this.deletions ??= buildDeletionIndex(this.vocabulary));
    const candidates = new Set<string>();
    for (const key of [word, ...deletionsOf(word)]) {
      for (const candidate of index.get(key) ?? []) {
        if (withinOneEdit(word, candidate)) candidates.add(candidate);
      }
    }
    return [...candidates].sort();
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

function deletionsOf(word: string): string[] {
  return Array.from({ length: word.length }, (_, i) => word.slice(0, i) + word.slice(i + 1));
}

function buildDeletionIndex(vocabulary: ReadonlySet<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const add = (key: string, word: string): void => {
    const list = index.get(key);
    if (list) list.push(word);
    else index.set(key, [word]);
  };
  for (const word of vocabulary) {
    if (word.length < MIN_FUZZY_LENGTH - 1 || /^\d/.test(word)) continue;
    add(word, word);
    for (const key of deletionsOf(word)) add(key, word);
  }
  return index;
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
