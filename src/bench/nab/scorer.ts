/**
 * NAB v1.x scoring, written from the rules in `shared/nab/README.md` (sections 1–7).
 *
 * References: A. Lavin, S. Ahmad, "Evaluating Real-time Anomaly Detection Algorithms – the
 * Numenta Anomaly Benchmark", IEEE ICMLA 2015 (arXiv:1510.03336); S. Ahmad, A. Lavin,
 * S. Purdy, Z. Agha, "Unsupervised real-time anomaly detection for streaming data",
 * Neurocomputing 262 (2017) 134–147.
 *
 * The threshold is optimised by an exact exhaustive sweep: rows are visited in decreasing
 * score, each distinct score is one candidate, and the raw score is updated incrementally
 * (a false alarm adds its own value; a window is worth its best detected row), so one
 * sweep costs O(N log N) for N scored rows. Ties go to the higher threshold.
 */

/** Weights of one NAB application profile. */
export interface NabProfile {
  readonly name: string;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/** The three NAB profiles (README section 4). */
export const NAB_PROFILES: readonly NabProfile[] = Object.freeze([
  { name: 'standard', tp: 1, fp: 0.11, fn: 1, tn: 1 },
  { name: 'reward_low_FP_rate', tp: 1, fp: 0.22, fn: 1, tn: 1 },
  { name: 'reward_low_FN_rate', tp: 1, fp: 0.11, fn: 2, tn: 1 },
]);

/** Threshold reported for "detect nothing". */
export const NO_DETECTION = 1.1;

/** Scaled sigmoid σ(y) = 2/(1+e^(5y)) − 1 for y ≤ 3, −1 beyond (README section 3). */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

/** Rows not scored at the start of a file of n rows: min(floor(0.15 n), 750). */
export function probationRows(n: number): number {
  return Math.min(Math.floor(0.15 * n), 750);
}

/** One file ready for scoring. Windows are inclusive row ranges [L, R], sorted, disjoint. */
export interface NabFile {
  readonly name: string;
  readonly scores: ArrayLike<number>;
  readonly windows: readonly (readonly [number, number])[];
  /** Rows 0..probation−1 are not scored; defaults to {@link probationRows}. */
  readonly probation?: number;
}

/** Row counts at a threshold (informational; they do not enter the score). */
export interface NabCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Score of a set of files for one profile. */
export interface NabSetScore {
  readonly profile: string;
  readonly threshold: number;
  readonly raw: number;
  readonly nullRaw: number;
  readonly perfect: number;
  /** 100·(raw − null)/(perfect − null); null when perfect equals null (a set without windows). */
  readonly normalized: number | null;
  readonly counts: NabCounts;
}

/**
 * Geometry of a file: for each scored row, which window it is in (or −1), and its
 * unweighted sigmoid value: σ(y)/σ(−1) inside a window, σ(y) after one, −1 before any.
 */
interface Geometry {
  readonly first: number;
  readonly window: Int32Array;
  readonly unit: Float64Array;
  /** Windows with at least one scored row. */
  readonly liveWindows: number;
  readonly windows: number;
}

const SIGMA_MINUS_ONE = scaledSigmoid(-1);

function geometry(file: NabFile): Geometry {
  const n = file.scores.length;
  const first = Math.min(file.probation ?? probationRows(n), n);
  const window = new Int32Array(n).fill(-1);
  const unit = new Float64Array(n);
  let live = 0;
  let w = 0;
  let prev: readonly [number, number] | null = null;
  for (let i = 0; i < n; i++) {
    const cur = file.windows[w];
    if (cur !== undefined && i > cur[1]) {
      prev = cur;
      w += 1;
      i -= 1;
      continue;
    }
    if (cur !== undefined && i >= cur[0]) {
      const width = cur[1] - cur[0] + 1;
      window[i] = w;
      unit[i] = scaledSigmoid(-(cur[1] - i + 1) / width) / SIGMA_MINUS_ONE;
    } else if (prev !== null) {
      const width = prev[1] - prev[0] + 1;
      unit[i] = scaledSigmoid((i - prev[1]) / (width - 1));
    } else {
      unit[i] = -1;
    }
  }
  for (const [l, r] of file.windows) if (r >= first && l < n) live += 1;
  return { first, window, unit, liveWindows: live, windows: file.windows.length };
}

function rowValue(unit: number, inWindow: boolean, profile: NabProfile): number {
  return inWindow ? profile.tp * unit : profile.fp * unit;
}

/** Raw score and counts of one file at threshold θ (direct evaluation, no sweep). */
export function scoreFile(
  file: NabFile,
  profile: NabProfile,
  threshold: number,
): { raw: number; counts: NabCounts } {
  const g = geometry(file);
  const best = new Float64Array(g.windows).fill(Number.NEGATIVE_INFINITY);
  const live = new Uint8Array(g.windows);
  const counts: NabCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  let raw = 0;
  for (let i = g.first; i < file.scores.length; i++) {
    const w = g.window[i] ?? -1;
    const detected = (file.scores[i] ?? 0) >= threshold;
    if (w >= 0) {
      live[w] = 1;
      if (detected) {
        counts.tp += 1;
        const v = rowValue(g.unit[i] ?? 0, true, profile);
        if (v > (best[w] ?? 0)) best[w] = v;
      } else counts.fn += 1;
    } else if (detected) {
      counts.fp += 1;
      raw += rowValue(g.unit[i] ?? 0, false, profile);
    } else counts.tn += 1;
  }
  for (let w = 0; w < g.windows; w++) {
    if (!live[w]) continue;
    const b = best[w] ?? Number.NEGATIVE_INFINITY;
    raw += b === Number.NEGATIVE_INFINITY ? -profile.fn : b;
  }
  return { raw, counts };
}

function addCounts(a: NabCounts, b: NabCounts): NabCounts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn };
}

/**
 * Scores a set of files for one profile with its optimal shared threshold.
 * @param files - the set (corpus, a category, or one file)
 * @param profile - NAB weights
 * @returns threshold, raw, null and perfect scores, the normalised score, and row counts
 */
export function scoreSet(files: readonly NabFile[], profile: NabProfile): NabSetScore {
  const geos = files.map(geometry);
  // Flatten scored rows: score, file, row.
  let total = 0;
  for (let f = 0; f < files.length; f++)
    total += Math.max(0, (files[f]?.scores.length ?? 0) - (geos[f]?.first ?? 0));
  const rowScore = new Float64Array(total);
  const rowValueArr = new Float64Array(total);
  const rowWindow = new Int32Array(total);
  let windowBase = 0;
  let liveWindows = 0;
  let allWindows = 0;
  let k = 0;
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    const g = geos[f]!;
    for (let i = g.first; i < file.scores.length; i++) {
      const w = g.window[i] ?? -1;
      rowScore[k] = file.scores[i] ?? 0;
      rowWindow[k] = w >= 0 ? windowBase + w : -1;
      rowValueArr[k] = rowValue(g.unit[i] ?? 0, w >= 0, profile);
      k += 1;
    }
    windowBase += g.windows;
    liveWindows += g.liveWindows;
    allWindows += g.windows;
  }
  const order = Array.from({ length: total }, (_, i) => i).sort(
    (a, b) => (rowScore[b] ?? 0) - (rowScore[a] ?? 0),
  );
  const best = new Float64Array(windowBase).fill(-profile.fn);
  let raw = -profile.fn * liveWindows + 0; // + 0 turns −0 into 0
  let bestRaw = raw;
  let bestThreshold = NO_DETECTION;
  for (let j = 0; j < order.length; ) {
    const s = rowScore[order[j]!] ?? 0;
    while (j < order.length && rowScore[order[j]!] === s) {
      const row = order[j]!;
      const w = rowWindow[row] ?? -1;
      const v = rowValueArr[row] ?? 0;
      if (w < 0) raw += v;
      else if (v > (best[w] ?? 0)) {
        raw += v - (best[w] ?? 0);
        best[w] = v;
      }
      j += 1;
    }
    if (raw > bestRaw) {
      bestRaw = raw;
      bestThreshold = s;
    }
  }
  const nullNothing = -profile.fn * liveWindows + 0;
  // "Detect every scored row" is the value of the sweep after the last candidate.
  const nullRaw = order.length > 0 ? Math.max(nullNothing, raw) : nullNothing;
  const perfect = profile.tp * allWindows;
  let counts: NabCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const file of files) counts = addCounts(counts, scoreFile(file, profile, bestThreshold).counts);
  const normalized = perfect === nullRaw ? null : (100 * (bestRaw - nullRaw)) / (perfect - nullRaw);
  return {
    profile: profile.name,
    threshold: bestThreshold,
    raw: bestRaw,
    nullRaw,
    perfect,
    normalized,
    counts,
  };
}
