/**
 * Property-based fuzzing of a running Vigil over HTTP (fast-check): generated requests —
 * near-valid bodies with mutated fields, odd numbers and strings, wrong types, random JSON —
 * against every ingest route, and generated query parameters against every read route.
 *
 * Properties checked on every answer: no 5xx and no dropped connection; a 202 reports what
 * it accepted and every rejected batch item names its problems; a 400 carries issues, each
 * with a `path` array and a non-empty `message`. After the run, what the server stored is
 * checked against the ingest schema (names, label sets, finite values, times not in the future).
 *
 * Command line (after `npm run build`): `node dist/security/fuzz.js --runs 100000 [--seed N]
 * [--url http://127.0.0.1:8080 --api-key KEY]`; without `--url` it starts its own server on a
 * temporary directory.
 */
import fc from 'fast-check';
import { hasControlCharacter } from '../ingest/schemas.js';

export interface FuzzOptions {
  /** Base URL of a running Vigil. */
  readonly url: string;
  /** Generated requests. */
  readonly runs: number;
  readonly seed?: number;
  /** Extra headers (e.g. `x-api-key`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The server's `detection.maxFutureMs`, ms (default 300 000). */
  readonly maxFutureMs?: number;
  /** Called every 1000 requests. */
  readonly progress?: (done: number) => void;
}

export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  /** Answers by HTTP status. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Points accepted (sum of `accepted`). */
  readonly accepted: number;
  /** Series and points checked after the run. */
  readonly storedSeries: number;
  readonly storedPoints: number;
  /** Broken properties (empty when all held); the first is the shrunk counterexample. */
  readonly failures: readonly string[];
}

/** One generated request. */
export interface FuzzRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** JSON value (sent stringified), a raw string (sent as is), or absent. */
  readonly body?: { readonly json: unknown } | { readonly raw: string };
}

const INGEST_ROUTES = ['/api/metrics', '/api/business-metrics', '/api/logs', '/api/batch'] as const;
const QUERY_ROUTES = [
  '/api/series',
  '/api/anomalies',
  '/api/alerts',
  '/api/deliveries',
  '/api/logs',
  '/api/stats',
  '/api/receivers',
  '/api/fingerprints',
  '/api/correlations',
] as const;
const QUERY_KEYS = [
  'search',
  'service',
  'endpoint',
  'metric',
  'limit',
  'offset',
  'from',
  'to',
  'severity',
  'type',
  'seriesId',
  'status',
  'receiver',
  'alertId',
  'x',
];

const CONTROL = fc.constantFrom('\u0000', '\u0001', '\n', '\u007f', '\t');
const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('payment', 'checkout', 'api', 'svc.a', 'GET:/x', 'host-1') },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), CONTROL).map(([a, b]) => a + b) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'a'.repeat(201), 'a'.repeat(501), '__proto__', 'constructor'),
  },
);
const metricKey = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'response_time',
      'latency_ms',
      'cpu',
      'queue.depth',
      'a:b-c',
      'status_code',
      'value_ms',
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.:-]{0,12}$/) },
  { weight: 1, arbitrary: name },
);
const number = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 599 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 1) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.boolean(),
      fc.constant(null),
      fc.constant([1]),
      fc.constant({}),
    ),
  },
);
const timestamp = (now: number) =>
  fc.option(
    fc.oneof(
      fc.integer({ min: now - 86_400_000, max: now }),
      fc.integer({ min: Math.floor(now / 1000) - 86_400, max: Math.floor(now / 1000) }),
      fc
        .date({ min: new Date(0), max: new Date(now + 3_600_000), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom(
        -1,
        0,
        1e20,
        now + 10 * 86_400_000,
        '2024-13-45',
        'yesterday',
        '',
        '1700000000',
        '1700000000.5',
        Number.MAX_VALUE,
      ),
      fc.string({ maxLength: 30 }),
    ),
    { nil: undefined },
  );
const labels = fc.option(
  fc.oneof(
    fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.constantFrom('eu', 'us', 'v1'), {
      maxKeys: 3,
    }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(name, number) as fc.Arbitrary<unknown>, {
      maxKeys: 25,
    }),
  ),
  { nil: undefined },
);
const extras = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });

/** Drops undefined fields (they would vanish in JSON anyway). */
const clean = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const application = (now: number) =>
  fc
    .record(
      {
        service: name,
        endpoint: fc.option(name, { nil: undefined }),
        metrics: fc.option(fc.dictionary(metricKey, number, { minKeys: 0, maxKeys: 4 }), { nil: undefined }),
        flat: fc.dictionary(metricKey, number, { maxKeys: 3 }),
        timestamp: timestamp(now),
        labels,
        extra: fc.option(extras, { nil: undefined }),
      },
      { requiredKeys: [] },
    )
    .map(({ flat, extra, ...r }) =>
      clean({ ...(r.metrics === undefined ? flat : {}), ...r, ...(extra ?? {}) }),
    );
const business = (now: number) =>
  fc
    .record(
      {
        metric_name: metricKey,
        metric_type: metricKey,
        value: number,
        expected_range: fc.oneof(fc.tuple(number, number), fc.constant(null), fc.constant([1, 2, 3])),
        timestamp: timestamp(now),
        labels,
        service: name,
        metadata: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    )
    .map(clean);
const log = (now: number) =>
  fc
    .record(
      {
        level: fc.oneof(fc.constantFrom('ERROR', 'warn', 'Info', 'FATAL'), fc.string({ maxLength: 25 })),
        log_level: fc.constantFrom('ERROR', 'DEBUG', '1', ''),
        message: fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.constant('m'.repeat(10_001)),
          number as fc.Arbitrary<unknown>,
        ),
        service: name,
        trace_id: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
        context: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), {
          nil: null,
        }),
        timestamp: timestamp(now),
      },
      { requiredKeys: [] },
    )
    .map(clean);
const host = (now: number) =>
  fc
    .record(
      { host: name, metrics: fc.dictionary(metricKey, number, { maxKeys: 4 }), timestamp: timestamp(now) },
      { requiredKeys: ['host'] },
    )
    .map(clean);
const batchItem = (now: number) =>
  fc.oneof(
    application(now).map((b) => ({ type: 'application', ...b })),
    business(now).map((b) => ({ type: 'business', ...b })),
    log(now).map((b) => ({ type: 'log', ...b })),
    host(now).map((b) => ({ type: 'host', ...b })),
    application(now).map((b) => ({ type: 'metric', data: b })),
    fc.record({
      type: fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'),
        number as fc.Arbitrary<unknown>,
      ),
    }),
    fc.jsonValue({ maxDepth: 2 }),
  );

/** Arbitrary of one request against the ingest routes or the query parameters of read routes. */
export function fuzzRequest(now: number): fc.Arbitrary<FuzzRequest> {
  const post = (path: string, body: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzRequest> =>
    body.map((json) => ({ method: 'POST' as const, path, body: { json } }));
  const query = fc
    .tuple(
      fc.constantFrom(...QUERY_ROUTES, '/api/series/SERIES/points'),
      fc.dictionary(
        fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })),
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.integer().map(String),
          fc.constantFrom('-1', '0', '1e9', 'NaN', 'critical', 'firing', '2024-01-01T00:00:00Z'),
        ),
        { maxKeys: 4 },
      ),
    )
    .map(
      ([path, params]): FuzzRequest => ({
        method: 'GET',
        path: `${path}?${new URLSearchParams(params).toString()}`,
      }),
    );
  return fc.oneof(
    post('/api/metrics', application(now)),
    post('/api/business-metrics', business(now)),
    post('/api/logs', log(now)),
    post('/api/batch', fc.record({ metrics: fc.array(batchItem(now), { maxLength: 8 }) })),
    post(
      '/api/batch',
      fc.oneof(fc.record({ metrics: fc.jsonValue({ maxDepth: 1 }) }), fc.jsonValue({ maxDepth: 2 })),
    ),
    fc
      .tuple(fc.constantFrom(...INGEST_ROUTES), fc.jsonValue({ maxDepth: 3 }))
      .map(([path, json]): FuzzRequest => ({ method: 'POST', path, body: { json } })),
    fc
      .tuple(fc.constantFrom(...INGEST_ROUTES), fc.string({ maxLength: 40 }))
      .map(([path, raw]): FuzzRequest => ({ method: 'POST', path, body: { raw } })),
    query,
  );
}

/** What is wrong with one answer, or null. */
export function answerProblem(req: FuzzRequest, status: number, body: unknown): string | null {
  const b = body as Record<string, unknown> | null;
  if (status >= 500) return `${status} answer`;
  if (status === 202) {
    if (!b || typeof b.accepted !== 'number' || b.accepted < 1)
      return '202 without a positive accepted count';
    const errors = Array.isArray(b.errors) ? b.errors : [];
    for (const e of errors as Array<{ index?: unknown; issues?: unknown }>) {
      if (typeof e.index !== 'number' || !issuesOk(e.issues))
        return 'a rejected batch item does not name its problem';
    }
    return null;
  }
  if (status >= 400) {
    if (!b || typeof b.code !== 'string' || typeof b.message !== 'string' || b.message === '')
      return `${status} without code and message`;
    if (!issuesOk(b.issues) && !(status === 404 && req.method === 'GET'))
      return `${status} ${b.code} without issues naming the problem`;
    return null;
  }
  if (status >= 200 && status < 300)
    return req.method === 'GET' ? null : `unexpected ${status} to ${req.path}`;
  return `unexpected status ${status}`;
}

function issuesOk(issues: unknown): boolean {
  return (
    Array.isArray(issues) &&
    issues.length > 0 &&
    issues.every(
      (i: { path?: unknown; message?: unknown }) =>
        Array.isArray(i.path) && typeof i.message === 'string' && i.message.length > 0,
    )
  );
}

const METRIC = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Problems of one stored series against the ingest schema. */
export function seriesProblems(s: Record<string, unknown>, latest: number): string[] {
  const out: string[] = [];
  const text = (v: unknown, min: number, max: number) =>
    typeof v === 'string' && v.length >= min && v.length <= max && !hasControlCharacter(v);
  if (!text(s.service, 1, 200)) out.push(`service ${JSON.stringify(s.service)}`);
  if (!text(s.endpoint, 0, 500)) out.push(`endpoint ${JSON.stringify(s.endpoint)}`);
  if (typeof s.metric !== 'string' || !METRIC.test(s.metric) || s.metric.length > 200)
    out.push(`metric ${JSON.stringify(s.metric)}`);
  const labels = (s.labels ?? {}) as Record<string, unknown>;
  if (Object.keys(labels).length > 20) out.push('more than 20 labels');
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL.test(k) || k.length > 100 || !text(v, 1, 200))
      out.push(`label ${JSON.stringify(k)}=${JSON.stringify(v)}`);
  }
  for (const f of ['firstSeen', 'lastSeen', 'lastValue'] as const) {
    if (typeof s[f] !== 'number' || !Number.isFinite(s[f])) out.push(`${f} ${String(s[f])}`);
  }
  if (typeof s.lastSeen === 'number' && s.lastSeen > latest)
    out.push(`lastSeen ${s.lastSeen} is in the future`);
  if (typeof s.firstSeen === 'number' && s.firstSeen < 0) out.push(`firstSeen ${s.firstSeen} before 1970`);
  return out.map((p) => `stored series ${String(s.id)}: ${p}`);
}

async function send(
  url: string,
  req: FuzzRequest,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method: req.method, headers: { ...headers } };
  if (req.body) {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = 'json' in req.body ? (JSON.stringify(req.body.json) ?? 'null') : req.body.raw;
  }
  const res = await fetch(url + req.path, init);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/**
 * Runs the fuzzer against `options.url`.
 * @returns the report; `failures` is empty when every property held
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const headers = { ...(options.headers ?? {}) };
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let accepted = 0;
  const failures: string[] = [];
  const now = Date.now();
  let seriesIdForPoints = 'none';
  const details = await fc.check(
    fc.asyncProperty(fuzzRequest(now), async (req) => {
      const concrete = { ...req, path: req.path.replace('SERIES', encodeURIComponent(seriesIdForPoints)) };
      let answer: { status: number; body: unknown };
      try {
        answer = await send(options.url, concrete, headers);
      } catch (err) {
        throw new Error(`${req.method} ${req.path}: connection failed (${(err as Error).message})`);
      }
      requests++;
      byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
      if (answer.status === 202) accepted += Number((answer.body as { accepted?: number }).accepted ?? 0);
      if (requests % 1000 === 0) options.progress?.(requests);
      const problem = answerProblem(concrete, answer.status, answer.body);
      if (problem)
        throw new Error(
          `${req.method} ${req.path} → ${problem}: ${JSON.stringify(answer.body).slice(0, 300)}`,
        );
    }),
    { numRuns: options.runs, seed, endOnFailure: true },
  );
  if (details.failed) {
    failures.push(
      `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n  counterexample: ${JSON.stringify(details.counterexample).slice(0, 600)}`,
    );
  }
  // What the server stored must satisfy the schema.
  const latest = Date.now() + (options.maxFutureMs ?? 300_000);
  let storedSeries = 0;
  let storedPoints = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = await send(
      options.url,
      { method: 'GET', path: `/api/series?limit=1000&offset=${offset}` },
      headers,
    );
    const items = ((page.body as { items?: unknown[] }).items ?? []) as Array<Record<string, unknown>>;
    for (const s of items) {
      storedSeries++;
      failures.push(...seriesProblems(s, latest));
      if (storedSeries <= 50) {
        seriesIdForPoints = String(s.id);
        const pts = await send(
          options.url,
          { method: 'GET', path: `/api/series/${encodeURIComponent(String(s.id))}/points?limit=1000` },
          headers,
        );
        for (const p of ((pts.body as { points?: unknown[] }).points ?? []) as Array<
          Record<string, unknown>
        >) {
          storedPoints++;
          if (!Number.isFinite(p.value) || !Number.isFinite(p.t) || (p.t as number) > latest) {
            failures.push(`stored point of ${String(s.id)}: t=${String(p.t)} value=${String(p.value)}`);
          }
        }
      }
    }
    if (items.length < 1000) break;
  }
  return { seed, requests, byStatus, accepted, storedSeries, storedPoints, failures };
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Command-line entry: prints progress and the report; exits 1 when a property failed. */
export async function main(args: readonly string[]): Promise<number> {
  const runs = Number(flag(args, '--runs') ?? 10_000);
  const seedFlag = flag(args, '--seed');
  let url = flag(args, '--url');
  const apiKey = flag(args, '--api-key');
  let stop: (() => Promise<void>) | null = null;
  if (url === undefined) {
    const [{ mkdtempSync, rmSync }, { tmpdir }, { join }, { loadConfig }, { startVigil }, { pino }] =
      await Promise.all([
        import('node:fs'),
        import('node:os'),
        import('node:path'),
        import('../config/index.js'),
        import('../server.js'),
        import('pino'),
      ]);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-fuzz-'));
    const config = loadConfig({
      env: {},
      overrides: {
        'server.port': 0,
        'storage.dataDir': dir,
        'agent.enabled': false,
        'log.level': 'silent',
        'security.auth.enabled': false,
        'security.rateLimit.enabled': false,
      },
    });
    const vigil = await startVigil(config, { logger: pino({ level: 'silent' }) });
    url = vigil.url;
    stop = async () => {
      await vigil.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const started = Date.now();
  try {
    const report = await runFuzz({
      url,
      runs,
      ...(seedFlag !== undefined ? { seed: Number(seedFlag) } : {}),
      ...(apiKey ? { headers: { 'x-api-key': apiKey } } : {}),
      progress: (n) => process.stderr.write(`\r${n}/${runs} requests`),
    });
    process.stderr.write('\n');
    process.stdout.write(
      `${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`,
    );
    return report.failures.length === 0 ? 0 : 1;
  } finally {
    await stop?.();
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === new URL(`file://${entry}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`fuzz: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(2);
    },
  );
}
