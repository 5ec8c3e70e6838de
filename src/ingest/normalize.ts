/**
 * Request bodies → normalized {@link IngestItem}s, with every problem reported as an issue
 * naming its path. Pure apart from the receive time passed in.
 */
import type { z } from 'zod';
import { type IngestItem, LATENCY_METRICS, type SampleItem } from './items.js';
import {
  applicationFlatSchema,
  applicationNestedSchema,
  businessSchema,
  FLAT_RESERVED,
  hostSchema,
  logSchema,
  metricName,
  statusCodeSchema,
} from './schemas.js';
import { parseTimestamp } from './timestamp.js';

/** One validation problem: where (`path`, batch index first), a stable `code` and a readable `message`. */
export interface Issue {
  readonly path: ReadonlyArray<string | number>;
  readonly code: string;
  readonly message: string;
}

export type NormalizeResult =
  | { readonly ok: true; readonly items: IngestItem[] }
  | { readonly ok: false; readonly issues: Issue[] };

/** The shape of one request or batch item. */
export type RequestKind = 'application' | 'business' | 'log' | 'host';

/** Context for normalization: receive time and limits. */
export interface NormalizeContext {
  /** Receive time, Unix ms (used when a timestamp is absent). */
  readonly now: number;
  /** How far in the future a timestamp may be, ms. */
  readonly maxFutureMs: number;
}

/** Zod's issues as Vigil's {@link Issue}s, each path prefixed (e.g. with a batch index). */
export function zodIssues(error: z.ZodError, prefix: ReadonlyArray<string | number> = []): Issue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    code: i.code,
    message: i.message,
  }));
}

function resolveTime(
  input: unknown,
  ctx: NormalizeContext,
  prefix: ReadonlyArray<string | number>,
): { t: number } | { issue: Issue } {
  const r = parseTimestamp(input, ctx.now, ctx.maxFutureMs);
  return r.ok
    ? { t: r.ms }
    : { issue: { path: [...prefix, 'timestamp'], code: 'invalid_timestamp', message: r.message } };
}

function applicationItems(
  service: string,
  endpoint: string,
  labels: Record<string, string>,
  metrics: Record<string, number>,
  t: number,
  prefix: ReadonlyArray<string | number>,
  metricsPath: ReadonlyArray<string | number>,
  namesChecked: boolean,
): NormalizeResult {
  const items: IngestItem[] = [];
  const issues: Issue[] = [];
  for (const [metric, v] of Object.entries(metrics)) {
    if (metric === 'status_code') {
      const status = statusCodeSchema.safeParse(v);
      if (!status.success) {
        issues.push({
          path: [...prefix, ...metricsPath, 'status_code'],
          code: 'invalid_status_code',
          message: 'status_code must be an integer HTTP status from 100 to 599',
        });
      } else {
        const latency = LATENCY_METRICS.map((m) => metrics[m]).find((v) => v !== undefined);
        items.push({
          k: 'request',
          service,
          endpoint,
          t,
          status: status.data,
          ...(latency !== undefined ? { latencyMs: latency } : {}),
        });
      }
      continue;
    }
    const name = namesChecked ? null : metricName.safeParse(metric);
    if (name !== null && !name.success) {
      issues.push({
        path: [...prefix, ...metricsPath, metric],
        code: 'invalid_metric_name',
        message: name.error.issues[0]?.message ?? 'invalid metric name',
      });
      continue;
    }
    items.push({ k: 'sample', kind: 'application', service, endpoint, metric, labels, t, v });
  }
  if (items.length === 0 && issues.length === 0) {
    issues.push({ path: [...prefix], code: 'no_metrics', message: 'the request carries no numeric metric' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, items };
}

/** `POST /api/metrics` body (nested `metrics` object, or flat numeric fields). */
export function normalizeApplication(
  body: unknown,
  ctx: NormalizeContext,
  prefix: ReadonlyArray<string | number> = [],
): NormalizeResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      issues: [{ path: [...prefix], code: 'invalid_type', message: 'expected a JSON object' }],
    };
  }
  if ('metrics' in body) {
    const parsed = applicationNestedSchema.safeParse(body);
    if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, prefix) };
    const time = resolveTime(parsed.data.timestamp, ctx, prefix);
    if ('issue' in time) return { ok: false, issues: [time.issue] };
    const d = parsed.data;
    // The names were checked by the schema (`metrics` is a record keyed by `metricName`).
    return applicationItems(
      d.service,
      d.endpoint,
      d.labels ?? {},
      d.metrics,
      time.t,
      prefix,
      ['metrics'],
      true,
    );
  }
  const parsed = applicationFlatSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      issues: zodIssues(parsed.error, prefix).map((i) =>
        i.code === 'invalid_type' &&
        i.path.length === prefix.length + 1 &&
        !FLAT_RESERVED.has(String(i.path.at(-1)))
          ? {
              ...i,
              code: 'unknown_field',
              message: `unknown field: every field other than ${[...FLAT_RESERVED].join(', ')} must be a numeric metric (put descriptive data in metadata)`,
            }
          : i,
      ),
    };
  }
  const { service, endpoint, timestamp, labels, metadata: _metadata, type: _type, ...rest } = parsed.data;
  const time = resolveTime(timestamp, ctx, prefix);
  if ('issue' in time) return { ok: false, issues: [time.issue] };
  return applicationItems(
    service,
    endpoint,
    labels ?? {},
    rest as Record<string, number>,
    time.t,
    prefix,
    [],
    false,
  );
}

/** `POST /api/business-metrics` body. */
export function normalizeBusiness(
  body: unknown,
  ctx: NormalizeContext,
  prefix: ReadonlyArray<string | number> = [],
): NormalizeResult {
  const parsed = businessSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, prefix) };
  const d = parsed.data;
  const time = resolveTime(d.timestamp, ctx, prefix);
  if ('issue' in time) return { ok: false, issues: [time.issue] };
  const item: SampleItem = {
    k: 'sample',
    kind: 'business',
    service: d.service ?? 'business',
    endpoint: '',
    metric: (d.metric_name ?? d.metric_type) as string,
    labels: d.labels ?? {},
    t: time.t,
    v: d.value,
    ...(d.expected_range ? { range: [d.expected_range[0], d.expected_range[1]] as const } : {}),
  };
  return { ok: true, items: [item] };
}

/** `POST /api/logs` body. */
export function normalizeLog(
  body: unknown,
  ctx: NormalizeContext,
  prefix: ReadonlyArray<string | number> = [],
): NormalizeResult {
  const parsed = logSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, prefix) };
  const d = parsed.data;
  const time = resolveTime(d.timestamp, ctx, prefix);
  if ('issue' in time) return { ok: false, issues: [time.issue] };
  return {
    ok: true,
    items: [
      {
        k: 'log',
        service: d.service,
        level: (d.log_level ?? d.level ?? '').toUpperCase(),
        message: d.message,
        t: time.t,
        traceId: d.trace_id ?? null,
        context: d.context ?? d.metadata ?? null,
      },
    ],
  };
}

/** Host metrics from `vigil agent`. */
export function normalizeHost(
  body: unknown,
  ctx: NormalizeContext,
  prefix: ReadonlyArray<string | number> = [],
): NormalizeResult {
  const parsed = hostSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, prefix) };
  const d = parsed.data;
  const time = resolveTime(d.timestamp, ctx, prefix);
  if ('issue' in time) return { ok: false, issues: [time.issue] };
  const items: IngestItem[] = Object.entries(d.metrics).map(([metric, v]) => ({
    k: 'sample',
    kind: 'host',
    service: d.host,
    endpoint: 'host',
    metric,
    labels: {},
    t: time.t,
    v,
  }));
  return { ok: true, items };
}

const BATCH_TYPES: Readonly<Record<string, RequestKind>> = {
  application: 'application',
  metric: 'application',
  metrics: 'application',
  business: 'business',
  business_metric: 'business',
  log: 'log',
  logs: 'log',
  host: 'host',
};

const NORMALIZERS: Readonly<Record<RequestKind, typeof normalizeApplication>> = {
  application: normalizeApplication,
  business: normalizeBusiness,
  log: normalizeLog,
  host: normalizeHost,
};

/** Normalizes one body of a known kind. */
export function normalizeOne(kind: RequestKind, body: unknown, ctx: NormalizeContext): NormalizeResult {
  return NORMALIZERS[kind](body, ctx);
}

/** Outcome of a batch: valid items are kept, invalid ones reported by index. */
export interface BatchResult {
  readonly items: IngestItem[];
  /** Number of batch entries accepted. */
  readonly accepted: number;
  readonly errors: Array<{ readonly index: number; readonly issues: Issue[] }>;
}

/**
 * `POST /api/batch` body `{"metrics": [...]}`; each entry is `{type, ...fields}` or `{type, data: {...}}`.
 * A body that is not of that shape at all is one failure (`ok: false`); otherwise every entry is
 * judged on its own.
 */
export function normalizeBatch(
  body: unknown,
  ctx: NormalizeContext,
  maxItems: number,
): { ok: true; result: BatchResult } | { ok: false; issues: Issue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      issues: [{ path: [], code: 'invalid_type', message: 'expected a JSON object {"metrics": [...]}' }],
    };
  }
  const extra = Object.keys(body).filter((k) => k !== 'metrics' && k !== 'batch_id');
  if (extra.length > 0) {
    return {
      ok: false,
      issues: extra.map((k) => ({ path: [k], code: 'unrecognized_keys', message: `unknown field "${k}"` })),
    };
  }
  const list = (body as { metrics?: unknown }).metrics;
  if (!Array.isArray(list)) {
    return {
      ok: false,
      issues: [{ path: ['metrics'], code: 'invalid_type', message: 'metrics must be an array' }],
    };
  }
  if (list.length > maxItems) {
    return {
      ok: false,
      issues: [
        {
          path: ['metrics'],
          code: 'too_big',
          message: `a batch holds at most ${maxItems} items, got ${list.length}`,
        },
      ],
    };
  }
  const items: IngestItem[] = [];
  const errors: BatchResult['errors'] = [];
  let accepted = 0;
  list.forEach((entry: unknown, index) => {
    const prefix = ['metrics', index];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      errors.push({ index, issues: [{ path: prefix, code: 'invalid_type', message: 'expected an object' }] });
      return;
    }
    const { type, data, ...fields } = entry as { type?: unknown; data?: unknown };
    const kind = typeof type === 'string' && Object.hasOwn(BATCH_TYPES, type) ? BATCH_TYPES[type] : undefined;
    if (!kind) {
      errors.push({
        index,
        issues: [
          {
            path: [...prefix, 'type'],
            code: 'invalid_value',
            message: `type must be one of ${Object.keys(BATCH_TYPES).join(', ')}`,
          },
        ],
      });
      return;
    }
    let payload: unknown = fields;
    let payloadPrefix: Array<string | number> = prefix;
    if (data !== undefined) {
      if (Object.keys(fields).length > 0) {
        errors.push({
          index,
          issues: [
            {
              path: prefix,
              code: 'invalid_shape',
              message: 'give the fields either inside "data" or beside "type", not both',
            },
          ],
        });
        return;
      }
      payload = data;
      payloadPrefix = [...prefix, 'data'];
    }
    const r = NORMALIZERS[kind](payload, ctx, payloadPrefix);
    if (r.ok) {
      accepted++;
      for (const item of r.items) items.push(item);
    } else {
      errors.push({ index, issues: r.issues });
    }
  });
  return { ok: true, result: { items, accepted, errors } };
}
