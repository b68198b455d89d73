import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_TIMEOUT, makeSandbox, runCli, type Sandbox } from "./run-cli.js";

let sandbox: Sandbox;
let squadFile: string;

/** A tiny SQuAD v1.1 file: two paragraphs, three questions, answers located by offset. */
function tinySquad(): unknown {
  const cairo =
    "القاهرة هي عاصمة جمهورية مصر العربية. يبلغ عدد سكانها أكثر من عشرين مليون نسمة. يمر بها نهر النيل.";
  const azhar = "تأسست جامعة الأزهر في القرن العاشر الميلادي. وهي من أقدم الجامعات في العالم.";
  const qa = (id: string, question: string, context: string, text: string) => ({
    id,
    question,
    answers: [{ text, answer_start: context.indexOf(text) }],
  });
  return {
    version: "1.1",
    data: [
      {
        title: "القاهرة والأزهر",
        paragraphs: [
          {
            context: cairo,
            qas: [
              qa("c1", "ما هي عاصمة جمهورية مصر العربية؟", cairo, "القاهرة"),
              qa("c2", "كم يبلغ عدد سكان القاهرة؟", cairo, "أكثر من عشرين مليون نسمة"),
            ],
          },
          { context: azhar, qas: [qa("a1", "متى تأسست جامعة الأزهر؟", azhar, "في القرن العاشر الميلادي")] },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  sandbox = await makeSandbox();
  squadFile = path.join(sandbox.root, "tiny-squad.json");
  await writeFile(squadFile, JSON.stringify(tinySquad()));
});

afterAll(async () => {
  await sandbox.cleanup();
});

interface JsonReport {
  name: string;
  questions: number;
  answerable: number;
  skipped: number;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  refusalRate: number;
}

describe.concurrent("npm run eval", () => {
  it(
    "reports hit@1, hit@3, MRR and refusals on the gold set",
    async () => {
      const result = await runCli("eval", [], { env: sandbox.env });

      expect(result.code).toBe(0);
      expect(result.stdout).toContain("dataset: tests/gold/article-qa.json");
      expect(result.stdout).toMatch(/^questions: \d+ \(answerable \d+, unanswerable \d+, skipped 0\)$/m);
      expect(result.stdout).toMatch(/^sentence hit@1: \d+\.\d$/m);
      expect(result.stdout).toMatch(/^sentence hit@3: \d+\.\d$/m);
      expect(result.stdout).toMatch(/^sentence MRR: [01]\.\d{3}$/m);
      expect(result.stdout).toMatch(/^answerable refused: \d+ \(\d+\.\d%\)$/m);
      const hit1 = Number(/^sentence hit@1: (.+)$/m.exec(result.stdout)?.[1]);
      expect(hit1).toBeGreaterThan(50);
      // The gold set is indexed in memory: eval never writes an index.
      expect(await stat(sandbox.indexDir).catch(() => undefined)).toBeUndefined();
    },
    CLI_TIMEOUT,
  );

  it(
    "prints one JSON object per dataset with --json",
    async () => {
      const result = await runCli("eval", ["--json"], { env: sandbox.env });

      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      const report = JSON.parse(lines[0] ?? "") as JsonReport & Record<string, unknown>;
      for (const field of ["hitAt1", "hitAt3", "mrr", "refusalRate"] as const) {
        expect(typeof report[field]).toBe("number");
      }
      expect(report.hitAt1).toBeLessThanOrEqual(report.hitAt3);
      expect(report.mrr).toBeGreaterThan(0);
      expect(report.mrr).toBeLessThanOrEqual(1);
      expect(report).not.toHaveProperty("outcomes");
    },
    CLI_TIMEOUT,
  );

  it(
    "evaluates a SQuAD file given with --dataset",
    async () => {
      const result = await runCli("eval", ["--dataset", squadFile], { env: sandbox.env });

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`dataset: ${squadFile}`);
      expect(result.stdout).toMatch(/^questions: 3 \(answerable 3, unanswerable 0, skipped 0\)$/m);
      expect(result.stdout).toMatch(/^sentence hit@1: \d+\.\d$/m);
    },
    CLI_TIMEOUT,
  );

  it(
    "names the --dataset file when it is not JSON",
    async () => {
      const broken = path.join(sandbox.root, "broken-squad.json");
      await writeFile(broken, '{"data": [');
      const result = await runCli("eval", ["--dataset", broken], { env: sandbox.env });

      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toContain(broken);
    },
    CLI_TIMEOUT,
  );
});
