/**
 * Conversion between model records and SQLite rows.
 *
 * Writes bind positional parameters (fastest in better-sqlite3); booleans become 0/1, labels and
 * log contexts JSON text. SQLite stores NaN as NULL, so nullable numeric columns read back as NaN.
 */
import type {
  Alert,
  AlertEvent,
  Anomaly,
  Delivery,
  Labels,
  LogRecord,
  SeriesInfo,
} from '../../model/types.js';

type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? Number.NaN : (v as number));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : (v as number));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
const labels = (v: unknown): Labels => JSON.parse(v as string) as Labels;

export const SERIES_COLUMNS =
  'id, service, endpoint, metric, labels, kind, first_seen, last_seen, samples, warmup, last_value';
export function seriesParams(s: SeriesInfo): unknown[] {
  return [
    s.id,
    s.service,
    s.endpoint,
    s.metric,
    JSON.stringify(s.labels),
    s.kind,
    s.firstSeen,
    s.lastSeen,
    s.samples,
    s.warmup,
    s.lastValue,
  ];
}
export function toSeries(r: Row): SeriesInfo {
  return {
    id: r.id as string,
    service: r.service as string,
    endpoint: r.endpoint as string,
    metric: r.metric as string,
    labels: labels(r.labels),
    kind: r.kind as SeriesInfo['kind'],
    firstSeen: r.first_seen as number,
    lastSeen: r.last_seen as number,
    samples: r.samples as number,
    warmup: r.warmup as number,
    lastValue: num(r.last_value),
  };
}

export const ANOMALY_COLUMNS =
  'id, series_id, service, endpoint, metric, labels, t, value, expected, lower, upper, score, confidence, ' +
  'type, component, severity, out_of_declared_range, explanation, alert_id';
export function anomalyParams(a: Anomaly): unknown[] {
  return [
    a.id,
    a.seriesId,
    a.service,
    a.endpoint,
    a.metric,
    JSON.stringify(a.labels),
    a.t,
    a.value,
    a.expected,
    a.lower,
    a.upper,
    a.score,
    a.confidence,
    a.type,
    a.component,
    a.severity,
    a.outOfDeclaredRange ? 1 : 0,
    a.explanation,
    a.alertId,
  ];
}
export function toAnomaly(r: Row): Anomaly {
  return {
    id: r.id as string,
    seriesId: r.series_id as string,
    service: r.service as string,
    endpoint: r.endpoint as string,
    metric: r.metric as string,
    labels: labels(r.labels),
    t: r.t as number,
    value: num(r.value),
    expected: num(r.expected),
    lower: num(r.lower),
    upper: num(r.upper),
    score: num(r.score),
    confidence: num(r.confidence),
    type: r.type as Anomaly['type'],
    component: strOrNull(r.component) as Anomaly['component'],
    severity: r.severity as Anomaly['severity'],
    outOfDeclaredRange: r.out_of_declared_range === 1,
    explanation: r.explanation as string,
    alertId: strOrNull(r.alert_id),
  };
}

export const ALERT_COLUMNS =
  'id, series_id, service, endpoint, metric, labels, status, severity, starts_at, last_anomaly_at, ' +
  'resolved_at, anomaly_count, max_score, type, summary, acknowledged_by, acknowledged_at, resolved_by, ' +
  'note, version, ack_expires_at, incident_id';
export function alertParams(a: Alert): unknown[] {
  return [
    a.id,
    a.seriesId,
    a.service,
    a.endpoint,
    a.metric,
    JSON.stringify(a.labels),
    a.status,
    a.severity,
    a.startsAt,
    a.lastAnomalyAt,
    a.resolvedAt,
    a.anomalyCount,
    a.maxScore,
    a.type,
    a.summary,
    a.acknowledgedBy,
    a.acknowledgedAt,
    a.resolvedBy,
    a.note,
    a.version,
    a.ackExpiresAt,
    a.incidentId,
  ];
}
export function toAlert(r: Row): Alert {
  return {
    id: r.id as string,
    seriesId: r.series_id as string,
    service: r.service as string,
    endpoint: r.endpoint as string,
    metric: r.metric as string,
    labels: labels(r.labels),
    status: r.status as Alert['status'],
    severity: r.severity as Alert['severity'],
    startsAt: r.starts_at as number,
    lastAnomalyAt: r.last_anomaly_at as number,
    resolvedAt: numOrNull(r.resolved_at),
    anomalyCount: r.anomaly_count as number,
    maxScore: num(r.max_score),
    type: r.type as Alert['type'],
    summary: r.summary as string,
    acknowledgedBy: strOrNull(r.acknowledged_by),
    acknowledgedAt: numOrNull(r.acknowledged_at),
    resolvedBy: strOrNull(r.resolved_by),
    note: strOrNull(r.note),
    ackExpiresAt: numOrNull(r.ack_expires_at),
    incidentId: strOrNull(r.incident_id),
    version: r.version as number,
  };
}

export const ALERT_EVENT_COLUMNS = 'alert_id, seq, action, at, by, note, status, severity';
export function alertEventParams(e: AlertEvent): unknown[] {
  return [e.alertId, e.seq, e.action, e.at, e.by, e.note, e.status, e.severity];
}
export function toAlertEvent(r: Row): AlertEvent {
  return {
    alertId: r.alert_id as string,
    seq: r.seq as number,
    action: r.action as AlertEvent['action'],
    at: r.at as number,
    by: strOrNull(r.by),
    note: strOrNull(r.note),
    status: r.status as AlertEvent['status'],
    severity: r.severity as AlertEvent['severity'],
  };
}

export const DELIVERY_COLUMNS =
  'id, receiver, alert_id, alert_version, payload, status, attempts, last_error, created_at, ' +
  'last_attempt_at, next_attempt_at';
export function deliveryParams(d: Delivery): unknown[] {
  return [
    d.id,
    d.receiver,
    d.alertId,
    d.alertVersion,
    d.payload,
    d.status,
    d.attempts,
    d.lastError,
    d.createdAt,
    d.lastAttemptAt,
    d.nextAttemptAt,
  ];
}
export function toDelivery(r: Row): Delivery {
  return {
    id: r.id as string,
    receiver: r.receiver as string,
    alertId: r.alert_id as string,
    alertVersion: r.alert_version as number,
    payload: r.payload as string,
    status: r.status as Delivery['status'],
    attempts: r.attempts as number,
    lastError: strOrNull(r.last_error),
    createdAt: r.created_at as number,
    lastAttemptAt: numOrNull(r.last_attempt_at),
    nextAttemptAt: r.next_attempt_at as number,
  };
}

export const LOG_COLUMNS = 'key, service, level, message, t, trace_id, context';
/**
 * A log message has no id of its own; its key is a SHA-1 of its content so that re-committing
 * the same batch (replay) does not duplicate it. Identical messages (same service, level, text,
 * time, trace id and context) are therefore stored once.
 */
export function logParams(l: LogRecord): unknown[] {
  const context = l.context === null ? null : JSON.stringify(l.context);
  return [l.id, l.service, l.level, l.message, l.t, l.traceId, context];
}
export function toLog(r: Row): LogRecord {
  return {
    id: r.key as string,
    service: r.service as string,
    level: r.level as string,
    message: r.message as string,
    t: r.t as number,
    traceId: strOrNull(r.trace_id),
    context: r.context === null ? null : (JSON.parse(r.context as string) as Record<string, unknown>),
  };
}
