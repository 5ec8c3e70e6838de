/**
 * Numeric inversion of a monotone function by bisection.
 *
 * Used once per detector construction (never per point) to turn a score threshold
 * into the residual z at which it is reached, so the expected band and the decision
 * threshold agree. Cost: `iterations` evaluations of `f`; no memory.
 */

/**
 * Finds x in [lo, hi] with f(x) ≈ target for a non-decreasing f.
 * @param f - non-decreasing function on [lo, hi]
 * @param target - value to reach
 * @param lo - lower end of the bracket
 * @param hi - upper end of the bracket
 * @param iterations - bisection steps, default 80 (ample for doubles)
 * @returns the midpoint of the final bracket; `lo` or `hi` when target is outside f's range there
 * @example bisect((x) => x * x, 2, 0, 2) // ≈ 1.4142135623730951
 */
export function bisect(
  f: (x: number) => number,
  target: number,
  lo: number,
  hi: number,
  iterations = 80,
): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < iterations; i++) {
    const mid = 0.5 * (a + b);
    if (f(mid) < target) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}
