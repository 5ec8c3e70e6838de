/**
 * {@link Store} on an embedded SQLite database (better-sqlite3, synchronous API).
 *
 * - Writes: `commit` and `saveCheckpoint` are each one `BEGIN IMMEDIATE` transaction over
 *   prepared statements with positional parameters. Every row has a deterministic key, so
 *   re-committing a batch (log replay) rewrites the same rows: points by (series, t), anomalies
 *   and alerts by id, alert events by (alert, seq), deliveries insert-or-ignore (progress kept),
 *   logs by their id (`<log seq>-l<index>`).
 * - Points are written in chunks (see `point-chunks.ts`): `commit` adds them to a per-series
 *   buffer in memory and writes a series' chunk once it is full; {@link SqliteStore.sync} (called
 *   by checkpoints, retention and `close`) writes every buffer. Likewise a series catalog row is
 *   written when the series is first committed, and its later updates (last value, samples) are
 *   kept in memory until the next sync. Reads see buffered points and updates at once. What a
 *   crash loses from memory is re-derived by replaying the ingest log after the last checkpoint.
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
import { alertQualityData, getIncident, queryFeedback, queryIncidents, writeAlerting } from './alerting.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { classifySqliteError } from './errors.js';
import { pruneEvents } from './event-retention.js';
import { addRange, Filter, likePattern, limitOf, offsetOf } from './filter.js';
import { CHUNK_POINTS, decodeValues, POINT_FIELDS, PointBuffer, PointMerger } from './point-chunks.js';
import {
  ALERT_EVENT_ROW,
  ALERT_ROW,
  ANOMALY_ROW,
  DELIVERY_ROW,
  LOG_ROW,
  type Row,
  type RowSpec,
  SERIES_ROW,
} from './rows.js';
import { FALLBACK_PAGES, WalCheckpointer } from './wal-checkpointer.js';

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
  /**
   * Run WAL checkpoints on a worker thread every this many ms instead of inside commits (see
   * `wal-checkpointer.ts`); 0 (default) leaves them to SQLite. The worker holds a second
   * connection to the file.
   */
  readonly backgroundCheckpointMs?: number;
}

/** Rows returned by list queries when no limit is given. */
export const DEFAULT_LIMIT = 100;

/**
 * Distinct series ids of `point_chunks` by a loose index scan (one index seek per series instead
 * of a full scan): a recursive CTE stepping to the next larger key.
 */
const DISTINCT_POINT_SERIES =
  'WITH RECURSIVE ids (id) AS (SELECT MIN(series_id) FROM point_chunks UNION ALL ' +
  'SELECT (SELECT MIN(series_id) FROM point_chunks WHERE series_id > ids.id) FROM ids WHERE ids.id IS NOT NULL) ' +
  'SELECT id FROM ids WHERE id IS NOT NULL';

/**
 * Buffered points of all series together above which a commit writes every buffer (bounds the
 * memory held for series that receive few points). 524,288 points ≈ 29 MiB.
 */
const MAX_BUFFERED_POINTS = 524_288;

/** What a checkpoint saves besides the series states (see {@link SqliteStore.finishCheckpoint}). */
export type CheckpointMeta = Omit<Checkpoint, 'series'>;

export class SqliteStore implements Store {
  /** Path of the database file. */
  readonly file: string;
  private connection: Connection | null;
  private reopenPending = false;
  private closed = false;
  private readonly options: ConnectionOptions;
  /** Points committed but not yet written, by series id. */
  private readonly buffers = new Map<string, PointBuffer>();
  /** Points held in {@link buffers}. */
  private bufferedPoints = 0;
  /** Series known to have a catalog row (this process wrote it). */
  private readonly writtenSeries = new Set<string>();
  /** Catalog updates committed but not yet written, by series id. */
  private readonly pendingSeries = new Map<string, SeriesInfo>();
  /** Points and catalog updates being synced in slices ({@link beginSync}), by series id. */
  private readonly frozen = new Map<string, PointBuffer>();
  private readonly frozenSeries = new Map<string, SeriesInfo>();
  /** Points held in {@link frozen}. */
  private frozenPoints = 0;
  /** Number of the running commit (marks the point buffers it touched). */
  private commits = 0;

  private readonly checkpointer: WalCheckpointer | null;

  private constructor(file: string, options: ConnectionOptions, backgroundCheckpointMs: number) {
    this.file = file;
    this.options = options;
    this.connection = new Connection(file, options);
    this.checkpointer =
      backgroundCheckpointMs > 0 ? WalCheckpointer.start(file, backgroundCheckpointMs) : null;
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
      let connection: ConnectionOptions = {
        busyTimeoutMs: options.busyTimeoutMs ?? 200,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      };
      const background = options.backgroundCheckpointMs ?? 0;
      if (background > 0) connection = { ...connection, autoCheckpointPages: FALLBACK_PAGES };
      return new SqliteStore(file, connection, background);
    } catch (error) {
      throw classifySqliteError('open', error)?.error ?? error;
    }
  }

  /**
   * Applies a batch in one transaction. Points go to their series' buffers (a full buffer is
   * written as a chunk); a new series' catalog row is written, later updates of it are buffered.
   * On failure nothing of the batch is kept, in the database or in memory.
   */
  commit(batch: WriteBatch): void {
    this.run('commit', (c) => {
      const n = ++this.commits;
      const touched: Array<[string, PointBuffer]> = [];
      for (const p of batch.points) {
        let b = this.buffers.get(p.seriesId);
        if (b === undefined) {
          b = new PointBuffer();
          this.buffers.set(p.seriesId, b);
        }
        if (b.mark(n)) touched.push([p.seriesId, b]);
        b.push(p);
      }
      this.bufferedPoints += batch.points.length;
      const all = this.bufferedPoints + this.frozenPoints > MAX_BUFFERED_POINTS;
      const full = all ? [] : touched.filter(([, b]) => b.length >= CHUNK_POINTS);
      const created = batch.series.filter((s) => !this.writtenSeries.has(s.id));
      const updated = batch.series.filter((s) => this.writtenSeries.has(s.id));
      try {
        c.db
          .transaction(() => {
            c.markCommit.run([batch.throughSeq, Date.now()]);
            for (const s of created) c.insertSeries.run(SERIES_ROW.params(s));
            if (all) {
              this.writeBuffered(c);
              for (const s of updated) c.insertSeries.run(SERIES_ROW.params(s));
            }
            for (const [id, b] of full) {
              // A frozen part of the series is older: written first, so the chunk order is the write order.
              const older = this.frozen.get(id);
              if (older !== undefined) writeChunks(c, id, older);
              writeChunks(c, id, b);
            }
            for (const a of batch.anomalies) c.insertAnomaly.run(ANOMALY_ROW.params(a));
            for (const a of batch.alerts) c.upsertAlert.run(ALERT_ROW.params(a));
            for (const e of batch.alertEvents) c.insertAlertEvent.run(ALERT_EVENT_ROW.params(e));
            for (const d of batch.deliveries) c.insertDelivery.run(DELIVERY_ROW.params(d));
            for (const l of batch.logs) c.insertLog.run(LOG_ROW.params(l));
            writeAlerting(c, batch.incidents ?? [], batch.feedback ?? []);
          })
          .immediate();
      } catch (error) {
        for (const [id, b] of touched) {
          b.undo();
          if (b.length === 0) this.buffers.delete(id);
        }
        this.bufferedPoints -= batch.points.length;
        throw error;
      }
      for (const s of created) {
        this.writtenSeries.add(s.id);
        this.pendingSeries.delete(s.id);
      }
      if (all) {
        this.dropBuffered();
        return;
      }
      for (const [id, b] of full) {
        this.bufferedPoints -= b.length;
        this.buffers.delete(id);
        const older = this.frozen.get(id);
        if (older !== undefined) {
          this.frozenPoints -= older.length;
          this.frozen.delete(id);
        }
      }
      for (const s of updated) this.pendingSeries.set(s.id, s);
    });
  }

  /**
   * Starts a sync in slices: freezes what {@link commit} holds in memory now (later commits are
   * held apart), to be written by {@link syncSlice}. No I/O; reads keep seeing everything.
   */
  beginSync(): void {
    for (const [id, b] of this.buffers) {
      const older = this.frozen.get(id);
      if (older === undefined) this.frozen.set(id, b);
      else older.append(b);
    }
    this.frozenPoints += this.bufferedPoints;
    this.buffers.clear();
    this.bufferedPoints = 0;
    for (const [id, s] of this.pendingSeries) this.frozenSeries.set(id, s);
    this.pendingSeries.clear();
  }

  /**
   * Writes up to `maxSeries` series' frozen catalog updates and points (one transaction).
   * @returns true when nothing frozen is left (the sync begun by {@link beginSync} is complete)
   */
  syncSlice(maxSeries: number): boolean {
    return this.run('sync', (c) => {
      const series = take(this.frozenSeries, maxSeries);
      const chunks = take(this.frozen, maxSeries);
      c.db
        .transaction(() => {
          for (const [, s] of series) c.insertSeries.run(SERIES_ROW.params(s));
          for (const [id, b] of chunks) writeChunks(c, id, b);
        })
        .immediate();
      for (const [id] of series) this.frozenSeries.delete(id);
      for (const [id, b] of chunks) {
        this.frozenPoints -= b.length;
        this.frozen.delete(id);
      }
      return this.frozen.size === 0 && this.frozenSeries.size === 0;
    });
  }

  /**
   * Writes what {@link commit} keeps in memory (buffered points, catalog updates), so that every
   * committed row is on disk. One transaction; on failure the memory is kept for the next try.
   */
  sync(): void {
    this.run('sync', (c) => {
      c.db.transaction(() => this.writeBuffered(c)).immediate();
      this.dropBuffered();
    });
  }

  /**
   * Saves a whole checkpoint atomically: syncs, writes the series states, then the rest.
   * @throws {TypeError} when a state is not JSON-serializable (e.g. holds a BigInt or a cycle).
   */
  saveCheckpoint(checkpoint: Checkpoint): void {
    const pipeline = JSON.stringify(checkpoint.pipeline) ?? 'null';
    const states = stateRows(checkpoint.series);
    this.run('save checkpoint', (c) => {
      c.db
        .transaction(() => {
          this.writeBuffered(c);
          const completed = completedCheckpointSeq(c);
          for (const [id, state] of states)
            c.saveSeriesState.run([id, checkpoint.throughSeq, state, completed]);
          c.saveMeta.run([checkpoint.throughSeq, checkpoint.takenAt, pipeline]);
        })
        .immediate();
      this.dropBuffered();
    });
  }

  /**
   * Writes one slice of the series states of a checkpoint in progress (one transaction). They
   * take effect with {@link finishCheckpoint}: until then {@link loadCheckpoint} keeps returning
   * the states of the last completed checkpoint, so a checkpoint can be written in slices
   * between requests and a crash in the middle of one loses nothing.
   * @param throughSeq the `throughSeq` the checkpoint will have
   * @throws {TypeError} when a state is not JSON-serializable
   */
  saveSeriesStates(throughSeq: number, states: Iterable<readonly [string, unknown]>): void {
    const rows = stateRows(states);
    this.run('save checkpoint', (c) => {
      c.db
        .transaction(() => {
          const completed = completedCheckpointSeq(c);
          for (const [id, state] of rows) c.saveSeriesState.run([id, throughSeq, state, completed]);
        })
        .immediate();
    });
  }

  /**
   * Completes a checkpoint whose series states were written with {@link saveSeriesStates}: every
   * state saved with this `throughSeq` takes effect. Every row derived from the records through
   * `throughSeq` must be synced first ({@link sync}).
   */
  finishCheckpoint(meta: CheckpointMeta): void {
    const pipeline = JSON.stringify(meta.pipeline) ?? 'null';
    this.run('save checkpoint', (c) => {
      c.saveMeta.run([meta.throughSeq, meta.takenAt, pipeline]);
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
            .statement(
              'SELECT series_id, CASE WHEN seq <= ? THEN state ELSE prev_state END AS state FROM series_state',
            )
            .iterate(meta.through_seq) as Iterable<Row>) {
            if (row.state !== null) series.set(row.series_id as string, JSON.parse(row.state as string));
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
      SERIES_ROW,
      f,
      'service, endpoint, metric, id',
      query,
      (row) => this.latestSeries(row.id as string) ?? SERIES_ROW.read(row),
    );
  }

  getSeries(id: string): SeriesInfo | null {
    return this.run('get series', (c) => {
      const row = c.statement(`SELECT ${SERIES_ROW.columns} FROM series WHERE id = ?`).get(id) as
        | Row
        | undefined;
      return row === undefined ? null : (this.latestSeries(id) ?? SERIES_ROW.read(row));
    });
  }

  /**
   * Points in the range, oldest first; with `limit`, the newest `limit` of them. Reads the
   * series' chunks newest first and stops once no older chunk can hold one of the newest `limit`.
   */
  points(seriesId: string, range: TimeRange & { readonly limit?: number }): PointRecord[] {
    const f = new Filter();
    f.add('series_id = ?', seriesId);
    if (range.from !== undefined) f.add('t_last >= ?', range.from);
    if (range.to !== undefined) f.add('t_first <= ?', range.to);
    const limit = range.limit === undefined ? -1 : limitOf(range.limit, 0);
    if (limit === 0) return [];
    const merger = new PointMerger(
      range.from ?? Number.NEGATIVE_INFINITY,
      range.to ?? Number.POSITIVE_INFINITY,
    );
    return this.run('query points', (c) => {
      const frozen = this.frozen.get(seriesId);
      if (frozen !== undefined) merger.addBuffer(seriesId, frozen, false);
      const buffer = this.buffers.get(seriesId);
      if (buffer !== undefined) merger.addBuffer(seriesId, buffer, true);
      const rows = c
        .statement(`SELECT rowid, t_last, data FROM point_chunks${f.sql} ORDER BY t_last DESC`)
        .all(...f.params) as Row[];
      for (const row of rows) {
        if (limit > 0 && merger.size >= limit && merger.countAfter(row.t_last as number) >= limit) break;
        merger.addChunk(row.rowid as number, seriesId, row.data as Uint8Array);
      }
      return merger.result(limit);
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
    return this.page('query anomalies', 'anomalies', ANOMALY_ROW, f, 't DESC, id DESC', query);
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
    return this.page('query alerts', 'alerts', ALERT_ROW, f, 'starts_at DESC, id DESC', query);
  }

  getAlert(id: string): Alert | null {
    return this.run('get alert', (c) => {
      const row = c.statement(`SELECT ${ALERT_ROW.columns} FROM alerts WHERE id = ?`).get(id) as
        | Row
        | undefined;
      return row === undefined ? null : ALERT_ROW.read(row);
    });
  }

  /** The alert's events in order (seq ascending). */
  alertHistory(alertId: string): AlertEvent[] {
    return this.run('query alert history', (c) =>
      (
        c
          .statement(`SELECT ${ALERT_EVENT_ROW.columns} FROM alert_events WHERE alert_id = ? ORDER BY seq`)
          .all(alertId) as Row[]
      ).map(ALERT_EVENT_ROW.read),
    );
  }

  /** The newest `limit` anomalies attached to the alert, returned oldest first. */
  alertAnomalies(alertId: string, limit: number): Anomaly[] {
    return this.run('query alert anomalies', (c) => {
      const rows = c
        .statement(
          `SELECT ${ANOMALY_ROW.columns} FROM anomalies WHERE alert_id = ? ORDER BY t DESC, id DESC LIMIT ?`,
        )
        .all(alertId, limitOf(limit, 0)) as Row[];
      return rows.reverse().map(ANOMALY_ROW.read);
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
          .statement(`SELECT ${LOG_ROW.columns} FROM logs${f.sql} ORDER BY t DESC, rowid DESC LIMIT ?`)
          .all(...f.params, limitOf(limit, 0)) as Row[]
      ).map(LOG_ROW.read),
    );
  }

  /** Newest first (by `createdAt`), default limit {@link DEFAULT_LIMIT}. */
  anomalyCounts(from: number, bucketMs: number): Array<{ service: string; t: number; anomalies: number }> {
    return this.run('count anomalies', (c) =>
      (
        c
          .statement(
            'SELECT service, CAST(t / ? AS INTEGER) * ? AS bucket, COUNT(*) AS n FROM anomalies WHERE t >= ? ' +
              'GROUP BY service, bucket ORDER BY service, bucket',
          )
          .all(bucketMs, bucketMs, from) as Row[]
      ).map((r) => ({ service: r.service as string, t: r.bucket as number, anomalies: r.n as number })),
    );
  }

  incidents(query: IncidentQuery): { readonly total: number; readonly items: Incident[] } {
    return this.run('query incidents', (c) => queryIncidents(c, query));
  }

  getIncident(id: string): Incident | null {
    return this.run('get incident', (c) => getIncident(c, id));
  }

  feedback(query: FeedbackQuery): Feedback[] {
    return this.run('query feedback', (c) => queryFeedback(c, query));
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
            `SELECT ${DELIVERY_ROW.columns} FROM deliveries${f.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
          )
          .all(...f.params, limitOf(query.limit, DEFAULT_LIMIT)) as Row[]
      ).map(DELIVERY_ROW.read),
    );
  }

  dueDeliveries(now: number, limit: number): Delivery[] {
    return this.run('query due deliveries', (c) =>
      (
        c
          .statement(
            `SELECT ${DELIVERY_ROW.columns} FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ` +
              'ORDER BY next_attempt_at, id LIMIT ?',
          )
          .all(now, limitOf(limit, 0)) as Row[]
      ).map(DELIVERY_ROW.read),
    );
  }

  /** Overwrites the delivery (inserting it when missing). */
  updateDelivery(delivery: Delivery): void {
    this.run('update delivery', (c) => {
      c.replaceDelivery.run(DELIVERY_ROW.params(delivery));
    });
  }

  /**
   * Deletes points older than `pointsMs` before the newest point of their series (whole chunks,
   * and the old part of a chunk that straddles the limit), syncs the remaining buffered points,
   * deletes all but the newest `logsPerService` log messages of each service, and events past
   * `eventsMs` (see `event-retention.ts` and {@link Store.prune}). One transaction.
   */
  prune(retention: Retention): void {
    this.run('prune', (c) => {
      this.beginSync();
      c.db
        .transaction(() => {
          const newest = c.statement('SELECT MAX(t_last) AS t FROM point_chunks WHERE series_id = ?');
          const remove = c.statement('DELETE FROM point_chunks WHERE series_id = ? AND t_last < ?');
          const straddling = c.statement(
            'SELECT rowid, data FROM point_chunks WHERE series_id = ? AND t_first < ?',
          );
          const rewrite = c.statement(
            'UPDATE point_chunks SET t_first = ?, t_last = ?, data = ? WHERE rowid = ?',
          );
          const removeChunk = c.statement('DELETE FROM point_chunks WHERE rowid = ?');
          const cutoffs = new Map<string, number>();
          for (const id of c.statement(DISTINCT_POINT_SERIES).pluck().all() as string[]) {
            const t = (newest.get(id) as Row | undefined)?.t;
            if (typeof t !== 'number') continue;
            const cutoff = Math.max(t, this.frozen.get(id)?.tMax ?? t) - retention.pointsMs;
            cutoffs.set(id, cutoff);
            remove.run(id, cutoff);
            for (const row of straddling.all(id, cutoff) as Row[]) {
              const kept = keepFrom(decodeValues(row.data as Uint8Array), cutoff).chunks()[0];
              if (kept === undefined) removeChunk.run(row.rowid);
              else rewrite.run(kept.tFirst, kept.tLast, kept.blob, row.rowid);
            }
          }
          for (const s of this.frozenSeries.values()) c.insertSeries.run(SERIES_ROW.params(s));
          for (const [id, b] of this.frozen) {
            const cutoff = cutoffs.get(id) ?? b.tMax - retention.pointsMs;
            writeChunks(c, id, b.tMin >= cutoff ? b : keepFrom(b.values(), cutoff));
          }
          c.statement(
            'DELETE FROM logs WHERE rowid IN (SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER ' +
              '(PARTITION BY service ORDER BY t DESC, rowid DESC) AS n FROM logs) WHERE n > ?)',
          ).run(Math.max(0, Math.floor(retention.logsPerService)));
          pruneEvents(c, retention);
        })
        .immediate();
      this.dropBuffered();
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

  /** Syncs (see {@link sync}) and closes. The store is closed even when the sync fails. */
  close(): void {
    if (this.closed) return;
    try {
      if (this.buffers.size + this.pendingSeries.size + this.frozen.size + this.frozenSeries.size > 0)
        this.sync();
    } finally {
      this.closed = true;
      this.checkpointer?.stop();
      this.connection?.close();
      this.connection = null;
    }
  }

  /** Writes every point buffer and catalog update, frozen ones first (inside the caller's transaction). */
  private writeBuffered(c: Connection): void {
    for (const s of this.frozenSeries.values()) c.insertSeries.run(SERIES_ROW.params(s));
    for (const s of this.pendingSeries.values()) c.insertSeries.run(SERIES_ROW.params(s));
    for (const [id, b] of this.frozen) writeChunks(c, id, b);
    for (const [id, b] of this.buffers) writeChunks(c, id, b);
  }

  /** Forgets what {@link writeBuffered} wrote, once its transaction committed. */
  private dropBuffered(): void {
    this.frozenSeries.clear();
    this.pendingSeries.clear();
    this.frozen.clear();
    this.buffers.clear();
    this.frozenPoints = 0;
    this.bufferedPoints = 0;
  }

  /** The newest catalog record of a series not yet written, if any. */
  private latestSeries(id: string): SeriesInfo | undefined {
    return this.pendingSeries.get(id) ?? this.frozenSeries.get(id);
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
    spec: RowSpec<T>,
    f: Filter,
    order: string,
    query: { readonly limit?: number; readonly offset?: number },
    convert: (row: Row) => T = spec.read,
  ): { readonly total: number; readonly items: T[] } {
    return this.run(operation, (c) =>
      c.db
        .transaction(() => {
          const total = c.statement(`SELECT COUNT(*) AS n FROM ${table}${f.sql}`).get(...f.params) as Row;
          const rows = c
            .statement(`SELECT ${spec.columns} FROM ${table}${f.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
            .all(...f.params, limitOf(query.limit, DEFAULT_LIMIT), offsetOf(query.offset)) as Row[];
          return { total: total.n as number, items: rows.map(convert) };
        })
        .deferred(),
    );
  }
}

/** Up to `max` entries of a map, in its order. */
function take<K, V>(map: ReadonlyMap<K, V>, max: number): Array<[K, V]> {
  const out: Array<[K, V]> = [];
  for (const entry of map) {
    if (out.length >= max) break;
    out.push(entry);
  }
  return out;
}

/** Writes a series' buffered points as chunk rows. */
function writeChunks(c: Connection, seriesId: string, buffer: PointBuffer): void {
  for (const chunk of buffer.chunks()) c.insertChunk.run([seriesId, chunk.tFirst, chunk.tLast, chunk.blob]);
}

/** Seq of the last completed checkpoint, 0 when there is none. */
function completedCheckpointSeq(c: Connection): number {
  const row = c.statement('SELECT through_seq FROM checkpoint_meta WHERE id = 1').get() as Row | undefined;
  return (row?.through_seq as number | undefined) ?? 0;
}

/** Series states as JSON rows. @throws {TypeError} when a state is not JSON-serializable. */
function stateRows(states: Iterable<readonly [string, unknown]>): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [id, state] of states) rows.push([id, JSON.stringify(state) ?? 'null']);
  return rows;
}

/** The points of interleaved chunk values at or after `cutoff`, in their order. */
function keepFrom(values: Float64Array, cutoff: number): PointBuffer {
  const kept = new PointBuffer();
  for (let o = 0; o < values.length; o += POINT_FIELDS) {
    if ((values[o] as number) >= cutoff) kept.pushValues(values.subarray(o, o + POINT_FIELDS));
  }
  return kept;
}
