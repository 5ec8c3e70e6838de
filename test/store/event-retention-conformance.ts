/**
 * Conformance cases for the event retention of {@link Store.prune}: what goes (old resolved
 * alerts with their history, deliveries, anomalies, incidents and feedback) and what must stay
 * (open alerts and incidents, their anomalies, pending deliveries, recent rows, active feedback).
 * Run by `describeStore` against every implementation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Retention, Store } from '../../src/store/types.js';
import { alert, alertEvent, anomaly, batch, delivery, feedback, incident, series } from './records.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wall time of the prune. */
const NOW = 400 * DAY;
const EVENTS = 90 * DAY;
/** Before the cutoff (NOW − EVENTS = day 310). */
const OLD = 300 * DAY;
/** After the cutoff. */
const RECENT = 350 * DAY;

const retention = (nowMs: number): Retention => ({
  pointsMs: DAY,
  logsPerService: 10,
  eventsMs: EVENTS,
  nowMs,
});

/** Rows on both sides of the cutoff, each named after what should become of it. */
const rows = batch({
  alerts: [
    alert({
      id: 'old',
      status: 'resolved',
      startsAt: OLD,
      lastAnomalyAt: OLD,
      resolvedAt: OLD + HOUR,
      incidentId: 'inc-old',
    }),
    alert({ id: 'open', status: 'firing', startsAt: OLD, lastAnomalyAt: OLD, incidentId: 'inc-open' }),
    alert({ id: 'acked', status: 'acknowledged', startsAt: OLD, acknowledgedAt: OLD, acknowledgedBy: 'bob' }),
    // Started before the cutoff, resolved after it: kept whole.
    alert({ id: 'late', status: 'resolved', startsAt: OLD, resolvedAt: RECENT, incidentId: 'inc-late' }),
    alert({ id: 'fresh', status: 'resolved', startsAt: RECENT, resolvedAt: RECENT + HOUR }),
  ],
  alertEvents: [
    alertEvent({ alertId: 'old', seq: 1, at: OLD }),
    alertEvent({ alertId: 'old', seq: 2, at: OLD + HOUR, action: 'auto_resolved', status: 'resolved' }),
    alertEvent({ alertId: 'open', seq: 1, at: OLD }),
    alertEvent({ alertId: 'late', seq: 1, at: OLD }),
  ],
  anomalies: [
    anomaly({ id: '1-0', alertId: 'old', t: OLD }),
    anomaly({ id: '1-1', alertId: 'open', t: OLD }),
    anomaly({ id: '1-2', alertId: 'acked', t: OLD }),
    anomaly({ id: '1-3', alertId: 'late', t: OLD }),
    anomaly({ id: '1-4', alertId: null, t: OLD }),
    anomaly({ id: '1-5', alertId: 'fresh', t: RECENT }),
    anomaly({ id: '2-0', alertId: null, t: RECENT }),
  ],
  deliveries: [
    delivery({ id: 'hook:old:1', alertId: 'old', status: 'delivered', attempts: 1, createdAt: OLD }),
    delivery({ id: 'hook:old:2', alertId: 'old', status: 'failed', attempts: 5, createdAt: OLD }),
    // Still retrying: the notifier must be able to finish it after a restart.
    delivery({ id: 'hook:old:3', alertId: 'old', status: 'pending', attempts: 3, createdAt: OLD }),
    delivery({ id: 'hook:open:1', alertId: 'open', status: 'delivered', attempts: 1, createdAt: OLD }),
    delivery({ id: 'hook:gone:1', alertId: 'gone', status: 'delivered', attempts: 1, createdAt: RECENT }),
  ],
  incidents: [
    incident({ id: 'inc-old', status: 'resolved', startedAt: OLD, resolvedAt: OLD + HOUR }),
    incident({ id: 'inc-open', status: 'open', startedAt: OLD }),
    // Resolved before the cutoff, but its alert `late` is kept: kept with it.
    incident({ id: 'inc-late', status: 'resolved', startedAt: OLD, resolvedAt: OLD + HOUR }),
    incident({ id: 'inc-fresh', status: 'resolved', startedAt: RECENT, resolvedAt: RECENT + HOUR }),
  ],
  feedback: [
    feedback({ id: 'fb-old', alertId: 'old', anomalyIds: ['1-0'], createdAt: OLD + HOUR }),
    feedback({ id: 'fb-active', scope: 'series', createdAt: OLD, expiresAt: NOW + DAY }),
    feedback({ id: 'fb-expired', scope: 'series', createdAt: OLD, expiresAt: OLD + DAY }),
    feedback({
      id: 'fb-revoked-late',
      scope: 'series',
      createdAt: OLD,
      expiresAt: NOW + DAY,
      revokedAt: RECENT,
      revokedBy: 'ann',
    }),
    feedback({ id: 'fb-recent', alertId: null, anomalyIds: ['2-0'], createdAt: RECENT }),
  ],
});

/** Ids of every kept row, per kind, sorted. */
function kept(store: Store): Record<string, string[]> {
  const sorted = (ids: string[]) => ids.sort();
  return {
    alerts: sorted(store.alerts({ limit: 100 }).items.map((a) => a.id)),
    anomalies: sorted(store.anomalies({ limit: 100 }).items.map((a) => a.id)),
    deliveries: sorted(store.deliveries({ limit: 100 }).map((d) => d.id)),
    incidents: sorted(store.incidents({ limit: 100 }).items.map((i) => i.id)),
    feedback: sorted(store.feedback({ limit: 100 }).map((f) => f.id)),
  };
}

const ALL = {
  alerts: ['acked', 'fresh', 'late', 'old', 'open'],
  anomalies: ['1-0', '1-1', '1-2', '1-3', '1-4', '1-5', '2-0'],
  deliveries: ['hook:gone:1', 'hook:old:1', 'hook:old:2', 'hook:old:3', 'hook:open:1'],
  incidents: ['inc-fresh', 'inc-late', 'inc-old', 'inc-open'],
  feedback: ['fb-active', 'fb-expired', 'fb-old', 'fb-recent', 'fb-revoked-late'],
};

/** Registers the event-retention cases; `store` returns the fresh store of the running case. */
export function describeEventRetention(store: () => Store): void {
  describe('event retention', () => {
    beforeEach(() => {
      store().commit(rows);
    });

    describe('after a checkpoint taken now', () => {
      beforeEach(() => {
        store().saveCheckpoint({ throughSeq: 1, takenAt: NOW, series: new Map(), pipeline: null });
        store().prune(retention(NOW));
      });

      it('deletes an old resolved alert with its history, deliveries, anomalies, incident and feedback', () => {
        const s = store();
        expect(s.getAlert('old')).toBeNull();
        expect(s.alertHistory('old')).toEqual([]);
        expect(s.alertAnomalies('old', 10)).toEqual([]);
        expect(s.deliveries({ alertId: 'old' }).map((d) => [d.id, d.status])).toEqual([
          ['hook:old:3', 'pending'],
        ]);
        expect(s.getIncident('inc-old')).toBeNull();
        expect(s.feedback({ id: 'fb-old' })).toEqual([]);
        expect(s.feedback({ anomalyId: '1-0' })).toEqual([]);
        expect(s.anomalies({ id: '1-4' }).total).toBe(0); // an old anomaly that opened no alert
        expect(s.feedback({ id: 'fb-expired' })).toEqual([]);
      });

      it('keeps open alerts, their anomalies, pending deliveries, open incidents, recent rows and active feedback', () => {
        const s = store();
        expect(kept(s)).toEqual({
          alerts: ['acked', 'fresh', 'late', 'open'],
          anomalies: ['1-1', '1-2', '1-3', '1-5', '2-0'],
          deliveries: ['hook:gone:1', 'hook:old:3', 'hook:open:1'],
          incidents: ['inc-fresh', 'inc-late', 'inc-open'],
          feedback: ['fb-active', 'fb-recent', 'fb-revoked-late'],
        });
        expect(s.alertHistory('open').map((e) => e.seq)).toEqual([1]);
        expect(s.alertHistory('late').map((e) => e.seq)).toEqual([1]);
        expect(s.alertAnomalies('open', 10).map((a) => a.id)).toEqual(['1-1']);
        expect(s.getIncident('inc-open')?.status).toBe('open');
        expect(s.feedback({ anomalyId: '2-0' }).map((f) => f.id)).toEqual(['fb-recent']);
      });

      it('deletes nothing more when pruned again at the same time', () => {
        const before = kept(store());
        store().prune(retention(NOW));
        expect(kept(store())).toEqual(before);
      });
    });

    it('measures alerts and anomalies of a backfilled series back from its newest sample, like points', () => {
      // A replayed CSV: its newest sample is on day 302 (event time), long before now (day 400).
      store().commit(
        batch({
          series: [series({ id: 'replayed', firstSeen: 200 * DAY, lastSeen: OLD + 2 * DAY })],
          alerts: [
            alert({
              id: 'r-kept',
              seriesId: 'replayed',
              status: 'resolved',
              startsAt: OLD,
              resolvedAt: OLD + HOUR,
            }),
            alert({
              id: 'r-old',
              seriesId: 'replayed',
              status: 'resolved',
              startsAt: 210 * DAY,
              resolvedAt: 210 * DAY + HOUR,
            }),
          ],
          anomalies: [
            anomaly({ id: 'r-0', seriesId: 'replayed', alertId: 'r-kept', t: OLD }),
            anomaly({ id: 'r-1', seriesId: 'replayed', alertId: null, t: OLD }),
            anomaly({ id: 'r-2', seriesId: 'replayed', alertId: null, t: 205 * DAY }),
          ],
        }),
      );
      store().saveCheckpoint({ throughSeq: 1, takenAt: NOW, series: new Map(), pipeline: null });
      store().prune(retention(NOW));
      const s = store();
      // Within 90 days of day 302: kept, though 98 days before now.
      expect(s.getAlert('r-kept')?.id).toBe('r-kept');
      expect(
        s
          .anomalies({ seriesId: 'replayed', limit: 10 })
          .items.map((a) => a.id)
          .sort(),
      ).toEqual(['r-0', 'r-1']);
      // More than 90 days before the series' newest sample: gone.
      expect(s.getAlert('r-old')).toBeNull();
      // The live series' old alert is still measured from now.
      expect(s.getAlert('old')).toBeNull();
    });

    it('deletes no event before the first checkpoint', () => {
      store().prune(retention(NOW));
      expect(kept(store())).toEqual(ALL);
    });

    it('measures from the last checkpoint when it is older than now, so a replay cannot derive a pruned row again', () => {
      // Checkpoint on day 380: cutoff day 290, before every row.
      store().saveCheckpoint({ throughSeq: 1, takenAt: OLD + 80 * DAY, series: new Map(), pipeline: null });
      store().prune(retention(NOW));
      expect(kept(store())).toEqual(ALL);
      // Checkpoint on day 400 but `now` day 385: cutoff day 295, still before every row.
      store().saveCheckpoint({ throughSeq: 2, takenAt: NOW, series: new Map(), pipeline: null });
      store().prune(retention(OLD + 85 * DAY));
      expect(kept(store())).toEqual(ALL);
      // Both on day 400: the old alert goes.
      store().prune(retention(NOW));
      expect(store().getAlert('old')).toBeNull();
    });
  });
}
