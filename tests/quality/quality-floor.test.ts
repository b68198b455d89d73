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
  type SquadLoadOptions,
} from "../../src/eval/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { CORPUS_DIR, GOLD_FILE, REPO_ROOT } from "../support/corpus.js";

interface RankingFloor {
  readonly hitAt1: number;
  readonly hitAt3: number;
  readonly maxAnswerableRefusedRate: number;
}
interface HoldOutFloor {
  readonly maxUnanswerableConfidentRate: number;
  readonly maxAnswerableRefusedRate: number;
  readonly maxAnswerableHedgedRate: number;
}
const floors = JSON.parse(readFileSync(path.join(import.meta.dirname, "floors.json"), "utf8")) as {
  gold: { hitAt1: number; hitAt3: number; maxAnswerableRefused: number; maxUnanswerableConfident: number };
  arcdTest: RankingFloor;
  arcdTestHoldOut: HoldOutFloor;
  tydiqaHalfB: RankingFloor;
  tydiqaHalfBHoldOut: HoldOutFloor;
};

/** Rounds as the eval report prints, so that a floor equal to a printed number holds. */
const printed = (value: number): number => Math.round(value * 10) / 10;
const percent = (count: number, of: number): number => printed(of === 0 ? 0 : (100 * count) / of);

async function evaluate(set: EvalSet): Promise<EvalReport> {
  const index = await SanadIndex.build(set.articles, { provider: "hashing", dimensions: 2048 });
  return runEval(set, createAnswerer(index));
}

const ARCD_TEST = "tests/datasets/arcd/arcd-test.json";
const TYDI = "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json";

describe("quality floor", () => {
  it("keeps the gold set on the corpus article at or above its floor", async () => {
    const { articles } = await loadCorpus(CORPUS_DIR);
    const report = await evaluate(await loadGoldEvalSet(GOLD_FILE, articles));
    expect(report.answerable).toBeGreaterThanOrEqual(40);
    expect(report.unanswerable).toBeGreaterThanOrEqual(8);
    expect(printed(report.hitAt1)).toBeGreaterThanOrEqual(floors.gold.hitAt1);
    expect(printed(report.hitAt3)).toBeGreaterThanOrEqual(floors.gold.hitAt3);
    expect(report.answerableRefused).toBeLessThanOrEqual(floors.gold.maxAnswerableRefused);
    expect(report.unanswerableConfident).toBeLessThanOrEqual(floors.gold.maxUnanswerableConfident);
  });

  it.each<[string, string, SquadLoadOptions, RankingFloor]>([
    ["ARCD test", ARCD_TEST, {}, floors.arcdTest],
    ["TyDi QA half B", TYDI, { half: "B" }, floors.tydiqaHalfB],
  ])("keeps %s sentence ranking at or above its floor", async (_name, file, options, floor) => {
    const report = await evaluate(await loadSquadEvalSet(path.join(REPO_ROOT, file), options));
    expect(printed(report.hitAt1)).toBeGreaterThanOrEqual(floor.hitAt1);
    expect(printed(report.hitAt3)).toBeGreaterThanOrEqual(floor.hitAt3);
    expect(percent(report.answerableRefused, report.answerable)).toBeLessThanOrEqual(
      floor.maxAnswerableRefusedRate,
    );
  });

  it.each<[string, string, SquadLoadOptions, HoldOutFloor]>([
    ["ARCD test", ARCD_TEST, { holdOut: 0 }, floors.arcdTestHoldOut],
    ["TyDi QA half B", TYDI, { half: "B", holdOut: 0 }, floors.tydiqaHalfBHoldOut],
  ])(
    "keeps %s with paragraphs held out honest: few confident answers to what the corpus lacks",
    async (_name, file, options, floor) => {
      const report = await evaluate(await loadSquadEvalSet(path.join(REPO_ROOT, file), options));
      expect(report.unanswerable).toBeGreaterThan(50);
      expect(percent(report.unanswerableConfident, report.unanswerable)).toBeLessThanOrEqual(
        floor.maxUnanswerableConfidentRate,
      );
      expect(percent(report.answerableRefused, report.answerable)).toBeLessThanOrEqual(
        floor.maxAnswerableRefusedRate,
      );
      expect(percent(report.answerableHedged, report.answerable)).toBeLessThanOrEqual(
        floor.maxAnswerableHedgedRate,
      );
    },
  );
});
