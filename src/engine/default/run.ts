import { ewmaStep } from '../stats/ewma.js';
import { fitLine, type LineSums, pushLine } from '../stats/line-fit.js';

/**
 * A run of consecutive same-sign residuals beyond ±runZ sigmas, kept as O(1) sufficient
 * statistics. When a run is long and large enough it is a lasting change: a least-squares
 * line through it tells a level shift (flat line) from a trend change (the slope explains
 * the end offset and the line fits within a few sigmas). This is a run test in the spirit
 * of the Western Electric zone rules (Western Electric Co., "Statistical Quality Control
 * Handbook", 1956) with a regression classifier on top.
 * Cost: O(1) time, 7 numbers.
 */
export interface RunState {
  k: number;
  sign: number;
  sumR: number;
  sumJR: number;
  sumZ: number;
  sumRR: number;
  /** EWMA of the run's residuals (its recent level). */
  recent: number;
}

/** A confirmed lasting change: where the run ends (residual units) and its slope per sample. */
export interface RunChange {
  readonly trend: boolean;
  readonly end: number;
  readonly slope: number;
}

/** Thresholds of the run test. */
export interface RunParams {
  readonly runZ: number;
  readonly confirmZ: number;
  readonly trendShare: number;
  readonly trendFit: number;
}

/** Weight of the newest residual in the run's recent-level EWMA. */
const RECENT_ALPHA = 0.3;

export function emptyRun(): RunState {
  return { k: 0, sign: 0, sumR: 0, sumJR: 0, sumZ: 0, sumRR: 0, recent: 0 };
}

/** The run after one more residual `r` with standardised value `z` (a new object; `run` untouched). */
export function extendRun(run: Readonly<RunState>, r: number, z: number, p: RunParams): RunState {
  const sign = z > p.runZ ? 1 : z < -p.runZ ? -1 : 0;
  if (sign === 0) return emptyRun();
  const base = sign === run.sign ? run : emptyRun();
  const sums: LineSums = { k: base.k, sumR: base.sumR, sumJR: base.sumJR };
  pushLine(sums, r);
  return {
    k: sums.k,
    sign,
    sumR: sums.sumR,
    sumJR: sums.sumJR,
    sumZ: base.sumZ + Math.abs(z),
    sumRR: base.sumRR + r * r,
    recent: base.k === 0 ? r : ewmaStep(base.recent, r, RECENT_ALPHA),
  };
}

/**
 * The change a run confirms, or null.
 * @param minLength - samples the run must last
 * @param sigma - residual scale, for the line-fit test
 */
export function confirmedChange(
  run: Readonly<RunState>,
  minLength: number,
  sigma: number,
  p: RunParams,
): RunChange | null {
  if (run.k < minLength || run.k === 0 || run.sumZ / run.k < p.confirmZ) return null;
  const fit = fitLine(run);
  const { k, sumR, sumJR, sumRR } = run;
  const sumJ = (k * (k - 1)) / 2;
  const sumJJ = ((k - 1) * k * (2 * k - 1)) / 6;
  const a = fit.intercept;
  const b = fit.slope;
  const sse = sumRR - 2 * a * sumR - 2 * b * sumJR + k * a * a + 2 * a * b * sumJ + b * b * sumJJ;
  const rmse = Math.sqrt(Math.max(0, sse / k));
  const trend = Math.abs(b * (k - 1)) > p.trendShare * Math.abs(fit.end) && rmse < p.trendFit * sigma;
  return { trend, end: trend ? fit.end : run.recent, slope: b };
}
