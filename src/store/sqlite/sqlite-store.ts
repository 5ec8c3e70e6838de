/**
 * {@link Store} on an embedded SQLite database (better-sqlite3, synchronous API).
 *
 * - Writes: `commit` and `saveCheckpoint` are each one `BEGIN IMMEDIATE` transaction over
 *   prepared statements with positional parameters. Every row has a deterministic key, so
 *   re-committing a batch (log replay) rewrites the same rows: points by (series, t), anomalies
 *   and alerts by id, alert events by (alert, seq), deliveries insert-or-ignore (progress kept),
 *   logs by their id (`<log seq>-l<index>`).
 * - Reads: filters map to indexed columns; statements are cached per SQL text.
 * - Failures caused by the environment (SQLITE_BUSY, _FULL, _IOERR, _READONLY, _CANTOPEN) throw
 *   {@link StoreUnavailableError}; after an I/O or read-only error the connection is reopened
 *   before the next operation, so the store recovers by itself once the cause is gone.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Feedback } from '../../alerting/feedback/feedback.js';
import type { Incident } from '../../alerting/incidents/incident.js';
import type {
  Alert,
  AlertEvent,
  AlertStatus,
  Anomaly,
  Delivery,
  LogRecord,
  PointRecord,
  SeriesInfo,
  Severity,
} from '../../model/types.js';
import { SEVERITIES } from '../../model/types.js';
import type {
  AlertQualityData,
  AlertQuery,
  AnomalyQuery,
  Checkpoint,
  DeliveryQuery,
  FeedbackQuery,
  IncidentQuery,
  Retention,
  SeriesQuery,
  Store,
  StoreHealth,
  TimeRange,
  WriteBatch,
} from '../types.js';
import { StoreUnavailableError } from '../types.js';
import {
  alertQualityData,
  getIncident,
  markedAnomalies,
  queryFeedback,
  queryIncidents,
  writeAlerting,
} from './alerting.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { classifySqliteError } from './errors.js';
import { addRange, Filter, likePattern, limitOf, offsetOf } from './filter.js';
import {
  ALERT_COLUMNS,
  ALERT_EVENT_COLUMNS,
  ANOMALY_COLUMNS,
  alertEventParams,
  alertParams,
  anomalyParams,
  DELIVERY_COLUMNS,
  deliveryParams,
  logParams,
  POINT_COLUMNS,
  pointParams,
  SERIES_COLUMNS,
  seriesParams,
  toAlert,
  toAlertEvent,
  toAnomaly,
  toDelivery,
  toLog,
  toPoint,
  toSeries,
} from './rows.js';

export interface SqliteStoreOptions {
  /** Database file name inside the directory. Default `vigil.db`. */
  readonly fileName?: string;
  /** How long a write waits for a lock held by another connection before failing, ms. Default 200. */
  readonly busyTimeoutMs?: number;
  /**
   * Largest size of the database file, bytes (rounded down to whole pages; default unlimited).
   * A commit that would grow past it throws {@link StoreUnavailableError} (SQLITE_FULL) until
   * `prune` frees pages, as a real full disk would.
   */
  readonly maxBytes?: number;
}

/** Rows returned by list queries when no limit is given. */
export const DEFAULT_LIMIT = 100;

type Row = Record<string, unknown>;

/**
 * Distinct series ids of `points` by a loose index scan (one index seek per series instead of a
 * full scan): a recursive CTE stepping to the next larger key.
 */
const DISTINCT_POINT_SERIES =
  'WITH RECURSIVE ids (id) AS (SELECT MIN(series_id) FROM points UNION ALL ' +
  'SELECT (SELECT MIN(series_id) FROM points WHERE series_id > ids.id) FROM ids WHERE ids.id IS NOT NULL) ' +
  'SELECT id FROM ids WHERE id IS NOT NULL';

export class SqliteStore implements Store {
  /** Path of the database file. */
  readonly file: string;
  private connection: Connection | null;
  private reopenPending = false;
  private closed = false;
  private readonly options: ConnectionOptions;

  private constructor(file: string, options: ConnectionOptions) {
    this.file = file;
    this.options = options;
    this.connection = new Connection(file, options);
  }

  /**
   * Opens (creating the directory and database when missing) and migrates the store in `dir`.
   * @throws {StoreUnavailableError} when the database cannot be opened for environmental reasons.
   * @example
   * const store = SqliteStore.open('/var/lib/vigil');
   * store.health(); // { ok: true, detail: 'read+write ok (heartbeat 1)', latencyMs: 0.2 }
   */
  static open(dir: string, options: SqliteStoreOptions = {}): SqliteStore {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, options.fileName ?? 'vigil.db');
    try {
      const connection: ConnectionOptions = {
        busyTimeoutMs: options.busyTimeoutMs ?? 200,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      };
      return new SqliteStore(file, connection);
    } catch (error) {
      throw classifySqliteError('open', error)?.error ?? error;
    }
  }

  commit(batch: WriteBatch): void {
    this.run('commit', (c) => {
      c.db
        .transaction(() => {
          for (const s of batch.series) c.insertSeries.run(seriesParams(s));
          for (const p of batch.points) c.insertPoint.run(pointParams(p));
          for (const a of batch.anomalies) c.insertAnomaly.run(anomalyParams(a));
          for (const a of batch.alerts) c.upsertAlert.run(alertParams(a));
          for (const e of batch.alertEvents) c.insertAlertEvent.run(alertEventParams(e));
          for (const d of batch.deliveries) c.insertDelivery.run(deliveryParams(d));
          for (const l of batch.logs) c.insertLog.run(logParams(l));
          writeAlerting(c, batch.incidents ?? [], batch.feedback ?? []);
        })
        .immediate();
    });
  }

  /** @throws {TypeError} when a state is not JSON-serializable (e.g. holds a BigInt or a cycle). */
  saveCheckpoint(checkpoint: Checkpoint): void {
    const pipeline = JSON.stringify(checkpoint.pipeline) ?? 'null';
    const states: [string, string][] = [];
    for (const [id, state] of checkpoint.series) states.push([id, JSON.stringify(state) ?? 'null']);
    this.run('save checkpoint', (c) => {
      c.db
        .transaction(() => {
          c.saveMeta.run([checkpoint.throughSeq, checkpoint.takenAt, pipeline]);
          for (const state of states) c.saveSeriesState.run(state);
        })
        .immediate();
    });
  }

  loadCheckpoint(): Checkpoint | null {
    return this.run('load checkpoint', (c) =>
      c.db
        .transaction(() => {
          const meta = c
            .statement('SELECT through_seq, taken_at, pipeline FROM checkpoint_meta WHERE id = 1')
            .get() as Row | undefined;
          if (meta === undefined) return null;
          const series = new Map<string, unknown>();
          for (const row of c
            .statement('SELECT series_id, state FROM series_state')
            .iterate() as Iterable<Row>) {
            series.set(row.series_id as string, JSON.parse(row.state as string));
          }
          return {
            throughSeq: meta.through_seq as number,
            takenAt: meta.taken_at as number,
            series,
            pipeline: JSON.parse(meta.pipeline as string) as unknown,
          };
        })
        .deferred(),
    );
  }

  /** Ordered by service, endpoint, metric, id. `search` is case-insensitive for ASCII. */
  listSeries(query: SeriesQuery): { readonly total: number; readonly items: SeriesInfo[] } {
    const f = new Filter();
    if (query.service !== undefined) f.add('service = ?', query.service);
    if (query.endpoint !== undefined) f.add('endpoint = ?', query.endpoint);
    if (query.metric !== undefined) f.add('metric = ?', query.metric);
    if (query.search !== undefined && query.search !== '') {
      const p = likePattern(query.search);
      f.add(
        "(service LIKE ? ESCAPE '\\' OR endpoint LIKE ? ESCAPE '\\' OR metric LIKE ? ESCAPE '\\' OR " +
          "EXISTS (SELECT 1 FROM json_each(series.labels) WHERE json_each.value LIKE ? ESCAPE '\\'))",
        p,
        p,
        p,
        p,
      );
    }
    return this.page(
      'list series',
      'series',
      SERIES_COLUMNS,
      f,
      'service, endpoint, metric, id',
      query,
      toSeries,
    );
  }

  getSeries(id: string): SeriesInfo | null {
    return this.run('get series', (c) => {
      const row = c.statement(`SELECT ${SERIES_COLUMNS} FROM series WHERE id = ?`).get(id) as Row | undefined;
      return row === undefined ? null : toSeries(row);
    });
  }

  /** Points in the range, oldest first; with `limit`, the newest `limit` of them. */
  points(seriesId: string, range: TimeRange & { readonly limit?: number }): PointRecord[] {
    const f = new Filter();
    f.add('series_id = ?', seriesId);
    addRange(f, 't', range);
    const limit = range.limit === undefined ? -1 : limitOf(range.limit, 0);
    return this.run('query points', (c) => {
      const rows = c
        .statement(`SELECT ${POINT_COLUMNS} FROM points${f.sql} ORDER BY t DESC LIMIT ?`)
        .all(...f.params, limit) as Row[];
      return rows.reverse().map(toPoint);
    });
  }

  /** Newest first (by event time). The range applies to the anomaly's event time. */
  anomalies(query: AnomalyQuery): { readonly total: number; readonly items: Anomaly[] } {
    const f = new Filter();
    if (query.id !== undefined) f.add('id = ?', query.id);
    if (query.seriesId !== undefined) f.add('series_id = ?', query.seriesId);
    if (query.service !== undefined) f.add('service = ?', query.service);
    if (query.severity !== undefined) f.add('severity = ?', query.severity);
    if (query.type !== undefined) f.add('type = ?', query.type);
    addRange(f, 't', query);
    return this.page('query anomalies', 'anomalies', ANOMALY_COLUMNS, f, 't DESC, id DESC', query, toAnomaly);
  }

  /**
   * Newest first (by `startsAt`). The range selects alerts active during it: started at or
   * before `to` and not resolved before `from`.
   */
  alerts(query: AlertQuery): { readonly total: number; readonly items: Alert[] } {
    const f = new Filter();
    if (query.status !== undefined) f.add('status = ?', query.status);
    if (query.severity !== undefined) f.add('severity = ?', query.severity);
    if (query.service !== undefined) f.add('service = ?', query.service);
    if (query.seriesId !== undefined) f.add('series_id = ?', query.seriesId);
    if (query.incidentId !== undefined) f.add('incident_id = ?', query.incidentId);
    if (query.to !== undefined) f.add('starts_at <= ?', query.to);
    if (query.from !== undefined) f.add('(resolved_at IS NULL OR resolved_at >= ?)', query.from);
    return this.page('query alerts', 'alerts', ALERT_COLUMNS, f, 'starts_at DESC, id DESC', query, toAlert);
  }

  getAlert(id: string): Alert | null {
    return this.run('get alert', (c) => {
      const row = c.statement(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`).get(id) as Row | undefined;
      return row === undefined ? null : toAlert(row);
    });
  }

  /** The alert's events in order (seq ascending). */
  alertHistory(alertId: string): AlertEvent[] {
    return this.run('query alert history', (c) =>
      (
        c
          .statement(`SELECT ${ALERT_EVENT_COLUMNS} FROM alert_events WHERE alert_id = ? ORDER BY seq`)
          .all(alertId) as Row[]
      ).map(toAlertEvent),
    );
  }

  /** The newest `limit` anomalies attached to the alert, returned oldest first. */
  alertAnomalies(alertId: string, limit: number): Anomaly[] {
    return this.run('query alert anomalies', (c) => {
      const rows = c
        .statement(
          `SELECT ${ANOMALY_COLUMNS} FROM anomalies WHERE alert_id = ? ORDER BY t DESC, id DESC LIMIT ?`,
        )
        .all(alertId, limitOf(limit, 0)) as Row[];
      return rows.reverse().map(toAnomaly);
    });
  }

  countAlerts(status: AlertStatus): Record<Severity, number> {
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    return this.run('count alerts', (c) => {
      const rows = c
        .statement('SELECT severity, COUNT(*) AS n FROM alerts WHERE status = ? GROUP BY severity')
        .all(status) as Row[];
      for (const row of rows) counts[row.severity as Severity] = row.n as number;
      return counts;
    });
  }

  /** Newest first; all services when `service` is undefined. */
  recentLogs(service: string | undefined, limit: number): LogRecord[] {
    const f = new Filter();
    if (service !== undefined) f.add('service = ?', service);
    return this.run('query logs', (c) =>
      (
        c
          .statement(
            `SELECT key, service, level, message, t, trace_id, context FROM logs${f.sql} ORDER BY t DESC, rowid DESC LIMIT ?`,
          )
          .all(...f.params, limitOf(limit, 0)) as Row[]
      ).map(toLog),
    );
  }

  /** Newest first (by `createdAt`), default limit {@link DEFAULT_LIMIT}. */
  incidents(query: IncidentQuery): { readonly total: number; readonly items: Incident[] } {
    return this.run('query incidents', (c) => queryIncidents(c, query));
  }

  getIncident(id: string): Incident | null {
    return this.run('get incident', (c) => getIncident(c, id));
  }

  feedback(query: FeedbackQuery): Feedback[] {
    return this.run('query feedback', (c) => queryFeedback(c, query));
  }

  markedAnomalies(anomalyIds: readonly string[]): Map<string, string> {
    return this.run('query marked anomalies', (c) => markedAnomalies(c, anomalyIds));
  }

  alertQualityData(from: number, to: number, limit: number): AlertQualityData {
    return this.run('query alert quality', (c) => alertQualityData(c, from, to, limit));
  }

  deliveries(query: DeliveryQuery): Delivery[] {
    const f = new Filter();
    if (query.receiver !== undefined) f.add('receiver = ?', query.receiver);
    if (query.alertId !== undefined) f.add('alert_id = ?', query.alertId);
    if (query.status !== undefined) f.add('status = ?', query.status);
    return this.run('query deliveries', (c) =>
      (
        c
          .statement(
            `SELECT ${DELIVERY_COLUMNS} FROM deliveries${f.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
          )
          .all(...f.params, limitOf(query.limit, DEFAULT_LIMIT)) as Row[]
      ).map(toDelivery),
    );
  }

  dueDeliveries(now: number, limit: number): Delivery[] {
    return this.run('query due deliveries', (c) =>
      (
        c
          .statement(
            `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ` +
              'ORDER BY next_attempt_at, id LIMIT ?',
          )
          .all(now, limitOf(limit, 0)) as Row[]
      ).map(toDelivery),
    );
  }

  /** Overwrites the delivery (inserting it when missing). */
  updateDelivery(delivery: Delivery): void {
    this.run('update delivery', (c) => {
      c.replaceDelivery.run(deliveryParams(delivery));
    });
  }

  /**
   * Deletes points older than `pointsMs` before the newest point of their series, and all but the
   * newest `logsPerService` log messages of each service. One transaction.
   */
  prune(retention: Retention): void {
    this.run('prune', (c) => {
      c.db
        .transaction(() => {
          const newest = c.statement('SELECT MAX(t) AS t FROM points WHERE series_id = ?');
          const remove = c.statement('DELETE FROM points WHERE series_id = ? AND t < ?');
          for (const id of c.statement(DISTINCT_POINT_SERIES).pluck().all() as string[]) {
            const t = (newest.get(id) as Row | undefined)?.t;
            if (typeof t === 'number') remove.run(id, t - retention.pointsMs);
          }
          c.statement(
            'DELETE FROM logs WHERE rowid IN (SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER ' +
              '(PARTITION BY service ORDER BY t DESC, rowid DESC) AS n FROM logs) WHERE n > ?)',
          ).run(Math.max(0, Math.floor(retention.logsPerService)));
        })
        .immediate();
    });
  }

  /** Updates and reads back a heartbeat row. Never throws. */
  health(): StoreHealth {
    const started = performance.now();
    try {
      const beats = this.run('check health', (c) =>
        c.db
          .transaction(() => {
            c.heartbeat.run([Date.now()]);
            return (c.readHeartbeat.get() as Row).beats as number;
          })
          .immediate(),
      );
      return {
        ok: true,
        detail: `read+write ok (heartbeat ${beats})`,
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, detail, latencyMs: performance.now() - started };
    }
  }

  close(): void {
    this.closed = true;
    this.connection?.close();
    this.connection = null;
  }

  /** Runs `fn` on a live connection, classifying failures. */
  private run<T>(operation: string, fn: (c: Connection) => T): T {
    const c = this.live(operation);
    try {
      return fn(c);
    } catch (error) {
      const failure = classifySqliteError(operation, error);
      if (failure === null) throw error;
      if (failure.reopen) this.reopenPending = true;
      throw failure.error;
    }
  }

  /** The connection, reopened first when an earlier failure may have broken it. */
  private live(operation: string): Connection {
    if (this.closed) throw new StoreUnavailableError(`SQLite store cannot ${operation}: the store is closed`);
    if (this.reopenPending || this.connection === null) {
      this.connection?.close();
      this.connection = null;
      try {
        this.connection = new Connection(this.file, this.options);
      } catch (error) {
        throw classifySqliteError(operation, error)?.error ?? error;
      }
      this.reopenPending = false;
    }
    return this.connection;
  }

  /** `{ total, items }` of one filtered, ordered, paginated table query. */
  private page<T>(
    operation: string,
    table: string,
    columns: string,
    f: Filter,
    order: string,
    query: { readonly limit?: number; readonly offset?: number },
    convert: (row: Row) => T,
  ): { readonly total: number; readonly items: T[] } {
    return this.run(operation, (c) =>
      c.db
        .transaction(() => {
          const total = c.statement(`SELECT COUNT(*) AS n FROM ${table}${f.sql}`).get(...f.params) as Row;
          const rows = c
            .statement(`SELECT ${columns} FROM ${table}${f.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
            .all(...f.params, limitOf(query.limit, DEFAULT_LIMIT), offsetOf(query.offset)) as Row[];
          return { total: total.n as number, items: rows.map(convert) };
        })
        .deferred(),
    );
  }
}
