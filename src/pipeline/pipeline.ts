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
}

/** Applies log records and accumulates the derived rows. */
export class Pipeline {
  readonly series: SeriesRegistry;
  readonly alerts: AlertManager;
  /** Per-service fingerprints and cross-series anomaly correlation. */
  readonly system: SystemView;
  readonly counters: PipelineCounters = { samples: 0, anomalies: 0, failedItems: 0 };
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
    });
    this.system = new SystemView(options.rateWindowMs, options.sensitivity);
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

  /** Applies a `silence` record (create/replace, or expire at the record's time). */
  applySilence(seq: number, receivedAt: number, body: SilenceBody): void {
    this.begin(seq, receivedAt);
    if (!this.notifier) return;
    const byId = new Map(this.notifier.currentSilences.map((s) => [s.id, s]));
    if (body.op === 'upsert') byId.set(body.silence.id, body.silence);
    else {
      const s = byId.get(body.id);
      if (s && s.endsAt > receivedAt) byId.set(s.id, { ...s, endsAt: Math.max(s.startsAt + 1, receivedAt) });
    }
    this.notifier.setSilences(
      [...byId.values()].filter((s) => s.endsAt > receivedAt - EXPIRED_SILENCE_KEEP_MS),
    );
    this.flushNotifications();
  }

  /** The silences known (active, pending, and expired within the last day). */
  get silences(): readonly Silence[] {
    return this.notifier?.currentSilences ?? [];
  }

  /** Wall time (Unix ms) at which a `tick` record should be applied, or null when none is needed. */
  nextNotificationAt(): number | null {
    return this.notifier?.nextWakeAt(this.currentReceivedAt) ?? null;
  }

  private flushNotifications(): void {
    if (!this.notifier) return;
    for (const d of this.notifier.flush(this.currentReceivedAt)) this.deliveries.push(d);
  }

  /** Applies an `alert_action` record. */
  applyAction(seq: number, receivedAt: number, body: AlertActionBody): Alert | ActionRefusal {
    this.begin(seq, receivedAt);
    const result = this.alerts.act({ ...body, at: receivedAt });
    this.flushNotifications();
    return result;
  }

  /** Applies any record from the log (used by replay). */
  applyRecord(seq: number, kind: string, receivedAt: number, body: unknown): void {
    if (kind === 'ingest') this.applyIngest(seq, receivedAt, body as IngestBody);
    else if (kind === 'alert_action') this.applyAction(seq, receivedAt, body as AlertActionBody);
    else if (kind === 'tick') this.applyTick(seq, receivedAt);
    else if (kind === 'silence') this.applySilence(seq, receivedAt, body as SilenceBody);
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
    const verdict = s.detector.update({ t: item.t, v: item.v });
    this.counters.samples++;
    if (item.t >= s.lastSeen || s.detector.samples <= 1) {
      s.lastSeen = Math.max(s.lastSeen, item.t);
      s.lastValue = item.v;
    }
    s.firstSeen = Math.min(s.firstSeen, item.t);
    s.warmup = verdict.warmup;
    this.series.touch(s);

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
    if (anomalous) this.onAnomalous(s, item, verdict, outOfRange);
    else this.alerts.onNormal(s.id, item.t);
  }

  private onAnomalous(s: LiveSeries, item: SampleItem, verdict: Verdict, outOfRange: boolean): void {
    this.counters.anomalies++;
    const range = item.range;
    let explanation = explainVerdict(verdict);
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
    const alertId = this.alerts.onAnomaly(series, { ...base, severity: 'low' });
    this.currentValues = null;
    const alert = alertId ? this.alerts.openAlert(alertId) : null;
    const anomaly: Anomaly = { ...base, severity: alert?.severity ?? 'info', alertId };
    this.system.correlate(anomaly);
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

  private onAlertChanged(alert: Alert, event: AlertEvent | null, action: AlertAction): void {
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
    };
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
    };
    return { throughSeq: this.appliedSeq, takenAt, series: this.series.drainCheckpoint(), pipeline };
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
    this.appliedSeq = checkpoint.throughSeq;
    return fresh;
  }
}
