/**
 * The alert-management tables of the SQLite store: incidents (one row per incident, its latest
 * version as JSON beside indexed columns), "not an anomaly" feedback (with the marked anomaly ids
 * in `feedback_anomalies`), and the rows the alert-quality report reads.
 */
import type { Feedback } from '../../alerting/feedback/feedback.js';
import type { Incident } from '../../alerting/incidents/incident.js';
import type { AlertQualityData, FeedbackQuery, IncidentQuery } from '../types.js';
import type { Connection } from './connection.js';
import { addRange, Filter, limitOf, offsetOf } from './filter.js';
import { ALERT_ROW, fromJson, type Row } from './rows.js';

/** The alert columns the quality report reads. */
const QUALITY_ALERT = ALERT_ROW.pick(
  'id',
  'seriesId',
  'service',
  'endpoint',
  'metric',
  'status',
  'severity',
  'startsAt',
  'resolvedAt',
  'acknowledgedAt',
);

const INCIDENT_UPSERT =
  'INSERT INTO incidents (id, status, severity, title, services, started_at, updated_at, resolved_at, body) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, ' +
  'severity = excluded.severity, title = excluded.title, services = excluded.services, ' +
  'started_at = excluded.started_at, updated_at = excluded.updated_at, resolved_at = excluded.resolved_at, ' +
  'body = excluded.body';

const FEEDBACK_UPSERT =
  'INSERT INTO feedback (id, series_id, alert_id, scope, created_by, created_at, expires_at, revoked_at, body) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at, ' +
  'expires_at = excluded.expires_at, body = excluded.body';

/** Writes incidents and feedback of a batch (inside the caller's transaction). */
export function writeAlerting(
  c: Connection,
  incidents: readonly Incident[],
  feedback: readonly Feedback[],
): void {
  if (incidents.length > 0) {
    const upsert = c.statement(INCIDENT_UPSERT);
    for (const i of incidents) {
      upsert.run(
        i.id,
        i.status,
        i.severity,
        i.title,
        `,${i.blastRadius.services.join(',')},`,
        i.startedAt,
        i.updatedAt,
        i.resolvedAt,
        JSON.stringify(i),
      );
    }
  }
  if (feedback.length > 0) {
    const upsert = c.statement(FEEDBACK_UPSERT);
    const link = c.statement(
      'INSERT OR IGNORE INTO feedback_anomalies (anomaly_id, feedback_id) VALUES (?, ?)',
    );
    for (const f of feedback) {
      upsert.run(
        f.id,
        f.seriesId,
        f.alertId,
        f.scope,
        f.createdBy,
        f.createdAt,
        f.expiresAt,
        f.revokedAt,
        JSON.stringify(f),
      );
      for (const a of f.anomalyIds) link.run(a, f.id);
    }
  }
}

/** Incidents, newest first. */
export function queryIncidents(c: Connection, q: IncidentQuery): { total: number; items: Incident[] } {
  const f = new Filter();
  if (q.status !== undefined) f.add('status = ?', q.status);
  if (q.service !== undefined)
    f.add("services LIKE ? ESCAPE '\\'", `%,${q.service.replace(/[\\%_]/g, (ch) => `\\${ch}`)},%`);
  addRange(f, 'started_at', q);
  const total = (c.statement(`SELECT COUNT(*) AS n FROM incidents${f.sql}`).get(...f.params) as Row)
    .n as number;
  const rows = c
    .statement(`SELECT body FROM incidents${f.sql} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...f.params, limitOf(q.limit, 100), offsetOf(q.offset)) as Row[];
  return { total, items: rows.map((r) => fromJson<Incident>(r.body)) };
}

/** One incident by id, or null. */
export function getIncident(c: Connection, id: string): Incident | null {
  const row = c.statement('SELECT body FROM incidents WHERE id = ?').get(id) as Row | undefined;
  return row ? fromJson<Incident>(row.body) : null;
}

/** Feedback, newest first. */
export function queryFeedback(c: Connection, q: FeedbackQuery): Feedback[] {
  const f = new Filter();
  if (q.id !== undefined) f.add('id = ?', q.id);
  if (q.seriesId !== undefined) f.add('series_id = ?', q.seriesId);
  if (q.alertId !== undefined) f.add('alert_id = ?', q.alertId);
  if (q.anomalyId !== undefined)
    f.add('id IN (SELECT feedback_id FROM feedback_anomalies WHERE anomaly_id = ?)', q.anomalyId);
  const rows = c
    .statement(`SELECT body FROM feedback${f.sql} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .all(...f.params, limitOf(q.limit, 100)) as Row[];
  return rows.map((r) => fromJson<Feedback>(r.body));
}

/**
 * What the alert-quality report needs over `[from, to]`: alerts that started in it (with their
 * action history), deliveries created in it with the alert ids each notification carried, and
 * feedback created in it. Capped at `limit` alerts and deliveries (newest kept).
 */
export function alertQualityData(c: Connection, from: number, to: number, limit: number): AlertQualityData {
  const alerts = (
    c
      .statement(
        `SELECT ${QUALITY_ALERT.columns} FROM alerts WHERE starts_at BETWEEN ? AND ? ORDER BY starts_at DESC LIMIT ?`,
      )
      .all(from, to, limit) as Row[]
  ).map(QUALITY_ALERT.read);
  const autoResolved = new Set(
    (
      c
        .statement(
          "SELECT e.alert_id FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE e.action = 'auto_resolved' " +
            'AND a.starts_at BETWEEN ? AND ?',
        )
        .all(from, to) as Row[]
    ).map((r) => r.alert_id as string),
  );
  // Resolved alerts of the same series before the window, to tell a flap at the window's start.
  const earlier = (
    c
      .statement(
        'SELECT series_id, MAX(resolved_at) AS resolved_at FROM alerts WHERE starts_at < ? AND resolved_at IS NOT NULL ' +
          'GROUP BY series_id',
      )
      .all(from) as Row[]
  ).map((r) => ({ seriesId: r.series_id as string, resolvedAt: r.resolved_at as number }));
  const deliveries = (
    c
      .statement(
        "SELECT d.id, d.receiver, d.status, d.attempts, d.created_at, json_extract(j.value, '$.alert.id') AS alert_id " +
          "FROM deliveries d, json_each(d.payload, '$.alerts') j WHERE d.created_at BETWEEN ? AND ? " +
          'ORDER BY d.created_at DESC LIMIT ?',
      )
      .all(from, to, limit) as Row[]
  ).map((r) => ({
    id: r.id as string,
    receiver: r.receiver as string,
    status: r.status as string,
    attempts: r.attempts as number,
    createdAt: r.created_at as number,
    alertId: String(r.alert_id),
  }));
  const feedback = (
    c
      .statement(
        'SELECT f.series_id, f.revoked_at, COALESCE(f.alert_id, (SELECT a.alert_id FROM feedback_anomalies l ' +
          'JOIN anomalies a ON a.id = l.anomaly_id WHERE l.feedback_id = f.id AND a.alert_id IS NOT NULL LIMIT 1)) ' +
          'AS alert_id FROM feedback f WHERE f.created_at BETWEEN ? AND ?',
      )
      .all(from, to) as Row[]
  )
    .filter((r) => r.revoked_at === null)
    .map((r) => ({ seriesId: r.series_id as string, alertId: (r.alert_id as string | null) ?? null }));
  return { alerts, autoResolved: [...autoResolved], earlierResolved: earlier, deliveries, feedback };
}
