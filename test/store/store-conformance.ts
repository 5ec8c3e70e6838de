/**
 * Conformance suite for {@link Store}: every implementation (SQLite now, Redis or PostgreSQL
 * later) runs `describeStore(name, factory)` and must pass it unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { StoreUnavailableError } from '../../src/store/types.js';
import { describeEventRetention } from './event-retention-conformance.js';
import { alert, alertEvent, anomaly, batch, delivery, log, point, series } from './records.js';

/** A fresh, empty store and how to dispose of it. */
export interface StoreFixture {
  readonly store: Store;
  dispose(): void | Promise<void>;
}

export function describeStore(name: string, factory: () => StoreFixture | Promise<StoreFixture>): void {
  describe(`Store conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('starts empty', () => {
      expect(store.loadCheckpoint()).toBeNull();
      expect(store.listSeries({})).toEqual({ total: 0, items: [] });
      expect(store.getSeries('nope')).toBeNull();
      expect(store.getAlert('nope')).toBeNull();
      expect(store.points('s1', {})).toEqual([]);
      expect(store.countAlerts('firing')).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    });

    describe('series', () => {
      const all = [
        series({ id: 's1' }),
        series({ id: 's2', endpoint: '/refund', metric: 'error_rate', labels: { region: 'us-east' } }),
        series({
          id: 's3',
          service: 'search',
          endpoint: '/q',
          metric: 'latency_ms',
          labels: {},
          kind: 'host',
        }),
        series({ id: 's4', service: 'billing_50%', endpoint: '/x', metric: 'm', labels: { note: 'Alpha' } }),
      ];
      beforeEach(() => store.commit(batch({ series: all })));

      it('round-trips every field', () => {
        expect(store.getSeries('s1')).toEqual(all[0]);
        expect(store.getSeries('s3')).toEqual(all[2]);
      });

      it('upserts by id', () => {
        const updated = series({ id: 's1', lastSeen: 9_000, samples: 99, warmup: 1, lastValue: -3 });
        store.commit(batch({ series: [updated] }));
        expect(store.getSeries('s1')).toEqual(updated);
        expect(store.listSeries({}).total).toBe(4);
      });

      it('filters by service, endpoint and metric, ordered by service, endpoint, metric', () => {
        expect(store.listSeries({ service: 'checkout' }).items.map((s) => s.id)).toEqual(['s1', 's2']);
        expect(store.listSeries({ endpoint: '/refund' }).items.map((s) => s.id)).toEqual(['s2']);
        expect(store.listSeries({ metric: 'latency_ms' }).items.map((s) => s.id)).toEqual(['s1', 's3']);
        expect(
          store.listSeries({ service: 'checkout', metric: 'error_rate' }).items.map((s) => s.id),
        ).toEqual(['s2']);
        expect(store.listSeries({ service: 'nope' })).toEqual({ total: 0, items: [] });
      });

      it('searches service, endpoint, metric and label values, case-insensitively, % literal', () => {
        const ids = (search: string) => store.listSeries({ search }).items.map((s) => s.id);
        expect(ids('earc')).toEqual(['s3']); // service
        expect(ids('refu')).toEqual(['s2']); // endpoint
        expect(ids('error_')).toEqual(['s2']); // metric, `_` is literal
        expect(ids('us-east')).toEqual(['s2']); // label value
        expect(ids('alpha')).toEqual(['s4']); // label value, case-insensitive
        expect(ids('region')).toEqual([]); // label names are not values
        expect(ids('50%')).toEqual(['s4']);
        expect(ids('%')).toEqual(['s4']);
      });

      it('paginates with a total', () => {
        const page = store.listSeries({ limit: 2, offset: 1 });
        expect(page.total).toBe(4);
        expect(page.items.map((s) => s.id)).toEqual(['s1', 's2']); // after billing_50% (s4)
        expect(store.listSeries({ limit: 0 }).items).toEqual([]);
      });
    });

    describe('points', () => {
      beforeEach(() => {
        store.commit(
          batch({
            points: [
              point({ t: 3_000, value: 3 }),
              point({ t: 1_000, value: 1 }),
              point({ t: 2_000, value: 2, anomalous: true }),
              point({ t: 4_000, value: 4 }),
              point({ seriesId: 's2', t: 2_000, value: 20 }),
            ],
          }),
        );
      });

      it('returns a series oldest first with every field', () => {
        const got = store.points('s1', {});
        expect(got.map((p) => p.t)).toEqual([1_000, 2_000, 3_000, 4_000]);
        expect(got[1]).toEqual(point({ t: 2_000, value: 2, anomalous: true }));
        expect(store.points('s2', {})).toEqual([point({ seriesId: 's2', t: 2_000, value: 20 })]);
      });

      it('filters an inclusive range and keeps the newest `limit`', () => {
        expect(store.points('s1', { from: 2_000, to: 3_000 }).map((p) => p.t)).toEqual([2_000, 3_000]);
        expect(store.points('s1', { from: 3_000 }).map((p) => p.t)).toEqual([3_000, 4_000]);
        expect(store.points('s1', { to: 1_000 }).map((p) => p.t)).toEqual([1_000]);
        expect(store.points('s1', { limit: 2 }).map((p) => p.t)).toEqual([3_000, 4_000]);
        expect(store.points('s1', { to: 3_000, limit: 2 }).map((p) => p.t)).toEqual([2_000, 3_000]);
      });

      it('replaces a point with the same series and time', () => {
        store.commit(batch({ points: [point({ t: 2_000, value: 22 })] }));
        const got = store.points('s1', {});
        expect(got).toHaveLength(4);
        expect(got[1]?.value).toBe(22);
      });

      it('keeps non-finite detector outputs', () => {
        const p = point({ t: 9_000, expected: Number.NaN, lower: -Infinity, upper: Infinity });
        store.commit(batch({ points: [p] }));
        expect(store.points('s1', { from: 9_000 })).toEqual([p]);
      });
    });

    describe('anomalies', () => {
      const all = [
        anomaly({ id: '1-0', t: 1_000, severity: 'high', type: 'spike' }),
        anomaly({ id: '2-0', t: 2_000, severity: 'critical', type: 'drop', component: null, alertId: null }),
        anomaly({ id: '3-0', t: 3_000, seriesId: 's2', service: 'search', severity: 'low', type: 'spike' }),
        anomaly({ id: '4-0', t: 4_000, severity: 'high', type: 'level_shift', outOfDeclaredRange: true }),
      ];
      beforeEach(() => store.commit(batch({ anomalies: all })));

      it('round-trips every field, newest first', () => {
        const got = store.anomalies({});
        expect(got.total).toBe(4);
        expect(got.items).toEqual([all[3], all[2], all[1], all[0]]);
      });

      it('filters by series, service, severity, type and time range', () => {
        const ids = (q: Parameters<Store['anomalies']>[0]) => store.anomalies(q).items.map((a) => a.id);
        expect(ids({ seriesId: 's2' })).toEqual(['3-0']);
        expect(ids({ service: 'checkout' })).toEqual(['4-0', '2-0', '1-0']);
        expect(ids({ severity: 'high' })).toEqual(['4-0', '1-0']);
        expect(ids({ type: 'spike' })).toEqual(['3-0', '1-0']);
        expect(ids({ from: 2_000, to: 3_000 })).toEqual(['3-0', '2-0']);
        expect(ids({ service: 'checkout', severity: 'high', from: 2_000 })).toEqual(['4-0']);
      });

      it('paginates with a total', () => {
        const page = store.anomalies({ severity: 'high', limit: 1, offset: 1 });
        expect(page.total).toBe(2);
        expect(page.items.map((a) => a.id)).toEqual(['1-0']);
      });

      it('counts anomalies per service and aligned time bucket since a time', () => {
        expect(store.anomalyCounts(0, 2_000)).toEqual([
          { service: 'checkout', t: 0, anomalies: 1 },
          { service: 'checkout', t: 2_000, anomalies: 1 },
          { service: 'checkout', t: 4_000, anomalies: 1 },
          { service: 'search', t: 2_000, anomalies: 1 },
        ]);
        expect(store.anomalyCounts(2_500, 10_000)).toEqual([
          { service: 'checkout', t: 0, anomalies: 1 },
          { service: 'search', t: 0, anomalies: 1 },
        ]);
      });

      it('lists the newest anomalies of an alert, oldest first', () => {
        expect(store.alertAnomalies('a1', 10).map((a) => a.id)).toEqual(['1-0', '3-0', '4-0']);
        expect(store.alertAnomalies('a1', 2).map((a) => a.id)).toEqual(['3-0', '4-0']);
        expect(store.alertAnomalies('nope', 10)).toEqual([]);
      });
    });

    describe('alerts', () => {
      const all = [
        alert({ id: 'a1', startsAt: 1_000 }),
        alert({
          id: 'a2',
          startsAt: 2_000,
          status: 'resolved',
          resolvedAt: 2_500,
          resolvedBy: 'ann',
          severity: 'low',
        }),
        alert({ id: 'a3', startsAt: 3_000, service: 'search', seriesId: 's3', severity: 'critical' }),
        alert({
          id: 'a4',
          startsAt: 4_000,
          status: 'acknowledged',
          acknowledgedBy: 'bob',
          acknowledgedAt: 4_100,
          note: 'looking',
        }),
      ];
      beforeEach(() => store.commit(batch({ alerts: all })));

      it('round-trips every field, newest start first', () => {
        expect(store.getAlert('a4')).toEqual(all[3]);
        expect(store.alerts({}).items).toEqual([all[3], all[2], all[1], all[0]]);
      });

      it('upserts by id, last write wins', () => {
        const resolved = alert({
          id: 'a1',
          status: 'resolved',
          resolvedAt: 9_000,
          version: 3,
          anomalyCount: 5,
        });
        store.commit(batch({ alerts: [alert({ id: 'a1', version: 2 }), resolved] }));
        expect(store.getAlert('a1')).toEqual(resolved);
        expect(store.alerts({}).total).toBe(4);
      });

      it('filters by status, severity, service and series', () => {
        const ids = (q: Parameters<Store['alerts']>[0]) => store.alerts(q).items.map((a) => a.id);
        expect(ids({ status: 'firing' })).toEqual(['a3', 'a1']);
        expect(ids({ severity: 'high' })).toEqual(['a4', 'a1']);
        expect(ids({ service: 'search' })).toEqual(['a3']);
        expect(ids({ seriesId: 's1' })).toEqual(['a4', 'a2', 'a1']);
        expect(ids({ status: 'firing', severity: 'critical' })).toEqual(['a3']);
      });

      it('selects alerts active during a time range', () => {
        const ids = (q: Parameters<Store['alerts']>[0]) => store.alerts(q).items.map((a) => a.id);
        expect(ids({ to: 1_500 })).toEqual(['a1']);
        expect(ids({ from: 2_600 })).toEqual(['a4', 'a3', 'a1']); // a2 resolved at 2 500
        expect(ids({ from: 2_400, to: 2_600 })).toEqual(['a2', 'a1']);
      });

      it('paginates with a total', () => {
        const page = store.alerts({ limit: 2, offset: 1 });
        expect(page.total).toBe(4);
        expect(page.items.map((a) => a.id)).toEqual(['a3', 'a2']);
      });

      it('counts by severity for one status, zeros included', () => {
        expect(store.countAlerts('firing')).toEqual({ critical: 1, high: 1, medium: 0, low: 0, info: 0 });
        expect(store.countAlerts('resolved')).toEqual({ critical: 0, high: 0, medium: 0, low: 1, info: 0 });
      });

      it('keeps history in order, insert-or-replace by (alert, seq)', () => {
        store.commit(
          batch({
            alertEvents: [
              alertEvent({
                seq: 2,
                action: 'acknowledged',
                at: 1_500,
                by: 'bob',
                note: 'on it',
                status: 'acknowledged',
              }),
              alertEvent({ seq: 1 }),
              alertEvent({ alertId: 'a2', seq: 1 }),
            ],
          }),
        );
        store.commit(batch({ alertEvents: [alertEvent({ seq: 1, severity: 'critical' })] }));
        const history = store.alertHistory('a1');
        expect(history.map((e) => [e.seq, e.action, e.severity])).toEqual([
          [1, 'opened', 'critical'],
          [2, 'acknowledged', 'high'],
        ]);
        expect(history[1]).toEqual(
          alertEvent({
            seq: 2,
            action: 'acknowledged',
            at: 1_500,
            by: 'bob',
            note: 'on it',
            status: 'acknowledged',
          }),
        );
        expect(store.alertHistory('nope')).toEqual([]);
      });
    });

    describe('deliveries', () => {
      const all = [
        delivery({ id: 'slack:a1:1', createdAt: 1_000, nextAttemptAt: 1_000 }),
        delivery({ id: 'slack:a1:2', alertVersion: 2, createdAt: 2_000, nextAttemptAt: 2_000 }),
        delivery({ id: 'hook:a1:1', receiver: 'hook', createdAt: 3_000, nextAttemptAt: 500 }),
        delivery({
          id: 'hook:a2:1',
          receiver: 'hook',
          alertId: 'a2',
          createdAt: 4_000,
          nextAttemptAt: 9_000,
        }),
      ];
      beforeEach(() => store.commit(batch({ deliveries: all })));

      it('filters by receiver, alert and status, newest first', () => {
        const ids = (q: Parameters<Store['deliveries']>[0]) => store.deliveries(q).map((d) => d.id);
        expect(store.deliveries({})).toEqual([all[3], all[2], all[1], all[0]]);
        expect(ids({ receiver: 'hook' })).toEqual(['hook:a2:1', 'hook:a1:1']);
        expect(ids({ alertId: 'a1' })).toEqual(['hook:a1:1', 'slack:a1:2', 'slack:a1:1']);
        expect(ids({ status: 'delivered' })).toEqual([]);
        expect(ids({ limit: 1 })).toEqual(['hook:a2:1']);
      });

      it('lists due pending deliveries, oldest due first', () => {
        expect(store.dueDeliveries(2_000, 10).map((d) => d.id)).toEqual([
          'hook:a1:1',
          'slack:a1:1',
          'slack:a1:2',
        ]);
        expect(store.dueDeliveries(2_000, 1).map((d) => d.id)).toEqual(['hook:a1:1']);
        expect(store.dueDeliveries(0, 10)).toEqual([]);
      });

      it('updateDelivery overwrites; a re-commit never resets progress', () => {
        const done = delivery({
          id: 'slack:a1:1',
          createdAt: 1_000,
          status: 'delivered',
          attempts: 2,
          lastError: 'HTTP 500',
          lastAttemptAt: 1_700,
          nextAttemptAt: 1_000,
        });
        store.updateDelivery(done);
        store.commit(batch({ deliveries: all }));
        expect(store.deliveries({ status: 'delivered' })).toEqual([done]);
        expect(store.dueDeliveries(2_000, 10).map((d) => d.id)).toEqual(['hook:a1:1', 'slack:a1:2']);
      });
    });

    describe('logs', () => {
      it('returns the newest first, per service or all', () => {
        const first = log({ t: 1_000 });
        const retry = log({ t: 3_000, message: 'retry ok', level: 'info', traceId: null, context: null });
        // Two identical messages in the same millisecond are two events: both are kept.
        const twin = { ...first, id: `${first.id}-twin` };
        store.commit(
          batch({ logs: [first, retry, log({ t: 2_000, service: 'search', message: 'slow query' }), twin] }),
        );
        const got = store.recentLogs('checkout', 10);
        expect(got[0]).toEqual(retry);
        expect(got.slice(1).sort((a, b) => a.id.localeCompare(b.id))).toEqual([first, twin]);
        expect(store.recentLogs(undefined, 10).map((l) => l.t)).toEqual([3_000, 2_000, 1_000, 1_000]);
        expect(store.recentLogs(undefined, 1).map((l) => l.t)).toEqual([3_000]);
        expect(store.recentLogs('nope', 10)).toEqual([]);
      });
    });

    it('re-committing the same batch (replay) leaves the same rows', () => {
      const full = batch({
        throughSeq: 7,
        series: [series()],
        points: [point({ t: 1 }), point({ t: 2 })],
        anomalies: [anomaly()],
        alerts: [alert()],
        alertEvents: [alertEvent()],
        deliveries: [delivery()],
        logs: [log(), log({ t: 2 })],
      });
      const snapshot = () => ({
        series: store.listSeries({}),
        points: store.points('s1', {}),
        anomalies: store.anomalies({}),
        alerts: store.alerts({}),
        history: store.alertHistory('a1'),
        deliveries: store.deliveries({}),
        logs: store.recentLogs(undefined, 100),
      });
      store.commit(full);
      const first = snapshot();
      store.commit(full);
      expect(snapshot()).toEqual(first);
      expect(first.points).toHaveLength(2);
      expect(first.logs).toHaveLength(2);
    });

    it('saves, loads and merges checkpoints', () => {
      store.saveCheckpoint({
        throughSeq: 10,
        takenAt: 100,
        series: new Map<string, unknown>([
          ['s1', { mean: 1, n: 3 }],
          ['s2', { mean: 2, n: 4 }],
        ]),
        pipeline: { alerts: ['a1'], counters: { ingested: 5 } },
      });
      store.saveCheckpoint({
        throughSeq: 20,
        takenAt: 200,
        series: new Map<string, unknown>([
          ['s2', { mean: 2.5, n: 5 }],
          ['s3', [1, 2, 3]],
        ]),
        pipeline: { alerts: [], counters: { ingested: 9 } },
      });
      const loaded = store.loadCheckpoint();
      expect(loaded?.throughSeq).toBe(20);
      expect(loaded?.takenAt).toBe(200);
      expect(loaded?.pipeline).toEqual({ alerts: [], counters: { ingested: 9 } });
      expect(Object.fromEntries(loaded?.series ?? [])).toEqual({
        s1: { mean: 1, n: 3 },
        s2: { mean: 2.5, n: 5 },
        s3: [1, 2, 3],
      });
    });

    it('prunes points relative to each series’ newest point, and logs per service', () => {
      store.commit(
        batch({
          points: [
            point({ t: 1_000 }),
            point({ t: 5_000 }),
            point({ t: 10_000 }),
            point({ seriesId: 's2', t: 1_000 }),
            point({ seriesId: 's2', t: 2_000 }),
          ],
          series: [series({ id: 's1' })], // s2 has points but no catalog row: pruned all the same
          logs: [log({ t: 1 }), log({ t: 2 }), log({ t: 3 }), log({ service: 'search', t: 1 })],
        }),
      );
      store.prune({ pointsMs: 5_000, logsPerService: 2, eventsMs: 3_600_000, nowMs: 10_000 });
      expect(store.points('s1', {}).map((p) => p.t)).toEqual([5_000, 10_000]);
      expect(store.points('s2', {}).map((p) => p.t)).toEqual([1_000, 2_000]);
      expect(store.recentLogs('checkout', 10).map((l) => l.t)).toEqual([3, 2]);
      expect(store.recentLogs('search', 10).map((l) => l.t)).toEqual([1]);
    });

    describeEventRetention(() => store);

    it('reports health from a real read and write', () => {
      const first = store.health();
      const second = store.health();
      expect(first.ok).toBe(true);
      expect(second.ok).toBe(true);
      expect(first.latencyMs).toBeGreaterThanOrEqual(0);
      expect(second.detail).not.toBe(first.detail); // the write happened: the heartbeat advanced
    });

    it('refuses work after close', () => {
      store.close();
      expect(() => store.commit(batch({ points: [point()] }))).toThrow(StoreUnavailableError);
      expect(store.health().ok).toBe(false);
    });
  });
}
