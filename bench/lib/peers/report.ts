import { median, ratio } from "../stats.js";
import type { BuildMeasurement } from "./memory.js";
import { WARM_UP_QUESTIONS, type SystemScore } from "./compare.js";
import { RANKED, type PeerSystem } from "./system.js";

const MB = 1024 * 1024;

/** Everything measured on one set. */
export interface SetResult {
  readonly label: string;
  readonly paragraphs: number;
  readonly sentences: number;
  /** Answerable questions in the set, of which `scores[*].questions` were asked. */
  readonly answerable: number;
  readonly scores: readonly SystemScore[];
  /** Every build run of every system, each in a process of its own. */
  readonly builds: readonly BuildMeasurement[];
}

/** What the report says about the run itself. */
export interface RunFacts {
  readonly machine: string;
  readonly date: string;
  readonly minutes: number;
  readonly command: string;
  readonly commit: string;
  readonly versions: readonly string[];
  readonly buildRuns: number;
  readonly rounds: number;
}

/** A system's builds summarized: medians over runs. */
interface BuildSummary {
  readonly ms: number;
  readonly heapMb: number;
  readonly rssMb: number;
  /** Memory the index takes: the larger of the heap and the resident growth (native memory is not heap). */
  readonly memoryMb: number;
}

function buildSummary(builds: readonly BuildMeasurement[], system: string): BuildSummary {
  const own = builds.filter((build) => build.system === system);
  return {
    ms: median(own.map((build) => build.ms)),
    heapMb: median(own.map((build) => build.heapBytes / MB)),
    rssMb: median(own.map((build) => build.rssBytes / MB)),
    memoryMb: median(own.map((build) => Math.max(build.heapBytes, build.rssBytes) / MB)),
  };
}

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const thousands = (value: number): string => value.toLocaleString("en-US");

/** The most accurate library on a set: best hit@1, then MRR. */
function mostAccurateLibrary(scores: readonly SystemScore[]): SystemScore | undefined {
  return scores
    .filter((score) => score.system !== "sanad")
    .sort((a, b) => b.hitAt1 - a.hitAt1 || b.mrr - a.mrr)[0];
}

function setSection(result: SetResult): string[] {
  const asked = result.scores[0]?.questions ?? 0;
  const lines = [
    `### ${result.label}`,
    "",
    `${thousands(result.paragraphs)} paragraphs, ${thousands(result.sentences)} sentences; ${thousands(asked)} of ` +
      `${thousands(result.answerable)} answerable questions asked.`,
    "",
    `| system | hit@1 | hit@3 | MRR@${RANKED} | p50 ms | p99 ms | build s | memory MB | heap / RSS MB |`,
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const score of result.scores) {
    const build = buildSummary(result.builds, score.system);
    lines.push(
      `| ${score.system} | ${fmt(score.hitAt1)} | ${fmt(score.hitAt3)} | ${fmt(score.mrr, 3)} | ` +
        `${fmt(score.latency.p50, 3)} | ${fmt(score.latency.p99, 3)} | ${fmt(build.ms / 1000, 2)} | ` +
        `${fmt(build.memoryMb)} | ${fmt(build.heapMb)} / ${fmt(build.rssMb)} |`,
    );
  }
  const best = mostAccurateLibrary(result.scores);
  const sanad = result.scores.find((score) => score.system === "sanad");
  if (best && sanad) {
    const ours = buildSummary(result.builds, "sanad");
    const theirs = buildSummary(result.builds, best.system);
    const points = sanad.hitAt1 - best.hitAt1;
    lines.push(
      "",
      `Against the most accurate library here, ${best.system}: hit@1 ${points >= 0 ? "+" : ""}${fmt(points)} points, ` +
        `p50 ${ratio(sanad.latency.p50, best.latency.p50)}, memory ${ratio(ours.memoryMb, theirs.memoryMb)}, ` +
        `build ${ratio(ours.ms, theirs.ms)} (Sanad ÷ ${best.system}).`,
    );
  }
  if (sanad) {
    const retrieval = sanad.retrieval;
    lines.push(
      "",
      `Sanad: ${sanad.refused} of ${sanad.questions} questions refused (counted as misses); hit@1 of its ranking, ` +
        `as \`npm run eval\` counts it, ${fmt(sanad.rankedHitAt1)}.` +
        (retrieval
          ? ` Passage retrieval inside the timed answer: p50 ${fmt(retrieval.p50, 3)} ms, p99 ${fmt(retrieval.p99, 3)} ms;` +
            ` the rest is sentence scoring and writing the answer.`
          : ""),
    );
  }
  return lines;
}

/** The section of bench/results.md on the libraries: the machine, the date, the protocol, a table per set. */
export function peersSection(
  facts: RunFacts,
  results: readonly SetResult[],
  systems: readonly PeerSystem[],
): string {
  const lines = [
    "## Sanad beside the JavaScript search libraries, on Arabic QA",
    "",
    `Machine: ${facts.machine}.`,
    `Date: ${facts.date}. Whole run: ${fmt(facts.minutes)} min (\`${facts.command}\`), at ${facts.commit}.`,
    `Libraries: ${facts.versions.join(", ")}.`,
    "",
    "Systems:",
    "",
    ...systems.map((system) => `- **${system.name}**: ${system.setup}.`),
    "",
    "Protocol: each set's paragraphs are indexed at once, and the unit retrieved is the sentence: every library is",
    "given the same sentences, split by Sanad's splitter (Sanad splits the paragraphs itself, the same way, and also",
    "sees each page's title, as it always does). A hit is a sentence that holds the gold answer, as `npm run eval`",
    "defines it. hit@1 is judged on the first sentence a library returns and, for Sanad, on the first sentence its",
    `answer cites; hit@3 and MRR@${RANKED} on the first ${RANKED} sentences of each ranking (Sanad's: the ranking its answer`,
    "is made from).",
    "",
    "Latency: all systems in one process, each question asked of each system in turn, the order rotated by one",
    `system per question; p50 and p99 per question. Each round of all questions follows a full garbage collection`,
    `and ${WARM_UP_QUESTIONS} untimed questions of warm-up` +
      (facts.rounds > 1 ? `; the median over ${facts.rounds} rounds.` : "."),
    "Timed: the library's search call; for Sanad, the whole answer (question in, cited answer out).",
    "",
    "Build: from the paragraphs to an index ready to search (splitting included), in a fresh process per build" +
      (facts.buildRuns > 1 ? `, median of ${facts.buildRuns} runs.` : "."),
    "Memory: growth of the heap in use and of resident memory over the build and one question, each read after a",
    "full garbage collection; the larger of the two (vector graphs live outside the heap). Resident memory can",
    "shrink by a few MB as the collector returns pages freed before the build.",
    "",
    "Ratios are Sanad ÷ the most accurate library on the set.",
    "",
  ];
  for (const result of results) lines.push(...setSection(result), "");
  return `${lines.join("\n").trimEnd()}\n`;
}
