import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { readRows } from './csv.js';
import { ReplayError } from './errors.js';
import type { HttpOptions } from './http.js';
import { Pacer } from './pacing.js';
import type { ReplayFileReport, ReplayReport } from './report.js';
import { alertsOf, awaitSeries, fetchAlerts, fetchAnomalies } from './results.js';
import { type SendContext, type SentFile, sendFile } from './send.js';

/** Options of {@link runReplay}. */
export interface ReplayOptions {
  /** CSV files of `timestamp,value`, replayed one after the other, each in row order. */
  readonly files: readonly string[];
  /** Base URL of the Vigil server. */
  readonly url: string;
  /** Event time runs `speed`× faster than wall time (> 0); each file's timeline starts at its first row. Exclusive with `max`. */
  readonly speed?: number;
  /** Send as fast as the server answers (the default when `speed` is absent). */
  readonly max?: boolean;
  /** Service of the replayed series. Default `replay`. */
  readonly service?: string;
  /** Most points per request. Default 500. */
  readonly batchSize?: number;
  /** Receives the human-readable summary, one line per call. */
  readonly print: (line: string) => void;
  readonly apiKey?: string;
  /** In speed mode, points due within this many wall ms of a chunk's first point share its request. Default 100. */
  readonly coalesceMs?: number;
  /** How long to wait for the server to show each file's last point before reading results, ms. Default 30000. */
  readonly settleTimeoutMs?: number;
  /** Request timeout and retries. */
  readonly http?: Omit<HttpOptions, 'apiKey'>;
}

/** Alerts printed per file; the report holds all of them. */
const MAX_ALERT_LINES = 10;

/** The series endpoint of a file: its base name without `.csv`. */
export function endpointOf(file: string): string {
  return basename(file).replace(/\.csv$/i, '');
}

/**
 * Streams CSV files through `POST /api/batch` as application metrics with their own timestamps
 * (`{"type":"metric","service":S,"endpoint":<file base name>,"metrics":{"value":v},"timestamp":ms}`), then reads back
 * the anomalies and alerts of each file's series and prints a summary.
 * @returns what was sent and found, per file (see {@link ReplayReport})
 * @throws {ReplayError} on bad options, an unreadable or malformed CSV (naming file:line), two files with the same
 *   base name (all checked before anything is sent), or a request that still fails after its retries (rows sent
 *   before it stay sent).
 * @example
 * const report = await runReplay({ files: ['nab/data/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv'],
 *   url: 'http://127.0.0.1:8080', max: true, print: console.log });
 */
export async function runReplay(opts: ReplayOptions): Promise<ReplayReport> {
  const base = opts.url.replace(/\/+$/, '');
  const service = opts.service ?? 'replay';
  const batchSize = opts.batchSize ?? 500;
  validate(opts, batchSize);
  const http: HttpOptions = { ...opts.http, ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }) };
  const speed = opts.speed;
  const runId = randomUUID();
  let requestSeq = 0;

  // Read every file once before sending, so a malformed row fails the run before anything reaches the server.
  for (const file of opts.files) for await (const _ of readRows(file));

  const ctx: SendContext = {
    base,
    service,
    batchSize,
    pacer: speed === undefined ? undefined : new Pacer(speed),
    coalesceMs: opts.coalesceMs ?? 100,
    http,
    nextKey: () => `replay-${runId}-${requestSeq++}`,
    print: opts.print,
  };
  const sent: SentFile[] = [];
  const started = performance.now();
  for (const file of opts.files) sent.push(await sendFile(file, endpointOf(file), ctx));
  const sendMs = performance.now() - started;
  const points = sent.reduce((n, f) => n + f.points, 0);
  const requests = sent.reduce((n, f) => n + f.requests, 0);
  const rejected = sent.reduce((n, f) => n + f.rejected, 0);
  const pointsPerSec = sendMs > 0 ? points / (sendMs / 1000) : 0;
  opts.print(
    `sent ${points} points from ${sent.length} files in ${requests} requests, ${(sendMs / 1000).toFixed(2)} s, ` +
      `${Math.round(pointsPerSec)} points/s${rejected > 0 ? `, ${rejected} rejected` : ''}`,
  );

  const { settled, series } = await awaitSeries(base, service, sent, opts.settleTimeoutMs ?? 30_000, http);
  if (!settled)
    opts.print('warning: the server had not shown every last point yet; results may be incomplete');
  const allAlerts = await fetchAlerts(base, service, http);
  const files: ReplayFileReport[] = [];
  for (const f of sent) {
    const seriesId = series.get(f.endpoint)?.id ?? null;
    const anomalies = await fetchAnomalies(base, service, f.endpoint, seriesId, http);
    const alerts = alertsOf(allAlerts, f.endpoint, seriesId);
    files.push({ ...f, seriesId, anomalies, alerts });
    opts.print(`${f.endpoint}: ${f.points} points, ${anomalies.length} anomalies, ${alerts.length} alerts`);
    for (const a of alerts.slice(0, MAX_ALERT_LINES)) {
      opts.print(
        `  alert ${a.id} ${a.severity} ${a.status} ${iso(a.startsAt)} → ${iso(a.lastAnomalyAt)}, ` +
          `${a.anomalyCount} anomalies, max score ${a.maxScore.toFixed(3)}`,
      );
    }
    if (alerts.length > MAX_ALERT_LINES) opts.print(`  … and ${alerts.length - MAX_ALERT_LINES} more alerts`);
  }
  return {
    url: base,
    service,
    mode: speed ?? 'max',
    files,
    points,
    requests,
    rejected,
    sendMs,
    pointsPerSec,
    settled,
  };
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function validate(opts: ReplayOptions, batchSize: number): void {
  if (opts.files.length === 0) throw new ReplayError('no CSV file given');
  if (opts.speed !== undefined && opts.max) throw new ReplayError('--speed and --max exclude each other');
  if (opts.speed !== undefined && !(opts.speed > 0))
    throw new ReplayError(`--speed must be > 0, got ${opts.speed}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ReplayError(`--batch-size must be a positive integer, got ${batchSize}`);
  }
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new ReplayError(`--url is not a URL: ${opts.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ReplayError(`--url must be http(s): ${opts.url}`);
  const seen = new Map<string, string>();
  for (const f of opts.files) {
    const other = seen.get(endpointOf(f));
    if (other !== undefined)
      throw new ReplayError(`${other} and ${f} would feed the same series ${endpointOf(f)}`);
    seen.set(endpointOf(f), f);
  }
}
