/**
 * The alert-quality report: how much noise alerting made over a period, per receiver and per
 * series, so the noisiest sources can be tuned or silenced. Measures, after the alert-fatigue
 * indicators in Google's SRE book (ch. 6 "Monitoring Distributed Systems": every page should
 * be actionable) and PagerDuty's noise metrics:
 * - notifications sent (deliveries delivered) and failed;
 * - flap rate: share of alerts that opened within `flapWindowMs` of the previous alert of the
 *   same series resolving;
 * - quick auto-resolve share: alerts that resolved by themselves within `quickResolveMs` of
 *   their start (they paged for something that went away on its own);
 * - time to acknowledge (median and p90), from the alert's start to the acknowledgement;
 * - false positives: alerts marked "not an anomaly" (on the alert or on one of its anomalies).
 * Pure: computed from the rows the store returns (see `AlertQualityData`).
 */
import type { AlertQualityData } from '../../store/types.js';

/** Options of {@link alertQualityReport}. Durations in ms. */
export interface QualityOptions {
  /** Period start and end, Unix ms. */
  readonly from: number;
  readonly to: number;
  /** An alert opening this soon after the series' previous alert resolved is a flap (default 30 min). */
  readonly flapWindowMs?: number;
  /** An auto-resolve this soon after the start counts as quick (default 5 min). */
  readonly quickResolveMs?: number;
  /** Length of the noisiest-series list (default 10). */
  readonly top?: number;
}

/** Noise figures of a set of alerts. */
export interface QualityFigures {
  readonly alerts: number;
  readonly notificationsSent: number;
  readonly notificationsFailed: number;
  /** In [0, 1]; null without alerts. */
  readonly flapRate: number | null;
  /** Share of alerts auto-resolved within `quickResolveMs`, in [0, 1]; null without alerts. */
  readonly quickAutoResolveShare: number | null;
  readonly acknowledged: number;
  /** Median / 90th percentile time to acknowledge, ms; null when none was acknowledged. */
  readonly timeToAckMedianMs: number | null;
  readonly timeToAckP90Ms: number | null;
  /** Alerts marked "not an anomaly" (on the alert or on one of its anomalies). */
  readonly falsePositives: number;
}

/** Figures of one receiver. */
export interface ReceiverQuality extends QualityFigures {
  readonly receiver: string;
}

/** Figures of one series. */
export interface SeriesQuality extends QualityFigures {
  readonly seriesId: string;
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
}

/** The whole report. */
export interface AlertQualityReport {
  readonly from: number;
  readonly to: number;
  readonly flapWindowMs: number;
  readonly quickResolveMs: number;
  readonly total: QualityFigures;
  readonly receivers: readonly ReceiverQuality[];
  /** Series by noise: notifications sent, then alerts, then flap rate; at most `top`. */
  readonly noisiestSeries: readonly SeriesQuality[];
}

type AlertRow = AlertQualityData['alerts'][number];

/** Value at quantile q of sorted numbers (nearest rank), or null when empty. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}

/**
 * Computes the report from the store's rows.
 * @example alertQualityReport(store.alertQualityData(from, to, 100_000), { from, to })
 */
export function alertQualityReport(data: AlertQualityData, options: QualityOptions): AlertQualityReport {
  const flapWindowMs = options.flapWindowMs ?? 30 * 60_000;
  const quickResolveMs = options.quickResolveMs ?? 5 * 60_000;
  const auto = new Set(data.autoResolved);
  const fpAlerts = new Set(data.feedback.flatMap((f) => (f.alertId ? [f.alertId] : [])));

  // Flaps: walk each series' alerts in start order.
  const flapped = new Set<string>();
  const lastResolved = new Map(data.earlierResolved.map((r) => [r.seriesId, r.resolvedAt]));
  for (const a of [...data.alerts].sort((x, y) => x.startsAt - y.startsAt || (x.id < y.id ? -1 : 1))) {
    const previous = lastResolved.get(a.seriesId);
    if (previous !== undefined && a.startsAt - previous <= flapWindowMs) flapped.add(a.id);
    if (a.resolvedAt !== null) lastResolved.set(a.seriesId, a.resolvedAt);
  }

  const figures = (
    alerts: readonly AlertRow[],
    deliveries: AlertQualityData['deliveries'],
  ): QualityFigures => {
    const acks = alerts
      .filter((a) => a.acknowledgedAt !== null)
      .map((a) => Math.max(0, (a.acknowledgedAt as number) - a.startsAt))
      .sort((x, y) => x - y);
    const n = alerts.length;
    const quick = alerts.filter(
      (a) => auto.has(a.id) && a.resolvedAt !== null && a.resolvedAt - a.startsAt <= quickResolveMs,
    ).length;
    const sent = new Set(deliveries.filter((d) => d.status === 'delivered').map((d) => d.id)).size;
    const failed = new Set(deliveries.filter((d) => d.status === 'failed').map((d) => d.id)).size;
    return {
      alerts: n,
      notificationsSent: sent,
      notificationsFailed: failed,
      flapRate: n === 0 ? null : alerts.filter((a) => flapped.has(a.id)).length / n,
      quickAutoResolveShare: n === 0 ? null : quick / n,
      acknowledged: acks.length,
      timeToAckMedianMs: quantile(acks, 0.5),
      timeToAckP90Ms: quantile(acks, 0.9),
      falsePositives: alerts.filter((a) => fpAlerts.has(a.id)).length,
    };
  };

  const alertsById = new Map(data.alerts.map((a) => [a.id, a]));
  const receivers = [...new Set(data.deliveries.map((d) => d.receiver))].sort().map((receiver) => {
    const deliveries = data.deliveries.filter((d) => d.receiver === receiver);
    const ids = new Set(deliveries.map((d) => d.alertId));
    const alerts = [...ids].flatMap((id) => {
      const a = alertsById.get(id);
      return a ? [a] : [];
    });
    return { receiver, ...figures(alerts, deliveries) };
  });

  const bySeries = new Map<string, AlertRow[]>();
  for (const a of data.alerts) bySeries.set(a.seriesId, [...(bySeries.get(a.seriesId) ?? []), a]);
  const series: SeriesQuality[] = [...bySeries.entries()].map(([seriesId, alerts]) => {
    const ids = new Set(alerts.map((a) => a.id));
    const first = alerts[0] as AlertRow;
    return {
      seriesId,
      service: first.service,
      endpoint: first.endpoint,
      metric: first.metric,
      ...figures(
        alerts,
        data.deliveries.filter((d) => ids.has(d.alertId)),
      ),
    };
  });
  series.sort(
    (a, b) =>
      b.notificationsSent - a.notificationsSent ||
      b.alerts - a.alerts ||
      (b.flapRate ?? 0) - (a.flapRate ?? 0) ||
      (a.seriesId < b.seriesId ? -1 : 1),
  );
  return {
    from: options.from,
    to: options.to,
    flapWindowMs,
    quickResolveMs,
    total: figures(data.alerts, data.deliveries),
    receivers,
    noisiestSeries: series.slice(0, options.top ?? 10),
  };
}
