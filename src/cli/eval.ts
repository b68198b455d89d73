import { createAnswerer } from "../answer/index.js";
import { loadCorpus } from "../corpus/index.js";
import { loadGoldEvalSet, loadSquadEvalSet, runEval, type EvalReport, type EvalSet } from "../eval/index.js";
import { SanadIndex } from "../index/index.js";
import { EXIT, parseCommandLine, runMain, startRuntime } from "./runtime.js";

const USAGE = `usage: npm run eval [-- --dataset FILE ...] [--all] [--json] [--misses]

Measures retrieval and citation quality. With --dataset FILE (SQuAD v1.1 format, e.g.
tests/datasets/arcd/arcd.json), indexes all the file's paragraphs as documents and asks all its
questions; without it, asks the team's gold set (tests/gold/article-qa.json) about the corpus.
Reports hit@1, hit@3 and MRR of the sentence that holds the gold answer, and the refusal rate.
  --all      the gold set, then ARCD and TyDi QA (tests/datasets)
  --json     print each report as one line of JSON
  --misses   also list the questions whose gold sentence was not ranked first`;

/** The team's gold set on the corpus article. */
const GOLD_SET_FILE = "tests/gold/article-qa.json";
/** The public development sets kept in the repository. */
const DEV_SETS = ["tests/datasets/arcd/arcd.json", "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json"];

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    dataset: { type: "string", multiple: true },
    all: { type: "boolean" },
    json: { type: "boolean" },
    misses: { type: "boolean" },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const { config } = startRuntime();
  const datasets = [...(values.dataset ?? []), ...(values.all ? DEV_SETS : [])];
  const gold = async (): Promise<EvalSet> =>
    loadGoldEvalSet(GOLD_SET_FILE, (await loadCorpus(config.corpusDir)).articles);
  const sets: (() => Promise<EvalSet>)[] = [
    ...(datasets.length === 0 || values.all ? [gold] : []),
    ...datasets.map((file) => () => loadSquadEvalSet(file)),
  ];
  for (const load of sets) {
    const set = await load();
    const index = await SanadIndex.build(set.articles, config.embeddings);
    const report = await runEval(set, createAnswerer(index, { topK: config.topK }));
    console.log(values.json ? JSON.stringify({ ...report, outcomes: undefined }) : formatReport(report));
    if (values.misses) printMisses(report);
  }
  return EXIT.ok;
}

function formatReport(report: EvalReport): string {
  const lines = [
    `dataset: ${report.name}`,
    `questions: ${report.questions} (answerable ${report.answerable}, unanswerable ${report.unanswerable}, skipped ${report.skipped})`,
    `sentence hit@1: ${report.hitAt1.toFixed(1)}`,
    `sentence hit@3: ${report.hitAt3.toFixed(1)}`,
    `sentence MRR: ${report.mrr.toFixed(3)}`,
    `answerable refused: ${report.answerableRefused} (${report.refusalRate.toFixed(1)}%)`,
    `answerable hedged: ${report.answerableHedged}`,
  ];
  if (report.unanswerable > 0) {
    lines.push(`unanswerable refused: ${report.unanswerableRefused} of ${report.unanswerable}`);
    lines.push(`unanswerable hedged: ${report.unanswerableHedged} of ${report.unanswerable}`);
  }
  for (const [kind, { questions, hitAt1 }] of Object.entries(report.hitAt1ByKind)) {
    lines.push(`  ${kind}: hit@1 ${hitAt1.toFixed(1)} (${questions})`);
  }
  lines.push(`seconds: ${report.seconds.toFixed(2)}`);
  return lines.join("\n");
}

function printMisses(report: EvalReport): void {
  for (const { question, goldRank, answer } of report.outcomes) {
    const answerable = question.gold.length > 0;
    if (answerable ? goldRank === 0 && !answer.refused : answer.refused) continue;
    if (!answerable && answer.confidence === "low") {
      console.log(`hedged ${question.id} ${question.question}`);
      continue;
    }
    const got = answer.refused
      ? "REFUSED"
      : `${answer.citations[0]?.doc ?? ""}#${answer.citations[0]?.sentence ?? ""}`;
    const want = answerable
      ? question.gold.map((gold) => `${gold.doc}#${gold.sentence}`).join(",")
      : "refusal";
    console.log(
      `miss ${question.id} [${question.kind ?? ""}] rank=${goldRank ?? "-"} want=${want} got=${got} ${question.question}`,
    );
  }
}

runMain(main, USAGE);
