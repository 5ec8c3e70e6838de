/** Builders of model records for storage tests: valid defaults, overridable fields. */
import type { Feedback } from '../../src/alerting/feedback/feedback.js';
import type { Incident } from '../../src/alerting/incidents/incident.js';
import type {
  Alert,
  AlertEvent,
  Anomaly,
  Delivery,
  LogRecord,
  PointRecord,
  SeriesInfo,
} from '../../src/model/types.js';
import type { WriteBatch } from '../../src/store/types.js';

export function series(over: Partial<SeriesInfo> = {}): SeriesInfo {
  return {
    id: 's1',
    service: 'checkout',
    endpoint: '/pay',
    metric: 'latency_ms',
    labels: { region: 'eu-west', tier: 'gold' },
    kind: 'application',
    firstSeen: 1_000,
    lastSeen: 2_000,
    samples: 10,
    warmup: 0.5,
    lastValue: 42.5,
    ...over,
  };
}

export function point(over: Partial<PointRecord> = {}): PointRecord {
  return {
    seriesId: 's1',
    t: 1_000,
    value: 10,
    expected: 9.5,
    lower: 8,
    upper: 11,
    score: 0.3,
    anomalous: false,
    ...over,
  };
}

export function anomaly(over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: '1-0',
    seriesId: 's1',
    service: 'checkout',
    endpoint: '/pay',
    metric: 'latency_ms',
    labels: { region: 'eu-west' },
    t: 1_000,
    value: 100,
    expected: 10,
    lower: 8,
    upper: 12,
    score: 7.5,
    confidence: 0.9,
    type: 'spike',
    component: 'level',
    severity: 'high',
    outOfDeclaredRange: false,
    explanation: 'latency_ms of checkout /pay is 100, expected 8–12',
    alertId: 'a1',
    ...over,
  };
}

export function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    seriesId: 's1',
    service: 'checkout',
    endpoint: '/pay',
    metric: 'latency_ms',
    labels: { region: 'eu-west' },
    status: 'firing',
    severity: 'high',
    startsAt: 1_000,
    lastAnomalyAt: 1_000,
    resolvedAt: null,
    anomalyCount: 1,
    maxScore: 7.5,
    type: 'spike',
    summary: 'latency spike',
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    note: null,
    ackExpiresAt: null,
    incidentId: null,
    version: 1,
    ...over,
  };
}

export function alertEvent(over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    alertId: 'a1',
    seq: 1,
    action: 'opened',
    at: 1_000,
    by: null,
    note: null,
    status: 'firing',
    severity: 'high',
    ...over,
  };
}

export function delivery(over: Partial<Delivery> = {}): Delivery {
  return {
    id: 'slack:a1:1',
    receiver: 'slack',
    alertId: 'a1',
    alertVersion: 1,
    payload: '{"text":"latency spike"}',
    status: 'pending',
    attempts: 0,
    lastError: null,
    createdAt: 5_000,
    lastAttemptAt: null,
    nextAttemptAt: 5_000,
    ...over,
  };
}

export function incident(over: Partial<Incident> = {}): Incident {
  const startedAt = over.startedAt ?? 1_000;
  return {
    id: 'inc-a1',
    status: 'open',
    severity: 'high',
    title: 'checkout /pay latency_ms',
    startedAt,
    updatedAt: startedAt,
    resolvedAt: null,
    alerts: [],
    blastRadius: { services: ['checkout'], series: 1, openAlerts: 1, since: startedAt, summary: '1 series' },
    timeline: [{ at: startedAt, action: 'incident_opened', alertId: 'a1', text: 'incident opened' }],
    version: 1,
    ...over,
  };
}

export function feedback(over: Partial<Feedback> = {}): Feedback {
  return {
    id: 'fb1',
    seriesId: 's1',
    alertId: 'a1',
    anomalyIds: ['1-0'],
    scope: 'point',
    side: 'above',
    ratio: 2,
    createdBy: 'ann',
    reason: 'deploy',
    createdAt: 6_000,
    expiresAt: null,
    revokedAt: null,
    revokedBy: null,
    ...over,
  };
}

let logCounter = 0;
export function log(over: Partial<LogRecord> = {}): LogRecord {
  return {
    id: `log-${++logCounter}`,
    service: 'checkout',
    level: 'error',
    message: 'payment gateway timeout',
    t: 1_000,
    traceId: 'trace-1',
    context: { attempt: 2, gateway: 'acme' },
    ...over,
  };
}

export function batch(over: Partial<WriteBatch> = {}): WriteBatch {
  return {
    throughSeq: 1,
    series: [],
    points: [],
    anomalies: [],
    alerts: [],
    alertEvents: [],
    deliveries: [],
    logs: [],
    ...over,
  };
}
