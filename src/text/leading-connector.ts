import { normalizeArabic } from "./normalize.js";

/**
 * Words that tie a sentence to the one before it in the article («كما أن»، «على إثر ذلك»، «وقد»): read
 * alone, as an answer, they dangle. Each is a phrase of normalized words (see {@link normalizeArabic}).
 */
// prettier-ignore
const CONNECTOR_PHRASES: readonly (readonly string[])[] = [
  ["من", "الجدير", "بالذكر", "ان"], ["ومن", "الجدير", "بالذكر", "ان"], ["الجدير", "بالذكر", "ان"],
  ["وبالاضافه", "الي", "ذلك"], ["بالاضافه", "الي", "ذلك"], ["علاوه", "علي", "ذلك"], ["الي", "جانب", "ذلك"],
  ["وعلي", "اثر", "ذلك"], ["علي", "اثر", "ذلك"], ["اثر", "ذلك"], ["وبعد", "ذلك"], ["وفي", "الوقت", "نفسه"],
  ["كما", "ان"], ["وكما", "ان"], ["كما"], ["وكما"], ["وقد"], ["فقد"], ["لقد"], ["واضافه", "الي", "ذلك"],
  ["هذا"], ["ايضا"], ["كذلك"], ["وكذلك"],
];

/** Words in the longest connector phrase. */
const LONGEST_PHRASE = Math.max(...CONNECTOR_PHRASES.map((phrase) => phrase.length));

/**
 * Words that, after a glued و or ف, show that the letter is the conjunction and not the word's first
 * root letter (وزير، وفد، وصل keep theirs): particles and pronouns a sentence opens with.
 */
// prettier-ignore
const PARTICLES: ReadonlySet<string> = new Set([
  "من", "في", "علي", "الي", "مع", "عن", "بعد", "قبل", "منذ", "لا", "لم", "لن", "قد", "كان", "كانت", "ان",
  "هو", "هي", "هم", "هذا", "هذه", "ذلك", "تلك", "حيث", "لكن", "اما", "بحسب", "وفقا", "خلال", "بين",
].map(normalizeArabic));

/** A word as it may open a sentence: its letters, normalized, without the punctuation around it. */
const bareWord = (word: string): string =>
  normalizeArabic(word).replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");

/**
 * Whether a word that opens a sentence with و or ف carries it as a conjunction: before a particle
 * (ومن، وفي)، an imperfect verb (وتعمل، ويظل، وسيتم) or a perfect verb of the feminine (وشهدت)، but not
 * where the letter is the root's own (وزير، وفد، وصلت، وتيرة).
 */
function hasConjunction(word: string): boolean {
  const first = word.charAt(0);
  if (first !== "و" && first !== "ف") return false;
  const rest = word.slice(1);
  if (PARTICLES.has(rest)) return true;
  // A word in ه (ة once normalized) is a noun: وتيرة is a word of its own, not و + تيرة.
  if (rest.length < 3 || rest.endsWith("ه")) return false;
  // A final ا is a noun's accusative (وسيطاً), a final ات a plural (وكالات، وزارات): no verbs.
  if (rest.endsWith("ا") || rest.endsWith("ات")) return false;
  if (/^[يتن]/.test(rest) || (rest.length >= 4 && /^س[يتن]/.test(rest))) return true;
  return rest.length >= 4 && rest.endsWith("ت");
}

/** Rounds of stripping: «هذا وسيتم» is a phrase, then a glued conjunction. */
const MAX_ROUNDS = 3;

/**
 * The sentence without the connector it opens with, to be read on its own as an answer: «كما أن
 * التعاون الإقليمي قوي» → «التعاون الإقليمي قوي»، «وتعمل عدة فروع» → «تعمل عدة فروع». The rest is kept
 * exactly as written (its vowel marks too). A sentence that would keep fewer than two words is returned
 * whole.
 *
 * @example withoutLeadingConnector("وقد خصصت روسيا 1000 مقعد") === "خصصت روسيا 1000 مقعد"
 */
export function withoutLeadingConnector(sentence: string): string {
  let rest = sentence.trimStart();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = stripOnce(rest);
    if (next === undefined) break;
    rest = next;
  }
  // Two words or more: some non-space, space, non-space (without splitting a long sentence into words).
  return /\S\s+\S/.test(rest) ? rest : sentence;
}

/** The first word of every connector phrase: most sentences open with none, and are read no further. */
const PHRASE_OPENERS: ReadonlySet<string> = new Set(CONNECTOR_PHRASES.map((phrase) => phrase[0] ?? ""));

/** The text's first run of non-space characters: the first word {@link stripOnce} reads. */
const FIRST_WORD = /\S+/;

/** The text without one leading connector, or undefined when it opens with none. */
function stripOnce(text: string): string | undefined {
  const opening = FIRST_WORD.exec(text)?.[0];
  if (opening === undefined) return undefined;
  const openingBare = bareWord(opening);
  if (!PHRASE_OPENERS.has(openingBare))
    return hasConjunction(openingBare) ? withoutConjunction(text) : undefined;
  // Only the words a phrase can cover, and the one after it, are read: not a long sentence's every word.
  const words: RegExpExecArray[] = [];
  const bare: string[] = [];
  for (const word of text.matchAll(/\S+/g)) {
    words.push(word);
    bare.push(bareWord(word[0]));
    if (words.length > LONGEST_PHRASE) break;
  }
  for (const phrase of CONNECTOR_PHRASES) {
    if (phrase.length >= words.length) continue;
    if (!phrase.every((word, i) => bare[i] === word)) continue;
    // "هذا" is a connector only before a glued conjunction («هذا وسيتم»), not as a subject («هذا الاجتماع»).
    if (phrase.length === 1 && phrase[0] === "هذا" && !hasConjunction(bare[1] ?? "")) continue;
    const after = words[phrase.length];
    return after === undefined ? undefined : afterPunctuation(text.slice(after.index));
  }
  return hasConjunction(openingBare) ? withoutConjunction(text) : undefined;
}

/** The text without the conjunction it opens with: one letter, and the vowel marks written on it. */
const withoutConjunction = (text: string): string => text.slice(1).replace(/^\p{M}+/u, "");

/** The text without the commas and spaces a connector leaves in front («على إثر ذلك، عُقد»). */
const afterPunctuation = (text: string): string => text.replace(/^[\s،,]+/u, "");
