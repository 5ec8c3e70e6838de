import type { Severity } from '../model/types.js';

const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Rank of a severity, 0 (info) to 4 (critical). */
export function severityRank(s: Severity): number {
  return ORDER.indexOf(s);
}

/** The more severe of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** Options of {@link severityFor}. */
export interface SeverityOptions {
  /** Score at or above which an anomaly is critical at once. */
  readonly criticalScore: number;
}

/**
 * Severity of an alert from its peak anomaly score, its confidence and how long it has lasted.
 * Score bands: ≥ criticalScore critical, ≥ 0.99 high, ≥ 0.9 medium, else low; a confidence
 * under 0.5 lowers one step (down to info); lasting ≥ 10 min raises one step and ≥ 60 min two.
 * @param score peak anomaly score in [0, 1]
 * @param confidence in [0, 1]
 * @param durationMs event time from first to latest anomaly, ms
 */
export function severityFor(
  score: number,
  confidence: number,
  durationMs: number,
  options: SeverityOptions,
): Severity {
  let rank = score >= options.criticalScore ? 4 : score >= 0.99 ? 3 : score >= 0.9 ? 2 : 1;
  if (confidence < 0.5) rank -= 1;
  if (durationMs >= 3_600_000) rank += 2;
  else if (durationMs >= 600_000) rank += 1;
  return ORDER[Math.max(0, Math.min(4, rank))] as Severity;
}
