import type { Answer, ExtractiveAnswerer } from "../answer/index.js";
import type { EvalQuestion, EvalSet } from "./types.js";

/** How one question went. */
export interface QuestionOutcome {
  readonly question: EvalQuestion;
  /** 0-based rank of the first gold sentence among the ranked sentences; undefined when absent. */
  readonly goldRank: number | undefined;
  readonly answer: Answer;
}

/** The measured quality on an evaluation set, as percentages (0–100) except MRR (0–1). */
export interface EvalReport {
  readonly name: string;
  readonly questions: number;
  readonly answerable: number;
  readonly unanswerable: number;
  readonly skipped: number;
  /** Answerable questions whose gold sentence ranks first / in the top 3. */
  readonly hitAt1: number;
  readonly hitAt3: number;
  readonly mrr: number;
  /** Answerable questions refused, in percent of answerable ones. */
  readonly refusalRate: number;
  /** Unanswerable questions refused (count), when the set has any. */
  readonly unanswerableRefused: number;
  /** Answerable questions refused (count). */
  readonly answerableRefused: number;
  /** Answered with low confidence (a hedged answer), answerable and unanswerable (counts). */
  readonly answerableHedged: number;
  readonly unanswerableHedged: number;
  /** Unanswerable questions answered with high confidence (count): the answers a reader is misled by. */
  readonly unanswerableConfident: number;
  /** Answerable questions answered with high confidence by a sentence other than the gold one (count). */
  readonly answerableConfidentWrong: number;
  /** hit@1 per kind of question, where the set records kinds. */
  readonly hitAt1ByKind: Readonly<Record<string, { readonly questions: number; readonly hitAt1: number }>>;
  readonly outcomes: readonly QuestionOutcome[];
  readonly seconds: number;
}

/**
 * Runs every question of a set through the answerer (whose index holds the set's articles) and measures
 * where the gold sentence ranks, and whether the answerer refused.
 */
export async function runEval(set: EvalSet, answerer: ExtractiveAnswerer): Promise<EvalReport> {
  const started = performance.now();
  const outcomes: QuestionOutcome[] = [];
  for (const question of set.questions) {
    const ranked = await answerer.rank(question.question);
    const gold = new Set(question.gold.map(({ doc, sentence }) => `${doc}#${sentence}`));
    const rank = ranked.sentences.findIndex(({ sentence }) => gold.has(sentence.id));
    outcomes.push({
      question,
      goldRank: rank >= 0 ? rank : undefined,
      answer: answerer.answerFromRanking(question.question, ranked),
    });
  }
  return summarize(set, outcomes, (performance.now() - started) / 1000);
}

function summarize(set: EvalSet, outcomes: readonly QuestionOutcome[], seconds: number): EvalReport {
  const answerable = outcomes.filter(({ question }) => question.gold.length > 0);
  const unanswerable = outcomes.filter(({ question }) => question.gold.length === 0);
  const percent = (count: number, of: number): number => (of === 0 ? 0 : (100 * count) / of);
  const within = (k: number) =>
    answerable.filter(({ goldRank }) => goldRank !== undefined && goldRank < k).length;
  const reciprocal = answerable.reduce(
    (sum, { goldRank }) => sum + (goldRank === undefined ? 0 : 1 / (goldRank + 1)),
    0,
  );
  const answerableRefused = answerable.filter(({ answer }) => answer.refused).length;
  const byKind: Record<string, { questions: number; hitAt1: number }> = {};
  for (const outcome of answerable) {
    const kind = outcome.question.kind;
    if (kind === undefined) continue;
    const entry = (byKind[kind] ??= { questions: 0, hitAt1: 0 });
    entry.questions++;
    if (outcome.goldRank === 0) entry.hitAt1++;
  }
  for (const entry of Object.values(byKind)) entry.hitAt1 = percent(entry.hitAt1, entry.questions);
  return {
    name: set.name,
    questions: outcomes.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    skipped: set.skipped,
    hitAt1: percent(within(1), answerable.length),
    hitAt3: percent(within(3), answerable.length),
    mrr: answerable.length === 0 ? 0 : reciprocal / answerable.length,
    refusalRate: percent(answerableRefused, answerable.length),
    unanswerableRefused: unanswerable.filter(({ answer }) => answer.refused).length,
    answerableRefused,
    answerableHedged: answerable.filter(({ answer }) => answer.confidence === "low").length,
    unanswerableHedged: unanswerable.filter(({ answer }) => answer.confidence === "low").length,
    unanswerableConfident: unanswerable.filter(({ answer }) => answer.confidence === "high").length,
    answerableConfidentWrong: answerable.filter(
      ({ answer, goldRank }) => answer.confidence === "high" && goldRank !== 0,
    ).length,
    hitAt1ByKind: byKind,
    outcomes,
    seconds,
  };
}
