/**
 * Greetings and thanks at the start of a message: what they are, and the question that may follow them.
 * Phrases are matched as whole words after {@link normalizeArabic} (so أهلاً, اهلا and أهلا match alike,
 * and Latin letters in any case), in this order:
 *
 * - one or more phrases of {@link SMALL_TALK}, the longest first; after the first, a phrase may carry a
 *   glued و («مرحبا وشكراً»);
 * - after each phrase, any of {@link SMALL_TALK_TAILS} («شكراً جزيلاً لك») and a vocative, يا and one word
 *   («مرحبا يا سند»);
 * - after thanks, what they are for: على (ع, for) and the words up to a punctuation mark or a question
 *   word («شكراً على المعلومات، ومتى تعقد القمة؟»).
 *
 * What is left, from its first letter or digit, is the question (the user's own text, untouched).
 */
import { normalizeArabic, questionWordAsks } from "../text/index.js";

/** What a message of small talk is. */
export type SmallTalkKind = "greeting" | "thanks";

/** A phrase of small talk, written as people type it. */
export interface SmallTalkPhrase {
  readonly phrase: string;
  readonly kind: SmallTalkKind;
}

/** Greetings and thanks: MSA, the dialects, and the Latin-script ones people send to a bot. */
// prettier-ignore
export const SMALL_TALK: readonly SmallTalkPhrase[] = [
  ...["السلام عليكم ورحمة الله وبركاته", "السلام عليكم ورحمة الله", "السلام عليكم", "سلام عليكم",
    "وعليكم السلام", "سلام", "مرحبا", "مرحباً بك", "مرحبتين", "أهلاً وسهلاً", "أهلاً", "أهلين", "هلا",
    "هلا والله", "صباح الخير", "صباح النور", "مساء الخير", "مساء النور", "تحية طيبة", "تحياتي",
    "كيف حالك", "كيف الحال", "كيفك", "شلونك", "إزيك", "عامل إيه",
    "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "how are you", "salam",
    "marhaba", "bonjour", "salut", "hola",
  ].map((phrase) => ({ phrase, kind: "greeting" as const })),
  ...["شكراً", "شكراً جزيلاً", "ألف شكر", "مشكور", "مشكورة", "مشكورين", "يعطيك العافية",
    "الله يعطيك العافية", "يعطيك ألف عافية", "جزاك الله خيراً", "جزاك الله خير", "بارك الله فيك", "تسلم",
    "تسلم إيدك", "تسلمي", "ممنون", "متشكر", "متشكرين",
    "thanks", "thank you", "thank u", "thx", "many thanks", "merci", "shukran", "gracias",
  ].map((phrase) => ({ phrase, kind: "thanks" as const })),
];

/** Words that may follow a phrase and add nothing to it: to whom, how much. */
// prettier-ignore
export const SMALL_TALK_TAILS: readonly string[] = [
  "لك", "لكم", "بك", "بكم", "بيك", "جزيلاً", "كثيراً", "جداً", "ألف مرة", "أخي", "أختي", "عزيزي",
  "صديقي", "الجميع", "جميعاً", "so much", "very much", "a lot", "again", "there", "everyone", "all",
  "beaucoup",
];

/** The vocative particle: يا and the one word after it are the person greeted. */
const VOCATIVE = normalizeArabic("يا");
/** What thanks are for comes after these: على (ع in chat), for. */
const THANKS_FOR = new Set(["على", "ع", "for"].map(normalizeArabic));
/** Marks between two words that end what thanks are for. */
const CLAUSE_BREAK = /[،,.!?؟؛;:]/u;
/** A glued conjunction allowed on a phrase after the first one. */
const WAW = normalizeArabic("و");

/** What {@link readSmallTalk} found at the start of a message. */
export interface SmallTalk {
  /** Thanks, when there are any among the phrases; otherwise a greeting. */
  readonly kind: SmallTalkKind;
  /** The rest of the message, from its first letter or digit, as written; empty when there is none. */
  readonly rest: string;
}

interface Word {
  readonly start: number;
  readonly end: number;
  readonly normalized: string;
}

const toWords = (phrase: string): readonly string[] => normalizeArabic(phrase).split(/\s+/u).filter(Boolean);

const PHRASES = SMALL_TALK.map(({ phrase, kind }) => ({ words: toWords(phrase), kind })).sort(
  (a, b) => b.words.length - a.words.length,
);
const TAILS = SMALL_TALK_TAILS.map(toWords).sort((a, b) => b.length - a.length);

/**
 * The small talk a message opens with, and the rest of it; undefined when it opens with none.
 *
 * @example readSmallTalk("مرحباً يا سند، متى تعقد القمة؟") → { kind: "greeting", rest: "متى تعقد القمة؟" }
 * @example readSmallTalk("شكراً جزيلاً!") → { kind: "thanks", rest: "" }
 */
export function readSmallTalk(text: string): SmallTalk | undefined {
  const words: Word[] = [...text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    normalized: normalizeArabic(match[0]),
  }));
  let at = 0;
  let thanks = false;
  let found = false;
  for (;;) {
    const phrase = PHRASES.find(({ words: phraseWords }) => matches(words, at, phraseWords, found));
    if (!phrase) break;
    found = true;
    thanks ||= phrase.kind === "thanks";
    at += phrase.words.length;
    at = skipTails(words, at);
    if (phrase.kind === "thanks") at = skipWhatFor(text, words, at);
  }
  if (!found) return undefined;
  const rest = at < words.length ? text.slice(words[at]?.start) : "";
  return { kind: thanks ? "thanks" : "greeting", rest: rest.trim() };
}

/** Whether `phrase` is at `at`; its first word may carry a glued و when `afterAnother`. */
function matches(
  words: readonly Word[],
  at: number,
  phrase: readonly string[],
  afterAnother: boolean,
): boolean {
  return phrase.every((expected, i) => {
    const actual = words[at + i]?.normalized;
    if (actual === expected) return true;
    return i === 0 && afterAnother && actual === WAW + expected;
  });
}

function skipTails(words: readonly Word[], from: number): number {
  let at = from;
  for (;;) {
    const tail = TAILS.find((tailWords) => matches(words, at, tailWords, false));
    if (tail) at += tail.length;
    else if (words[at]?.normalized === VOCATIVE) at = Math.min(at + 2, words.length);
    else return at;
  }
}

/** Skips «على …» after thanks, up to a punctuation mark between two words or a question word. */
function skipWhatFor(text: string, words: readonly Word[], from: number): number {
  if (!THANKS_FOR.has(words[from]?.normalized ?? "")) return from;
  let at = from + 1;
  while (at < words.length) {
    const word = words[at];
    const before = words[at - 1];
    if (!word || !before) break;
    if (CLAUSE_BREAK.test(text.slice(before.end, word.start))) break;
    if (questionWordAsks(word.normalized) !== undefined) break;
    at++;
  }
  return at;
}
