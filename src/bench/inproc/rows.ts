/** Synthetic anomaly and alert rows for the storage scenario (realistic field sizes, unique ids). */
import { firingAlert } from '../../alerting/alert-manager.js';
import type { Alert, AlertEvent, Anomaly } from '../../model/types.js';

/** The `i`-th anomaly of run `run`. */
export function anomalyRow(run: number, i: number): Anomaly {
  const svc = `svc-${i % 20}`;
  const ep = `GET:/api/v1/resource-${i % 50}`;
  return {
    id: `${run}-${i}`,
    seriesId: (0x1000000000000 + ((i * 2654435761) % 0xffffffffff)).toString(16).padStart(16, '0'),
    service: svc,
    endpoint: ep,
    metric: 'response_time',
    labels: {},
    t: 1_700_000_000_000 + i * 1000,
    value: 2400 + (i % 97),
    expected: 120,
    lower: 80,
    upper: 160,
    score: 0.999,
    confidence: 0.97,
    type: 'spike',
    component: 'level',
    severity: i % 10 === 0 ? 'critical' : 'high',
    outOfDeclaredRange: false,
    explanation: `response_time 2400 is far above the expected 120 (band 80–160) for ${svc} ${ep}`,
    alertId: `alert-${run}-${Math.floor(i / 20)}`,
  };
}

/** The alert that anomaly `i` of run `run` belongs to (one alert per 20 anomalies). */
export function alertRow(run: number, i: number): Alert {
  const a = anomalyRow(run, i);
  return firingAlert(
    a.alertId as string,
    { id: a.seriesId, service: a.service, endpoint: a.endpoint, metric: a.metric, labels: {} },
    {
      severity: a.severity,
      startsAt: a.t,
      lastAnomalyAt: a.t,
      anomalyCount: 1,
      maxScore: a.score,
      type: a.type,
      summary: a.explanation,
    },
  );
}

/** The `opened` event of {@link alertRow}. */
export function alertEventRow(alert: Alert): AlertEvent {
  return {
    alertId: alert.id,
    seq: 1,
    action: 'opened',
    at: alert.startsAt,
    by: null,
    note: null,
    status: 'firing',
    severity: alert.severity,
  };
}
