/**
 * Arabic text analysis: pure functions, one per step, and the analysis chain that the index and the
 * query path share.
 */
export { analyzeForIndex, analyzeForMatch, normalizedTokens } from "./analyzer.js";
export { normalizeArabic } from "./normalize.js";
export { tokenize, isNumberToken } from "./tokenize.js";
export { stemArabic } from "./stem.js";
export { STEM_EXCLUSIONS } from "./stem-exclusions.js";
export type { StemExclusion } from "./stem-exclusions.js";
export { isStopWord } from "./stopwords.js";
export {
  QUESTION_WORDS,
  QUESTION_PHRASES,
  questionWordAsks,
  questionPhrases,
  isQuestionStopWord,
} from "./question-words.js";
export type { ArabicVariety, QuestionAsks, QuestionPhrase, QuestionWord } from "./question-words.js";
export { splitSentences } from "./sentences.js";
export type { SentenceSpan } from "./sentences.js";
export { consonantSkeleton } from "./skeleton.js";
export {
  stripProclitic,
  tokenForms,
  tokenFormsOf,
  CONJUNCTIONS,
  PREPOSITIONS,
  PROCLITICS,
} from "./clitics.js";
export {
  readSentenceTraits,
  questionForms,
  offersDate,
  offersNumber,
  tokenStates,
} from "./sentence-traits.js";
export type { ArticleTopic, SentenceTraits } from "./sentence-traits.js";
export { verbForm } from "./verb-aspect.js";
export type { Aspect, VerbForm } from "./verb-aspect.js";
export { mentionsPerson, mentionsPlace } from "./answer-type-cues.js";
export { withoutLeadingConnector } from "./leading-connector.js";
export { writtenDate } from "./written-date.js";
export { countCharacters } from "./characters.js";
