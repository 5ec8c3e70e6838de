/**
 * Event retention of the SQLite store: deletes anomalies, resolved alerts with their history,
 * finished deliveries, resolved incidents and feedback that stopped applying, once they are
 * older than {@link Retention.eventsMs}. Runs inside the caller's prune transaction.
 *
 * The clock is the earlier of {@link Retention.nowMs} and the wall time of the last completed
 * checkpoint; without a checkpoint nothing is deleted. A row timed by the wall time of its log
 * record (deliveries, feedback) is thus only deleted when that checkpoint covers the record, so a
 * restart, which replays the log after the checkpoint, cannot write it again: a delivery written
 * again would be `pending` and sent a second time.
 *
 * Rows timed by event time (alerts, anomalies) are measured like points: back from the newest
 * sample of their series (its catalog row's `last_seen`) when that is earlier than the clock. So
 * backfilled history (`vigil replay` of last year's CSV files) is kept as long as a live series'
 * history would be, instead of vanishing at the next pass because its event times are old.
 *
 * Every delete starts from an index range on the global cutoff (clock − retention), which bounds
 * every per-series cutoff (checked in `test/store/sqlite-event-retention.test.ts`), so the schema
 * needs no new index.
 */
import type { Retention } from '../types.js';
import type { Connection } from './connection.js';
import type { Row } from './rows.js';

/**
 * The cutoff of the series `column` names: the earlier of the clock and the series' newest
 * sample, minus the retention (the global cutoff when the series has no catalog row).
 */
const seriesCutoff = (column: string): string =>
  `(COALESCE((SELECT MIN(@clock, s.last_seen) FROM series s WHERE s.id = ${column}), @clock) - @ms)`;

/** Resolved alerts that started and ended before the cutoff of their series. */
const OLD_RESOLVED_ALERTS =
  "status = 'resolved' AND starts_at < @cutoff AND resolved_at < @cutoff AND " +
  `resolved_at < ${seriesCutoff('alerts.series_id')}`;

/**
 * Anomalies older than the cutoff of their series whose alert row is gone (pruned, or they never
 * had one). An open alert is never pruned, so its anomalies stay; so do those of a kept alert.
 */
const OLD_ANOMALIES =
  `t < @cutoff AND t < ${seriesCutoff('anomalies.series_id')} AND ` +
  '(alert_id IS NULL OR NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = anomalies.alert_id))';

/**
 * The deletes in order, each binding `@clock` (Unix ms), `@ms` (the retention) and `@cutoff`
 * (clock − retention). Alerts go first, so that what hangs
 * off them (history, anomalies, deliveries, incidents) sees them gone.
 */
export const EVENT_RETENTION_SQL: readonly string[] = [
  `DELETE FROM alert_events WHERE alert_id IN (SELECT id FROM alerts WHERE ${OLD_RESOLVED_ALERTS})`,
  `DELETE FROM alerts WHERE ${OLD_RESOLVED_ALERTS}`,
  `DELETE FROM feedback_anomalies WHERE anomaly_id IN (SELECT id FROM anomalies WHERE ${OLD_ANOMALIES})`,
  `DELETE FROM anomalies WHERE ${OLD_ANOMALIES}`,
  // A pending delivery (new or retrying) is the notifier's work to finish: never deleted.
  "DELETE FROM deliveries WHERE created_at < @cutoff AND status <> 'pending' AND " +
    'NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = deliveries.alert_id)',
  "DELETE FROM incidents WHERE status = 'resolved' AND started_at < @cutoff AND resolved_at < @cutoff AND " +
    'NOT EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = incidents.id)',
  // Point feedback applies once, when given; series feedback until revoked or expired.
  "DELETE FROM feedback WHERE created_at < @cutoff AND (scope <> 'series' OR " +
    'COALESCE(MIN(revoked_at, expires_at), revoked_at, expires_at, created_at) < @cutoff)',
];

/**
 * Deletes the events past retention (inside the caller's transaction); nothing before the first
 * checkpoint.
 * @throws the SQLite error of a failed delete (the caller classifies it and rolls back).
 */
export function pruneEvents(c: Connection, retention: Retention): void {
  const checkpoint = c.statement('SELECT taken_at FROM checkpoint_meta WHERE id = 1').get() as
    | Row
    | undefined;
  if (checkpoint === undefined) return;
  const clock = Math.min(retention.nowMs, checkpoint.taken_at as number);
  const params = { clock, ms: retention.eventsMs, cutoff: clock - retention.eventsMs };
  for (const sql of EVENT_RETENTION_SQL) c.statement(sql).run(params);
}
