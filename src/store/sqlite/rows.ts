/**
 * Conversion between model records and SQLite rows: one {@link RowSpec} per table lists each
 * field with its column and codec, in column order, so that the column list, the write
 * parameters and the reader cannot drift apart.
 *
 * Writes bind positional parameters (fastest in better-sqlite3); booleans become 0/1, labels and
 * log contexts JSON text. SQLite stores NaN as NULL, so nullable numeric columns read back as NaN.
 */
import type {
  Alert,
  AlertEvent,
  Anomaly,
  Delivery,
  Labels,
  LogRecord,
  SeriesInfo,
  SeriesKey,
} from '../../model/types.js';

/** A row as better-sqlite3 returns it: column name → value. */
export type Row = Record<string, unknown>;

/** One field's column: its name and how the value is written and read. */
export interface Column<V> {
  readonly name: string;
  write(value: V): unknown;
  read(raw: unknown): V;
}

/** The columns of a record type, one per field; the object's key order is the column order. */
export type Columns<T> = { readonly [K in keyof T]-?: Column<T[K]> };

/** Parses a JSON text column. @throws {SyntaxError} when the text is not JSON. */
export function fromJson<T>(raw: unknown): T {
  return JSON.parse(raw as string) as T;
}

const isNull = (raw: unknown): boolean => raw === null || raw === undefined;

/** A text column (string or string-literal union). */
export function text<V extends string>(name: string): Column<V> {
  return { name, write: (v) => v, read: (raw) => raw as V };
}
/** A nullable text column. */
export function textOrNull<V extends string>(name: string): Column<V | null> {
  return { name, write: (v) => v, read: (raw) => (isNull(raw) ? null : (raw as V)) };
}
/** A NOT NULL numeric column. */
export function num(name: string): Column<number> {
  return { name, write: (v) => v, read: (raw) => raw as number };
}
/** A numeric column where NULL stands for NaN (SQLite stores NaN as NULL). */
export function numOrNaN(name: string): Column<number> {
  return { name, write: (v) => v, read: (raw) => (isNull(raw) ? Number.NaN : (raw as number)) };
}
/** A nullable numeric column. */
export function numOrNull(name: string): Column<number | null> {
  return { name, write: (v) => v, read: (raw) => (isNull(raw) ? null : (raw as number)) };
}
/** A boolean stored as 0/1. */
export function flag(name: string): Column<boolean> {
  return { name, write: (v) => (v ? 1 : 0), read: (raw) => raw === 1 };
}
/** A value stored as JSON text (reading throws SyntaxError on text that is not JSON). */
export function json<V>(name: string): Column<V> {
  return { name, write: (v) => JSON.stringify(v), read: (raw) => fromJson<V>(raw) };
}
/** A nullable value stored as JSON text (NULL for null). */
export function jsonOrNull<V>(name: string): Column<V | null> {
  return {
    name,
    write: (v) => (v === null ? null : JSON.stringify(v)),
    read: (raw) => (raw === null ? null : fromJson<V>(raw)),
  };
}

/** How records of type `T` map to rows of one table. */
export class RowSpec<T> {
  /** Column names, comma-separated in column order (for SELECT and INSERT). */
  readonly columns: string;
  private readonly fields: ReadonlyArray<readonly [keyof T, Column<unknown>]>;

  constructor(columns: Columns<T>) {
    this.fields = Object.entries(columns).map(([field, column]) => [
      field as keyof T,
      column as Column<unknown>,
    ]);
    this.columns = this.fields.map(([, c]) => c.name).join(', ');
  }

  /** The record's values in column order, as positional parameters. */
  params(record: T): unknown[] {
    return this.fields.map(([field, c]) => c.write(record[field]));
  }

  /**
   * The record of a row that has (at least) {@link columns}. An arrow, to pass to `map`.
   * @throws {SyntaxError} when a JSON column holds text that is not JSON.
   */
  readonly read = (row: Row): T => {
    const record: Partial<Record<keyof T, unknown>> = {};
    for (const [field, c] of this.fields) record[field] = c.read(row[c.name]);
    return record as T;
  };

  /** The spec of some fields only, in this spec's column order (for queries that read part of a row). */
  pick<K extends keyof T>(...fields: readonly K[]): RowSpec<Pick<T, K>> {
    const picked = this.fields.filter(([field]) => fields.includes(field as K));
    return new RowSpec(Object.fromEntries(picked) as unknown as Columns<Pick<T, K>>);
  }
}

/** Columns of a series' identity, shared by the series catalog, anomalies and alerts. */
const SERIES_KEY: Columns<SeriesKey> = {
  service: text('service'),
  endpoint: text('endpoint'),
  metric: text('metric'),
  labels: json<Labels>('labels'),
};

/** `series` (the catalog). */
export const SERIES_ROW = new RowSpec<SeriesInfo>({
  id: text('id'),
  ...SERIES_KEY,
  kind: text('kind'),
  firstSeen: num('first_seen'),
  lastSeen: num('last_seen'),
  samples: num('samples'),
  warmup: num('warmup'),
  lastValue: numOrNaN('last_value'),
});

/** `anomalies`. */
export const ANOMALY_ROW = new RowSpec<Anomaly>({
  id: text('id'),
  seriesId: text('series_id'),
  ...SERIES_KEY,
  t: num('t'),
  value: numOrNaN('value'),
  expected: numOrNaN('expected'),
  lower: numOrNaN('lower'),
  upper: numOrNaN('upper'),
  score: numOrNaN('score'),
  confidence: numOrNaN('confidence'),
  type: text('type'),
  component: textOrNull('component'),
  severity: text('severity'),
  outOfDeclaredRange: flag('out_of_declared_range'),
  explanation: text('explanation'),
  alertId: textOrNull('alert_id'),
});

/** `alerts`. */
export const ALERT_ROW = new RowSpec<Alert>({
  id: text('id'),
  seriesId: text('series_id'),
  ...SERIES_KEY,
  status: text('status'),
  severity: text('severity'),
  startsAt: num('starts_at'),
  lastAnomalyAt: num('last_anomaly_at'),
  resolvedAt: numOrNull('resolved_at'),
  anomalyCount: num('anomaly_count'),
  maxScore: numOrNaN('max_score'),
  type: text('type'),
  summary: text('summary'),
  acknowledgedBy: textOrNull('acknowledged_by'),
  acknowledgedAt: numOrNull('acknowledged_at'),
  resolvedBy: textOrNull('resolved_by'),
  note: textOrNull('note'),
  ackExpiresAt: numOrNull('ack_expires_at'),
  incidentId: textOrNull('incident_id'),
  version: num('version'),
});

/** `alert_events` (an alert's history). */
export const ALERT_EVENT_ROW = new RowSpec<AlertEvent>({
  alertId: text('alert_id'),
  seq: num('seq'),
  action: text('action'),
  at: num('at'),
  by: textOrNull('by'),
  note: textOrNull('note'),
  status: text('status'),
  severity: text('severity'),
});

/** `deliveries`. */
export const DELIVERY_ROW = new RowSpec<Delivery>({
  id: text('id'),
  receiver: text('receiver'),
  alertId: text('alert_id'),
  alertVersion: num('alert_version'),
  payload: text('payload'),
  status: text('status'),
  attempts: num('attempts'),
  lastError: textOrNull('last_error'),
  createdAt: num('created_at'),
  lastAttemptAt: numOrNull('last_attempt_at'),
  nextAttemptAt: num('next_attempt_at'),
});

/**
 * `logs`. A log message's id is its row `key`: `<log seq>-l<index>` from the pipeline, so that
 * re-committing the same batch (replay) does not duplicate it.
 */
export const LOG_ROW = new RowSpec<LogRecord>({
  id: text('key'),
  service: text('service'),
  level: text('level'),
  message: text('message'),
  t: num('t'),
  traceId: textOrNull('trace_id'),
  context: jsonOrNull<Readonly<Record<string, unknown>>>('context'),
});
