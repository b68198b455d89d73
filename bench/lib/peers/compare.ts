import type { Article } from "../../../src/corpus/index.js";
import type { EvalQuestion } from "../../../src/eval/index.js";
import { median, summarize, type Summary } from "../stats.js";
import { collectGarbage } from "./memory.js";
import type { Lookup, PeerSystem, Searcher } from "./system.js";

/** Questions each system answers untimed before each round, so that none is timed cold (JIT, heap). */
export const WARM_UP_QUESTIONS = 20;

/** The quality and latency of one system on one set. */
export interface SystemScore {
  readonly system: string;
  readonly questions: number;
  /** Percent of questions whose gold sentence is the one counted for hit@1 (Sanad: first citation). */
  readonly hitAt1: number;
  /** Percent whose gold sentence ranks first in the ranking (what `npm run eval` calls hit@1). */
  readonly rankedHitAt1: number;
  readonly hitAt3: number;
  /** Mean reciprocal rank of the first gold sentence within the first 10 (0 beyond). */
  readonly mrr: number;
  /** Per question; p50 and p99 are the median over rounds of each round's. */
  readonly latency: Summary;
  /** Sanad only: the retrieval inside each timed answer, summarized the same way. */
  readonly retrieval?: Summary;
  readonly refused: number;
}

/** Hit@k and reciprocal rank of one lookup against the question's gold sentences. */
function judge(lookup: Lookup, question: EvalQuestion): { hit: boolean; rank: number | undefined } {
  const gold = new Set(question.gold.map(({ doc, sentence }) => `${doc}#${sentence}`));
  const rank = lookup.ranked.findIndex((id) => gold.has(id));
  return { hit: lookup.top !== undefined && gold.has(lookup.top), rank: rank >= 0 ? rank : undefined };
}

/** Latencies of several rounds: each round summarized, then the median of their p50s and p99s. */
function overRounds(rounds: readonly (readonly number[])[]): Summary {
  const summaries = rounds.filter((samples) => samples.length > 0).map((samples) => summarize(samples));
  const all = summarize(rounds.flat());
  return {
    ...all,
    p50: median(summaries.map((summary) => summary.p50)),
    p99: median(summaries.map((summary) => summary.p99)),
  };
}

/** Quality from the first round (every system answers the same question the same way each time). */
function score(
  system: string,
  questions: readonly EvalQuestion[],
  rounds: readonly (readonly Lookup[])[],
): SystemScore {
  const lookups = rounds[0] ?? [];
  let hits = 0;
  let rankedHits = 0;
  let within3 = 0;
  let reciprocal = 0;
  lookups.forEach((lookup, i) => {
    const question = questions[i];
    if (!question) return;
    const { hit, rank } = judge(lookup, question);
    if (hit) hits++;
    if (rank === 0) rankedHits++;
    if (rank !== undefined && rank < 3) within3++;
    if (rank !== undefined) reciprocal += 1 / (rank + 1);
  });
  const percent = (count: number): number => (100 * count) / Math.max(1, lookups.length);
  const retrievals = rounds.map((round) => round.flatMap((lookup) => lookup.retrievalMs ?? []));
  return {
    system,
    questions: lookups.length,
    hitAt1: percent(hits),
    rankedHitAt1: percent(rankedHits),
    hitAt3: percent(within3),
    mrr: reciprocal / Math.max(1, lookups.length),
    latency: overRounds(rounds.map((round) => round.map((lookup) => lookup.ms))),
    ...(retrievals.some((round) => round.length > 0) ? { retrieval: overRounds(retrievals) } : {}),
    refused: lookups.filter((lookup) => lookup.refused === true).length,
  };
}

/**
 * Builds every system over the same articles in this process, checks that they index the same sentences,
 * then, `rounds` times, asks each question of each system in turn — the order rotated by one system per
 * question — so that whatever the machine does meanwhile (collections, other load, frequency changes)
 * falls on all alike.
 */
export async function compareOnSet(
  systems: readonly PeerSystem[],
  articles: readonly Article[],
  questions: readonly EvalQuestion[],
  rounds: number,
  log: (message: string) => void,
): Promise<SystemScore[]> {
  const searchers: Searcher[] = [];
  for (const system of systems) searchers.push(await system.build(articles));
  const counts = new Set(searchers.map((searcher) => searcher.sentences));
  if (counts.size !== 1) {
    throw new Error(
      `the systems indexed different sentence counts: ${systems.map((s, i) => `${s.name} ${searchers[i]?.sentences ?? 0}`).join(", ")}`,
    );
  }
  // lookups[system][round][question]
  const lookups: Lookup[][][] = systems.map(() => []);
  for (let round = 0; round < rounds; round++) {
    collectGarbage();
    // After the collection too: the first allocations after it are slow (the collector gives the young
    // generation's pages back), and would be timed against whichever system asks first.
    for (const question of questions.slice(0, WARM_UP_QUESTIONS)) {
      for (const searcher of searchers) await searcher.search(question.question);
    }
    const asked: Lookup[][] = systems.map(() => []);
    for (const [n, question] of questions.entries()) {
      for (let turn = 0; turn < searchers.length; turn++) {
        const which = (n + turn) % searchers.length;
        const lookup = await searchers[which]?.search(question.question);
        if (lookup) asked[which]?.push(lookup);
      }
    }
    asked.forEach((own, which) => lookups[which]?.push(own));
    log(`round ${round + 1} of ${rounds}: ${questions.length} questions`);
  }
  return systems.map((system, i) => score(system.name, questions, lookups[i] ?? []));
}
