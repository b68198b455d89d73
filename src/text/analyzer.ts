import { LRUCache } from "lru-cache";
import { normalizeArabic } from "./normalize.js";
import { stemArabic } from "./stem.js";
import { isStopWord } from "./stopwords.js";
import { isNumberToken, tokenize } from "./tokenize.js";

/**
 * The analysis chain, assembled in one place so that indexing and querying can never drift apart:
 * normalize → tokenize → drop stop words → stem.
 * Stop words are looked up after normalization and before stemming, because the stop word list is a list
 * of whole normalized words (stemming would turn "فيها" into "في" and "الذين" into "ذ").
 *
 * Use the same function for the text you index and the question you search with.
 *
 * @example analyzeForIndex("استحوذت روسيا على 22.6% من التجارة") → ["استحوذت", "روسيا", "22.6%", "تجار"]
 */
export function analyzeForIndex(text: string): readonly string[] {
  return analyzed(text).index;
}

/** What both chains make of a text. */
interface Analyzed {
  /** The normalized text's tokens, stop words and all. */
  readonly tokens: readonly string[];
  readonly index: readonly string[];
  readonly match: readonly string[];
}

/**
 * Texts analyzed lately: a question is analyzed by the retriever, by its embedding and by the answerer,
 * and each would otherwise normalize and tokenize it again (a tenth of an answer's time). Frozen: the
 * same array goes to every caller.
 */
const ANALYZED = new LRUCache<string, Analyzed>({ max: 64 });

function analyzed(text: string): Analyzed {
  let known = ANALYZED.get(text);
  if (!known) {
    const tokens = tokenize(normalizeArabic(text));
    known = {
      tokens: Object.freeze(tokens),
      index: Object.freeze(indexTerms(tokens)),
      match: Object.freeze(tokens.filter((token) => !isStopWord(token))),
    };
    ANALYZED.set(text, known);
  }
  return known;
}

/**
 * The end of {@link analyzeForIndex}'s chain, for a caller that has the tokens of the normalized text
 * already and reads more than terms from them (see readSentenceTraits): drop stop words → stem.
 */
export function indexTerms(tokens: readonly string[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    if (!isStopWord(token)) terms.push(isNumberToken(token) ? token : stemArabic(token));
  }
  return terms;
}

/**
 * The lighter chain, without stemming: normalize → tokenize → drop stop words. For exact matching of
 * words a question and a sentence share, where stems would conflate too much.
 */
export function analyzeForMatch(text: string): readonly string[] {
  return analyzed(text).match;
}

/**
 * The tokens of the normalized text, stop words and all: `tokenize(normalizeArabic(text))`, from the
 * same cache as the two chains (a question's cues and stated numbers read them too).
 */
export function normalizedTokens(text: string): readonly string[] {
  return analyzed(text).tokens;
}
