/**
 * Alert lifecycle: anomalies open or update one alert per series (deduplication), alerts
 * move firing → acknowledged → resolved, and resolve by themselves once the series has been
 * normal for the recovery window (in event time, so a replay decides exactly as live ingest).
 * A series can also have one `no_data` alert, opened when it stopped reporting and resolved
 * when it reports again (see `alerting/no-data`), next to its anomaly alert.
 *
 * Deterministic: everything it decides comes from its inputs (samples with their event time,
 * user actions with the time they were received), so it can be rebuilt from the ingest log.
 * Every change is reported through {@link AlertSink}; nothing here does I/O.
 */
import type { Alert, AlertAction, AlertEvent, Anomaly, SeriesKey, Severity } from '../model/types.js';
import { maxSeverity, severityFor, severityRank } from './severity.js';

/** Options of the lifecycle, from `config.alerting`. */
export interface AlertLifecycleOptions {
  /** Anomalies within `triggerWindowMs` needed to open an alert. */
  readonly triggerCount: number;
  readonly triggerWindowMs: number;
  /** Normal time (event time) after the last anomaly before auto-resolve, ms. */
  readonly recoveryWindowMs: number;
  readonly criticalScore: number;
}

/** Receives every alert change (to store, publish and notify). */
export interface AlertSink {
  alertChanged(alert: Alert, event: AlertEvent | null, action: AlertAction): void;
}

/** A user action on an alert. */
export interface AlertActionRequest {
  readonly action: 'acknowledge' | 'resolve';
  readonly alertId: string;
  readonly by: string | null;
  readonly note: string | null;
  /** When it was received, Unix ms. */
  readonly at: number;
  /**
   * Acknowledge only: wall time (Unix ms) at which the acknowledgement lapses; if the alert is
   * still open then, it fires again and notifies again. Null or absent: until resolved.
   */
  readonly ackExpiresAt?: number | null;
}

/** Why an action was refused. */
export type ActionRefusal = 'not_found' | 'already_resolved';

interface OpenAlert {
  alert: Alert;
  /** Events appended so far. */
  historyLength: number;
}

interface SerializedState {
  readonly nextId: number;
  readonly open: ReadonlyArray<readonly [Alert, number]>;
  readonly pending: ReadonlyArray<readonly [string, number[]]>;
}

/**
 * A new firing alert (version 1) on `series`: nobody acknowledged or resolved it, no incident yet.
 * @param fields what it is about and since when (times Unix ms)
 */
export function firingAlert(
  id: string,
  series: SeriesKey & { readonly id: string },
  fields: Pick<
    Alert,
    'severity' | 'startsAt' | 'lastAnomalyAt' | 'anomalyCount' | 'maxScore' | 'type' | 'summary'
  >,
): Alert {
  return {
    id,
    seriesId: series.id,
    service: series.service,
    endpoint: series.endpoint,
    metric: series.metric,
    labels: series.labels,
    status: 'firing',
    ...fields,
    resolvedAt: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    note: null,
    ackExpiresAt: null,
    incidentId: null,
    version: 1,
  };
}

/** Key of an open alert: the series id, plus a suffix for `no_data` alerts (one of each kind per series). */
function keyOf(alert: Pick<Alert, 'seriesId' | 'type'>): string {
  return alert.type === 'no_data' ? `${alert.seriesId}\u0000no_data` : alert.seriesId;
}

/** The alert lifecycle state machine. */
export class AlertManager {
  private nextId = 1;
  /** Open (firing or acknowledged) alerts by {@link keyOf}: the anomaly alert under the series id. */
  private readonly open = new Map<string, OpenAlert>();
  /** Open alerts by alert id. */
  private readonly byId = new Map<string, OpenAlert>();
  /** Ids of acknowledged alerts whose acknowledgement has an expiry (kept small: checked on every record). */
  private readonly expiring = new Set<string>();
  /** Event times of recent anomalies not yet enough to open an alert, per series. */
  private readonly pending = new Map<string, number[]>();

  constructor(
    private readonly options: AlertLifecycleOptions,
    private readonly sink: AlertSink,
  ) {}

  /** Number of open alerts. */
  get openCount(): number {
    return this.open.size;
  }

  /** The open alert of a series, if any. */
  openAlertOf(seriesId: string): Alert | null {
    return this.open.get(seriesId)?.alert ?? null;
  }

  /** The open alert with this id, if any. */
  openAlert(alertId: string): Alert | null {
    return this.byId.get(alertId)?.alert ?? null;
  }

  /**
   * Feeds an anomalous sample. Opens an alert once the trigger holds, otherwise updates the
   * series' open alert (count, peak score, severity escalation).
   * @returns the id of the alert the anomaly belongs to, or null while the trigger does not hold yet
   */
  onAnomaly(series: SeriesKey & { readonly id: string }, anomaly: Omit<Anomaly, 'alertId'>): string | null {
    const current = this.open.get(series.id);
    if (current) {
      const a = current.alert;
      const maxScore = Math.max(a.maxScore, anomaly.score);
      const severity = maxSeverity(
        a.severity,
        severityFor(maxScore, anomaly.confidence, anomaly.t - a.startsAt, this.options),
      );
      const escalated = severityRank(severity) > severityRank(a.severity);
      const updated: Alert = {
        ...a,
        severity,
        maxScore,
        anomalyCount: a.anomalyCount + 1,
        lastAnomalyAt: Math.max(a.lastAnomalyAt, anomaly.t),
        version: a.version + (escalated ? 1 : 0),
        ...(escalated ? { summary: anomaly.explanation, type: anomaly.type } : {}),
      };
      this.replace(current, updated);
      if (escalated) this.record(current, 'escalated', anomaly.t, null, null);
      else this.sink.alertChanged(updated, null, 'updated');
      return a.id;
    }
    const times = (this.pending.get(series.id) ?? []).filter(
      (t) => anomaly.t - t < this.options.triggerWindowMs,
    );
    times.push(anomaly.t);
    if (times.length < this.options.triggerCount) {
      this.pending.set(series.id, times);
      return null;
    }
    this.pending.delete(series.id);
    const startsAt = times[0] ?? anomaly.t;
    const alert = firingAlert(String(this.nextId++), series, {
      severity: severityFor(anomaly.score, anomaly.confidence, anomaly.t - startsAt, this.options),
      startsAt,
      lastAnomalyAt: anomaly.t,
      anomalyCount: times.length,
      maxScore: anomaly.score,
      type: anomaly.type,
      summary: anomaly.explanation,
    });
    const entry: OpenAlert = { alert, historyLength: 0 };
    this.open.set(series.id, entry);
    this.byId.set(alert.id, entry);
    this.record(entry, 'opened', anomaly.t, null, null);
    return alert.id;
  }

  /**
   * Opens a `no_data` alert on a series that stopped reporting (nothing when one is open).
   * @param at receive time at which the silence was noticed, Unix ms (the alert's start)
   * @param summary one sentence, e.g. `no samples for 10 min (last at …)`
   * @returns the id of the alert opened, or null
   */
  onNoData(
    series: SeriesKey & { readonly id: string },
    at: number,
    severity: Severity,
    summary: string,
  ): string | null {
    const key = keyOf({ seriesId: series.id, type: 'no_data' });
    if (this.open.has(key)) return null;
    const alert = firingAlert(String(this.nextId++), series, {
      severity,
      startsAt: at,
      lastAnomalyAt: at,
      anomalyCount: 0,
      maxScore: 1,
      type: 'no_data',
      summary,
    });
    const entry: OpenAlert = { alert, historyLength: 0 };
    this.open.set(key, entry);
    this.byId.set(alert.id, entry);
    this.record(entry, 'opened', at, null, null);
    return alert.id;
  }

  /** Resolves the series' `no_data` alert, if one is open, because a sample arrived at `at` (Unix ms). */
  onData(seriesId: string, at: number): void {
    const current = this.open.get(keyOf({ seriesId, type: 'no_data' }));
    if (current) this.close(current, 'auto_resolved', at, null, 'samples arrive again');
  }

  /** Feeds a normal sample: auto-resolves the series' alert after the recovery window. */
  onNormal(seriesId: string, t: number): void {
    const current = this.open.get(seriesId);
    if (!current) {
      if (this.pending.has(seriesId)) {
        const times = this.pending.get(seriesId)?.filter((x) => t - x < this.options.triggerWindowMs) ?? [];
        if (times.length === 0) this.pending.delete(seriesId);
        else this.pending.set(seriesId, times);
      }
      return;
    }
    if (t - current.alert.lastAnomalyAt >= this.options.recoveryWindowMs) {
      this.close(
        current,
        'auto_resolved',
        t,
        null,
        `normal for ${Math.round((t - current.alert.lastAnomalyAt) / 1000)} s`,
      );
    }
  }

  /**
   * Acknowledges or resolves an open alert.
   * @returns the changed alert, or why it was refused
   */
  act(request: AlertActionRequest): Alert | ActionRefusal {
    const current = this.byId.get(request.alertId);
    if (!current) return 'not_found';
    if (request.action === 'resolve') {
      this.close(current, 'resolved', request.at, request.by, request.note);
      return current.alert;
    }
    const ackExpiresAt = request.ackExpiresAt ?? null;
    if (ackExpiresAt !== null && ackExpiresAt > request.at) this.expiring.add(current.alert.id);
    else this.expiring.delete(current.alert.id);
    const updated: Alert = {
      ...current.alert,
      status: 'acknowledged',
      acknowledgedBy: request.by,
      acknowledgedAt: request.at,
      ackExpiresAt: ackExpiresAt !== null && ackExpiresAt > request.at ? ackExpiresAt : null,
      note: request.note ?? current.alert.note,
      version: current.alert.version + 1,
    };
    this.replace(current, updated);
    const until =
      updated.ackExpiresAt === null ? '' : ` until ${new Date(updated.ackExpiresAt).toISOString()}`;
    this.record(
      current,
      'acknowledged',
      request.at,
      request.by,
      request.note ?? (until ? `acknowledged${until}` : null),
    );
    return updated;
  }

  /**
   * Lapses the acknowledgements whose expiry is at or before `now`: each such alert, still
   * open, fires again (action `ack_expired`, a new version, so receivers are notified again).
   * @param now wall time of the log record being applied, Unix ms
   * @returns how many acknowledgements lapsed
   */
  expireAcks(now: number): number {
    if (this.expiring.size === 0) return 0;
    let lapsed = 0;
    for (const id of [...this.expiring].sort((a, b) => Number(a) - Number(b))) {
      const entry = this.byId.get(id);
      const a = entry?.alert;
      if (!entry || !a || a.status !== 'acknowledged' || a.ackExpiresAt === null) {
        this.expiring.delete(id);
        continue;
      }
      if (a.ackExpiresAt > now) continue;
      this.expiring.delete(id);
      this.replace(entry, { ...a, status: 'firing', ackExpiresAt: null, version: a.version + 1 });
      this.record(
        entry,
        'ack_expired',
        now,
        null,
        `acknowledgement by ${a.acknowledgedBy ?? 'unknown'} lapsed while still firing`,
      );
      lapsed++;
    }
    return lapsed;
  }

  /** Earliest acknowledgement expiry among open alerts (Unix ms), or null. */
  nextAckExpiry(): number | null {
    let next: number | null = null;
    for (const id of this.expiring) {
      const alert = this.byId.get(id)?.alert;
      if (
        alert !== undefined &&
        alert.status === 'acknowledged' &&
        alert.ackExpiresAt !== null &&
        (next === null || alert.ackExpiresAt < next)
      )
        next = alert.ackExpiresAt;
    }
    return next;
  }

  /** Sets the incident of an open alert (no new version: it is bookkeeping, not a change to notify). */
  setIncident(alertId: string, incidentId: string): void {
    const entry = this.byId.get(alertId);
    if (entry) entry.alert = { ...entry.alert, incidentId };
  }

  private close(
    current: OpenAlert,
    action: 'resolved' | 'auto_resolved',
    at: number,
    by: string | null,
    note: string | null,
  ) {
    const a = current.alert;
    const resolved: Alert = {
      ...a,
      status: 'resolved',
      ackExpiresAt: null,
      resolvedAt: at,
      resolvedBy: by,
      note: note ?? a.note,
      version: a.version + 1,
    };
    this.replace(current, resolved);
    this.open.delete(keyOf(a));
    this.byId.delete(a.id);
    this.expiring.delete(a.id);
    this.record(current, action, at, by, note);
  }

  private replace(entry: OpenAlert, alert: Alert): void {
    entry.alert = alert;
  }

  private record(
    entry: OpenAlert,
    action: AlertAction,
    at: number,
    by: string | null,
    note: string | null,
  ): void {
    entry.historyLength += 1;
    const a = entry.alert;
    const event: AlertEvent = {
      alertId: a.id,
      seq: entry.historyLength,
      action,
      at,
      by,
      note,
      status: a.status,
      severity: a.severity,
    };
    this.sink.alertChanged(a, event, action);
  }

  /** Serializable state for checkpoints. */
  snapshot(): SerializedState {
    return {
      nextId: this.nextId,
      open: [...this.open.values()].map((o) => [o.alert, o.historyLength] as const),
      pending: [...this.pending.entries()],
    };
  }

  /** Restores a state made by {@link snapshot}. */
  restore(state: unknown): void {
    const s = state as SerializedState;
    this.nextId = s.nextId;
    this.open.clear();
    this.byId.clear();
    this.pending.clear();
    this.expiring.clear();
    for (const [saved, historyLength] of s.open) {
      // Checkpoints from before ack expiry and incidents lack those fields.
      const alert: Alert = {
        ...saved,
        ackExpiresAt: saved.ackExpiresAt ?? null,
        incidentId: saved.incidentId ?? null,
      };
      const entry: OpenAlert = { alert, historyLength };
      this.open.set(keyOf(alert), entry);
      this.byId.set(alert.id, entry);
      if (alert.status === 'acknowledged' && alert.ackExpiresAt !== null) this.expiring.add(alert.id);
    }
    for (const [id, times] of s.pending) this.pending.set(id, [...times]);
  }
}

/** Severity ordering helper re-exported for callers that sort alerts. */
export type { Severity };
