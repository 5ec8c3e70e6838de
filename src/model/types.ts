/**
 * Vigil's domain records: what is stored, served by the API and pushed on the live feed.
 * Plain data, no behaviour; every subsystem outside the engine depends on these.
 */
import type { AnomalyComponent, AnomalyType } from '../engine/types.js';

export type { AnomalyComponent, AnomalyType };

/** What an alert is about: an anomaly type, or `no_data` (the series stopped reporting, see `alerting.noData`). */
export type AlertType = AnomalyType | 'no_data';

/** Label set of a series: name → value, both strings. */
export type Labels = Readonly<Record<string, string>>;

/** What kind of source a series comes from. */
export type SeriesKind = 'application' | 'business' | 'log' | 'host';

/** Identity of a series. The id is a stable hash of these fields (see `ingest/series-id`). */
export interface SeriesKey {
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
}

/** A series in the catalog. */
export interface SeriesInfo extends SeriesKey {
  readonly id: string;
  readonly kind: SeriesKind;
  /** First and last event time seen, Unix ms. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Samples learned by the detector. */
  readonly samples: number;
  /** Warm-up progress in [0, 1]. */
  readonly warmup: number;
  /** Last value seen. */
  readonly lastValue: number;
}

/** A stored sample with the detector's judgement. */
export interface PointRecord {
  readonly seriesId: string;
  /** Event time, Unix ms. */
  readonly t: number;
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  readonly score: number;
  readonly anomalous: boolean;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** An anomalous sample, with its explanation. */
export interface Anomaly {
  /** Deterministic id: `<log seq>-<index in record>`, so a replay rewrites the same row. */
  readonly id: string;
  readonly seriesId: string;
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
  /** Event time, Unix ms. */
  readonly t: number;
  readonly value: number;
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  readonly score: number;
  readonly confidence: number;
  readonly type: AnomalyType;
  readonly component: AnomalyComponent | null;
  readonly severity: Severity;
  /** Set when a business metric left its declared expected range. */
  readonly outOfDeclaredRange: boolean;
  /** One sentence a person can read in a notification. */
  readonly explanation: string;
  /** Alert this anomaly opened or updated, if any. */
  readonly alertId: string | null;
}

export type AlertStatus = 'firing' | 'acknowledged' | 'resolved';

/** An alert: one per series while open (deduplicated), from first anomaly to resolution. */
export interface Alert {
  readonly id: string;
  readonly seriesId: string;
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
  readonly status: AlertStatus;
  readonly severity: Severity;
  /** Event time of the first anomaly, Unix ms. */
  readonly startsAt: number;
  /** Event time of the latest anomaly, Unix ms. */
  readonly lastAnomalyAt: number;
  /** Event time at which it resolved, Unix ms, or null. */
  readonly resolvedAt: number | null;
  readonly anomalyCount: number;
  readonly maxScore: number;
  /** The anomaly type that opened (or last escalated) it, or `no_data` when the series stopped reporting. */
  readonly type: AlertType;
  readonly summary: string;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: number | null;
  readonly resolvedBy: string | null;
  readonly note: string | null;
  /** Wall time at which an acknowledgement lapses (the alert fires again if still open), Unix ms, or null. */
  readonly ackExpiresAt: number | null;
  /** Incident the alert belongs to (alerts firing together on one service or call chain), or null. */
  readonly incidentId: string | null;
  /** Version, incremented on every change (for idempotent delivery keys). */
  readonly version: number;
}

/**
 * What changed an alert: `ack_expired` when an acknowledgement with an expiry lapsed while the
 * alert was still open (it fires again and notifies again).
 */
export type AlertAction =
  | 'opened'
  | 'escalated'
  | 'updated'
  | 'acknowledged'
  | 'ack_expired'
  | 'resolved'
  | 'auto_resolved';

/** One entry of an alert's append-only history. */
export interface AlertEvent {
  readonly alertId: string;
  /** Position in the alert's history, from 1. */
  readonly seq: number;
  readonly action: AlertAction;
  /** Event time (ingest-driven) or wall time (user actions), Unix ms. */
  readonly at: number;
  readonly by: string | null;
  readonly note: string | null;
  readonly status: AlertStatus;
  readonly severity: Severity;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One notification to a receiver and its outcome. */
export interface Delivery {
  /** Idempotency key: `<receiver>:<alert id>:<alert version>`. */
  readonly id: string;
  readonly receiver: string;
  readonly alertId: string;
  readonly alertVersion: number;
  readonly payload: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  /** Wall time of creation / last attempt / next attempt, Unix ms. */
  readonly createdAt: number;
  readonly lastAttemptAt: number | null;
  readonly nextAttemptAt: number;
}

/** A kept log message (bounded per service). */
export interface LogRecord {
  /** Deterministic id: `<log seq>-<index in record>`, so a replay rewrites the same row. */
  readonly id: string;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly t: number;
  readonly traceId: string | null;
  readonly context: Readonly<Record<string, unknown>> | null;
}

/** One alert as a member of an incident. */
export interface IncidentMember {
  readonly alertId: string;
  readonly seriesId: string;
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly severity: Severity;
  readonly status: Alert['status'];
  /** Event time of the alert's first anomaly, Unix ms. */
  readonly since: number;
  readonly resolvedAt: number | null;
}

/** One entry of an incident's timeline. */
export interface IncidentEvent {
  /** Event time (alert changes driven by samples) or wall time (user actions), Unix ms. */
  readonly at: number;
  /** The alert action, or `incident_opened` / `incident_resolved`. */
  readonly action: AlertAction | 'incident_opened' | 'incident_resolved';
  readonly alertId: string | null;
  /** One sentence, e.g. `checkout /pay latency_ms opened (high): value 950 …`. */
  readonly text: string;
}

/** Who and what an incident touches, since when. */
export interface BlastRadius {
  readonly services: readonly string[];
  /** Series with an alert in the incident. */
  readonly series: number;
  /** Alerts still open. */
  readonly openAlerts: number;
  /** Event time of the earliest alert, Unix ms. */
  readonly since: number;
  /** One sentence, e.g. `3 series on 2 services (checkout, payment) since 2026-11-22T10:00:00.000Z`. */
  readonly summary: string;
}

/** An incident: alerts that belong together. */
export interface Incident {
  /** `inc-<id of the first alert>`; stable under replay. */
  readonly id: string;
  readonly status: 'open' | 'resolved';
  /** Highest severity any member reached. */
  readonly severity: Severity;
  /** Summary of the first alert, plus how many services joined. */
  readonly title: string;
  /** Event time of the first alert, Unix ms. */
  readonly startedAt: number;
  /** Time of the last change, Unix ms. */
  readonly updatedAt: number;
  readonly resolvedAt: number | null;
  readonly alerts: readonly IncidentMember[];
  readonly blastRadius: BlastRadius;
  /** Oldest first; at most 500 entries (`MAX_TIMELINE` in `alerting/incidents`; the oldest are dropped, the first kept). */
  readonly timeline: readonly IncidentEvent[];
  /** Incremented on every change. */
  readonly version: number;
}

/** One matcher of a silence, in the shape of Alertmanager's API. */
export interface SilenceMatcherRecord {
  readonly name: string;
  readonly value: string;
  /** Value is a regex, matched against the whole label value. */
  readonly isRegex: boolean;
  /** false negates the matcher (`!=`, `!~`). */
  readonly isEqual: boolean;
}

/** A silence: alerts whose labels match every matcher are not notified between the times (Unix ms). */
export interface SilenceRecord {
  readonly id: string;
  readonly matchers: readonly SilenceMatcherRecord[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** An event on the live feed and the event bus. */
export type LiveEvent =
  | { readonly type: 'anomaly'; readonly anomaly: Anomaly }
  | { readonly type: 'alert'; readonly alert: Alert; readonly action: AlertAction }
  | { readonly type: 'point'; readonly point: PointRecord }
  /** An incident opened, changed member status or severity, or resolved (not sent for count-only updates). */
  | { readonly type: 'incident'; readonly incident: Incident }
  /** A silence was created or replaced (`upserted`) or ended early (`expired`). */
  | { readonly type: 'silence'; readonly action: 'upserted' | 'expired'; readonly silence: SilenceRecord };
