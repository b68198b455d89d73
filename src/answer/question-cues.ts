import { LRUCache } from "lru-cache";
import {
  CONJUNCTIONS,
  analyzeForMatch,
  type ArticleTopic,
  normalizedTokens,
  type QuestionAsks,
  normalizeArabic,
  questionPhrases,
  questionWordAsks,
  tokenFormsOf,
  verbForm,
  type VerbForm,
} from "../text/index.js";

/** What kind of answer a question asks for, read from its question words (MSA and dialects). */
export interface QuestionCues {
  /** متى، إمتى، إيمتى، في أي عام … : a date or a time. */
  readonly asksWhen: boolean;
  /** كم، كام، قديش، چم، قد إيه … : a number or an amount. */
  readonly asksHowMany: boolean;
  /** من، مين، منو … : a person. */
  readonly asksWho: boolean;
  /** أين، وين، فين … : a place. */
  readonly asksWhere: boolean;
  /**
   * ما هو X؟ من هي X؟ — what or who, and little else: a question a definition answers, which an
   * encyclopedic or news text gives where it first names X.
   */
  readonly asksDefinition: boolean;
  /** The question's words read as verbs, whose tense a sentence should share (متى تُعقد … not عُقد). */
  readonly verbs: readonly VerbForm[];
  /** مصدر الخبر، الصورة، تاريخ النشر … : about the article itself, answered from its metadata. */
  readonly aboutArticle: ArticleTopic | undefined;
}

const normalizedSet = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(normalizeArabic));

/** The phrases with a space at each end, as {@link hasPhrase} looks for them. */
const spacedPhrases = (phrases: readonly string[]): readonly string[] =>
  phrases.map((phrase) => ` ${phrase} `);
const WHEN_PHRASES = spacedPhrases(questionPhrases("when"));
const HOW_MANY_PHRASES = spacedPhrases(questionPhrases("how-many"));

/** A question about the article's date that says تاريخ asks for it even without a question word of time. */
const DATE_WORDS = normalizedSet(["تاريخ"]);

/** Words that make a question about the article itself, by the metadata line they point to. */
// prettier-ignore
const ARTICLE_TOPIC_WORDS: readonly (readonly [ArticleTopic, ReadonlySet<string>])[] = [
  ["source", normalizedSet(["مصدر", "المصدر", "مصدره", "وكالة", "الوكالة", "أنباء", "الأنباء", "ناشر", "الناشر"])],
  ["photo", normalizedSet(["صورة", "الصورة", "الصور", "تصوير", "مصور", "المصور"])],
  ["date", normalizedSet(["تاريخ", "نشر", "نشرت", "نشره"])],
  ["title", normalizedSet(["عنوان", "العنوان", "عنوانه"])],
  ["other", normalizedSet(["كاتب", "الكاتب", "مراسل", "المراسل"])],
];
/** Words by which a question points at the article itself (مصدر الخبر، الصورة المرفقة بالمقال). */
const ARTICLE_REFERENCES = normalizedSet([
  "خبر",
  "الخبر",
  "بالخبر",
  "للخبر",
  "مقال",
  "المقال",
  "المقالة",
  "بالمقال",
  "تقرير",
  "التقرير",
  "النص",
  "المرفقة",
  "المرفق",
]);
/** A question this short that names a topic word is about the article even without saying so ("ما المصدر؟"). */
const MAX_CONTENT_WORDS_OF_SHORT_QUESTION = 2;
/** A what or who question of this many content words at most asks for a definition (ما هي عاصمة جورجيا؟). */
const MAX_CONTENT_WORDS_OF_DEFINITION = 3;

/**
 * Cues of recent questions: the ranker, the answer's fact and the article answer each read them, and a
 * question's cues depend on its text alone.
 */
const RECENT_CUES = new LRUCache<string, QuestionCues>({ max: 256 });

/** Reads the cues of a question. */
export function questionCues(question: string): QuestionCues {
  let cues = RECENT_CUES.get(question);
  if (!cues) {
    cues = readCues(question);
    RECENT_CUES.set(question, cues);
  }
  return cues;
}

function readCues(question: string): QuestionCues {
  const words = normalizedTokens(question);
  // Only a conjunction is removed (وإمتى، فكم): with a preposition, لكم (for you) would read as كم.
  const tokens = tokenFormsOf(words, CONJUNCTIONS);
  const asked = new Set<QuestionAsks>();
  for (const word of words) {
    const asks = questionWordAsks(word);
    if (asks !== undefined) asked.add(asks);
  }
  // Phrases match whole words only: "انتقد إيه" holds the letters of "قد إيه" but does not ask how much.
  const spaced = ` ${words.join(" ")} `;
  const asksWhen = asked.has("when") || hasPhrase(spaced, WHEN_PHRASES);
  // "أي وكالة نشرت الخبر" names both the source and publishing: the first topic listed wins.
  let aboutArticle = ARTICLE_TOPIC_WORDS.find(([, topicWords]) => hasAny(tokens, topicWords))?.[0];
  // "التقاط الصور" in a question about the visit is not about the article's photo.
  const namesArticle = hasAny(tokens, ARTICLE_REFERENCES);
  const pointsAtArticle =
    namesArticle || analyzeForMatch(question).length <= MAX_CONTENT_WORDS_OF_SHORT_QUESTION;
  if (!pointsAtArticle) aboutArticle = undefined;
  if (aboutArticle === "date" && !asksWhen && !hasAny(tokens, DATE_WORDS)) aboutArticle = "other";
  // عنوان is an address too («ما عنوان السفارة؟»): only a question that names the article asks its title.
  if (aboutArticle === "title" && !namesArticle && analyzeForMatch(question).length > 1)
    aboutArticle = undefined;
  // Only a question for a field or metadata line the article has (source, photo, date, title) is
  // answered from it: "من كاتب الخبر؟" or "ماذا نشر الخبر عن الطلاب؟" are not.
  if (aboutArticle === "other") aboutArticle = undefined;
  const content = analyzeForMatch(question);
  return {
    asksWhen,
    asksHowMany: asked.has("how-many") || hasPhrase(spaced, HOW_MANY_PHRASES),
    asksWho: asked.has("who"),
    asksWhere: asked.has("where"),
    asksDefinition:
      (asked.has("what") || asked.has("who")) && content.length <= MAX_CONTENT_WORDS_OF_DEFINITION,
    // Only the imperfect is told apart from a noun with confidence (تُعقد، يلتقي): a perfect-looking
    // word of a question is as often a noun (عقد، اجتماع) as a verb.
    verbs: content.flatMap((token) => {
      const form = verbForm(token);
      return form?.aspect === "imperfect" ? [form] : [];
    }),
    aboutArticle,
  };
}

/** Whether any of the tokens is one of the words. */
export function hasAny(tokens: Iterable<string>, words: ReadonlySet<string>): boolean {
  for (const token of tokens) if (words.has(token)) return true;
  return false;
}

/**
 * Whether the text (words separated by single spaces, with a space at each end) holds one of the phrases
 * (each with a space at each end too).
 */
function hasPhrase(spaced: string, phrases: readonly string[]): boolean {
  for (const phrase of phrases) if (spaced.includes(phrase)) return true;
  return false;
}
