/** Evaluation: gold sets (SQuAD files and the team's own) and the quality measured on them. */
export { loadSquadEvalSet, loadSquadPageSets, halfOf } from "./squad.js";
export type { SquadLoadOptions } from "./squad.js";
export { loadGoldEvalSet } from "./gold-set.js";
export { runEval } from "./run-eval.js";
export type { EvalReport, QuestionOutcome } from "./run-eval.js";
export type { EvalQuestion, EvalSet, GoldSentence } from "./types.js";
export { EvalSetError } from "./errors.js";
