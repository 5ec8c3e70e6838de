/**
 * Storage seams. The embedded default fills them with SQLite (`store/sqlite`) and an
 * append-only file (`store/wal`); Redis (streams, pub/sub) and PostgreSQL implementations
 * fill the same interfaces later and must pass the same conformance suites.
 *
 * Durability model (after Prometheus' TSDB WAL and Kafka's log): every state-changing
 * request is appended to the {@link IngestLog} as one record before it is answered;
 * everything else (series, points, anomalies, alerts, deliveries) is derived from the log
 * deterministically and written in batches by {@link Store.commit}; detector and alert
 * state is checkpointed with the log position it reflects. A restart restores the last
 * checkpoint and replays the log after it; derived rows carry deterministic keys so the
 * replay rewrites them identically.
 */
import type { Feedback } from '../alerting/feedback/feedback.js';
import type { Incident } from '../alerting/incidents/incident.js';
import type {
  Alert,
  AlertEvent,
  AlertStatus,
  Anomaly,
  Delivery,
  LiveEvent,
  LogRecord,
  PointRecord,
  SeriesInfo,
  Severity,
} from '../model/types.js';

/** One record of the ingest log. `body` is opaque JSON-serializable data. */
export interface LogEntry {
  /** Position in the log, from 1, strictly increasing. */
  readonly seq: number;
  /** What the body holds, e.g. `ingest` or `alert_action`. */
  readonly kind: string;
  /** Wall time at which Vigil received the request, Unix ms. */
  readonly receivedAt: number;
  readonly body: unknown;
}

/** Write-ahead log of accepted requests. */
export interface IngestLog {
  /**
   * Appends one record and returns its seq. When this returns, the record survives a
   * crash of the process (`kill -9`); with `fsync: true` also a power loss.
   * @throws {StoreUnavailableError} when the record cannot be written (disk full, I/O error).
   */
  append(kind: string, receivedAt: number, body: unknown): number;
  /** Records with seq > `afterSeq`, in order. A torn final record (crash mid-write) is dropped. */
  readAfter(afterSeq: number): Iterable<LogEntry>;
  /** Seq of the last record, 0 when empty. */
  lastSeq(): number;
  /** Allows deleting records with seq ≤ `seq` (whole segments at a time). */
  truncateThrough(seq: number): void;
  /** Bytes on disk. */
  sizeBytes(): number;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Derived rows produced while applying log records, written in one transaction. */
export interface WriteBatch {
  /** Highest log seq whose derived rows are all in this batch or earlier ones. */
  readonly throughSeq: number;
  readonly series: readonly SeriesInfo[];
  readonly points: readonly PointRecord[];
  readonly anomalies: readonly Anomaly[];
  /** Upserts by id (last write wins). */
  readonly alerts: readonly Alert[];
  /** Insert-or-replace by (alertId, seq). */
  readonly alertEvents: readonly AlertEvent[];
  /** Insert-or-ignore by id (never resets a delivery's progress). */
  readonly deliveries: readonly Delivery[];
  readonly logs: readonly LogRecord[];
  /** Upserts by id (latest version); absent = none. */
  readonly incidents?: readonly Incident[];
  /** "Not an anomaly" feedback, upserts by id; absent = none. */
  readonly feedback?: readonly Feedback[];
}

/** Engine and alerting state at one log position. */
export interface Checkpoint {
  /** Every record with seq ≤ this is reflected in the state. */
  readonly throughSeq: number;
  /** Wall time of the checkpoint, Unix ms. */
  readonly takenAt: number;
  /** Detector snapshots (and per-series bookkeeping) by series id; only changed ones on save. */
  readonly series: ReadonlyMap<string, unknown>;
  /** Everything else the pipeline keeps in memory (alert manager, rate windows, counters). */
  readonly pipeline: unknown;
}

export interface TimeRange {
  /** Unix ms, inclusive. */
  readonly from?: number;
  /** Unix ms, inclusive. */
  readonly to?: number;
}

export interface SeriesQuery {
  /** Substring matched against service, endpoint, metric and label values. */
  readonly search?: string;
  readonly service?: string;
  readonly endpoint?: string;
  readonly metric?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface AnomalyQuery extends TimeRange {
  /** One anomaly by id. */
  readonly id?: string;
  readonly seriesId?: string;
  readonly service?: string;
  readonly severity?: Severity;
  readonly type?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface AlertQuery extends TimeRange {
  readonly status?: AlertStatus;
  readonly incidentId?: string;
  readonly severity?: Severity;
  readonly service?: string;
  readonly seriesId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface DeliveryQuery {
  readonly receiver?: string;
  readonly alertId?: string;
  readonly status?: Delivery['status'];
  readonly limit?: number;
}

export interface IncidentQuery extends TimeRange {
  readonly status?: 'open' | 'resolved';
  /** Incidents touching this service. */
  readonly service?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface FeedbackQuery {
  readonly id?: string;
  readonly seriesId?: string;
  readonly alertId?: string;
  /** Feedback that marked this anomaly. */
  readonly anomalyId?: string;
  readonly limit?: number;
}

/** Rows the alert-quality report is computed from (see `alerting/quality`). Times are Unix ms. */
export interface AlertQualityData {
  readonly alerts: ReadonlyArray<{
    readonly id: string;
    readonly seriesId: string;
    readonly service: string;
    readonly endpoint: string;
    readonly metric: string;
    readonly status: string;
    readonly severity: string;
    readonly startsAt: number;
    readonly resolvedAt: number | null;
    readonly acknowledgedAt: number | null;
  }>;
  /** Ids of those alerts that resolved by themselves. */
  readonly autoResolved: readonly string[];
  /** Latest resolution before the period, per series (to recognise a flap at its start). */
  readonly earlierResolved: ReadonlyArray<{ readonly seriesId: string; readonly resolvedAt: number }>;
  /** One row per (delivery, alert it carried). */
  readonly deliveries: ReadonlyArray<{
    readonly id: string;
    readonly receiver: string;
    readonly status: string;
    readonly attempts: number;
    readonly createdAt: number;
    readonly alertId: string;
  }>;
  /** Feedback (not revoked) given in the period, with the alert it marks (directly or through an anomaly). */
  readonly feedback: ReadonlyArray<{ readonly seriesId: string; readonly alertId: string | null }>;
}

/** Result of a health probe: `ok` only when a real read and write just succeeded. */
export interface StoreHealth {
  readonly ok: boolean;
  readonly detail: string;
  readonly latencyMs: number;
}

/** How long rows are kept. */
export interface Retention {
  /** Points older than this (event time relative to the newest point of their series) are deleted, ms. */
  readonly pointsMs: number;
  /** Kept log messages per service. */
  readonly logsPerService: number;
  /**
   * Events older than this before the retention clock are deleted, ms (see {@link Store.prune}):
   * anomalies, resolved alerts with their history, finished deliveries, resolved incidents and
   * feedback that stopped applying.
   */
  readonly eventsMs: number;
  /** Wall time of the prune, Unix ms: the clock events are measured from (capped at the last checkpoint's time). */
  readonly nowMs: number;
}

/** Queryable store of derived state. */
export interface Store {
  /**
   * Applies a batch atomically: visible to reads when this returns. An implementation may keep
   * part of it in memory (e.g. points until a series has a full chunk) until {@link sync}; what
   * a crash loses from memory is re-derived from the ingest log after the last checkpoint.
   * @throws {StoreUnavailableError} when the store cannot write.
   */
  commit(batch: WriteBatch): void;
  /**
   * Writes whatever committed rows are still held in memory, so that every committed row is on
   * disk. @throws {StoreUnavailableError} when the store cannot write.
   */
  sync(): void;
  /**
   * Starts a {@link sync} in slices: what commits hold in memory now is frozen (no I/O), and
   * written by {@link syncSlice} calls, so that a large sync does not block for long.
   */
  beginSync(): void;
  /**
   * Writes part of what {@link beginSync} froze, at most `maxSeries` series' worth.
   * @returns true when all of it is written
   * @throws {StoreUnavailableError} when the store cannot write (what is left stays frozen).
   */
  syncSlice(maxSeries: number): boolean;
  /** Syncs and saves a checkpoint atomically (merging series states with earlier ones). */
  saveCheckpoint(checkpoint: Checkpoint): void;
  /**
   * Writes series states of a checkpoint being saved in slices; they take effect, all together,
   * with {@link finishCheckpoint} of the same `throughSeq` (until then the last completed
   * checkpoint is what {@link loadCheckpoint} returns, also after a crash).
   */
  saveSeriesStates(throughSeq: number, states: Iterable<readonly [string, unknown]>): void;
  /** Completes a checkpoint written with {@link saveSeriesStates}; call after {@link sync}. */
  finishCheckpoint(meta: Omit<Checkpoint, 'series'>): void;
  /** The last checkpoint with all series states merged, or null on a fresh store. */
  loadCheckpoint(): Checkpoint | null;

  listSeries(query: SeriesQuery): { readonly total: number; readonly items: SeriesInfo[] };
  getSeries(id: string): SeriesInfo | null;
  points(seriesId: string, range: TimeRange & { readonly limit?: number }): PointRecord[];
  anomalies(query: AnomalyQuery): { readonly total: number; readonly items: Anomaly[] };
  alerts(query: AlertQuery): { readonly total: number; readonly items: Alert[] };
  getAlert(id: string): Alert | null;
  alertHistory(alertId: string): AlertEvent[];
  /** Anomalies attached to one alert, oldest first. */
  alertAnomalies(alertId: string, limit: number): Anomaly[];
  countAlerts(status: AlertStatus): Record<Severity, number>;
  /**
   * Anomalies per service and time bucket since `from` (event time, Unix ms), buckets of
   * `bucketMs` aligned to multiples of it; sorted by service, then bucket start.
   */
  anomalyCounts(from: number, bucketMs: number): Array<{ service: string; t: number; anomalies: number }>;
  recentLogs(service: string | undefined, limit: number): LogRecord[];

  incidents(query: IncidentQuery): { readonly total: number; readonly items: Incident[] };
  getIncident(id: string): Incident | null;
  feedback(query: FeedbackQuery): Feedback[];
  /** Rows for the alert-quality report over `[from, to]` (at most `limit` alerts and deliveries). */
  alertQualityData(from: number, to: number, limit: number): AlertQualityData;

  deliveries(query: DeliveryQuery): Delivery[];
  /** Deliveries with status `pending` and nextAttemptAt ≤ `now`, oldest first. */
  dueDeliveries(now: number, limit: number): Delivery[];
  updateDelivery(delivery: Delivery): void;

  /**
   * Deletes rows past retention, in one transaction. Points and logs: see {@link Retention}.
   * Events are measured against a clock, the earlier of `nowMs` and the wall time of the last
   * completed checkpoint (no checkpoint: no event is deleted), so that replaying the log after
   * that checkpoint cannot write a deleted delivery again (as `pending`, to be sent twice).
   * With cutoff = clock − `eventsMs` (for alerts and anomalies, the earlier of the clock and the
   * newest sample of their series, minus `eventsMs`, so backfilled history is kept like points):
   * - a resolved alert that started and resolved before the cutoff is deleted with its history;
   *   an open (firing or acknowledged) alert never is;
   * - an anomaly (event time) before the cutoff is deleted unless its alert is still kept;
   * - a delivered or failed delivery created before the cutoff is deleted unless its alert is
   *   still kept; a pending one (new or retrying) never is;
   * - a resolved incident that started and resolved before the cutoff is deleted once no kept
   *   alert belongs to it; an open one never is;
   * - feedback given before the cutoff is deleted once it stopped applying before it (point
   *   scope: when given; series scope: revoked or expired), and marks of deleted anomalies go.
   * @throws {StoreUnavailableError} when the store cannot write.
   */
  prune(retention: Retention): void;
  health(): StoreHealth;
  close(): void;
}

/** Publish/subscribe of live events between the pipeline and its consumers (WebSocket, other nodes). */
export interface EventBus {
  publish(event: LiveEvent): void;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

/** The store cannot accept writes right now (disk full, locked, I/O error). Maps to HTTP 503. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
