/** The alert-quality report from hand-made rows: flaps, quick auto-resolves, time to ack, per receiver, noisiest series. */
import { describe, expect, it } from 'vitest';
import { alertQualityReport } from '../../../src/alerting/quality/report.js';
import type { AlertQualityData } from '../../../src/store/types.js';

const MIN = 60_000;
const alert = (
  id: string,
  seriesId: string,
  startsAt: number,
  resolvedAt: number | null,
  acknowledgedAt: number | null = null,
) => ({
  id,
  seriesId,
  service: seriesId === 'noisy' ? 'api' : 'db',
  endpoint: '/x',
  metric: 'latency_ms',
  status: resolvedAt === null ? 'firing' : 'resolved',
  severity: 'high',
  startsAt,
  resolvedAt,
  acknowledgedAt,
});

const DATA: AlertQualityData = {
  alerts: [
    alert('1', 'noisy', 0, 2 * MIN), // auto-resolved in 2 min
    alert('2', 'noisy', 10 * MIN, 13 * MIN), // flap: 8 min after 1 resolved; auto-resolved in 3 min
    alert('3', 'noisy', 100 * MIN, 200 * MIN, 104 * MIN), // not a flap (87 min later); acked after 4 min
    alert('4', 'calm', 50 * MIN, null, 60 * MIN), // acked after 10 min
  ],
  autoResolved: ['1', '2'],
  earlierResolved: [{ seriesId: 'calm', resolvedAt: 45 * MIN }], // 4 flaps too: 5 min after an earlier alert
  deliveries: [
    { id: 'ops:g:1', receiver: 'ops', status: 'delivered', attempts: 1, createdAt: 0, alertId: '1' },
    { id: 'ops:g:2', receiver: 'ops', status: 'delivered', attempts: 1, createdAt: 10 * MIN, alertId: '2' },
    { id: 'ops:g:3', receiver: 'ops', status: 'delivered', attempts: 2, createdAt: 100 * MIN, alertId: '3' },
    { id: 'ops:g:3', receiver: 'ops', status: 'delivered', attempts: 2, createdAt: 100 * MIN, alertId: '4' },
    { id: 'pd:4:1', receiver: 'pd', status: 'failed', attempts: 8, createdAt: 50 * MIN, alertId: '4' },
  ],
  feedback: [{ seriesId: 'noisy', alertId: '2' }],
};

describe('alertQualityReport', () => {
  it('computes noise figures in total, per receiver and per series', () => {
    const r = alertQualityReport(DATA, { from: 0, to: 300 * MIN });
    expect(r.total).toEqual({
      alerts: 4,
      notificationsSent: 3,
      notificationsFailed: 1,
      flapRate: 0.5,
      quickAutoResolveShare: 0.5,
      acknowledged: 2,
      timeToAckMedianMs: 4 * MIN,
      timeToAckP90Ms: 10 * MIN,
      falsePositives: 1,
    });
    expect(
      r.receivers.map((x) => [x.receiver, x.alerts, x.notificationsSent, x.notificationsFailed]),
    ).toEqual([
      ['ops', 4, 3, 0],
      ['pd', 1, 0, 1],
    ]);
    expect(r.noisiestSeries.map((s) => [s.seriesId, s.notificationsSent, s.alerts, s.flapRate])).toEqual([
      ['noisy', 3, 3, 1 / 3],
      ['calm', 1, 1, 1],
    ]);
  });

  it('uses the flap and quick-resolve windows it is given, and reports nulls without alerts', () => {
    const r = alertQualityReport(DATA, { from: 0, to: 1, flapWindowMs: 4 * MIN, quickResolveMs: MIN });
    expect(r.total.flapRate).toBe(0);
    expect(r.total.quickAutoResolveShare).toBe(0);
    const empty = alertQualityReport(
      { alerts: [], autoResolved: [], earlierResolved: [], deliveries: [], feedback: [] },
      { from: 0, to: 1 },
    );
    expect(empty.total).toMatchObject({ alerts: 0, flapRate: null, timeToAckMedianMs: null });
    expect(empty.noisiestSeries).toEqual([]);
  });
});
