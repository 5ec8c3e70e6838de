/**
 * Online estimate of the typical sampling interval of an irregular series.
 *
 * A stochastic-approximation median (Robbins & Monro, 1951, "A Stochastic Approximation
 * Method", Annals of Mathematical Statistics 22(3)): far from the estimate it moves by a
 * fixed 2% step towards the new interval, so gaps and bursts only nudge it; near it
 * (within 10%) it averages, so a regular grid is recovered exactly.
 * Works for any positive interval distribution with a clear mode; a bimodal sampler gets
 * one of its modes. Cost O(1) time and memory per sample.
 *
 * @param current - current estimate in ms, 0 when none yet
 * @param dt - newly observed positive interval in ms
 * @returns the new estimate in ms
 * @example nextPeriod(300_000, 300_000) // 300000
 */
export function nextPeriod(current: number, dt: number): number {
  if (!(dt > 0)) return current;
  if (current <= 0) return dt;
  const diff = dt - current;
  if (Math.abs(diff) <= 0.1 * current) return current + 0.2 * diff;
  return diff > 0 ? current * 1.02 : current / 1.02;
}
