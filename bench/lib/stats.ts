/** Order statistics of a set of timings (milliseconds) or other measurements. */
export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/** The value below which a share `q` of the sorted samples lie (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** The median of several runs' values. */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** "median (min–max)" of several runs' values, with `digits` decimals. */
export function spread(values: readonly number[], digits = 1): string {
  const sorted = [...values].sort((a, b) => a - b);
  const fmt = (value: number | undefined): string => (value ?? Number.NaN).toFixed(digits);
  if (sorted.length === 1) return fmt(sorted[0]);
  return `${fmt(median(sorted))} (${fmt(sorted[0])}–${fmt(sorted.at(-1))})`;
}

/** A ratio written as "12.3×". */
export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(value / baseline >= 10 ? 0 : 2)}×`;
}
