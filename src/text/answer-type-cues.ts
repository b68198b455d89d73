import { normalizeArabic } from "./normalize.js";
import { stemArabic } from "./stem.js";

/**
 * Words that tell a sentence names a person or a place: the kind of answer "من" and "أين" ask for.
 * General words of the language (titles, kinship, place nouns), never names: they are evidence that a
 * sentence can answer the question's type, which the ranker weighs; they are not an answer themselves.
 */

// prettier-ignore
const PERSON_WORDS = [
  // titles and offices
  "الرئيس", "رئيس", "رئيسة", "الملك", "ملك", "الملكة", "الأمير", "أمير", "الأميرة", "السلطان", "الخليفة",
  "الشيخ", "الإمام", "الوزير", "وزير", "وزيرة", "السيد", "السيدة", "الدكتور", "الزعيم", "زعيم", "القائد",
  "قائد", "المؤسس", "مؤسس", "الكاتب", "كاتب", "الشاعر", "شاعر", "المؤلف", "مؤلف", "اللاعب", "لاعب",
  "المدرب", "مدرب", "الممثل", "ممثل", "المغني", "العالم", "الفيلسوف", "الروائي", "النبي", "الصحابي",
  // kinship and birth
  "ابن", "بن", "بنت", "والد", "والده", "أبو", "أم", "زوج", "زوجة", "ولد", "ولدت", "توفي", "توفيت",
];

// prettier-ignore
const PLACE_WORDS = [
  "مدينة", "المدينة", "عاصمة", "العاصمة", "دولة", "الدولة", "بلد", "جمهورية", "مملكة", "منطقة", "المنطقة",
  "ولاية", "محافظة", "إقليم", "قرية", "جزيرة", "نهر", "جبل", "بحر", "البحر", "صحراء", "ميناء", "شمال",
  "جنوب", "شرق", "غرب", "وسط", "قارة", "حدود", "يقع", "تقع", "ينبع", "يصب",
];

/** The words as the index analyzes them: matched against a sentence's analyzed terms. */
const stems = (words: readonly string[]): ReadonlySet<string> =>
  new Set(words.map((word) => stemArabic(normalizeArabic(word))));

const PERSON_STEMS = stems(PERSON_WORDS);
const PLACE_STEMS = stems(PLACE_WORDS);

/** Whether analyzed terms hold a word that tells a person is named (رئيس، مؤلف، ولد، بن …). */
export function mentionsPerson(terms: readonly string[]): boolean {
  return terms.some((term) => PERSON_STEMS.has(term));
}

/** Whether analyzed terms hold a word that tells a place is named (مدينة، عاصمة، يقع، شمال …). */
export function mentionsPlace(terms: readonly string[]): boolean {
  return terms.some((term) => PLACE_STEMS.has(term));
}
