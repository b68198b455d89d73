/**
 * Speed of the core pipeline, measured side by side with a baseline in the same run:
 * - building the article's index (load, analyze, embed, hnsw, save) against only loading and splitting
 *   the corpus into sentences;
 * - answering a question in process, index loaded once, against a bare BM25 search over the sentences.
 * Writes bench/results.md and prints it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createAnswerer } from "../src/answer/index.js";
import { loadCorpus } from "../src/corpus/index.js";
import { loadGoldEvalSet } from "../src/eval/index.js";
import { SanadIndex, sentencesOfArticle } from "../src/index/index.js";
import { Bm25Index } from "../src/retrieval/index.js";
import { analyzeForIndex } from "../src/text/index.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUILD_RUNS = 7;
const QUESTION_ROUNDS = 30;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[]): { p50: number; p99: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? NaN,
    max: sorted.at(-1) ?? NaN,
  };
}

async function time(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const corpusDir = path.join(ROOT, "corpus");
  const scratch = await mkdtemp(path.join(os.tmpdir(), "sanad-bench-"));
  const embeddings = { provider: "hashing", dimensions: 2048 } as const;

  // Build: full reindex vs loading and splitting only, alternated so that both see the same machine state.
  const build: number[] = [];
  const split: number[] = [];
  for (let run = 0; run < BUILD_RUNS; run++) {
    build.push(
      await time(async () => {
        const { articles } = await loadCorpus(corpusDir);
        const index = await SanadIndex.build(articles, embeddings);
        await index.save(path.join(scratch, "index"));
      }),
    );
    split.push(
      await time(async () => {
        const { articles } = await loadCorpus(corpusDir);
        articles.flatMap(sentencesOfArticle);
      }),
    );
  }

  // Questions: the gold set's, through the extractive pipeline vs a bare BM25 search over sentences.
  const { articles } = await loadCorpus(corpusDir);
  const index = await SanadIndex.load(path.join(scratch, "index"), embeddings);
  const answerer = createAnswerer(index);
  const questions = (await loadGoldEvalSet(path.join(ROOT, "tests/gold/article-qa.json"), articles))
    .questions;
  const bm25 = new Bm25Index(index.sentences.map((sentence) => analyzeForIndex(sentence.text)));
  for (const { question } of questions) await answerer.answer(question); // warm-up
  const pipeline: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < QUESTION_ROUNDS; round++) {
    for (const { question } of questions) {
      pipeline.push(await time(() => answerer.answer(question)));
      baseline.push(await time(() => bm25.search(analyzeForIndex(question), 3)));
    }
  }
  await rm(scratch, { recursive: true, force: true });

  const b = summary(build);
  const s = summary(split);
  const p = summary(pipeline);
  const q = summary(baseline);
  const ms = (value: number): string => value.toFixed(2);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const report = `# Benchmark results

Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}.
Date: ${new Date().toISOString()}. Corpus: ${articles.length} article, ${index.sentences.length} sentences,
${index.passages.length} passages; hashing embeddings, 2048 dimensions.

| measure | runs | p50 ms | p99 ms | min–max ms | baseline p50 ms | ratio to baseline |
|---|---|---|---|---|---|---|
| reindex the article (load, analyze, embed, hnsw, save) vs load + split only | ${build.length} | ${ms(b.p50)} | ${ms(b.p99)} | ${ms(b.min)}–${ms(b.max)} | ${ms(s.p50)} | ${(b.p50 / s.p50).toFixed(1)}× |
| answer one question (extractive pipeline, index loaded) vs bare BM25 over sentences | ${pipeline.length} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.min)}–${ms(p.max)} | ${ms(q.p50)} | ${(p.p50 / q.p50).toFixed(1)}× |

Each figure is measured in the same run as its baseline, alternating the two. Run it again with
\`npm run bench\`; figures vary by a few percent between runs on the same machine.
`;
  await writeFile(path.join(ROOT, "bench/results.md"), report);
  console.log(report);
}

await main();
