/**
 * Empirical, exponentially forgetting distribution of |z| on geometric bins, used to turn a
 * residual z into a calibrated surprise: −log10 of the fraction of (recent) history whose
 * |z| was at least as large. A heavy-tailed prior worth a few samples keeps the estimate
 * finite beyond the largest |z| seen, so rarer-than-ever residuals still rank by size.
 *
 * This is a histogram estimate of the tail with exponential forgetting (the fading-window
 * idea of E. Cohen, M. J. Strauss, "Maintaining time-decaying stream aggregates", Journal
 * of Algorithms 59(1), 2006), combined with a prior as in additive (Laplace) smoothing.
 * Why: a Gaussian tail over-reacts to heavy-tailed or quantised residuals (a series whose
 * |z| is routinely 10 would alarm all the time); the empirical tail makes scores
 * comparable across series. It fails when a pattern repeats more often than the
 * forgetting horizon (1/decay samples): the repeats stop being rare.
 * Cost: at most BINS/2 additions per query (usually a handful), O(1) per update (amortised),
 * BINS + 2 numbers.
 */
export const BINS = 64;
const FIRST_EDGE = 0.25;
const RATIO = 1.25;
const LOG_RATIO = Math.log(RATIO);
/** Weights grow by 1/(1 − decay) per update instead of decaying all counts; rescaled past this. */
const RESCALE_AT = 1e12;

/** Mutable histogram state: weighted counts per bin, their sum, and the current sample weight. */
export interface TailState {
  counts: number[];
  total: number;
  weight: number;
}

/** An empty histogram. */
export function emptyTail(): TailState {
  return { counts: new Array<number>(BINS).fill(0), total: 0, weight: 1 };
}

/** Bin of |z|: 0 below 0.25, then geometric with ratio 1.25; the last bin is open-ended. */
export function binOf(z: number): number {
  const a = Math.abs(z);
  if (a < FIRST_EDGE) return 0;
  const b = 1 + Math.floor(Math.log(a / FIRST_EDGE) / LOG_RATIO);
  return Math.min(b, BINS - 1);
}

function lowerEdge(b: number): number {
  return b === 0 ? 0 : FIRST_EDGE * RATIO ** (b - 1);
}

/**
 * Surprise of |z| in decades: −log10 of (weighted count of |z'| ≥ |z| + prior·(1 + z²)^−k) /
 * (total + prior). Counts in z's own bin are split log-linearly; the open last bin counts whole.
 * @param tail - histogram state (not modified)
 * @param z - residual in sigmas
 * @param prior - prior weight in samples
 * @param k - prior tail exponent
 * @example tailSurprise(emptyTail(), 0, 20, 1.5) // 0
 */
export function tailSurprise(tail: Readonly<TailState>, z: number, prior: number, k: number): number {
  const { counts, total, weight } = tail;
  const a = Math.abs(z);
  const b = binOf(a);
  // Mass strictly above z's bin, summed over the shorter side (most |z| fall in low bins).
  let above = 0;
  if (b < BINS / 2) {
    let below = 0;
    for (let i = 0; i <= b; i++) below += counts[i] ?? 0;
    above = Math.max(0, total - below);
  } else {
    for (let i = b + 1; i < BINS; i++) above += counts[i] ?? 0;
  }
  const inBin = counts[b] ?? 0;
  if (inBin > 0) {
    if (b === 0) above += inBin * (1 - a / FIRST_EDGE);
    else if (b < BINS - 1) above += inBin * (1 - Math.log(a / lowerEdge(b)) / LOG_RATIO);
    else above += inBin;
  }
  const w = prior * weight;
  const logPrior = -k * Math.log1p(a * a);
  const p = (above + w * Math.exp(logPrior)) / (total + w);
  if (p > 0) return -Math.log10(p);
  return -(Math.log(w / (total + w)) + logPrior) / Math.LN10;
}

/** Adds |z| to `tail` in place, forgetting older samples at rate `decay` per update. */
export function learnTail(tail: TailState, z: number, decay: number): void {
  tail.weight /= 1 - decay;
  const b = binOf(z);
  tail.counts[b] = (tail.counts[b] ?? 0) + tail.weight;
  tail.total += tail.weight;
  if (tail.weight > RESCALE_AT) {
    const k = 1 / tail.weight;
    for (let i = 0; i < BINS; i++) tail.counts[i] = (tail.counts[i] ?? 0) * k;
    tail.total *= k;
    tail.weight = 1;
  }
}
