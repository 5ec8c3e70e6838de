/**
 * One open SQLite connection with the store's pragmas, schema and prepared write statements.
 * Dropped and rebuilt as a whole when the connection breaks (see `SqliteStore`).
 */
import Database from 'better-sqlite3';
import { ALERT_EVENT_ROW, ALERT_ROW, ANOMALY_ROW, DELIVERY_ROW, LOG_ROW, SERIES_ROW } from './rows.js';
import { migrate } from './schema.js';

export interface ConnectionOptions {
  /** How long a statement waits for a lock held by another connection, ms. */
  readonly busyTimeoutMs: number;
  /** Largest database size, bytes (`PRAGMA max_page_count`); writes past it fail with SQLITE_FULL. */
  readonly maxBytes?: number;
  /** WAL size at which a commit checkpoints (`PRAGMA wal_autocheckpoint`), pages; SQLite's default (1,000) when absent. */
  readonly autoCheckpointPages?: number;
}

const placeholders = (columns: string): string =>
  columns
    .split(',')
    .map(() => '?')
    .join(', ');

/** `INSERT [OR IGNORE | OR REPLACE] INTO table (columns) VALUES (?, …)`. */
function insert(table: string, columns: string, onConflict?: 'IGNORE' | 'REPLACE'): string {
  const or = onConflict === undefined ? '' : ` OR ${onConflict}`;
  return `INSERT${or} INTO ${table} (${columns}) VALUES (${placeholders(columns)})`;
}

/** `INSERT … ON CONFLICT (key) DO UPDATE SET every other column = excluded.column`. */
function upsert(table: string, columns: string, key: string): string {
  const sets = columns
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== key)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `${insert(table, columns)} ON CONFLICT (${key}) DO UPDATE SET ${sets}`;
}

export class Connection {
  readonly db: Database.Database;
  readonly insertSeries: Database.Statement<unknown[]>;
  readonly insertChunk: Database.Statement<unknown[]>;
  readonly insertAnomaly: Database.Statement<unknown[]>;
  readonly upsertAlert: Database.Statement<unknown[]>;
  readonly insertAlertEvent: Database.Statement<unknown[]>;
  readonly insertDelivery: Database.Statement<unknown[]>;
  readonly replaceDelivery: Database.Statement<unknown[]>;
  readonly insertLog: Database.Statement<unknown[]>;
  readonly saveMeta: Database.Statement<unknown[]>;
  readonly saveSeriesState: Database.Statement<unknown[]>;
  readonly markCommit: Database.Statement<unknown[]>;
  readonly heartbeat: Database.Statement<unknown[]>;
  readonly readHeartbeat: Database.Statement<unknown[]>;
  private readonly cache = new Map<string, Database.Statement<unknown[]>>();

  /**
   * Opens `file` (created when missing), sets WAL journal, `synchronous = NORMAL` (a commit
   * survives a process crash; a power loss may lose the last commits, never corrupts) and the
   * busy timeout, then migrates the schema.
   * @throws the SQLite error when the file cannot be opened or migrated.
   */
  constructor(file: string, options: ConnectionOptions) {
    this.db = new Database(file, { timeout: options.busyTimeoutMs });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
      this.db.pragma('foreign_keys = OFF');
      if (options.autoCheckpointPages !== undefined)
        this.db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(options.autoCheckpointPages))}`);
      migrate(this.db);
      if (options.maxBytes !== undefined) {
        const pageSize = this.db.pragma('page_size', { simple: true }) as number;
        this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
      }
      this.insertSeries = this.db.prepare(upsert('series', SERIES_ROW.columns, 'id'));
      this.insertChunk = this.db.prepare(
        'INSERT INTO point_chunks (series_id, t_first, t_last, data) VALUES (?, ?, ?, ?)',
      );
      this.insertAnomaly = this.db.prepare(insert('anomalies', ANOMALY_ROW.columns, 'REPLACE'));
      this.upsertAlert = this.db.prepare(upsert('alerts', ALERT_ROW.columns, 'id'));
      this.insertAlertEvent = this.db.prepare(insert('alert_events', ALERT_EVENT_ROW.columns, 'REPLACE'));
      this.insertDelivery = this.db.prepare(insert('deliveries', DELIVERY_ROW.columns, 'IGNORE'));
      this.replaceDelivery = this.db.prepare(upsert('deliveries', DELIVERY_ROW.columns, 'id'));
      this.insertLog = this.db.prepare(insert('logs', LOG_ROW.columns, 'IGNORE'));
      this.saveMeta = this.db.prepare(
        'INSERT INTO checkpoint_meta (id, through_seq, taken_at, pipeline) VALUES (1, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET through_seq = excluded.through_seq, taken_at = excluded.taken_at, ' +
          'pipeline = excluded.pipeline',
      );
      // Parameters: series id, checkpoint seq, state, seq of the last completed checkpoint. A row
      // written by a checkpoint that has not completed keeps the state of the completed one in
      // `prev_state` (see `SqliteStore.saveSeriesStates`).
      this.saveSeriesState = this.db.prepare(
        'INSERT INTO series_state (series_id, seq, state) VALUES (?, ?, ?) ' +
          'ON CONFLICT (series_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, ' +
          'prev_state = CASE WHEN series_state.seq <= ? THEN series_state.state ELSE series_state.prev_state END',
      );
      this.markCommit = this.db.prepare('UPDATE commit_mark SET through_seq = ?, at = ? WHERE id = 1');
      this.heartbeat = this.db.prepare('UPDATE heartbeat SET at = ?, beats = beats + 1 WHERE id = 1');
      this.readHeartbeat = this.db.prepare('SELECT at, beats FROM heartbeat WHERE id = 1');
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** A prepared statement for `sql`, cached for the life of the connection. */
  statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
