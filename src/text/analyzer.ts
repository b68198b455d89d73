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
export function analyzeForIndex(text: string): string[] {
  return indexTerms(tokenize(normalizeArabic(text)));
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
export function analyzeForMatch(text: string): string[] {
  return tokenize(normalizeArabic(text)).filter((token) => !isStopWord(token));
}
