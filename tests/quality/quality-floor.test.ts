import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAnswerer } from "../../src/answer/index.js";
import { loadCorpus } from "../../src/corpus/index.js";
import {
  loadGoldEvalSet,
  loadSquadEvalSet,
  runEval,
  type EvalReport,
  type EvalSet,
} from "../../src/eval/index.js";
import { SanadIndex } from "../../src/index/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const floors = JSON.parse(readFileSync(path.join(import.meta.dirname, "floors.json"), "utf8")) as {
  gold: { hitAt1: number; hitAt3: number; maxAnswerableRefused: number; minUnanswerableNotAnswered: number };
  arcd: { hitAt1: number; hitAt3: number; maxRefusalRate: number };
  tydiqa: { hitAt1: number; hitAt3: number; maxRefusalRate: number };
};

/** Rounds as the eval report prints, so that a floor equal to a printed number holds. */
const printed = (value: number): number => Math.round(value * 10) / 10;

async function evaluate(set: EvalSet): Promise<EvalReport> {
  const index = await SanadIndex.build(set.articles, { provider: "hashing", dimensions: 2048 });
  return runEval(set, createAnswerer(index));
}

describe("quality floor", () => {
  it("keeps the gold set on the corpus article at or above its floor", async () => {
    const { articles } = await loadCorpus(path.join(ROOT, "corpus"));
    const report = await evaluate(
      await loadGoldEvalSet(path.join(ROOT, "tests/gold/article-qa.json"), articles),
    );
    expect(report.answerable).toBeGreaterThanOrEqual(40);
    expect(report.unanswerable).toBeGreaterThanOrEqual(8);
    expect(printed(report.hitAt1)).toBeGreaterThanOrEqual(floors.gold.hitAt1);
    expect(printed(report.hitAt3)).toBeGreaterThanOrEqual(floors.gold.hitAt3);
    expect(report.answerableRefused).toBeLessThanOrEqual(floors.gold.maxAnswerableRefused);
    expect(report.unanswerableRefused + report.unanswerableHedged).toBeGreaterThanOrEqual(
      floors.gold.minUnanswerableNotAnswered,
    );
  });

  it.each([
    ["arcd", "tests/datasets/arcd/arcd.json", floors.arcd],
    ["tydiqa", "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json", floors.tydiqa],
  ])("keeps %s sentence retrieval at or above its floor", async (_name, file, floor) => {
    const report = await evaluate(await loadSquadEvalSet(path.join(ROOT, file)));
    expect(printed(report.hitAt1)).toBeGreaterThanOrEqual(floor.hitAt1);
    expect(printed(report.hitAt3)).toBeGreaterThanOrEqual(floor.hitAt3);
    expect(printed(report.refusalRate)).toBeLessThanOrEqual(floor.maxRefusalRate);
  });
});
