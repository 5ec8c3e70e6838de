/** Summary statistics of repeated measurements. */

/** Median, min and max of the rounds of one measurement. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/**
 * Summarizes `values` (NaN when empty).
 * @example summarize([3, 1, 2]) // { median: 2, min: 1, max: 3, n: 3 }
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

/**
 * The q-quantile (0..1) of `values` by the nearest-rank method (NaN when empty).
 * @example quantile([1, 2, 3, 4], 0.5) // 2
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/**
 * Ratio of two alternated measurements: the median of the per-round ratios `a[i] / b[i]` when
 * both have the same rounds (A B A B pairs share machine conditions), else the ratio of medians.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length > 0 && a.length === b.length) return summarize(a.map((x, i) => x / (b[i] as number))).median;
  return summarize(a).median / summarize(b).median;
}
