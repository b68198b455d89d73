import { normalizeArabic } from "./normalize.js";

/** Long vowels and hamza carriers: they change between a word's forms (طالب، طلاب، الطلبة). */
const WEAK_LETTERS = new RegExp(`[${normalizeArabic("اويءئؤ")}]`, "gu");
/** Letters that open derived forms (مفعل، تفعيل، يفعل، نفعل) and are not part of the root. */
const DERIVATION_PREFIX = new RegExp(`^[${normalizeArabic("متين")}]`, "u");
/** A skeleton of fewer letters matches too many unrelated words to be useful. */
const MIN_SKELETON_LENGTH = 3;

/**
 * A rough consonant skeleton of a stem, so that forms of one root meet: drops long vowels and hamza
 * carriers, and one derivational prefix when enough letters remain. طلاب and طالب → طلب; الزعيمان and
 * زعماء → زعم; يدرسون and الدراسي → درس. Coarse on purpose: it is only ever used as weak evidence,
 * never as a search term of its own. Returns undefined when too little is left to mean anything.
 *
 * @example consonantSkeleton("طلاب") === "طلب"
 */
export function consonantSkeleton(stem: string): string | undefined {
  if (/\d/.test(stem)) return undefined;
  let skeleton = stem.replace(WEAK_LETTERS, "");
  if (skeleton.length > MIN_SKELETON_LENGTH && DERIVATION_PREFIX.test(skeleton)) skeleton = skeleton.slice(1);
  return skeleton.length >= MIN_SKELETON_LENGTH ? skeleton : undefined;
}
