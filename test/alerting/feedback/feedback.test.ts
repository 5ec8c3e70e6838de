/** "Not an anomaly" feedback: the marked deviation, band widening, suppression, expiry, revocation. */
import { describe, expect, it } from 'vitest';
import { applyFeedback, type Feedback, markedDeviation } from '../../../src/alerting/feedback/feedback.js';

const rule = (over: Partial<Feedback> = {}): Feedback => ({
  id: 'f1',
  seriesId: 's1',
  alertId: null,
  anomalyIds: ['a1'],
  scope: 'series',
  side: 'above',
  ratio: 4,
  createdBy: 'ann',
  reason: 'nightly batch job',
  createdAt: 0,
  expiresAt: 1000,
  revokedAt: null,
  revokedBy: null,
  ...over,
});

describe('feedback', () => {
  it('measures the marked deviation against the band half-width on its side', () => {
    expect(markedDeviation({ value: 140, expected: 100, lower: 95, upper: 110 })).toEqual({
      side: 'above',
      ratio: 4,
    });
    expect(markedDeviation({ value: 80, expected: 100, lower: 90, upper: 130 })).toEqual({
      side: 'below',
      ratio: 2,
    });
  });

  it('widens the band on the marked side and makes deviations within it normal', () => {
    const verdict = { expected: 100, lower: 95, upper: 110, anomalous: true };
    // 4 × 1.25 × 10 above the expected value: upper 150.
    expect(applyFeedback(verdict, 145, [rule()], 10)).toEqual({
      lower: 95,
      upper: 150,
      anomalous: false,
      suppressedBy: 'f1',
    });
    // Beyond the widened band, or on the other side: still an anomaly.
    expect(applyFeedback(verdict, 160, [rule()], 10).anomalous).toBe(true);
    expect(applyFeedback(verdict, 60, [rule()], 10)).toMatchObject({
      lower: 95,
      anomalous: true,
      suppressedBy: null,
    });
    // A normal sample keeps its verdict but shows the widened band.
    expect(applyFeedback({ ...verdict, anomalous: false }, 101, [rule()], 10)).toEqual({
      lower: 95,
      upper: 150,
      anomalous: false,
      suppressedBy: null,
    });
  });

  it('stops applying when it expires or is revoked, and point scope never widens', () => {
    const verdict = { expected: 100, lower: 95, upper: 110, anomalous: true };
    expect(applyFeedback(verdict, 145, [rule()], 1000).anomalous).toBe(true);
    expect(applyFeedback(verdict, 145, [rule({ revokedAt: 5, revokedBy: 'bob' })], 10).anomalous).toBe(true);
    expect(applyFeedback(verdict, 145, [rule({ scope: 'point', expiresAt: null })], 10)).toMatchObject({
      upper: 110,
      anomalous: true,
    });
  });
});
