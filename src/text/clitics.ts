import { BEH, FEH, KAF, LAM, WAW } from "./chars.js";

/** One-letter conjunctions written glued to the next word: و (and), ف (so, then). */
export const CONJUNCTIONS: readonly string[] = [WAW, FEH];
/** One-letter prepositions written glued to the next word: ب (with, in), ل (for, to), ك (like). */
export const PREPOSITIONS: readonly string[] = [BEH, LAM, KAF];
/** Every one-letter proclitic: the conjunctions and the prepositions. */
export const PROCLITICS: readonly string[] = [...CONJUNCTIONS, ...PREPOSITIONS];

/** What is left must be a word of two letters or more: و alone, or ب before one letter, is no clitic. */
const MIN_BARE_LENGTH = 2;

/**
 * Removes one glued one-letter proclitic from a normalized token, or returns undefined when there is
 * none. The rules:
 * - only a letter of `clitics` counts (all of {@link PROCLITICS} by default);
 * - only one is removed, the first letter (وب in وبالقمة leaves بالقمة);
 * - at least two letters must remain (وزن → زن, but ول and وب stay whole);
 * - the rest is not checked against any vocabulary: callers try both forms (see {@link tokenForms}).
 * Question words take {@link CONJUNCTIONS} only: with a preposition, لكم (for you) would read as كم.
 *
 * @example stripProclitic("بقمه") === "قمه"; stripProclitic("لكم", CONJUNCTIONS) === undefined
 */
export function stripProclitic(token: string, clitics: readonly string[] = PROCLITICS): string | undefined {
  const first = token.charAt(0);
  if (token.length - first.length < MIN_BARE_LENGTH || !clitics.includes(first)) return undefined;
  return token.slice(first.length);
}

/**
 * A token and, when it starts with one of `clitics`, the token without it: the forms under which a word
 * can be recognized (وفي مارس: مارس; فبراير: فبراير itself, as براير means nothing).
 *
 * @example tokenForms("وخمسه") → ["وخمسه", "خمسه"]; tokenForms("مارس") → ["مارس"]
 */
export function tokenForms(token: string, clitics: readonly string[] = PROCLITICS): readonly string[] {
  const bare = stripProclitic(token, clitics);
  return bare === undefined ? [token] : [token, bare];
}

/**
 * The {@link tokenForms} of every token, in one list: each token, then its form without a clitic when it
 * has one (a question's words are read this way, without a list per word).
 *
 * @example tokenFormsOf(["وخمسه", "مارس"]) → ["وخمسه", "خمسه", "مارس"]
 */
export function tokenFormsOf(tokens: readonly string[], clitics: readonly string[] = PROCLITICS): string[] {
  const forms: string[] = [];
  for (const token of tokens) {
    forms.push(token);
    const bare = stripProclitic(token, clitics);
    if (bare !== undefined) forms.push(bare);
  }
  return forms;
}
