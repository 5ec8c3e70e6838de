/**
 * Visualization-oriented decimation for line charts: M4 (Jugel, Jerzak, Hackenbroich, Markl,
 * 2014, "M4: A Visualization-Oriented Time Series Data Aggregation", PVLDB 7(10)). For each
 * pixel column it keeps the first, last, minimum and maximum sample, which renders the same
 * line as all samples (at that width) with at most 4 samples per column.
 *
 * Cost: O(n) time over the samples in view, O(columns) memory. Works on any sorted series;
 * gives no reduction when there are fewer than ~4 samples per column (callers skip it then).
 */

/**
 * Indices of the samples to draw.
 * @param ts - sample times, sorted ascending.
 * @param vs - sample values (same length as `ts`).
 * @param from - first index in view (inclusive); one sample either side is kept so lines reach the edges.
 * @param to - last index in view (exclusive).
 * @param min - view start (same unit as `ts`).
 * @param max - view end; must be greater than `min`.
 * @param columns - number of pixel columns (≥ 1).
 * @returns ascending, unique indices into `ts`/`vs`.
 * @example m4Indices([0, 1, 2, 3, 4, 5], [5, 1, 9, 2, 8, 3], 0, 6, 0, 6, 1) // [0, 1, 2, 5]
 */
export function m4Indices(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  min: number,
  max: number,
  columns: number,
): number[] {
  const out: number[] = [];
  if (from > 0) out.push(from - 1);
  const scale = columns / (max - min);
  let col = -1;
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (first < 0) return;
    const picked = [first, lo, hi, last].sort((a, b) => a - b);
    for (const i of picked) if (out[out.length - 1] !== i) out.push(i);
  };
  for (let i = from; i < to; i++) {
    const c = Math.min(columns - 1, Math.max(0, Math.floor(((ts[i] as number) - min) * scale)));
    const v = vs[i] as number;
    if (c !== col) {
      flush();
      col = c;
      first = last = lo = hi = i;
    } else {
      last = i;
      if (v < (vs[lo] as number)) lo = i;
      if (v > (vs[hi] as number)) hi = i;
    }
  }
  flush();
  if (to < ts.length && out[out.length - 1] !== to) out.push(to);
  return out;
}
