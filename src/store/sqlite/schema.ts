/**
 * Schema of the embedded SQLite store, as an ordered list of migrations.
 *
 * `schema_version` holds the number of migrations applied; opening a store applies the missing
 * ones in one transaction each. Migrations are append-only: never edit a released one.
 *
 * Versions: 1 the first release; 2 points in chunks (`point_chunks`, see `point-chunks.ts`,
 * existing points are converted), versioned series states for sliced checkpoints
 * (`series_state.seq`, `prev_state`), and the `commit_mark` row.
 */
import type Database from 'better-sqlite3';
import { encodePoints, MAX_CHUNK_POINTS } from './point-chunks.js';

/** A migration: SQL, or a function for what SQL alone cannot do (it runs inside the migration's transaction). */
export type Migration = string | ((db: Database.Database) => void);

/** Migration `i` brings the schema from version `i` to `i + 1`. */
export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE series (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    kind TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    warmup REAL NOT NULL,
    last_value REAL
  );
  CREATE INDEX series_by_service ON series (service, endpoint, metric);
  CREATE INDEX series_by_endpoint ON series (endpoint);
  CREATE INDEX series_by_metric ON series (metric);

  CREATE TABLE points (
    series_id TEXT NOT NULL,
    t INTEGER NOT NULL,
    value REAL,
    expected REAL,
    lower REAL,
    upper REAL,
    score REAL,
    anomalous INTEGER NOT NULL,
    PRIMARY KEY (series_id, t)
  ) WITHOUT ROWID;

  CREATE TABLE anomalies (
    id TEXT PRIMARY KEY,
    series_id TEXT NOT NULL,
    service TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    t INTEGER NOT NULL,
    value REAL,
    expected REAL,
    lower REAL,
    upper REAL,
    score REAL,
    confidence REAL,
    type TEXT NOT NULL,
    component TEXT,
    severity TEXT NOT NULL,
    out_of_declared_range INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    alert_id TEXT
  );
  CREATE INDEX anomalies_by_t ON anomalies (t);
  CREATE INDEX anomalies_by_series ON anomalies (series_id, t);
  CREATE INDEX anomalies_by_service ON anomalies (service, t);
  CREATE INDEX anomalies_by_severity ON anomalies (severity, t);
  CREATE INDEX anomalies_by_alert ON anomalies (alert_id, t);

  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    series_id TEXT NOT NULL,
    service TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    last_anomaly_at INTEGER NOT NULL,
    resolved_at INTEGER,
    anomaly_count INTEGER NOT NULL,
    max_score REAL,
    type TEXT NOT NULL,
    summary TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at INTEGER,
    resolved_by TEXT,
    note TEXT,
    version INTEGER NOT NULL
  );
  CREATE INDEX alerts_by_starts_at ON alerts (starts_at);
  CREATE INDEX alerts_by_status ON alerts (status, starts_at);
  CREATE INDEX alerts_by_severity ON alerts (severity, starts_at);
  CREATE INDEX alerts_by_service ON alerts (service, starts_at);
  CREATE INDEX alerts_by_series ON alerts (series_id, starts_at);

  CREATE TABLE alert_events (
    alert_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    at INTEGER NOT NULL,
    by TEXT,
    note TEXT,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    PRIMARY KEY (alert_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    receiver TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    alert_version INTEGER NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    next_attempt_at INTEGER NOT NULL
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
  CREATE INDEX deliveries_by_alert ON deliveries (alert_id, created_at);
  CREATE INDEX deliveries_by_receiver ON deliveries (receiver, created_at);
  CREATE INDEX deliveries_by_created ON deliveries (created_at);

  CREATE TABLE logs (
    key TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    t INTEGER NOT NULL,
    trace_id TEXT,
    context TEXT
  );
  CREATE INDEX logs_by_service ON logs (service, t);
  CREATE INDEX logs_by_t ON logs (t);

  CREATE TABLE checkpoint_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    through_seq INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    pipeline TEXT NOT NULL
  );

  CREATE TABLE series_state (
    series_id TEXT PRIMARY KEY,
    state TEXT NOT NULL
  );

  CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL,
    beats INTEGER NOT NULL
  );
  INSERT INTO heartbeat (id, at, beats) VALUES (1, 0, 0);
  `,
  // 2: acknowledgement expiry, incidents, "not an anomaly" feedback.
  `
  ALTER TABLE alerts ADD COLUMN ack_expires_at INTEGER;
  ALTER TABLE alerts ADD COLUMN incident_id TEXT;
  CREATE INDEX alerts_by_incident ON alerts (incident_id, starts_at);

  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    services TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    resolved_at INTEGER,
    body TEXT NOT NULL
  );
  CREATE INDEX incidents_by_started ON incidents (started_at);
  CREATE INDEX incidents_by_status ON incidents (status, started_at);

  CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    series_id TEXT NOT NULL,
    alert_id TEXT,
    scope TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    body TEXT NOT NULL
  );
  CREATE INDEX feedback_by_series ON feedback (series_id, created_at);
  CREATE INDEX feedback_by_alert ON feedback (alert_id);
  CREATE INDEX feedback_by_created ON feedback (created_at);
  CREATE TABLE feedback_anomalies (
    anomaly_id TEXT NOT NULL,
    feedback_id TEXT NOT NULL,
    PRIMARY KEY (anomaly_id, feedback_id)
  ) WITHOUT ROWID;
  `,
  // 3: points in chunks, checkpoint bookkeeping of series states, commit marks.
  (db) => {
    db.exec(`
      CREATE TABLE point_chunks (
        series_id TEXT NOT NULL,
        t_first REAL NOT NULL,
        t_last REAL NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX point_chunks_by_last ON point_chunks (series_id, t_last);
      CREATE INDEX point_chunks_by_first ON point_chunks (series_id, t_first);

      ALTER TABLE series_state ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE series_state ADD COLUMN prev_state TEXT;

      CREATE TABLE commit_mark (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_seq INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
      INSERT INTO commit_mark (id, through_seq, at) VALUES (1, 0, 0);
    `);
    convertPoints(db);
    db.exec('DROP TABLE points');
  },
];

/** Copies the rows of the version-1 `points` table into chunks, series by series, in time order. */
function convertPoints(db: Database.Database): void {
  const insert = db.prepare(
    'INSERT INTO point_chunks (series_id, t_first, t_last, data) VALUES (?, ?, ?, ?)',
  );
  const select = db.prepare(
    'SELECT t, value, expected, lower, upper, score, anomalous FROM points WHERE series_id = ? ORDER BY t',
  );
  const nan = (v: unknown): number => (v === null ? Number.NaN : (v as number));
  for (const seriesId of db.prepare('SELECT DISTINCT series_id FROM points').pluck().all() as string[]) {
    const points = (select.all(seriesId) as Record<string, unknown>[]).map((r) => ({
      seriesId,
      t: r.t as number,
      value: nan(r.value),
      expected: nan(r.expected),
      lower: nan(r.lower),
      upper: nan(r.upper),
      score: nan(r.score),
      anomalous: r.anomalous === 1,
    }));
    for (let i = 0; i < points.length; i += MAX_CHUNK_POINTS) {
      const chunk = points.slice(i, i + MAX_CHUNK_POINTS);
      insert.run(seriesId, chunk[0]!.t, chunk[chunk.length - 1]!.t, encodePoints(chunk));
    }
  }
}

/**
 * Applies the migrations the database lacks, each in its own transaction.
 * @returns the schema version after migrating.
 * @throws {Error} when the database has a newer schema than this code knows.
 */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (row === undefined) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  if (version > MIGRATIONS.length) {
    throw new Error(`database schema version ${version} is newer than this Vigil (${MIGRATIONS.length})`);
  }
  for (; version < MIGRATIONS.length; version++) {
    const migration = MIGRATIONS[version]!;
    const next = version + 1;
    db.transaction(() => {
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.prepare('UPDATE schema_version SET version = ?').run(next);
    }).immediate();
  }
  return version;
}
