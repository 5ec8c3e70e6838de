/** Sending one CSV file through `POST /api/batch`, in chunks, optionally paced by event time. */
import { type Row, readRows } from './csv.js';
import { type HttpOptions, postJson } from './http.js';
import type { Pacer } from './pacing.js';
import type { ReplayFileReport } from './report.js';

/** What {@link sendFile} needs besides the file. */
export interface SendContext {
  /** Base URL of the server, without a trailing slash. */
  readonly base: string;
  readonly service: string;
  readonly batchSize: number;
  /** Present in speed mode. */
  readonly pacer: Pacer | undefined;
  /** In speed mode, points due within this many wall ms of a chunk's first point share its request. */
  readonly coalesceMs: number;
  readonly http: HttpOptions;
  /** A fresh Idempotency-Key per request (kept across that request's retries). */
  readonly nextKey: () => string;
  readonly print: (line: string) => void;
}

/** A file as sent: the report fields known before reading results back. */
export type SentFile = Omit<ReplayFileReport, 'seriesId' | 'anomalies' | 'alerts'>;

interface IngestAnswer {
  readonly rejected?: number;
  readonly errors?: ReadonlyArray<{ index: number; issues?: ReadonlyArray<{ message?: string }> }>;
}

/**
 * Cuts rows into chunks of at most `batchSize`, in order; `split(head, row)` also starts a new chunk before `row`.
 * @example chunks of 1203 rows with batchSize 500 → 500, 500, 203
 */
export async function* chunkRows(
  rows: AsyncIterable<Row>,
  batchSize: number,
  split: (head: Row, row: Row) => boolean = () => false,
): AsyncGenerator<Row[]> {
  let chunk: Row[] = [];
  for await (const row of rows) {
    const head = chunk[0];
    if (head !== undefined && (chunk.length >= batchSize || split(head, row))) {
      yield chunk;
      chunk = [];
    }
    chunk.push(row);
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Sends one file's rows as `metric` items of endpoint `endpoint`; in speed mode each chunk waits until its last
 * point is due. The file's timeline is anchored at its first row.
 * @throws {ReplayError} from the CSV reader or from a request that failed after its retries.
 */
export async function sendFile(file: string, endpoint: string, ctx: SendContext): Promise<SentFile> {
  const { pacer } = ctx;
  pacer?.reset();
  const split =
    pacer === undefined
      ? undefined
      : (head: Row, row: Row): boolean => {
          const headDue = pacer.dueAt(head.t); // first call anchors the timeline at the file's first row
          return pacer.dueAt(row.t) - headDue > ctx.coalesceMs;
        };
  let points = 0;
  let requests = 0;
  let rejected = 0;
  let firstT: number | null = null;
  let lastT: number | null = null;
  for await (const rows of chunkRows(readRows(file), ctx.batchSize, split)) {
    const last = rows[rows.length - 1] as Row;
    firstT ??= rows[0]?.t ?? null;
    lastT = last.t;
    if (pacer) await pacer.waitUntil(last.t);
    const items = rows.map((r) => ({
      type: 'metric',
      service: ctx.service,
      endpoint,
      metrics: { value: r.value },
      timestamp: r.t,
    }));
    const answer = (await postJson(`${ctx.base}/api/batch`, { metrics: items }, ctx.nextKey(), ctx.http)) as
      | IngestAnswer
      | undefined;
    requests++;
    points += rows.length;
    const bad = answer?.rejected ?? 0;
    if (bad > 0) {
      rejected += bad;
      const first = answer?.errors?.[0];
      const row = first === undefined ? undefined : rows[first.index];
      const why = first?.issues?.map((i) => i.message).join('; ') ?? 'no reason given';
      ctx.print(
        `${file}: server rejected ${bad} of ${rows.length} points${row ? ` (line ${row.line}: ${why})` : ''}`,
      );
    }
  }
  return { file, endpoint, points, requests, rejected, firstT, lastT };
}
