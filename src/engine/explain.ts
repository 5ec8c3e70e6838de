import type { Verdict } from './types.js';

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(a >= 100 ? 4 : 3)));
}

/**
 * One-sentence, human-readable explanation of a verdict.
 *
 * @param verdict - what a detector returned
 * @param unit - optional unit appended to values (e.g. `ms`)
 * @returns a sentence such as `value 245 ms is 3.06× above expected 80 ms (band 60–100 ms): spike`
 * @example
 * explainVerdict({ t: 0, value: 245, expected: 80, lower: 60, upper: 100, score: 0.9,
 *   anomalous: true, type: 'spike', component: 'noise', confidence: 0.8, warmup: 1 }, 'ms')
 * // 'value 245 ms is 3.06× above expected 80 ms (band 60–100 ms): spike'
 */
export function explainVerdict(verdict: Verdict, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  const { value, expected, lower, upper } = verdict;
  const band = `(band ${fmt(lower)}–${fmt(upper)}${u})`;
  if (verdict.warmup < 1) {
    return `value ${fmt(value)}${u} seen while learning (${Math.floor(verdict.warmup * 100)}% warmed up); expected ${fmt(expected)}${u} ${band}`;
  }
  const above = value >= expected;
  const ratio = expected !== 0 && Math.sign(expected) === Math.sign(value) ? value / expected : Number.NaN;
  let how: string;
  if (Number.isFinite(ratio) && ratio >= 1.5) how = `${fmt(ratio)}× above`;
  else if (Number.isFinite(ratio) && ratio > 0 && ratio <= 1 / 1.5) how = `${fmt(1 / ratio)}× below`;
  else how = `${fmt(Math.abs(value - expected))}${u} ${above ? 'above' : 'below'}`;
  const head = `value ${fmt(value)}${u} is ${how} expected ${fmt(expected)}${u} ${band}`;
  if (!verdict.anomalous) return `${head}: normal (score ${fmt(verdict.score)})`;
  return `${head}: ${(verdict.type ?? 'outlier').replace('_', ' ')}`;
}
