import { normalizeArabic } from "./normalize.js";

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
 * Question words, in MSA and in the dialects people type (Levantine, Gulf, Egyptian, Maghrebi): they say
 * what kind of answer is wanted, which the answerer reads before stop words are removed, but they never
 * match article text.
 */
// prettier-ignore
export const QUESTION_WORDS = [
  // MSA
  "ما", "ماذا", "متى", "كم", "كيف", "أين", "لماذا", "لم", "هل", "من", "أي", "أيّ", "ماهي", "ماهو", "بكم",
  "لمن", "مما", "عم", "عما", "ممن",
  // dialects
  "شو", "شنو", "وش", "ايش", "إيش", "شنهو", "إيه", "ايه", "ايمتى", "إيمتى", "امتى", "إمتى", "ايمتا", "امتا",
  "وين", "فين", "قديش", "أديش", "اديش", "كام", "چم", "جم", "مين", "منو", "ليش", "ليه", "ازاي", "إزاي",
  "كيفاش", "شلون", "علاش", "بقديش", "بكام", "هلق", "هلأ", "اللي", "إللي", "ده", "دي", "دا", "هاد", "هاي",
  "هيك", "كده", "بدي", "عايز", "ابغى", "أبغى", "يعني", "بماذا", "لماذا", "وماذا", "ومتى", "وكم", "وأين",
  "وإمتى", "وامتى", "وايمتى", "وفين", "ووين", "وقديش", "وكام", "ومين", "وليش", "وليه", "وشو", "وايش",
  // dialect function words: future and progressive markers, possessives, fillers, misspelt demonstratives
  "رح", "راح", "ح", "بيكون", "بتاع", "بتاعة", "بتاعت", "بتوع", "تبع", "تبعت", "حق", "كمان", "برضو", "برضه",
  "وايد", "واجد", "هاذا", "هاذه", "هذي", "هذا", "هاذي", "شي", "اشي", "حدا", "حد", "بدو", "بدها", "عشان",
  "علشان", "مشان", "ياللي", "يلي", "هسه", "هسا", "الحين", "دلوقتي", "مش", "مو", "مب",
  // words that frame a question rather than name its subject
  "اذكر", "أذكر", "اخبرني", "أخبرني", "قل", "قلي", "قولي", "هو", "هي", "عدد", "يقوم", "تقوم", "قام", "قامت",
  "حدث", "يحدث", "جرى", "يجري", "صار", "فعل", "اسم", "مرة", "مره", "يبلغ", "تبلغ", "بلغ", "بلغت",
];

const STOP_WORDS: ReadonlySet<string> = new Set(
  [...MSA_FUNCTION_WORDS, ...QUESTION_WORDS].map(normalizeArabic),
);

/** Whether a normalized token is a stop word (function word or question word) of MSA or a dialect. */
export function isStopWord(normalizedToken: string): boolean {
  return STOP_WORDS.has(normalizedToken);
}
