/**
 * The deterministic core of the server: applies ingest-log records to the series, their
 * detectors, the rate windows and the alert lifecycle, and collects the derived rows to be
 * written. Given the same records in the same order it reaches the same state and produces
 * the same rows, which is what makes replay after a crash exact.
 *
 * Applying is synchronous; writing is not done here (see {@link Pipeline.takeBatch}).
 */

import type { ActionRefusal } from '../alerting/alert-manager.js';
import { AlertManager } from '../alerting/alert-manager.js';
import { applyFeedback, type Feedback, feedbackActive } from '../alerting/feedback/feedback.js';
import { IncidentTracker, type IncidentTrackerState } from '../alerting/incidents/incident.js';
import { MaintenanceWindow, type MaintenanceWindowConfig } from '../alerting/maintenance/window.js';
import { type NoDataDue, type NoDataRule, type NoDataState, NoDataWatch } from '../alerting/no-data/watch.js';
import {
  type AnomalyValues,
  createNotifier,
  type Notifier,
  type NotifierSnapshot,
  type RouteTreeConfig,
} from '../alerting/routing/index.js';
import type { Silence } from '../alerting/silences/index.js';
import type { ReceiverConfig } from '../config/index.js';
import {
  type DetectorFactory,
  explainFingerprint,
  explainVerdict,
  type ScoredFingerprint,
  type Verdict,
} from '../engine/index.js';
import type { IngestItem, SampleItem } from '../ingest/items.js';
import { type RateSample, RateWindows } from '../ingest/rate-windows.js';
import { seriesId } from '../ingest/series-id.js';
import type {
  Alert,
  AlertAction,
  AlertEvent,
  Anomaly,
  Delivery,
  Labels,
  LiveEvent,
  LogRecord,
  PointRecord,
  SeriesKey,
} from '../model/types.js';
import type { Checkpoint, WriteBatch } from '../store/types.js';
import { type LiveSeries, SeriesRegistry } from './series-registry.js';
import { SystemView } from './system-view.js';

/** Body of an `ingest` log record. */
export interface IngestBody {
  readonly items: readonly IngestItem[];
  /** Idempotency key of the request, if it had one. */
  readonly key?: string;
  /** The answer given, replayed to a retry with the same key. */
  readonly answer: IngestAnswer;
}

/** What an ingest request was answered (without per-item errors). */
export interface IngestAnswer {
  readonly accepted: number;
  readonly rejected: number;
  readonly points: number;
}

/** Body of an `alert_action` log record. */
export interface AlertActionBody {
  readonly action: 'acknowledge' | 'resolve';
  readonly alertId: string;
  readonly by: string | null;
  readonly note: string | null;
  /** Acknowledge only: when the acknowledgement lapses, Unix ms (wall time). */
  readonly ackExpiresAt?: number | null;
}

/** A maintenance window as the pipeline keeps it: from the config or created through the API. */
export interface MaintenanceEntry {
  /** `config:<name>` for configured windows, a UUID for API ones. */
  readonly id: string;
  readonly source: 'config' | 'api';
  readonly window: MaintenanceWindowConfig;
  readonly createdBy: string;
  /** Unix ms (0 for configured windows). */
  readonly createdAt: number;
}

/** Body of a `maintenance` log record: create/replace an API window, or delete one. */
export type MaintenanceBody =
  | { readonly op: 'upsert'; readonly entry: MaintenanceEntry }
  | { readonly op: 'delete'; readonly id: string };

/**
 * Body of a `feedback` log record: a complete feedback to record (`add`), or the same feedback
 * with `revokedAt`/`revokedBy` set (`revoke`). The API builds it (reading the marked anomalies),
 * so applying it needs nothing but the record.
 */
export interface FeedbackBody {
  readonly op: 'add' | 'revoke';
  readonly feedback: Feedback;
}

/** Options of the pipeline, from the config. */
export interface PipelineOptions {
  readonly detectorFactory: DetectorFactory;
  readonly sensitivity: number;
  readonly rateWindowMs: number;
  readonly alerting: {
    readonly triggerCount: number;
    readonly triggerWindowMs: number;
    readonly recoveryWindowMs: number;
    readonly criticalScore: number;
  };
  readonly receivers: readonly ReceiverConfig[];
  /** `config.alerting.routing`; undefined keeps the legacy fan-out to every receiver. */
  readonly routing?: RouteTreeConfig | undefined;
  /** `config.alerting.inhibit` (default true). */
  readonly inhibit?: boolean | undefined;
  /** `config.alerting.maintenance`: recurring maintenance windows. */
  readonly maintenance?: readonly MaintenanceWindowConfig[] | undefined;
  /** `config.alerting.silenceReminderMs` (default 1 h; 0 = no reminders). */
  readonly silenceReminderMs?: number | undefined;
  /** `config.alerting.noData`: series that must keep reporting. */
  readonly noData?: readonly NoDataRule[] | undefined;
  readonly publicUrl: string;
  /** Live events (anomalies, alert changes) as they are produced; not called while replaying. */
  readonly publish: (event: LiveEvent) => void;
  /** Every stored point, for live subscribers; not called while replaying. */
  readonly onPoint?: (point: PointRecord) => void;
  /** Called when a logged item cannot be applied (it is skipped; the rest of the record applies). */
  readonly onItemError?: (error: unknown, item: IngestItem) => void;
  /** Idempotency keys remembered (oldest forgotten first). */
  readonly idempotencyCapacity?: number;
}

interface PipelineState {
  readonly system?: unknown;
  readonly alerts: unknown;
  readonly windows: unknown;
  readonly keys: ReadonlyArray<readonly [string, IngestAnswer & { seq: number }]>;
  /** Routing groups, open alerts and silences (absent in checkpoints from before routing). */
  readonly notifier?: NotifierSnapshot | null;
  /** Open incidents (absent in checkpoints from before incidents). */
  readonly incidents?: IncidentTrackerState;
  /** Maintenance windows created through the API. */
  readonly maintenance?: readonly MaintenanceEntry[];
  /** Active series-scoped feedback. */
  readonly feedback?: readonly Feedback[];
  /** Last receive time of the series watched for missing data. */
  readonly noData?: NoDataState;
}

/** Body of a `silence` log record: create/replace a silence, or expire one now. */
export type SilenceBody =
  | { readonly op: 'upsert'; readonly silence: Silence }
  | { readonly op: 'expire'; readonly id: string };

/** Expired silences are kept this long for display, then dropped from the state, ms. */
const EXPIRED_SILENCE_KEEP_MS = 24 * 3_600_000;

/** Counters of what the pipeline has processed (for `/metrics`). */
export interface PipelineCounters {
  samples: number;
  anomalies: number;
  /** Logged items the pipeline could not apply (a bug or an engine precondition; each is logged). */
  failedItems: number;
  /** Samples scored but not learned because a maintenance window covered them. */
  maintenanceSamples: number;
  /** Anomalous samples made normal by "not an anomaly" feedback. */
  feedbackSuppressed: number;
}

/** Applies log records and accumulates the derived rows. */
export class Pipeline {
  readonly series: SeriesRegistry;
  readonly alerts: AlertManager;
  /** Per-service fingerprints and cross-series anomaly correlation. */
  readonly system: SystemView;
  readonly counters: PipelineCounters = {
    samples: 0,
    anomalies: 0,
    failedItems: 0,
    maintenanceSamples: 0,
    feedbackSuppressed: 0,
  };
  /** Alerts grouped into incidents. */
  readonly incidents: IncidentTracker;
  private readonly windows: RateWindows;
  private readonly keys = new Map<string, IngestAnswer & { seq: number }>();
  private replaying = false;
  private appliedSeq = 0;

  // Rows waiting to be written.
  private points: PointRecord[] = [];
  private anomalies: Anomaly[] = [];
  private alertRows = new Map<string, Alert>();
  private alertEvents: AlertEvent[] = [];
  private deliveries: Delivery[] = [];
  private logs: LogRecord[] = [];
  private feedbackRows = new Map<string, Feedback>();

  /** Maintenance windows by id: configured ones first, then API ones in creation order. */
  private readonly maintenanceEntries = new Map<string, MaintenanceEntry>();
  private maintenanceWindows: readonly {
    readonly entry: MaintenanceEntry;
    readonly window: MaintenanceWindow;
  }[] = [];
  /** Bumped when the windows change, to invalidate {@link seriesWindows}. */
  private maintenanceVersion = 0;
  private readonly seriesWindows = new Map<
    string,
    { version: number; windows: readonly MaintenanceWindow[] }
  >();
  /** Active series-scoped feedback by series id. */
  private readonly feedbackBySeries = new Map<string, Feedback[]>();
  /** Series that must keep reporting (`alerting.noData`). */
  private readonly noData: NoDataWatch;
  /** Correlation group of the anomaly being recorded, for the incident of the alert it opens. */
  private currentGroup: string | null = null;

  // Context of the record being applied.
  private currentSeq = 0;
  private currentReceivedAt = 0;
  /** Actual/expected of the anomaly being applied, for the notification it may cause. */
  private currentValues: AnomalyValues | null = null;
  /** Routing, grouping, silences, inhibition → deliveries; null without receivers. */
  private readonly notifier: Notifier | null;
  private anomalyIndex = 0;
  private logIndex = 0;

  constructor(private readonly options: PipelineOptions) {
    this.series = new SeriesRegistry(options.detectorFactory, { sensitivity: options.sensitivity });
    this.windows = new RateWindows(options.rateWindowMs);
    this.notifier = createNotifier({
      receivers: options.receivers,
      routing: options.routing,
      publicUrl: options.publicUrl,
      inhibit: options.inhibit,
      silenceReminderMs: options.silenceReminderMs,
    });
    this.system = new SystemView(options.rateWindowMs, options.sensitivity);
    this.incidents = new IncidentTracker(
      (g) => this.system.resolveGroup(g),
      (incident) => {
        if (!this.replaying) this.options.publish({ type: 'incident', incident });
      },
    );
    for (const window of options.maintenance ?? []) {
      const id = `config:${window.name}`;
      this.maintenanceEntries.set(id, { id, source: 'config', window, createdBy: 'config', createdAt: 0 });
    }
    this.compileMaintenance();
    this.noData = new NoDataWatch(options.noData ?? []);
    this.alerts = new AlertManager(options.alerting, {
      alertChanged: (alert, event, action) => this.onAlertChanged(alert, event, action),
    });
  }

  /** Seq of the last applied record. */
  get lastAppliedSeq(): number {
    return this.appliedSeq;
  }

  /** Rows waiting to be written. */
  get pendingRows(): number {
    return this.points.length + this.anomalies.length + this.alertEvents.length + this.logs.length;
  }

  /** The answer already given to a request with this idempotency key, if remembered. */
  answered(key: string): (IngestAnswer & { seq: number }) | undefined {
    return this.keys.get(key);
  }

  /** Applies an `ingest` record. */
  applyIngest(seq: number, receivedAt: number, body: IngestBody): void {
    this.begin(seq, receivedAt);
    for (const item of body.items) {
      try {
        this.applyItem(item);
      } catch (err) {
        // A logged record must always apply (or replay would fail at every start): an item the
        // engine refuses is counted and reported, and the rest of the record goes on.
        this.counters.failedItems++;
        this.options.onItemError?.(err, item);
      }
    }
    if (body.key !== undefined) this.remember(body.key, { ...body.answer, seq });
    this.flushNotifications();
  }

  /**
   * Applies a `tick` record: lets group waits, intervals and repeats elapse at its time. The
   * runtime appends one when {@link nextNotificationAt} has passed, so notifications that
   * depend only on time are decided from the log too and replay identically.
   */
  applyTick(seq: number, receivedAt: number): void {
    this.begin(seq, receivedAt);
    this.flushNotifications();
  }

  /** Whether `alerting.noData` rules are configured (a start then logs a `restart` record). */
  get watchesNoData(): boolean {
    return this.noData.enabled;
  }

  /**
   * Applies a `restart` record (written when Vigil starts, after the replay): series watched
   * for missing data get a full `afterMs` from now, as Vigil received nothing while it was down.
   */
  applyRestart(seq: number, receivedAt: number): void {
    this.noData.grace(receivedAt);
    this.begin(seq, receivedAt);
    this.flushNotifications();
  }

  /** Applies a `silence` record (create/replace, or expire at the record's time). */
  applySilence(seq: number, receivedAt: number, body: SilenceBody): void {
    this.begin(seq, receivedAt);
    if (!this.notifier) return;
    const byId = new Map(this.notifier.currentSilences.map((s) => [s.id, s]));
    let changed: { action: 'upserted' | 'expired'; silence: Silence } | null = null;
    if (body.op === 'upsert') {
      byId.set(body.silence.id, body.silence);
      changed = { action: 'upserted', silence: body.silence };
    } else {
      const s = byId.get(body.id);
      if (s && s.endsAt > receivedAt) {
        const expired = { ...s, endsAt: Math.max(s.startsAt + 1, receivedAt) };
        byId.set(s.id, expired);
        changed = { action: 'expired', silence: expired };
      }
    }
    this.notifier.setSilences(
      [...byId.values()].filter((s) => s.endsAt > receivedAt - EXPIRED_SILENCE_KEEP_MS),
    );
    if (changed && !this.replaying) this.options.publish({ type: 'silence', ...changed });
    this.flushNotifications();
  }

  /** The silences known (active, pending, and expired within the last day). */
  get silences(): readonly Silence[] {
    return this.notifier?.currentSilences ?? [];
  }

  /** Wall time (Unix ms) at which a `tick` record should be applied, or null when none is needed. */
  nextNotificationAt(): number | null {
    const times = [
      this.notifier?.nextWakeAt(this.currentReceivedAt) ?? null,
      this.alerts.nextAckExpiry(),
      this.noData.nextDueAt(),
    ].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  /** Applies a `maintenance` record (create/replace or delete an API-created window). */
  applyMaintenance(seq: number, receivedAt: number, body: MaintenanceBody): void {
    this.begin(seq, receivedAt);
    if (body.op === 'upsert') this.maintenanceEntries.set(body.entry.id, body.entry);
    else if (this.maintenanceEntries.get(body.id)?.source === 'api') this.maintenanceEntries.delete(body.id);
    this.compileMaintenance();
    this.flushNotifications();
  }

  /** Maintenance windows known (configured, then created through the API), with their compiled schedule. */
  get maintenance(): readonly { readonly entry: MaintenanceEntry; readonly window: MaintenanceWindow }[] {
    return this.maintenanceWindows;
  }

  private compileMaintenance(): void {
    this.maintenanceWindows = [...this.maintenanceEntries.values()].map((entry) => ({
      entry,
      window: new MaintenanceWindow(entry.window),
    }));
    this.maintenanceVersion++;
    this.seriesWindows.clear();
    this.notifier?.setMaintenance(this.maintenanceWindows.map((w) => w.window));
  }

  /** The maintenance windows whose matchers cover a series (cached per series until the windows change). */
  private windowsOf(s: LiveSeries): readonly MaintenanceWindow[] {
    if (this.maintenanceWindows.length === 0) return [];
    const cached = this.seriesWindows.get(s.id);
    if (cached && cached.version === this.maintenanceVersion) return cached.windows;
    const labels = labelsOf(s);
    const windows = this.maintenanceWindows.map((w) => w.window).filter((w) => w.matches(labels));
    this.seriesWindows.set(s.id, { version: this.maintenanceVersion, windows });
    return windows;
  }

  /**
   * Applies a `feedback` record: records (or revokes) a "not an anomaly" feedback. Series scope
   * widens the series' band while active; an open alert it was given on, or (series scope) the
   * series' open alert, is resolved with the reason as note.
   */
  applyFeedback(seq: number, receivedAt: number, body: FeedbackBody): void {
    this.begin(seq, receivedAt);
    const f = body.feedback;
    this.feedbackRows.set(f.id, f);
    const list = (this.feedbackBySeries.get(f.seriesId) ?? []).filter(
      (x) => x.id !== f.id && feedbackActive(x, receivedAt),
    );
    if (body.op === 'add' && feedbackActive(f, receivedAt)) list.push(f);
    if (list.length > 0) this.feedbackBySeries.set(f.seriesId, list);
    else this.feedbackBySeries.delete(f.seriesId);
    if (body.op === 'add') {
      const open = this.alerts.openAlertOf(f.seriesId);
      if (open && (open.id === f.alertId || f.scope === 'series')) {
        this.alerts.act({
          action: 'resolve',
          alertId: open.id,
          by: f.createdBy,
          note: `not an anomaly${f.reason ? `: ${f.reason}` : ''}`,
          at: receivedAt,
        });
      }
    }
    this.flushNotifications();
  }

  private flushNotifications(): void {
    if (!this.notifier) return;
    for (const d of this.notifier.flush(this.currentReceivedAt)) this.deliveries.push(d);
  }

  /** Applies an `alert_action` record. */
  applyAction(seq: number, receivedAt: number, body: AlertActionBody): Alert | ActionRefusal {
    this.begin(seq, receivedAt);
    const result = this.alerts.act({ ...body, at: receivedAt });
    if (typeof result !== 'string' && result.incidentId === null) {
      const incidentId = this.incidents.alertChanged(result, 'updated', null, receivedAt);
      if (incidentId !== null) return { ...result, incidentId };
    }
    this.flushNotifications();
    return result;
  }

  /** Applies any record from the log (used by replay). */
  applyRecord(seq: number, kind: string, receivedAt: number, body: unknown): void {
    if (kind === 'ingest') this.applyIngest(seq, receivedAt, body as IngestBody);
    else if (kind === 'alert_action') this.applyAction(seq, receivedAt, body as AlertActionBody);
    else if (kind === 'tick') this.applyTick(seq, receivedAt);
    else if (kind === 'silence') this.applySilence(seq, receivedAt, body as SilenceBody);
    else if (kind === 'maintenance') this.applyMaintenance(seq, receivedAt, body as MaintenanceBody);
    else if (kind === 'feedback') this.applyFeedback(seq, receivedAt, body as FeedbackBody);
    else if (kind === 'restart') this.applyRestart(seq, receivedAt);
    else throw new Error(`unknown ingest log record kind "${kind}" at seq ${seq}`);
  }

  /** Runs `fn` with live publishing off (for replaying the log at start). */
  replay(fn: () => void): void {
    this.replaying = true;
    try {
      fn();
    } finally {
      this.replaying = false;
    }
  }

  private begin(seq: number, receivedAt: number): void {
    if (seq <= this.appliedSeq)
      throw new Error(`log record ${seq} applied out of order (last ${this.appliedSeq})`);
    this.currentSeq = seq;
    this.currentReceivedAt = receivedAt;
    this.anomalyIndex = 0;
    this.logIndex = 0;
    this.appliedSeq = seq;
    // Acknowledgements that lapsed by this record's time fire again before it applies, and
    // series silent for longer than their no-data rule allows get their alert.
    let changed = this.alerts.expireAcks(receivedAt) > 0;
    if (this.noData.enabled) {
      for (const due of this.noData.due(receivedAt)) changed = this.openNoData(due, receivedAt) || changed;
    }
    if (changed) this.flushNotifications();
  }

  /** Opens the `no_data` alert of a series that went silent; false when it has one already. */
  private openNoData(due: NoDataDue, now: number): boolean {
    const s = this.series.get(due.seriesId);
    if (!s) return false;
    const gap = Math.round((now - due.lastAt) / 1000);
    const summary =
      `no samples for ${gap} s (rule "${due.rule.name}" allows ${Math.round(due.rule.afterMs / 1000)} s; ` +
      `last received ${new Date(due.lastAt).toISOString()})`;
    return this.alerts.onNoData(s, now, due.rule.severity, summary) !== null;
  }

  private remember(key: string, answer: IngestAnswer & { seq: number }): void {
    this.keys.delete(key);
    this.keys.set(key, answer);
    const cap = this.options.idempotencyCapacity ?? 100_000;
    while (this.keys.size > cap) {
      const oldest = this.keys.keys().next().value as string;
      this.keys.delete(oldest);
    }
  }

  private applyItem(item: IngestItem): void {
    switch (item.k) {
      case 'sample':
        this.applySample(item);
        return;
      case 'request':
        this.windows.request(item.service, item.endpoint, item.t, item.status, this.onRate);
        for (const scored of this.system.observeRequest(
          item.service,
          item.endpoint,
          item.t,
          item.latencyMs !== undefined && item.latencyMs >= 0 ? item.latencyMs : null,
          item.status >= 500,
        )) {
          if (scored.verdict.anomalous) this.onFingerprintAnomaly(scored);
        }
        return;
      case 'log':
        this.windows.log(item.service, item.level, item.t, this.onRate);
        this.logs.push({
          id: `${this.currentSeq}-l${this.logIndex++}`,
          service: item.service,
          level: item.level,
          message: item.message,
          t: item.t,
          traceId: item.traceId,
          context: item.context,
        });
        return;
    }
  }

  private readonly onRate = (s: RateSample): void => {
    this.applySample({ k: 'sample', ...s });
  };

  private applySample(item: SampleItem): void {
    const s = this.series.resolve(item.kind, item.service, item.endpoint, item.metric, item.labels, item.t);
    const windows = this.windowsOf(s);
    // In a maintenance window (event time) the detector scores without learning: a deploy or
    // a backup is not learned as normal.
    const maintenance = windows.length > 0 && windows.some((w) => w.activeAt(item.t));
    const sample = { t: item.t, v: item.v };
    const raw = maintenance ? s.detector.score(sample) : s.detector.update(sample);
    if (maintenance) this.counters.maintenanceSamples++;
    this.counters.samples++;
    const rules = this.feedbackBySeries.get(s.id);
    let verdict = raw;
    if (rules) {
      const adjusted = applyFeedback(raw, item.v, rules, this.currentReceivedAt);
      if (adjusted.suppressedBy !== null) this.counters.feedbackSuppressed++;
      verdict = { ...raw, lower: adjusted.lower, upper: adjusted.upper, anomalous: adjusted.anomalous };
    }
    if (item.t >= s.lastSeen || s.detector.samples <= 1) {
      s.lastSeen = Math.max(s.lastSeen, item.t);
      s.lastValue = item.v;
    }
    s.firstSeen = Math.min(s.firstSeen, item.t);
    s.warmup = verdict.warmup;
    this.series.touch(s);
    if (this.noData.enabled && this.noData.seen(s.id, () => labelsOf(s), this.currentReceivedAt))
      this.alerts.onData(s.id, this.currentReceivedAt);

    const outOfRange = item.range !== undefined && (item.v < item.range[0] || item.v > item.range[1]);
    const anomalous = verdict.anomalous || outOfRange;
    const point: PointRecord = {
      seriesId: s.id,
      t: item.t,
      value: item.v,
      expected: verdict.expected,
      lower: verdict.lower,
      upper: verdict.upper,
      score: verdict.score,
      anomalous,
    };
    this.points.push(point);
    if (!this.replaying) this.options.onPoint?.(point);
    if (anomalous) this.onAnomalous(s, item, verdict, outOfRange, maintenance);
    else this.alerts.onNormal(s.id, item.t);
  }

  private onAnomalous(
    s: LiveSeries,
    item: SampleItem,
    verdict: Verdict,
    outOfRange: boolean,
    maintenance: boolean,
  ): void {
    this.counters.anomalies++;
    const range = item.range;
    let explanation = explainVerdict(verdict);
    if (maintenance) explanation += ' (during a maintenance window: not learned, alerts muted)';
    let type = verdict.type ?? 'outlier';
    let score = verdict.score;
    let confidence = verdict.confidence;
    if (outOfRange && range) {
      const side = item.v > range[1] ? 'above' : 'below';
      explanation = `value ${item.v} is ${side} the declared expected range [${range[0]}, ${range[1]}]${verdict.anomalous ? `; ${explanation}` : ''}`;
      if (!verdict.anomalous) {
        type = side === 'above' ? 'spike' : 'drop';
        score = Math.max(score, 0.9);
        confidence = 1;
      }
    }
    const base: Omit<Anomaly, 'alertId' | 'severity'> = {
      id: `${this.currentSeq}-${this.anomalyIndex++}`,
      seriesId: s.id,
      service: s.service,
      endpoint: s.endpoint,
      metric: s.metric,
      labels: s.labels,
      t: item.t,
      value: item.v,
      expected: verdict.expected,
      lower: verdict.lower,
      upper: verdict.upper,
      score,
      confidence,
      type,
      component: verdict.component,
      outOfDeclaredRange: outOfRange,
      explanation,
    };
    this.recordAnomaly(s, base, { value: item.v, expected: verdict.expected });
  }

  /**
   * The common end of every anomaly: it opens or updates the series' alert (severity comes from
   * the alert), joins a correlation group, is queued for writing and published live.
   * @param values actual and expected value, for the notification the alert change may cause
   */
  private recordAnomaly(
    series: SeriesKey & { readonly id: string },
    base: Omit<Anomaly, 'alertId' | 'severity'>,
    values: AnomalyValues | null,
  ): void {
    this.currentValues = values;
    this.currentGroup = this.system.correlate(base);
    const alertId = this.alerts.onAnomaly(series, { ...base, severity: 'low' });
    this.currentValues = null;
    this.currentGroup = null;
    const alert = alertId ? this.alerts.openAlert(alertId) : null;
    const anomaly: Anomaly = { ...base, severity: alert?.severity ?? 'info', alertId };
    this.anomalies.push(anomaly);
    if (!this.replaying) this.options.publish({ type: 'anomaly', anomaly });
  }

  /**
   * A service-level anomaly from its fingerprint (request rate, error rate, latency quantiles
   * together). It becomes an anomaly and alert of the pseudo-series `<service> * fingerprint`,
   * whose value is the multivariate score.
   */
  private onFingerprintAnomaly({ fingerprint, verdict }: ScoredFingerprint): void {
    this.counters.anomalies++;
    const key = { service: fingerprint.service, endpoint: '*', metric: 'fingerprint', labels: {} };
    const series = { ...key, id: seriesId(key) };
    const base: Omit<Anomaly, 'alertId' | 'severity'> = {
      id: `${this.currentSeq}-${this.anomalyIndex++}`,
      seriesId: series.id,
      ...key,
      t: fingerprint.windowEnd,
      value: verdict.score,
      expected: 0,
      lower: 0,
      upper: 0,
      score: verdict.score,
      confidence: verdict.warmup,
      type: 'pattern_change',
      component: null,
      outOfDeclaredRange: false,
      explanation: explainFingerprint(fingerprint, verdict),
    };
    this.recordAnomaly(series, base, null);
  }

  private onAlertChanged(changed: Alert, event: AlertEvent | null, action: AlertAction): void {
    let alert = changed;
    const incidentId = this.incidents.alertChanged(
      alert,
      action,
      this.currentGroup,
      event?.at ?? this.currentReceivedAt,
    );
    if (incidentId !== null && alert.incidentId !== incidentId) {
      this.alerts.setIncident(alert.id, incidentId);
      alert = { ...alert, incidentId };
    }
    this.alertRows.set(alert.id, alert);
    if (event) this.alertEvents.push(event);
    this.notifier?.alertChanged(alert, action, this.currentValues, this.currentReceivedAt);
    if (!this.replaying && action !== 'updated') this.options.publish({ type: 'alert', alert, action });
  }

  /** Takes the rows accumulated since the last call, as one batch through the last applied seq. */
  takeBatch(): WriteBatch {
    const batch: WriteBatch = {
      throughSeq: this.appliedSeq,
      series: this.series.drainChanged(),
      points: this.points,
      anomalies: this.anomalies,
      alerts: [...this.alertRows.values()],
      alertEvents: this.alertEvents,
      deliveries: this.deliveries,
      logs: this.logs,
      incidents: this.incidents.drainChanged(),
      feedback: [...this.feedbackRows.values()],
    };
    this.feedbackRows = new Map();
    this.points = [];
    this.anomalies = [];
    this.alertRows = new Map();
    this.alertEvents = [];
    this.deliveries = [];
    this.logs = [];
    return batch;
  }

  /** Gives back a batch that could not be written, so the next write includes it. */
  returnBatch(batch: WriteBatch): void {
    this.points = [...batch.points, ...this.points];
    this.anomalies = [...batch.anomalies, ...this.anomalies];
    const newer = this.alertRows;
    this.alertRows = new Map(batch.alerts.map((a) => [a.id, a]));
    for (const [id, a] of newer) this.alertRows.set(id, a);
    this.alertEvents = [...batch.alertEvents, ...this.alertEvents];
    this.deliveries = [...batch.deliveries, ...this.deliveries];
    this.logs = [...batch.logs, ...this.logs];
    this.incidents.returnChanged(batch.incidents ?? []);
    for (const f of batch.feedback ?? []) if (!this.feedbackRows.has(f.id)) this.feedbackRows.set(f.id, f);
    for (const s of batch.series) {
      const live = this.series.get(s.id);
      if (live) this.series.touch(live);
    }
  }

  /** A checkpoint of the state through the last applied seq (series changed since the last one only). */
  checkpoint(takenAt: number): Checkpoint {
    const pipeline: PipelineState = {
      system: this.system.snapshot(),
      alerts: this.alerts.snapshot(),
      windows: this.windows.snapshot(),
      keys: [...this.keys.entries()],
      notifier: this.notifier?.snapshot() ?? null,
      incidents: this.incidents.snapshot(),
      maintenance: [...this.maintenanceEntries.values()].filter((e) => e.source === 'api'),
      feedback: [...this.feedbackBySeries.values()].flat(),
      noData: this.noData.snapshot(),
    };
    // A sliced checkpoint is written after later records have been applied, and some of these
    // snapshots share mutable objects with the live state (the open rate windows, for one): a
    // JSON copy fixes the state at `throughSeq`. The idempotency answers, by far the largest
    // part (up to 100,000), are never changed once stored: the fresh array of them is enough.
    const { keys, ...rest } = pipeline;
    return {
      throughSeq: this.appliedSeq,
      takenAt,
      series: this.series.drainCheckpoint(),
      pipeline: { ...(JSON.parse(JSON.stringify(rest)) as Omit<PipelineState, 'keys'>), keys },
    };
  }

  /** Marks the series of a checkpoint that could not be saved as unsaved again. */
  returnCheckpoint(checkpoint: Checkpoint): void {
    for (const id of checkpoint.series.keys()) {
      const live = this.series.get(id);
      if (live) this.series.touch(live);
    }
  }

  /**
   * Restores the state of a checkpoint; records after `throughSeq` are then replayed.
   * @returns how many series could not restore their detector and start a new warm-up
   */
  restore(checkpoint: Checkpoint): number {
    const fresh = this.series.restore(checkpoint.series);
    const state = checkpoint.pipeline as PipelineState;
    this.alerts.restore(state.alerts);
    this.system.restore(state.system);
    this.windows.restore(state.windows);
    this.keys.clear();
    for (const [k, v] of state.keys) this.keys.set(k, v);
    if (this.notifier && state.notifier) this.notifier.restore(state.notifier);
    this.incidents.restore(state.incidents);
    this.noData.restore(state.noData);
    for (const [id, e] of this.maintenanceEntries) if (e.source === 'api') this.maintenanceEntries.delete(id);
    for (const e of state.maintenance ?? []) this.maintenanceEntries.set(e.id, e);
    this.compileMaintenance();
    this.feedbackBySeries.clear();
    for (const f of state.feedback ?? []) {
      const list = this.feedbackBySeries.get(f.seriesId) ?? [];
      list.push(f);
      this.feedbackBySeries.set(f.seriesId, list);
    }
    this.appliedSeq = checkpoint.throughSeq;
    return fresh;
  }
}

/** The labels matchers see for a series: its labels plus `service`, `endpoint` and `metric`. */
function labelsOf(s: LiveSeries): Labels {
  return { ...s.labels, service: s.service, endpoint: s.endpoint, metric: s.metric };
}
