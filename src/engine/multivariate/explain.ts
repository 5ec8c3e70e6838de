import type { FingerprintVerdict } from './detector.js';
import type { Fingerprint, FingerprintFeature } from './fingerprint.js';

const UNIT: Record<FingerprintFeature, (v: number) => string> = {
  request_rate: (v) => `${round(v)} req/s`,
  error_rate: (v) => `${round(100 * v)} %`,
  latency_p50: (v) => `${round(v)} ms`,
  latency_p90: (v) => `${round(v)} ms`,
  latency_p99: (v) => `${round(v)} ms`,
};

function round(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * One sentence for a flagged fingerprint: the features carrying at least `minWeight` of
 * the anomaly (at most three), each with its value and expected value. O(features).
 *
 * @example
 * ```ts
 * explainFingerprint(fp, verdict);
 * // 'checkout fingerprint anomalous (score 0.93): error_rate 18 % (expected 0.42 %), latency_p99 412 ms (expected 180 ms)'
 * ```
 */
export function explainFingerprint(fp: Fingerprint, verdict: FingerprintVerdict, minWeight = 0.15): string {
  const parts = verdict.contributions
    .filter((c, i) => i === 0 || c.weight >= minWeight)
    .slice(0, 3)
    .map((c) => {
      const value = fp.features[c.feature];
      const expected = verdict.expected[c.feature];
      const fmt = UNIT[c.feature];
      const v = value === null ? 'none' : fmt(value);
      return expected === null ? `${c.feature} ${v}` : `${c.feature} ${v} (expected ${fmt(expected)})`;
    });
  const state = verdict.anomalous ? 'anomalous' : 'normal';
  return `${fp.service} fingerprint ${state} (score ${round(verdict.score)}): ${parts.join(', ')}`;
}
