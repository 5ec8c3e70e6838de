/**
 * SQLite specifics of event retention (the behaviour itself is in the conformance cases): each
 * delete searches an index, and no history row or feedback mark is left behind without its
 * alert or anomaly.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EVENT_RETENTION_SQL } from '../../src/store/sqlite/event-retention.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { alert, alertEvent, anomaly, batch, feedback } from './records.js';
import { tempDir } from './temp-dir.js';

const DAY = 86_400_000;

describe('SqliteStore event retention', () => {
  it('searches an index in every delete (no table scan)', () => {
    const tmp = tempDir('retention-plan');
    try {
      SqliteStore.open(tmp.dir).close();
      const db = new Database(join(tmp.dir, 'vigil.db'), { readonly: true });
      try {
        expect(EVENT_RETENTION_SQL.length).toBe(7);
        for (const sql of EVENT_RETENTION_SQL) {
          const plan = (
            db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ cutoff: 0, clock: 0, ms: 0 }) as {
              detail: string;
            }[]
          ).map((r) => r.detail);
          expect(plan.some((d) => d.startsWith('SEARCH'))).toBe(true);
          expect(
            plan.filter((d) => d.startsWith('SCAN')),
            sql,
          ).toEqual([]);
        }
      } finally {
        db.close();
      }
    } finally {
      tmp.remove();
    }
  });

  it('leaves no history row without its alert and no feedback mark without its anomaly', () => {
    const tmp = tempDir('retention-orphans');
    const store = SqliteStore.open(tmp.dir);
    try {
      const old = { status: 'resolved' as const, startsAt: DAY, resolvedAt: DAY + 1 };
      store.commit(
        batch({
          alerts: [alert({ id: 'a1', ...old }), alert({ id: 'a2', ...old }), alert({ id: 'a3' })],
          alertEvents: ['a1', 'a2', 'a3'].flatMap((alertId) => [
            alertEvent({ alertId, seq: 1, at: DAY }),
            alertEvent({ alertId, seq: 2, at: DAY }),
          ]),
          anomalies: [
            anomaly({ id: '1-0', alertId: 'a1', t: DAY }),
            anomaly({ id: '1-1', alertId: 'a3', t: DAY }),
          ],
          feedback: [
            feedback({
              id: 'f1',
              scope: 'series',
              anomalyIds: ['1-0', '1-1'],
              createdAt: DAY,
              expiresAt: 500 * DAY,
            }),
          ],
        }),
      );
      store.saveCheckpoint({ throughSeq: 1, takenAt: 100 * DAY, series: new Map(), pipeline: null });
      store.prune({ pointsMs: DAY, logsPerService: 10, eventsMs: 90 * DAY, nowMs: 100 * DAY });
      const db = new Database(store.file, { readonly: true });
      try {
        const all = (sql: string) => db.prepare(sql).raw().all();
        expect(all('SELECT alert_id, seq FROM alert_events ORDER BY alert_id, seq')).toEqual([
          ['a3', 1],
          ['a3', 2],
        ]);
        expect(all('SELECT anomaly_id, feedback_id FROM feedback_anomalies')).toEqual([['1-1', 'f1']]);
        expect(all('SELECT id FROM feedback')).toEqual([['f1']]); // series feedback still active
      } finally {
        db.close();
      }
    } finally {
      store.close();
      tmp.remove();
    }
  });
});
