/**
 * Exponentially weighted moving average step (Roberts, 1959, "Control chart tests based on
 * geometric moving averages", Technometrics 1(3)). O(1) time and memory.
 *
 * @param mean - current average
 * @param x - new value
 * @param alpha - weight of the new value in (0, 1]
 * @returns mean + alpha·(x − mean)
 * @example ewmaStep(10, 20, 0.1) // 11
 */
export function ewmaStep(mean: number, x: number, alpha: number): number {
  return mean + alpha * (x - mean);
}
