/**
 * Whether a question in a conversation leans on the question before it (a follow-up, to be read with
 * it) or stands on its own. Decided from the question's own words, by these rules, in this order:
 *
 * 1. `no-words`: nothing but punctuation or symbols: it stands alone (and gets the empty-question reply).
 * 2. `points-back`: a word that refers to something said before: a demonstrative (ذلك، هذه، تلك، هؤلاء،
 *    dialect ده، هيك …), an adverb of place or time that points back (هناك، حينئذ، آنذاك …), a personal
 *    pronoun of the third person (هو، هي، هم …), or such a pronoun attached to a preposition (منهم، فيها،
 *    عنه) or to a noun or verb (عددهم، موعدها، رافقهم). Three uses point nowhere and do not count: a
 *    pronoun between a question word and its subject is a copula («ما هو حجم التجارة؟»); a demonstrative
 *    before a noun of time points to the present («هذا العام»); هناك right after هل or a question word,
 *    or opening the question, says "there is" («هل هناك اتفاق؟»).
 * 3. `no-content-word`: only question words and function words («ولماذا؟», «وأين؟»): elliptic.
 * 4. `what-about`: a question word of "what" followed by a preposition of topic («وماذا عن طاجيكستان؟»,
 *    «شو بالنسبة لكازاخستان؟»), or a question that opens with such a preposition and asks nothing of its
 *    own («وبالنسبة لأوزبكستان؟»): it asks the previous question again of something else.
 * 5. `fragment`: opens with a conjunction (و، ف, glued to a question word or a function word, or alone)
 *    and has no question word, or a single content word that cannot be the subject of one («وكم وزيراً؟»,
 *    «وفي كازاخستان؟»): a piece of a sentence whose predicate is the previous question's. One definite
 *    word after a question word is a whole nominal sentence and stands alone («ومتى القمة؟»).
 * 6. Otherwise it names its own subject and stands alone: `new-subject` when it has content words the
 *    previous question did not have («متى تعقد القمة؟» after «ما حجم التجارة…»), `same-subject` when it
 *    asks something else of the same words (it repeats all it needs).
 *
 * Known limits: a noun with the third person singular masculine ـه (موعده) is not read as pointing back,
 * because once normalized it is spelt like a noun ending in ة (القمه); a conjunction glued to a content
 * word («وطاجيكستان؟») cannot be told from a word that begins with و or ف (وصل، فريق); a noun whose own
 * last letters are ـها or ـهم (اتجاهاً) may be read as one with a pronoun. Questions in other languages
 * have none of these words and stand alone.
 */
import {
  CONJUNCTIONS,
  isNumberToken,
  isStopWord,
  normalizeArabic,
  questionWordAsks,
  stemArabic,
  stripProclitic,
  tokenForms,
  tokenize,
} from "../text/index.js";

/** Which rule decided, named as in this module's documentation. */
export type FollowUpReason =
  "no-words" | "points-back" | "no-content-word" | "what-about" | "fragment" | "new-subject" | "same-subject";

/** What the rule found: whether the question is read with the previous one, and why. */
export interface FollowUpVerdict {
  readonly followUp: boolean;
  readonly reason: FollowUpReason;
}

const normalized = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(normalizeArabic));

/** Demonstratives, and adverbs of place and time that point to something said before. */
// prettier-ignore
const POINTING_WORDS = normalized([
  // MSA demonstratives
  "ذلك", "تلك", "ذاك", "هذا", "هذه", "هذان", "هذين", "هاتان", "هاتين", "هؤلاء", "أولئك", "أولاء",
  // dialect demonstratives (and misspelt MSA ones); not دول, which is also "countries"
  "ده", "دي", "هاد", "هادا", "هادي", "هاي", "هذول", "هدول", "هداك", "هديك", "هذاك", "هذيك",
  "هاذا", "هاذه", "هذي", "هاذي", "هيك",
  // there, then
  "هناك", "هنالك", "هنا", "حينئذ", "حينذاك", "آنذاك", "وقتئذ", "عندئذ", "يومئذ", "ساعتئذ",
]);

/**
 * Demonstratives that point back with a preposition glued before them too: بذلك، لذلك، كذلك، بهذا. Only
 * these: with a letter taken off, other words would read as a dialect demonstrative (لدي → دي).
 */
const GLUED_POINTING_WORDS = normalized(["ذلك", "تلك", "ذاك", "هذا", "هذه", "هؤلاء"]);

/** Where هناك and هنا often say "there is" rather than "in that place". */
const EXISTENTIAL_WORDS = normalized(["هناك", "هنالك", "هنا"]);

/** Personal pronouns of the third person: he, she, they (plural, dual, feminine). */
const THIRD_PERSON_PRONOUNS = normalized(["هو", "هي", "هم", "هما", "هن"]);

/** Nouns of time after which a demonstrative means "the current one" (هذا العام), not "the one said". */
// prettier-ignore
const TIME_NOUNS = normalized([
  "العام", "السنة", "الشهر", "الأسبوع", "اليوم", "الصباح", "المساء", "الموسم", "الأيام", "الفترة",
  "الوقت", "اللحظة", "القرن",
]);

/**
 * Attached pronouns of the third person, longest first: ـهما before ـهم and ـها. The singular masculine
 * ـه counts only on prepositions (see {@link PRONOUN_HOSTS}): elsewhere it is spelt like ة once normalized.
 */
const PRONOUN_SUFFIXES = ["هما", "هم", "هن", "ها", "ه"].map(normalizeArabic);

/** Prepositions and adverbs that carry attached pronouns (منهم، فيها، عنه، لهم، عليه، عندها). */
// prettier-ignore
const PRONOUN_HOSTS = normalized([
  "من", "عن", "في", "على", "إلى", "ل", "ب", "مع", "عند", "لدى", "بين", "حول", "ضد", "دون", "مثل", "بعد",
  "قبل", "خلال", "منذ", "نحو",
]);

/**
 * A noun or verb keeps at least this many letters before an attached pronoun: shorter words that end in
 * ـهم or ـها are words of their own (مهم، أهم، فهم، سهم، وهم).
 */
const MIN_HOST_LENGTH = 3;

/** The definite article: a word that carries it cannot carry a possessive pronoun too. */
const DEFINITE_ARTICLE = normalizeArabic("ال");
/** ل before the article drops its alef: للقمة is ل + القمة. */
const LAM_BEFORE_ARTICLE = normalizeArabic("لل");
const ALEF = normalizeArabic("ا");
const THEM = normalizeArabic("هم");

/** Prepositions that name the topic asked about: عن، بشأن، بخصوص، حول، بالنسبة (لـ). */
const TOPIC_PREPOSITIONS = normalized(["عن", "بشأن", "بخصوص", "حول", "بالنسبة"]);

/**
 * Words that open a reply in conversation without adding to it (okay, so): left out before the rules
 * read the question, so that «طيب ولماذا؟» is read as «ولماذا؟».
 */
// prettier-ignore
const DISCOURSE_MARKERS = normalized([
  "طيب", "طب", "حسنا", "اها", "آه", "أوك", "أوكي", "اوكي", "تمام", "ممتاز", "جميل", "ok", "okay",
]);

/**
 * Reads whether `question` is a follow-up of `previous` (the question asked just before), by the rules
 * at the top of this file.
 *
 * @example readFollowUp("كم عدد الطلاب الطاجيك؟", "وكم عددهم؟") → { followUp: true, reason: "points-back" }
 */
export function readFollowUp(previous: string, question: string): FollowUpVerdict {
  const tokens = dropDiscourseMarkers(tokenize(normalizeArabic(question)));
  if (tokens.length === 0) return { followUp: false, reason: "no-words" };
  if (tokens.some((_, i) => pointsBack(tokens, i))) return { followUp: true, reason: "points-back" };
  const content = tokens.filter((token) => !isStopWord(token));
  if (content.length === 0) return { followUp: true, reason: "no-content-word" };
  if (asksWhatAbout(tokens)) return { followUp: true, reason: "what-about" };
  if (isFragment(tokens, content)) return { followUp: true, reason: "fragment" };
  const before = new Set(contentStems(tokenize(normalizeArabic(previous))));
  const named = contentStems(tokens).some((stem) => !before.has(stem));
  return { followUp: false, reason: named ? "new-subject" : "same-subject" };
}

function dropDiscourseMarkers(tokens: readonly string[]): readonly string[] {
  let start = 0;
  while (start < tokens.length && DISCOURSE_MARKERS.has(tokens[start] ?? "")) start++;
  return tokens.slice(start);
}

/** The token and, when a conjunction is glued to it, the token without it. */
const withoutConjunction = (token: string): readonly string[] => tokenForms(token, CONJUNCTIONS);

const isQuestionWord = (token: string | undefined): boolean =>
  token !== undefined && questionWordAsks(token) !== undefined;

/** Whether the token at `i` refers to something said before (rule 2). */
function pointsBack(tokens: readonly string[], i: number): boolean {
  const token = tokens[i] ?? "";
  const forms = new Set(withoutConjunction(token));
  const glued = stripProclitic(token);
  if (glued !== undefined && GLUED_POINTING_WORDS.has(glued)) forms.add(glued);
  const previous = tokens[i - 1];
  const next = tokens[i + 1];
  for (const form of forms) {
    if (POINTING_WORDS.has(form)) {
      if (next !== undefined && TIME_NOUNS.has(next) && !EXISTENTIAL_WORDS.has(form)) return false;
      if (EXISTENTIAL_WORDS.has(form) && (i === 0 || isQuestionWord(previous))) return false;
      return true;
    }
    if (THIRD_PERSON_PRONOUNS.has(form)) {
      const copula = isQuestionWord(previous) && questionWordAsks(previous ?? "") !== "yes-no";
      return !(copula && next !== undefined && !isStopWord(next));
    }
  }
  return withoutConjunction(token).some(carriesPronoun);
}

/** Whether a word (without a glued conjunction) ends in an attached pronoun of the third person. */
function carriesPronoun(word: string): boolean {
  for (const suffix of PRONOUN_SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    const host = word.slice(0, -suffix.length);
    if (PRONOUN_HOSTS.has(host)) return true;
    if (suffix.length === 1 || host.length < MIN_HOST_LENGTH || isDefinite(host)) return false;
    // ـاهم ends تفاهم and ساهم far more often in news than a pronoun after a word's final alef.
    return !(suffix === THEM && host.endsWith(ALEF));
  }
  return false;
}

function isDefinite(word: string): boolean {
  if (word.startsWith(DEFINITE_ARTICLE) || word.startsWith(LAM_BEFORE_ARTICLE)) return true;
  return stripProclitic(word)?.startsWith(DEFINITE_ARTICLE) ?? false;
}

/** Rule 4: "what about X?", or a bare topic («وبالنسبة لأوزبكستان؟»). */
function asksWhatAbout(tokens: readonly string[]): boolean {
  const adjacent = tokens.some(
    (token, i) =>
      questionWordAsks(token) === "what" && withoutConjunction(tokens[i + 1] ?? "").some(isTopicPreposition),
  );
  if (adjacent) return true;
  // A topic opening a question of its own has a question word after it: «عن ماذا تحدث الرئيسان؟».
  const opensWithTopic = withoutConjunction(tokens[0] ?? "").some(isTopicPreposition);
  return opensWithTopic && !tokens.some((token) => isQuestionWord(token));
}

const isTopicPreposition = (form: string): boolean => TOPIC_PREPOSITIONS.has(form);

/** Rule 5: a conjunction, then no question word or a single word that is not a subject. */
function isFragment(tokens: readonly string[], content: readonly string[]): boolean {
  if (!opensWithConjunction(tokens[0] ?? "")) return false;
  if (!tokens.some((token) => isQuestionWord(token))) return true;
  return content.length === 1 && !isDefinite(content[0] ?? "");
}

/**
 * Whether a question's first token is or carries a conjunction. Only a conjunction before a question
 * word, a function word or the definite article is certain: in وصل or فريق the letter is the word's own.
 */
function opensWithConjunction(token: string): boolean {
  if (CONJUNCTIONS.includes(token)) return true;
  const bare = stripProclitic(token, CONJUNCTIONS);
  if (bare === undefined) return false;
  return isQuestionWord(bare) || isStopWord(bare) || bare.startsWith(DEFINITE_ARTICLE);
}

/** The stems of the content words, as the index reads them. */
function contentStems(tokens: readonly string[]): string[] {
  return tokens
    .filter((token) => !isStopWord(token) && !DISCOURSE_MARKERS.has(token))
    .map((token) => (isNumberToken(token) ? token : stemArabic(token)));
}
