/** Where the verdicts change, as probabilities of being answerable. */
export interface VerdictThresholds {
  readonly refuseBelow: number;
  readonly hedgeBelow: number;
}

/** The most answerable questions the thresholds may refuse, and refuse or hedge, as shares (0 to 1). */
export interface ThresholdBudget {
  readonly refused: number;
  readonly refusedOrHedged: number;
}

/**
 * The thresholds that refuse at most `budget.refused` of the answerable questions and hedge or refuse at
 * most `budget.refusedOrHedged`, given their predicted probabilities (out of fold, never the data the
 * model was fitted on): the highest thresholds within those budgets, so that as many unanswerable
 * questions as possible are hedged or refused. Each threshold sits halfway between two predictions.
 */
export function thresholdsWithin(answerable: readonly number[], budget: ThresholdBudget): VerdictThresholds {
  const sorted = [...answerable].sort((a, b) => a - b);
  const at = (share: number): number => {
    // The first `count` predictions lie below the threshold; the next one is the first above it.
    const count = Math.floor(share * sorted.length);
    if (count <= 0) return 0;
    const below = sorted[count - 1] ?? 0;
    const above = sorted[count] ?? 1;
    return (below + above) / 2;
  };
  return { refuseBelow: at(budget.refused), hedgeBelow: at(budget.refusedOrHedged) };
}
