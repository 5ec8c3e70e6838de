/**
 * Online least-squares line through a run of values indexed 0, 1, 2, …
 *
 * Keeps only k, Σr and Σj·r (Σj and Σj² have closed forms), so a run of any length costs
 * O(1) memory and O(1) time per value. Ordinary least squares as in any regression text
 * (e.g. N. R. Draper, H. Smith, "Applied Regression Analysis", 3rd ed., Wiley, 1998, ch. 1).
 * Fails only numerically, for runs far beyond 1e6 values.
 */

/** Sufficient statistics of a run: count, Σr and Σ j·r (j from 0). */
export interface LineSums {
  k: number;
  sumR: number;
  sumJR: number;
}

/** Appends value `r` (index k) to `sums` in place. */
export function pushLine(sums: LineSums, r: number): void {
  sums.sumJR += sums.k * r;
  sums.sumR += r;
  sums.k += 1;
}

/** Fitted line r_j = intercept + slope·j, and its value at the last index. */
export interface LineFit {
  readonly intercept: number;
  readonly slope: number;
  readonly end: number;
}

/**
 * Least-squares fit of the run; slope 0 for a single value.
 * @example fitLine({ k: 3, sumR: 6, sumJR: 8 }) // { intercept: 1, slope: 1, end: 3 }  (values 1, 2, 3)
 */
export function fitLine(sums: Readonly<LineSums>): LineFit {
  const { k, sumR, sumJR } = sums;
  if (k <= 0) return { intercept: 0, slope: 0, end: 0 };
  const sumJ = (k * (k - 1)) / 2;
  const sumJJ = ((k - 1) * k * (2 * k - 1)) / 6;
  const denom = k * sumJJ - sumJ * sumJ;
  const slope = denom > 0 ? (k * sumJR - sumJ * sumR) / denom : 0;
  const intercept = (sumR - slope * sumJ) / k;
  return { intercept, slope, end: intercept + slope * (k - 1) };
}
