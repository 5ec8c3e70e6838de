/**
 * "Not an anomaly" feedback: a person marks an anomaly (or every anomaly of an alert) as a
 * false positive, for that point only or for the whole series for N days. Recorded with who
 * and why, reversible (revoked, never deleted).
 *
 * Effect of a series-scoped feedback while it lasts: the series' expected band is widened on
 * the marked side to the deviation that was marked (relative to the band's half-width, with
 * {@link TOLERANCE_MARGIN} to spare), and samples inside the widened band are not anomalous.
 * The points stored carry the widened band, so the effect is visible on the chart. Deviations
 * larger than the marked one, or on the other side, are still flagged. This is the
 * relevance-feedback step of interactive anomaly detection (the user's label moves the
 * decision boundary for that pattern; see Das et al., "Incorporating expert feedback into
 * active anomaly discovery", ICDM 2016), kept simple and auditable.
 *
 * Pure: applying is a function of the verdict, the rules and the time.
 */
import type { Verdict } from '../../engine/index.js';

/** Scope of a feedback: the marked anomalies only, or the series for `days`. */
export type FeedbackScope = 'point' | 'series';

/** Which side of the band the marked deviation was on. */
export type FeedbackSide = 'above' | 'below';

/** A recorded feedback. Times are Unix ms (wall time of the request). */
export interface Feedback {
  readonly id: string;
  readonly seriesId: string;
  /** The alert it was given on, if any. */
  readonly alertId: string | null;
  /** Marked anomaly ids (the one given, or every anomaly of the alert), at most 1000. */
  readonly anomalyIds: readonly string[];
  readonly scope: FeedbackScope;
  /** Side of the largest marked deviation. */
  readonly side: FeedbackSide;
  /**
   * Largest marked deviation |value − expected| over the band's half-width on that side
   * (1 = at the band edge). Series scope: samples up to `ratio × TOLERANCE_MARGIN` are normal.
   */
  readonly ratio: number;
  readonly createdBy: string;
  readonly reason: string;
  readonly createdAt: number;
  /** Series scope: when it stops applying; point scope: null. */
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

/** Headroom over the marked deviation within which later samples count as normal. */
export const TOLERANCE_MARGIN = 1.25;

/** The marked deviation of one anomaly: side and ratio to the band half-width on that side. */
export function markedDeviation(a: {
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
}): { readonly side: FeedbackSide; readonly ratio: number } {
  const side: FeedbackSide = a.value >= a.expected ? 'above' : 'below';
  const half = side === 'above' ? a.upper - a.expected : a.expected - a.lower;
  const dev = Math.abs(a.value - a.expected);
  const ratio = half > 0 && Number.isFinite(half) ? dev / half : 1;
  return { side, ratio: Math.max(1, Number.isFinite(ratio) ? ratio : 1) };
}

/** Whether a feedback widens its series' band at `now`. */
export function feedbackActive(f: Feedback, now: number): boolean {
  return f.scope === 'series' && f.revokedAt === null && f.expiresAt !== null && now < f.expiresAt;
}

/** A verdict after feedback: the band as shown and whether the sample is still anomalous. */
export interface AdjustedVerdict {
  readonly lower: number;
  readonly upper: number;
  readonly anomalous: boolean;
  /** Id of the feedback that made an anomalous sample normal, or null. */
  readonly suppressedBy: string | null;
}

/**
 * Applies the active series feedback to a detector verdict.
 * @param value the sample's value
 * @param rules the series' feedback (inactive ones are ignored)
 * @param now wall time of the record being applied, Unix ms
 */
export function applyFeedback(
  verdict: Pick<Verdict, 'expected' | 'lower' | 'upper' | 'anomalous'>,
  value: number,
  rules: readonly Feedback[],
  now: number,
): AdjustedVerdict {
  let { lower, upper } = verdict;
  let widenedBy: { above: string | null; below: string | null } = { above: null, below: null };
  for (const f of rules) {
    if (!feedbackActive(f, now)) continue;
    const e = verdict.expected;
    if (f.side === 'above') {
      const u = e + (upper - e) * f.ratio * TOLERANCE_MARGIN;
      if (u > upper) {
        upper = u;
        widenedBy = { ...widenedBy, above: f.id };
      }
    } else {
      const l = e - (e - lower) * f.ratio * TOLERANCE_MARGIN;
      if (l < lower) {
        lower = l;
        widenedBy = { ...widenedBy, below: f.id };
      }
    }
  }
  if (!verdict.anomalous) return { lower, upper, anomalous: false, suppressedBy: null };
  const side: FeedbackSide = value >= verdict.expected ? 'above' : 'below';
  const by = widenedBy[side];
  const inside = value >= lower && value <= upper;
  return inside && by !== null
    ? { lower, upper, anomalous: false, suppressedBy: by }
    : { lower, upper, anomalous: true, suppressedBy: null };
}
