/**
 * `npm run bench:peers`: Sanad side by side with the JavaScript search libraries a developer would pick
 * instead (MiniSearch, lunr, LangChain's HNSWLib), on Arabic QA sets: sentence hit@1, hit@3 and MRR,
 * latency per question, build time and memory. Writes its section of bench/results.md (in place of the
 * one there, the rest as it was) and prints it; `npm run bench` runs it last. `-- --quick` asks a
 * few hundred questions per set and builds once per system; the full run asks every question and takes
 * the median of three builds.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { BuildMeasurement } from "./lib/peers/memory.js";
import { compareOnSet } from "./lib/peers/compare.js";
import { loadPeerSet, PEER_SETS, questionsAsked } from "./lib/peers/datasets.js";
import { collectGarbage } from "./lib/peers/memory.js";
import { peersSection, type SetResult } from "./lib/peers/report.js";
import { REPOSITORY, scriptBeside } from "./lib/peers/repository.js";
import { sentencesOf } from "./lib/peers/system.js";
import { PEER_SYSTEMS } from "./lib/peers/systems.js";
import { withSection } from "./lib/report-section.js";

const ROOT = REPOSITORY;
const BUILD_CHILD = scriptBeside(import.meta.filename, "lib/peers/build-child");
/** Questions per set with --quick, spread over the set. */
const QUICK_QUESTIONS = 200;
/** Builds measured per system and set; the report gives their median. */
const BUILD_RUNS = { quick: 1, full: 3 } as const;
/** Times each question is asked of each system; the report gives the median of the rounds' p50 and p99. */
const ROUNDS = { quick: 1, full: 3 } as const;
/** The packages compared (and what they run on), named with their installed versions in the report. */
const PACKAGES = ["minisearch", "@orama/stemmers", "lunr", "lunr-languages", "hnswlib-node"];

/** Measures one build in a fresh process (bench/lib/peers/build-child.ts). */
function measureBuild(system: string, set: string): Promise<BuildMeasurement> {
  return new Promise((resolve, reject) => {
    // The same Node with the same flags (--expose-gc, and tsx when run from the sources) as this process.
    const child = spawn(process.execPath, [...process.execArgv, BUILD_CHILD, system, set], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`build of ${system} on ${set} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as BuildMeasurement);
    });
  });
}

async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(path.join(ROOT, "node_modules", name, "package.json"), "utf8"),
  ) as { version?: string };
  return `${name} ${manifest.version ?? "?"}`;
}

/** The commit measured, marked when Sanad's code (src/) has changes beyond it in the work tree. */
function commitMeasured(): string {
  const git = (...args: string[]): string =>
    spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const commit = git("rev-parse", "--short", "HEAD") || "an unknown commit";
  return git("status", "--porcelain", "--", "src") === "" ? commit : `${commit} with changes to src/`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: "boolean" } } });
  const quick = values.quick === true;
  collectGarbage(); // fails now, not after the builds, when --expose-gc is missing
  const started = performance.now();
  // Other work on the machine slows every system alike (they are interleaved) but widens p99: reported.
  const loadAverage = os.loadavg()[0] ?? 0;
  // Read now: others may commit while this runs, and what was loaded is what the run started with.
  const commit = commitMeasured();
  const log = (message: string): void => {
    console.error(`[bench:peers ${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);
  };
  const runs = quick ? BUILD_RUNS.quick : BUILD_RUNS.full;
  const rounds = quick ? ROUNDS.quick : ROUNDS.full;

  const results: SetResult[] = [];
  for (const set of PEER_SETS) {
    const builds: BuildMeasurement[] = [];
    for (let run = 0; run < runs; run++) {
      // Rotated per run, so that no system is always built first after the machine was idle.
      for (let turn = 0; turn < PEER_SYSTEMS.length; turn++) {
        const system = PEER_SYSTEMS[(run + turn) % PEER_SYSTEMS.length];
        if (system) builds.push(await measureBuild(system.name, set.key));
      }
    }
    log(`${set.label}: ${builds.length} builds measured`);
    const evalSet = await loadPeerSet(ROOT, set);
    const questions = questionsAsked(evalSet, quick ? QUICK_QUESTIONS : undefined);
    const scores = await compareOnSet(PEER_SYSTEMS, evalSet.articles, questions, rounds, (message) => {
      log(`${set.label}: ${message}`);
    });
    results.push({
      label: set.label,
      paragraphs: evalSet.articles.length,
      sentences: sentencesOf(evalSet.articles).length,
      answerable: questionsAsked(evalSet).length,
      scores,
      builds,
    });
    log(`${set.label}: ${questions.length} questions asked of ${PEER_SYSTEMS.length} systems`);
    collectGarbage();
  }

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const section = peersSection(
    {
      machine: `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, ${os.platform()} ${os.arch()}; load average ${loadAverage.toFixed(1)} at the start`,
      date: new Date().toISOString(),
      minutes: (performance.now() - started) / 60_000,
      command: `npm run bench:peers${quick ? " -- --quick" : ""}`,
      commit,
      versions: await Promise.all(PACKAGES.map(installedVersion)),
      buildRuns: runs,
      rounds,
    },
    results,
    PEER_SYSTEMS,
  );
  const file = path.join(ROOT, "bench/results.md");
  const report = await readFile(file, "utf8").catch(() => "# Benchmark results\n");
  await writeFile(file, withSection(report, section));
  console.log(section);
}

await main();
