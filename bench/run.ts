/**
 * `npm run bench`: speed and scale of Sanad, every figure measured side by side with a baseline in the
 * same run, on synthetic corpora of 1, 1,000 and 10,000 articles generated here from real Arabic text.
 * Writes bench/results.md and prints it, then runs `npm run bench:peers` (Sanad beside the JavaScript
 * search libraries), which adds its section. `-- --quick` runs 1 and 1,000 articles only, and the quick
 * comparison.
 */
import { spawn, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createAnswerer } from "../src/answer/index.js";
import { DEFAULT_HASHING_DIMENSIONS } from "../src/config/index.js";
import { loadCorpus } from "../src/corpus/index.js";
import { loadGoldEvalSet, loadSquadEvalSet, runEval, type EvalSet } from "../src/eval/index.js";
import { estimateServingBytes, SanadIndex, type UpdateSummary } from "../src/index/index.js";
import { measureBot } from "./lib/bot-throughput.js";
import { measureReplicas, type ReplicaMeasurement } from "./lib/replica-throughput.js";
import { median, ratio, spread, type Summary } from "./lib/stats.js";
import { withSection } from "./lib/report-section.js";
import { SyntheticCorpus } from "./lib/synthetic-corpus.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const CHILD = path.join(ROOT, "bench/child.ts");
const REAL_ARTICLE = "tass-2025-10-09-putin-dushanbe.md";
const DEFAULT_DIMENSIONS = DEFAULT_HASHING_DIMENSIONS;
/** Search breadths measured; the first is the default. */
const BREADTHS = [400, 128, 256, 600];
const DIMENSIONS = [512, 1024, 2048, 4096];
const MB = 1024 * 1024;

interface BuildResult {
  ms: number;
  documents: number;
  sentences: number;
  passages: number;
  shards: number;
  update?: UpdateSummary;
  peakRssMb: number;
}
interface SplitResult {
  ms: number;
  sentences: number;
}
interface ServeResult {
  loadMs: number;
  documents: number;
  sentences: number;
  passages: number;
  textCharacters: number;
  shards: number;
  questions: number;
  rounds: { retrieval: Summary[]; answer: Summary[]; bm25: Summary[] };
  servingRssMb: number;
  heapMb: number;
  exact: Summary;
  breadths: { ef: number; recall: number; latency: Summary }[];
  /** Answers as served against those over exact vector search: shares of the questions. */
  agreement: { graphsServed: boolean; sameFirstCitation: number; sameCitations: number };
}

/** Runs one bench step in its own process (bench/child.ts) and returns what it printed. */
function child<T>(...args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    // The same Node with the same loader flags (tsx) as this process.
    const proc = spawn(process.execPath, [...process.execArgv, CHILD, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("error", reject);
    proc.on("close", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) reject(new Error(`bench step ${args.join(" ")} exited with ${code}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

/** Writes a corpus of `size` articles: the real article, then synthetic ones. */
async function writeCorpus(generator: SyntheticCorpus, dir: string, size: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await cp(path.join(ROOT, "corpus", REAL_ARTICLE), path.join(dir, REAL_ARTICLE));
  for (let n = 0; n < size - 1; n++) {
    const article = generator.article(n);
    await writeFile(path.join(dir, article.fileName), article.text);
  }
}

/** The questions timed: the gold set's, then TyDi QA's, 200 in all. */
async function benchQuestions(): Promise<string[]> {
  const gold = JSON.parse(await readFile(path.join(ROOT, "tests/gold/article-qa.json"), "utf8")) as {
    questions: { question: string }[];
  };
  const tydi = await loadSquadEvalSet(
    path.join(ROOT, "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json"),
  );
  const questions = gold.questions.map((entry) => entry.question);
  return [...questions, ...tydi.questions.map((q) => q.question)].slice(0, 200);
}

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const thousands = (value: number): string => value.toLocaleString("en-US");
const medianOf = (summaries: readonly Summary[], key: "p50" | "p99"): number =>
  median(summaries.map((summary) => summary[key]));

async function evalSets(): Promise<EvalSet[]> {
  const { articles } = await loadCorpus(path.join(ROOT, "corpus"));
  return [
    await loadGoldEvalSet(path.join(ROOT, "tests/gold/article-qa.json"), articles),
    await loadSquadEvalSet(path.join(ROOT, "tests/datasets/arcd/arcd.json")),
    await loadSquadEvalSet(path.join(ROOT, "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json")),
  ];
}

/** Questions per round of the replica benchmark, and its rounds (interleaved). */
const REPLICA_QUESTIONS = 400;
const REPLICA_ROUNDS = 3;

/** The report's section on replicas (webhook mode, with and without Redis). */
function replicaSection(runs: readonly ReplicaMeasurement[]): string[] {
  const base = runs.find((run) => run.replicas === 1 && !run.redis);
  const label = (run: ReplicaMeasurement): string =>
    `${run.replicas} replica${run.replicas > 1 ? "s" : ""}, ${run.redis ? "Redis (shared state, update stream)" : "no Redis (state in process, update journal)"}`;
  return [
    "## Replicas",
    "",
    `Questions per second through the real bot in webhook mode (\`npm start\` processes, extractive answers,`,
    `the Bot API stand-in on 127.0.0.1, a local redis-server on a unix socket): ${REPLICA_QUESTIONS} questions from as`,
    "many users, posted 40 at a time to the replicas in turn; from the first post to the last answer's",
    `sendMessage. Median of ${REPLICA_ROUNDS} interleaved rounds; \`npm run bench -- --replicas\` reruns this section alone.`,
    "Baseline: one replica without Redis. Two replicas without Redis share nothing (no memory or limits",
    "across them): an upper bound, not a deployment.",
    "",
    "| configuration | questions / s | ratio | p50 ms | p99 ms |",
    "|---|---|---|---|---|",
    ...runs.map(
      (run) =>
        `| ${label(run)} | ${fmt(run.perSecond, 0)} | ${ratio(run.perSecond, base?.perSecond ?? run.perSecond)} | ` +
        `${fmt(run.latency.p50, 1)} | ${fmt(run.latency.p99, 1)} |`,
    ),
  ];
}

/** Measures the replicas alone and puts their section into bench/results.md in place of the old one. */
async function replicasOnly(): Promise<void> {
  const questions = await benchQuestions();
  const runs = await measureReplicas(questions, { questions: REPLICA_QUESTIONS, rounds: REPLICA_ROUNDS });
  const file = path.join(ROOT, "bench/results.md");
  const report = await readFile(file, "utf8").catch(() => "# Benchmark results\n");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const measured = `Measured ${new Date().toISOString()} on ${cpu}, ${os.cpus().length} cores, Node ${process.version}.`;
  const section = [...replicaSection(runs), "", measured].join("\n");
  await writeFile(file, withSection(report, section));
  console.log(section);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: "boolean" }, replicas: { type: "boolean" } } });
  if (values.replicas) {
    await replicasOnly();
    return;
  }
  const sizes = values.quick ? [1, 1000] : [1, 1000, 10_000];
  const buildRuns = (size: number): number => (size >= 10_000 ? 2 : size >= 1000 ? 3 : 5);
  const started = performance.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), "sanad-bench-"));
  const log = (message: string): void => {
    console.error(`[bench ${fmt((performance.now() - started) / 1000, 0)} s] ${message}`);
  };
  const questionsFile = path.join(scratch, "questions.json");
  const questions = await benchQuestions();
  await writeFile(questionsFile, JSON.stringify(questions));

  // Corpora: generated here, deterministically, from the article and the eval sets' paragraphs.
  const generator = await SyntheticCorpus.fromRepository(ROOT);
  const corpus = (size: number): string => path.join(scratch, `corpus-${size}`);
  const indexOf = (size: number, dims = DEFAULT_DIMENSIONS): string =>
    path.join(scratch, `index-${size}-${dims}`);
  const generation: Record<number, number> = {};
  for (const size of sizes) {
    const t = performance.now();
    await writeCorpus(generator, corpus(size), size);
    generation[size] = performance.now() - t;
    log(`generated ${size} articles`);
  }

  // Full builds, each against loading and splitting the same corpus, alternated.
  const builds: Record<number, BuildResult[]> = {};
  const splits: Record<number, SplitResult[]> = {};
  for (const size of sizes) {
    builds[size] = [];
    splits[size] = [];
    for (let run = 0; run < buildRuns(size); run++) {
      splits[size].push(await child<SplitResult>("split", corpus(size)));
      builds[size].push(
        await child<BuildResult>("build", corpus(size), indexOf(size), String(DEFAULT_DIMENSIONS)),
      );
      log(`built ${size} articles in ${fmt((builds[size].at(-1)?.ms ?? 0) / 1000)} s`);
    }
  }

  // Serving: latency, memory, and hnsw against exact search, in a fresh process per size.
  const serving: Record<number, ServeResult> = {};
  const diskMb: Record<number, number> = {};
  for (const size of sizes) {
    serving[size] = await child<ServeResult>(
      "serve",
      indexOf(size),
      String(DEFAULT_DIMENSIONS),
      questionsFile,
      "3",
      BREADTHS.join(","),
    );
    diskMb[size] = (await folderBytes(indexOf(size))) / MB;
    log(`served ${size} articles`);
  }

  // Incremental reindex of one edited article, against the full build at the same size.
  const updates: Record<number, BuildResult[]> = {};
  for (const size of sizes.filter((s) => s >= 1000)) {
    updates[size] = [];
    for (let run = 0; run < 3; run++) {
      const corpusCopy = path.join(scratch, `corpus-${size}-edit`);
      const indexCopy = path.join(scratch, `index-${size}-edit`);
      await rm(corpusCopy, { recursive: true, force: true });
      await rm(indexCopy, { recursive: true, force: true });
      await cp(corpus(size), corpusCopy, { recursive: true });
      await cp(indexOf(size), indexCopy, { recursive: true });
      const edited = generator.article(run * 7 + 5, 1);
      await writeFile(path.join(corpusCopy, edited.fileName), edited.text);
      // The copy's gigabyte is written back to disk first, so that it does not slow the update's save.
      spawnSync("sync");
      updates[size].push(
        await child<BuildResult>("update", corpusCopy, indexCopy, String(DEFAULT_DIMENSIONS)),
      );
      log(`updated one article in ${size}: ${fmt((updates[size].at(-1)?.ms ?? 0) / 1000, 2)} s`);
    }
  }

  // The hashing dimension: quality on the eval sets against build time, index size and query latency.
  const dimensionRows: string[] = [];
  const sets = await evalSets();
  const dimsSize = 1000;
  const reference: { build?: number; size?: number; answer?: number } = {};
  const dimResults: {
    dims: number;
    hit: number[];
    build: number;
    size: number;
    retrieval: number;
    answer: number;
  }[] = [];
  for (const dims of DIMENSIONS) {
    const hit: number[] = [];
    for (const set of sets) {
      const index = await SanadIndex.build(set.articles, { provider: "hashing", dimensions: dims });
      hit.push((await runEval(set, createAnswerer(index))).hitAt1);
    }
    const built =
      dims === DEFAULT_DIMENSIONS
        ? median((builds[dimsSize] ?? []).map((b) => b.ms))
        : (await child<BuildResult>("build", corpus(dimsSize), indexOf(dimsSize, dims), String(dims))).ms;
    const served =
      dims === DEFAULT_DIMENSIONS
        ? serving[dimsSize]
        : await child<ServeResult>("serve", indexOf(dimsSize, dims), String(dims), questionsFile, "1", "400");
    const size = (await folderBytes(indexOf(dimsSize, dims))) / MB;
    dimResults.push({
      dims,
      hit,
      build: built,
      size,
      retrieval: served ? medianOf(served.rounds.retrieval, "p50") : Number.NaN,
      answer: served ? medianOf(served.rounds.answer, "p50") : Number.NaN,
    });
    log(`dimensions ${dims}`);
  }
  const base = dimResults.find((row) => row.dims === DEFAULT_DIMENSIONS);
  reference.build = base?.build;
  for (const row of dimResults) {
    dimensionRows.push(
      `| ${row.dims}${row.dims === DEFAULT_DIMENSIONS ? " (default)" : ""} | ${row.hit.map((h) => fmt(h)).join(" / ")} | ` +
        `${fmt(row.build / 1000)} s (${ratio(row.build, reference.build ?? row.build)}) | ` +
        `${fmt(row.size)} MB (${ratio(row.size, base?.size ?? row.size)}) | ` +
        `${fmt(row.retrieval, 2)} ms (${ratio(row.retrieval, base?.retrieval ?? row.retrieval)}) |`,
    );
  }

  // The bot: 50 chats asking at once through a Bot API server on 127.0.0.1, against the pipeline alone.
  const bot = await measureBot(path.join(ROOT, "corpus"), questions.slice(0, 65), { chats: 50, rounds: 10 });
  log("bot measured");
  const replicas = await measureReplicas(questions, { questions: REPLICA_QUESTIONS, rounds: REPLICA_ROUNDS });
  log("replicas measured");
  await rm(scratch, { recursive: true, force: true });

  // The report.
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines: string[] = [];
  const push = (...text: string[]): void => {
    lines.push(...text);
  };
  push(
    "# Benchmark results",
    "",
    `Machine: ${cpu}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 1024 ** 3, 0)} GB, Node ${process.version}, ${os.platform()} ${os.arch()}.`,
    `Date: ${new Date().toISOString()}. Whole run: ${fmt((performance.now() - started) / 60_000)} min (\`npm run bench${values.quick ? " -- --quick" : ""}\`).`,
    "",
    "Corpora: the TASS article, plus synthetic articles written by an order-2 word Markov chain trained on",
    "the article and the ARCD and TyDi QA paragraphs (fixed seed; article n is the same text in every corpus),",
    "about 30 sentences each. Hashing embeddings, 2048 dimensions unless stated. Each figure is measured in",
    "the same run as its baseline; a figure over several runs is written median (min–max). Timed questions: the",
    `gold set's ${Math.min(65, questions.length)} and TyDi QA's first ${questions.length - 65}, ${questions.length} in all.`,
    "",
    "## Full build",
    "",
    "Load the corpus, split, analyze, embed, build the vector graphs, save — each in a fresh process — against",
    "loading the corpus and splitting it into sentences only. Graphs: 0 for an index searched exactly, which",
    "has none (its vectors are saved as exact search lays them out).",
    "",
    "| articles | sentences | passages | graphs | runs | build s | sentences / s | peak RSS MB | load + split s | ratio | corpus generated in s |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const size of sizes) {
    const b = builds[size] ?? [];
    const s = splits[size] ?? [];
    const first = b[0];
    if (!first) continue;
    push(
      `| ${thousands(size)} | ${thousands(first.sentences)} | ${thousands(first.passages)} | ${first.shards} | ${b.length} | ` +
        `${spread(
          b.map((r) => r.ms / 1000),
          2,
        )} | ${thousands(Math.round(first.sentences / (median(b.map((r) => r.ms)) / 1000)))} | ` +
        `${spread(
          b.map((r) => r.peakRssMb),
          0,
        )} | ${spread(
          s.map((r) => r.ms / 1000),
          2,
        )} | ` +
        `${ratio(median(b.map((r) => r.ms)), median(s.map((r) => r.ms)))} | ${fmt((generation[size] ?? 0) / 1000, 1)} |`,
    );
  }
  push(
    "",
    "## Retrieval and serving",
    "",
    `Hybrid retrieval (BM25 + vector search, fused) per question, three rounds of ${questions.length} questions (p50 and p99`,
    "are the median over rounds). The vector search alone as served (k = 10: exact search over a copy of the",
    "vectors when they fit 128 MiB, else the hnsw graphs at search breadth 400) against hnswlib-node's",
    "BruteforceSearch over the same vectors, with its recall@10. Answers agree: the share of the questions",
    "whose extractive answer cites the same first sentence (and the same sentences) as the same pipeline over",
    "exact vector search. Serving RSS: resident memory after the rounds, index loaded; the estimate is what",
    "`npm run reindex` checks against MAX_INDEX_MEMORY_MB.",
    "",
    "| articles | retrieval p50 ms | retrieval p99 ms | vector search | served p50 / p99 ms | BruteforceSearch p50 / p99 ms | served ÷ brute force | recall@10 | answers agree: first / all citations | serving RSS MB | estimate MB | index on disk MB | load s |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const size of sizes) {
    const s = serving[size];
    const hnsw = s?.breadths[0];
    if (!s || !hnsw) continue;
    const estimate = estimateServingBytes(s, DEFAULT_DIMENSIONS) / MB;
    push(
      `| ${thousands(size)} | ${fmt(medianOf(s.rounds.retrieval, "p50"), 2)} | ${fmt(medianOf(s.rounds.retrieval, "p99"), 2)} | ` +
        `${s.agreement.graphsServed ? `hnsw, ${s.shards} graph${s.shards > 1 ? "s" : ""}` : "exact"} | ` +
        `${fmt(hnsw.latency.p50, 2)} / ${fmt(hnsw.latency.p99, 2)} | ${fmt(s.exact.p50, 2)} / ${fmt(s.exact.p99, 2)} | ` +
        `${ratio(hnsw.latency.p50, s.exact.p50)} | ${fmt(hnsw.recall, 3)} | ` +
        `${fmt(100 * s.agreement.sameFirstCitation, 1)}% / ${fmt(100 * s.agreement.sameCitations, 1)}% | ${fmt(s.servingRssMb, 0)} | ${fmt(estimate, 0)} | ` +
        `${fmt(diskMb[size] ?? 0, 0)} | ${fmt(s.loadMs / 1000, 2)} |`,
    );
  }
  const largest = sizes.at(-1) ?? 1;
  const big = serving[largest];
  if (big) {
    push(
      "",
      `Search breadth at ${thousands(largest)} articles (${thousands(big.passages)} passages, ${big.shards} graph${big.shards > 1 ? "s" : ""}):`,
      "",
      "| search breadth (ef) | recall@10 | p50 ms | p99 ms | p50 ÷ exact |",
      "|---|---|---|---|---|",
      ...[...big.breadths]
        .sort((a, b) => a.ef - b.ef)
        .map(
          (b) =>
            `| ${b.ef}${b.ef === BREADTHS[0] ? " (default)" : ""} | ${fmt(b.recall, 3)} | ${fmt(b.latency.p50, 2)} | ${fmt(b.latency.p99, 2)} | ${ratio(b.latency.p50, big.exact.p50)} |`,
        ),
    );
  }
  push(
    "",
    "## One question through the extractive pipeline",
    "",
    "Question in, cited answer out (retrieval, sentence scoring, evidence, answer), against a bare BM25 search",
    "over the same passages.",
    "",
    "| articles | answer p50 ms | answer p99 ms | BM25 p50 ms | ratio |",
    "|---|---|---|---|---|",
  );
  for (const size of sizes) {
    const s = serving[size];
    if (!s) continue;
    const answer50 = medianOf(s.rounds.answer, "p50");
    const bm50 = medianOf(s.rounds.bm25, "p50");
    push(
      `| ${thousands(size)} | ${fmt(answer50, 2)} | ${fmt(medianOf(s.rounds.answer, "p99"), 2)} | ${fmt(bm50, 3)} | ${ratio(answer50, bm50)} |`,
    );
  }
  push(
    "",
    "## Incremental reindex",
    "",
    "One article edited, then `npm run reindex` (incremental: load the index, re-embed the changed article,",
    "drop its old vectors (exact search) or mark them deleted (graphs), save what changed and link the graphs",
    "that did not), in a fresh process, against the full build of the same corpus.",
    "",
    "| articles | runs | incremental s | full build s | share of the full build |",
    "|---|---|---|---|---|",
  );
  for (const [size, runs] of Object.entries(updates)) {
    const full = median((builds[Number(size)] ?? []).map((b) => b.ms));
    const inc = median(runs.map((r) => r.ms));
    push(
      `| ${thousands(Number(size))} | ${runs.length} | ${spread(
        runs.map((r) => r.ms / 1000),
        2,
      )} | ${fmt(full / 1000, 1)} | ${fmt((100 * inc) / full, 2)}% |`,
    );
  }
  push(
    "",
    "## Hashing dimensions",
    "",
    "Quality: sentence hit@1 of `npm run eval` on the gold set / ARCD / TyDi QA. Build, index size and",
    `retrieval p50 at ${thousands(dimsSize)} articles; ratios to the default.`,
    "",
    "| dimensions | hit@1 gold / ARCD / TyDi | build | index on disk | retrieval p50 |",
    "|---|---|---|---|---|",
    ...dimensionRows,
  );
  push(
    "",
    "## The bot",
    "",
    `${bot.chats} private chats each asking at once, ${bot.rounds} rounds, through grammY's runner against the`,
    "Bot API stand-in on 127.0.0.1 (extractive answers, the article's index): from the update being queued to",
    "the answer's sendMessage. Baseline: the same questions answered by the pipeline directly, all at once.",
    "",
    "| path | questions | questions / s | p50 ms | p99 ms |",
    "|---|---|---|---|---|",
    `| through the bot | ${bot.bot.count} | ${fmt(bot.botPerSecond, 0)} | ${fmt(bot.bot.p50, 1)} | ${fmt(bot.bot.p99, 1)} |`,
    `| pipeline only | ${bot.direct.count} | ${fmt(bot.directPerSecond, 0)} | ${fmt(bot.direct.p50, 1)} | ${fmt(bot.direct.p99, 1)} |`,
    `| ratio (bot ÷ pipeline, p50) | | | ${ratio(bot.bot.p50, bot.direct.p50)} | |`,
    "",
    ...replicaSection(replicas),
  );
  const report = `${lines.join("\n")}\n`;
  await writeFile(path.join(ROOT, "bench/results.md"), report);
  console.log(report);
  log("Sanad beside the JavaScript search libraries: npm run bench:peers");
  await benchPeers(values.quick === true);
}

/**
 * Runs `npm run bench:peers` (built, in a process of its own, as it always runs), which adds its
 * section to bench/results.md.
 */
function benchPeers(quick: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ["run", "--silent", "bench:peers", ...(quick ? ["--", "--quick"] : [])];
    const proc = spawn("npm", args, { cwd: ROOT, stdio: "inherit" });
    proc.on("error", reject);
    proc.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`npm ${args.join(" ")} exited with ${code}`));
    });
  });
}

await main();
