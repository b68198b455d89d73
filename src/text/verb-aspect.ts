import { CONJUNCTIONS, stripProclitic } from "./clitics.js";
import { normalizeArabic } from "./normalize.js";
import { consonantSkeleton } from "./skeleton.js";

/** Whether a verb speaks of what happened (perfect: عُقد) or what happens or will (imperfect: تُعقد، ستُعقد). */
export type Aspect = "perfect" | "imperfect";

/** A word read as a verb: its root skeleton and its aspect. */
export interface VerbForm {
  readonly root: string;
  readonly aspect: Aspect;
}

/**
 * The prefixes of the imperfect (ي ت ن) and the future particle glued before them (س). Not أ (I): rare in
 * news, and normalized it is the alef that opens الـ and many perfect forms (التقى، انطلق).
 */
const IMPERFECT_PREFIX = new RegExp(`^${normalizeArabic("س")}?[${normalizeArabic("يتن")}]`, "u");
/** Suffixes of the perfect's persons that skeletons keep: ت (she, you), نا (we). */
const PERFECT_SUFFIX = new RegExp(`(?:${normalizeArabic("ت")}|${normalizeArabic("نا")})$`, "u");
/** A word this short after its prefix is too short to be read as a verb. */
const MIN_STEM_LETTERS = 3;

/**
 * Reads a normalized token as a verb, roughly: a glued conjunction goes (وعقد); an imperfect prefix,
 * with the future particle (ستعقد، يعقد، تعقد), makes it imperfect; otherwise it is read as perfect, a
 * person suffix (عقدت) removed. The root is its consonant skeleton. Coarse on purpose, like the skeleton:
 * a noun of the root also reads as perfect (عقد, a contract), so the aspect is only ever weak evidence —
 * a question in the imperfect (متى تُعقد القمة؟) matched against a sentence where the same root stands
 * only in the perfect (عُقد اجتماع) is probably asking about another event. Undefined for a word too short.
 *
 * @example verbForm("ستعقد") → { root: "عقد", aspect: "imperfect" }; verbForm("عقدت") → { root: "عقد", aspect: "perfect" }
 */
export function verbForm(token: string): VerbForm | undefined {
  const word = stripProclitic(token, CONJUNCTIONS) ?? token;
  const prefix = IMPERFECT_PREFIX.exec(word)?.[0];
  if (prefix !== undefined && word.length - prefix.length >= MIN_STEM_LETTERS) {
    const root = consonantSkeleton(word.slice(prefix.length));
    return root === undefined ? undefined : { root, aspect: "imperfect" };
  }
  const root = consonantSkeleton(word.replace(PERFECT_SUFFIX, ""));
  return root === undefined || word.length < MIN_STEM_LETTERS ? undefined : { root, aspect: "perfect" };
}
