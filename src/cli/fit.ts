import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { ANSWERABILITY_FEATURES } from "../answer/answerability-features.js";
import { answerableProbability, type AnswerabilityModel } from "../answer/answerability-model.js";
import { SENTENCE_FEATURES } from "../answer/sentence-features.js";
import type { SentenceRanker } from "../answer/sentence-ranker.js";
import type { EmbeddingsConfig } from "../config/index.js";
import { answerabilityExamples, type AnswerabilityExample } from "../eval/fit/answerability-examples.js";
import {
  fitCoordinateAscent,
  meanReciprocalRank,
  type RankingExample,
} from "../eval/fit/coordinate-ascent.js";
import { fitLogistic } from "../eval/fit/logistic.js";
import { rankingExamples } from "../eval/fit/ranking-examples.js";
import { thresholdsWithin, type ThresholdBudget } from "../eval/fit/thresholds.js";
import {
  ANSWERABILITY_TRAINING,
  describeTraining,
  RANKER_TRAINING,
  retrieveTraining,
} from "../eval/fit/training-sets.js";
import { EXIT, parseCommandLine, runMain, startRuntime } from "./runtime.js";

const USAGE = `usage: npm run fit [-- --dry-run]

Fits Sanad's two models on training data only — ARCD's train split (indexed whole and one article at a
time) and the first half of TyDi QA — and writes them to src/answer/models/:
  sentence-ranker.json   the weights of the sentence ranker, by coordinate ascent on the mean
                         reciprocal rank of the gold sentence
  answerability.json     a logistic regression on the evidence, fitted with paragraphs held out, and
                         the thresholds where the verdicts change, chosen on out-of-fold predictions
Prints the training figures and the trade-off between refusing unanswerable questions and hedging or
refusing answerable ones. Deterministic: the same data and code write the same files. The figures to
report are on data the models never saw: npm run eval -- --all.
  --dry-run   print the figures, write nothing`;

const RANKER_FILE = "src/answer/models/sentence-ranker.json";
const ANSWERABILITY_FILE = "src/answer/models/answerability.json";
/**
 * The answerable questions the chosen thresholds may refuse, and refuse or hedge, out of fold. Below the
 * limits the team set (5% refused, 10% hedged), for the sampling error between training data and the
 * data the model meets; and few refusals: an answerable question refused tells the reader the article
 * does not say what it does, while a hedge still quotes the closest sentence.
 */
const BUDGET: ThresholdBudget = { refused: 0.02, refusedOrHedged: 0.12 };
/** Other budgets, printed to show the trade-off. */
const TRADE_OFFS: readonly ThresholdBudget[] = [
  { refused: 0.02, refusedOrHedged: 0.07 },
  { refused: 0.03, refusedOrHedged: 0.1 },
  BUDGET,
  { refused: 0.04, refusedOrHedged: 0.13 },
  { refused: 0.05, refusedOrHedged: 0.15 },
  { refused: 0.08, refusedOrHedged: 0.2 },
  { refused: 0.1, refusedOrHedged: 0.3 },
];
const FOLDS = 5;

async function main(): Promise<number> {
  const { values } = parseCommandLine({ "dry-run": { type: "boolean" } });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const { config } = startRuntime();
  const ranker = await fitRanker(config.embeddings);
  const answerability = await fitAnswerability(config.embeddings, ranker);
  if (!values["dry-run"]) {
    await writeFile(RANKER_FILE, json(rankerFile(ranker)));
    await writeFile(ANSWERABILITY_FILE, json(answerabilityFile(answerability)));
    console.log(`written: ${RANKER_FILE}, ${ANSWERABILITY_FILE}`);
  }
  return EXIT.ok;
}

/**
 * The sentence ranker, from a neutral start (the retrieval score alone): coordinate ascent moves each
 * weight while the training MRR improves.
 */
async function fitRanker(embeddings: EmbeddingsConfig): Promise<SentenceRanker> {
  const examples: RankingExample[] = [];
  for (const set of RANKER_TRAINING) {
    const found = rankingExamples(await retrieveTraining(set, embeddings));
    console.error(
      `ranker: ${describeTraining(set)}: ${found.length} questions with the answer among the candidates`,
    );
    examples.push(...found);
  }
  const start = Float64Array.from(SENTENCE_FEATURES, (name) => (name === "passageScore" ? 1 : 0));
  const weights = fitCoordinateAscent(examples, start);
  const mrr = (w: Float64Array): string =>
    meanReciprocalRank(
      examples,
      examples.map(({ candidates }) =>
        Float64Array.from(candidates, (f) => f.reduce((sum, value, i) => sum + value * (w[i] ?? 0), 0)),
      ),
    ).toFixed(3);
  console.log(`sentence ranker: training MRR ${mrr(start)} (retrieval score alone) → ${mrr(weights)}`);
  console.log(
    `  weights: ${SENTENCE_FEATURES.map((name, i) => `${name} ${round(weights[i] ?? 0)}`).join(", ")}`,
  );
  return { weights };
}

/** The answerability model on the fitted ranker's candidates, and its thresholds from out-of-fold predictions. */
async function fitAnswerability(
  embeddings: EmbeddingsConfig,
  ranker: SentenceRanker,
): Promise<AnswerabilityModel> {
  const examples: AnswerabilityExample[] = [];
  for (const set of ANSWERABILITY_TRAINING) {
    const found = answerabilityExamples(await retrieveTraining(set, embeddings), ranker);
    console.error(`answerability: ${describeTraining(set)}: ${found.length} questions`);
    examples.push(...found);
  }
  const dimensions = ANSWERABILITY_FEATURES.length;
  // Out of fold: each question predicted by a model fitted without its fold (folds by question id, so
  // that a question held out at several offsets stays in one fold).
  const foldOf = (id: string): number => (createHash("sha256").update(id).digest()[1] ?? 0) % FOLDS;
  const outOfFold = new Float64Array(examples.length);
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = fitLogistic(
      examples.filter(({ id }) => foldOf(id) !== fold),
      dimensions,
    );
    examples.forEach((example, i) => {
      if (foldOf(example.id) === fold) outOfFold[i] = answerableProbability(model, example.features);
    });
  }
  const answerable = examples.flatMap((example, i) => (example.label ? [outOfFold[i] ?? 0] : []));
  const unanswerable = examples.flatMap((example, i) => (example.label ? [] : [outOfFold[i] ?? 0]));
  console.log(
    `answerability: ${examples.length} questions (answerable ${answerable.length}, unanswerable ${unanswerable.length}); ` +
      "out of fold, by budget — answerable refused / hedged; unanswerable confident / hedged / refused:",
  );
  const share = (list: readonly number[], test: (p: number) => boolean): string =>
    `${((100 * list.filter(test).length) / Math.max(1, list.length)).toFixed(1)}%`;
  for (const budget of TRADE_OFFS) {
    const { refuseBelow, hedgeBelow } = thresholdsWithin(answerable, budget);
    console.log(
      `  ${budget === BUDGET ? "*" : " "} refuse < ${refuseBelow.toFixed(3)}, hedge < ${hedgeBelow.toFixed(3)}: ` +
        `${share(answerable, (p) => p < refuseBelow)} / ${share(answerable, (p) => p >= refuseBelow && p < hedgeBelow)}; ` +
        `${share(unanswerable, (p) => p >= hedgeBelow)} / ${share(unanswerable, (p) => p >= refuseBelow && p < hedgeBelow)} / ` +
        share(unanswerable, (p) => p < refuseBelow),
    );
  }
  const model: AnswerabilityModel = {
    ...fitLogistic(examples, dimensions),
    ...thresholdsWithin(answerable, BUDGET),
  };
  console.log(
    `  weights (per deviation): ${ANSWERABILITY_FEATURES.map((name, i) => `${name} ${round(model.weights[i] ?? 0)}`).join(", ")}`,
  );
  return model;
}

function rankerFile(ranker: SentenceRanker) {
  return {
    description:
      "Sentence ranker fitted by npm run fit: coordinate ascent on the MRR of ARCD train (whole and one article at a time) and TyDi QA half A.",
    features: SENTENCE_FEATURES,
    weights: [...ranker.weights].map(round),
  };
}

function answerabilityFile(model: AnswerabilityModel) {
  return {
    description:
      "Answerability model fitted by npm run fit: logistic regression on ARCD train (whole and one article at a time) and TyDi QA half A with paragraphs held out; thresholds from out-of-fold predictions.",
    features: ANSWERABILITY_FEATURES,
    means: [...model.means].map(round),
    deviations: [...model.deviations].map(round),
    weights: [...model.weights].map(round),
    bias: round(model.bias),
    refuseBelow: round(model.refuseBelow),
    hedgeBelow: round(model.hedgeBelow),
  };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Six significant digits: enough for the models, short enough to read and to diff. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

runMain(main, USAGE);
