import type { EmbeddingsConfig } from "../../config/index.js";
import { loadSquadEvalSet, loadSquadPageSets, type SquadLoadOptions } from "../squad.js";
import type { EvalSet } from "../types.js";
import { retrieveAll, type RetrievedQuestion } from "./ranking-examples.js";

/** ARCD's train split: what the models are fitted on (its test split is what they are reported on). */
export const ARCD_TRAIN = "tests/datasets/arcd/arcd-train.json";
/** TyDi QA: its half A fits the models, its half B is reported on. */
export const TYDI = "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json";

/** A training set: a file, which of its questions, and how it is indexed. */
export interface TrainingSet {
  readonly file: string;
  readonly options: SquadLoadOptions;
  /** All the file's pages as one corpus, or each page as a corpus of its own (one article, the bot's case). */
  readonly corpus: "whole" | "each page";
}

/**
 * What the sentence ranker is fitted on: ARCD's train split indexed whole and a page at a time, and TyDi
 * QA's half A — Wikipedia text in two styles of question, in large and one-article corpora.
 */
export const RANKER_TRAINING: readonly TrainingSet[] = [
  { file: ARCD_TRAIN, options: {}, corpus: "whole" },
  { file: ARCD_TRAIN, options: {}, corpus: "each page" },
  { file: TYDI, options: { half: "A" }, corpus: "whole" },
];

/**
 * What the answerability model is fitted on: the same data with paragraphs held out at several offsets,
 * so that each paragraph's questions are, once, about the corpus but not answered by it.
 */
export const ANSWERABILITY_TRAINING: readonly TrainingSet[] = [
  ...[0, 1, 2].map((holdOut): TrainingSet => ({ file: ARCD_TRAIN, options: { holdOut }, corpus: "whole" })),
  ...[0, 1, 2].map((holdOut): TrainingSet => ({
    file: ARCD_TRAIN,
    options: { holdOut },
    corpus: "each page",
  })),
  ...[0, 1].map((holdOut): TrainingSet => ({ file: TYDI, options: { half: "A", holdOut }, corpus: "whole" })),
];

/** A training set's questions, each with the evidence the built-in retriever finds for it. */
export async function retrieveTraining(
  set: TrainingSet,
  embeddings: EmbeddingsConfig,
): Promise<RetrievedQuestion[]> {
  const sets: EvalSet[] =
    set.corpus === "whole"
      ? [await loadSquadEvalSet(set.file, set.options)]
      : await loadSquadPageSets(set.file, set.options);
  const retrieved: RetrievedQuestion[] = [];
  for (const one of sets) retrieved.push(...(await retrieveAll(one, embeddings)));
  return retrieved;
}

/** A training set as a log line. */
export function describeTraining({ file, options, corpus }: TrainingSet): string {
  const half = options.half === undefined ? "" : `, half ${options.half}`;
  const holdOut = options.holdOut === undefined ? "" : `, hold-out ${options.holdOut}`;
  return `${file}${half}${holdOut}, ${corpus}`;
}
