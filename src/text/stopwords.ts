import { normalizeArabic } from "./normalize.js";
import { isQuestionStopWord } from "./question-words.js";

/**
 * Function words of Modern Standard Arabic that carry no topic: prepositions, conjunctions, pronouns,
 * demonstratives, relatives, auxiliaries and particles. Written with their usual spelling; the set is
 * normalized below, so lookups must use normalized tokens.
 */
// prettier-ignore
const MSA_FUNCTION_WORDS = [
  // prepositions and their common pronoun forms. على normalizes to the name علي, which is dropped with
  // it: a full name (إمام علي رحمون) keeps enough words to be found.
  "في", "من", "إلى", "على", "عن", "مع", "منذ", "حتى", "خلال", "عند", "لدى", "نحو", "بين", "ضد", "عبر",
  "فيه", "فيها", "منه", "منها", "إليه", "إليها", "عليه", "عليها", "عنه", "عنها", "له", "لها", "به", "بها",
  "لهم", "بهم", "منهم", "فيهم", "عليهم", "إليهم", "معه", "معها", "معهم",
  // conjunctions and particles
  "و", "ف", "ثم", "أو", "أم", "بل", "لكن", "لكنه", "لكنها", "لا", "لم", "لن", "إن", "أن", "أنه", "أنها",
  "إنه", "إنها", "كما", "قد", "لقد", "سوف", "إذ", "إذا", "إذن", "حيث", "بينما", "أي", "أيضا", "أيضاً",
  "غير", "سوى", "إلا", "كل", "بعض", "عدة", "ذات", "نفس", "وفق", "وفقا", "وفقاً", "حول", "لدي", "ب", "ل", "ك",
  // pronouns
  "هو", "هي", "هم", "هن", "هما", "نحن", "أنا", "أنت", "أنتم",
  // demonstratives and relatives
  "هذا", "هذه", "ذلك", "تلك", "هؤلاء", "أولئك", "هنا", "هناك", "الذي", "التي", "الذين", "اللذان",
  "اللتان", "اللواتي", "اللاتي",
  // auxiliaries
  "كان", "كانت", "كانوا", "يكون", "تكون", "ليس", "ليست", "يوجد", "توجد", "تم", "يتم", "ال",
];

/**
 * Function words of the dialects: future and progressive markers, possessives, demonstratives, relatives,
 * adverbs of time and fillers. Like MSA's, they carry no topic.
 */
// prettier-ignore
const DIALECT_FUNCTION_WORDS = [
  // future markers, auxiliaries, possessives
  "رح", "راح", "ح", "بيكون", "بتاع", "بتاعة", "بتاعت", "بتوع", "تبع", "تبعت", "حق",
  // demonstratives (and misspelt MSA ones) and relatives
  "ده", "دي", "دا", "كده", "هاد", "هاي", "هيك", "هاذا", "هاذه", "هذي", "هاذي", "اللي", "ياللي", "يلي",
  // adverbs of time: now
  "هلق", "هلأ", "هسه", "هسا", "الحين", "دلوقتي",
  // fillers, quantities, negations, "because"
  "يعني", "كمان", "برضو", "برضه", "وايد", "واجد", "شي", "اشي", "حدا", "حد", "عشان", "علشان", "مشان", "مش",
  "مو", "مب",
];

/**
 * Words that frame a question rather than name its subject: requests (اذكر، أخبرني), wishes to know (بدي،
 * عايز، أبغى), and verbs and nouns that stand for the thing asked about (عدد، حدث، اسم).
 */
// prettier-ignore
const QUESTION_FRAMING_WORDS = [
  "اذكر", "أخبرني", "قل", "قلي", "قولي", "بدي", "بدو", "بدها", "عايز", "أبغى", "عدد", "يقوم",
  "تقوم", "قام", "قامت", "حدث", "يحدث", "جرى", "يجري", "صار", "فعل", "اسم", "مرة", "مره", "يبلغ", "تبلغ",
  "بلغ", "بلغت",
];

const STOP_WORDS: ReadonlySet<string> = new Set(
  [...MSA_FUNCTION_WORDS, ...DIALECT_FUNCTION_WORDS, ...QUESTION_FRAMING_WORDS].map(normalizeArabic),
);

/**
 * Whether a normalized token is a stop word of MSA or a dialect: a function word, a word that frames a
 * question, or a question word (question-words.ts), most also with a glued conjunction (ومتى، فكم).
 * Question words say what kind of answer is wanted, which the answerer reads before stop words are
 * removed, but they never match article text.
 */
export function isStopWord(normalizedToken: string): boolean {
  return STOP_WORDS.has(normalizedToken) || isQuestionStopWord(normalizedToken);
}
