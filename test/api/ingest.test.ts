/**
 * Ingest routes through a real listening server: every accepted shape, and bad input answered
 * 4xx with a body naming the field — never a 5xx, never a rejected point in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigil } from '../../src/server.js';
import { get, post, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';

let vigil: RunningVigil;
let cleanup: () => void;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  vigil = await startTestVigil(tmp.dir);
});

afterAll(async () => {
  await vigil.close();
  cleanup();
});

async function seriesOf(service: string) {
  await vigil.runtime.flush();
  return (await get(`${vigil.url}/api/series?service=${encodeURIComponent(service)}&limit=1000`)).body as {
    total: number;
    items: Array<{
      id: string;
      metric: string;
      endpoint: string;
      labels: Record<string, string>;
      lastValue: number;
      lastSeen: number;
    }>;
  };
}

describe('POST /api/metrics', () => {
  it('accepts the nested form; status_code feeds request and error rates, not a raw series', async () => {
    const service = 'nested-svc';
    for (let i = 0; i < 3; i++) {
      const r = await post(`${vigil.url}/api/metrics`, {
        service,
        endpoint: 'POST:/api/pay',
        metrics: { response_time: 245 + i, status_code: i === 2 ? 503 : 200 },
        timestamp: T0 + i * 30_000,
      });
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ accepted: 1, rejected: 0, errors: [] });
    }
    // An event two windows later closes the first windows.
    await post(`${vigil.url}/api/metrics`, {
      service,
      endpoint: 'POST:/api/pay',
      metrics: { status_code: 200 },
      timestamp: T0 + 125_000,
    });
    const { items } = await seriesOf(service);
    const metrics = items.map((s) => s.metric).sort();
    expect(metrics).toEqual(['error_rate', 'request_rate', 'response_time']);
    expect(items.some((s) => s.metric === 'status_code')).toBe(false);
    const errorRate = items.find((s) => s.metric === 'error_rate')!;
    const points = (await get(`${vigil.url}/api/series/${errorRate.id}/points`)).body.points as Array<{
      t: number;
      value: number;
    }>;
    // Window [T0, T0+60s) holds two 200s; [T0+60s, T0+120s) holds the 503 alone.
    expect(points.map((p) => [p.t - T0, p.value])).toEqual([
      [60_000, 0],
      [120_000, 1],
    ]);
    const requestRate = items.find((s) => s.metric === 'request_rate')!;
    const rp = (await get(`${vigil.url}/api/series/${requestRate.id}/points`)).body.points as Array<{
      value: number;
    }>;
    expect(rp.map((p) => p.value)).toEqual([2 / 60, 1 / 60]);
  });

  it('accepts the flat form: every other numeric field is a metric', async () => {
    const r = await post(`${vigil.url}/api/metrics`, {
      service: 'flat-svc',
      endpoint: 'GET:/items',
      response_time: 12.5,
      db_time: 3,
      status_code: 200,
      timestamp: new Date(T0).toISOString(),
    });
    expect(r.status).toBe(202);
    const { items } = await seriesOf('flat-svc');
    expect(items.map((s) => s.metric).sort()).toEqual(['db_time', 'response_time']);
    expect(items.find((s) => s.metric === 'db_time')?.lastValue).toBe(3);
  });

  it('reads timestamps as ISO 8601, Unix seconds and Unix milliseconds alike', async () => {
    const forms = [new Date(T0).toISOString(), T0 / 1000, T0, String(T0 / 1000)];
    for (const [i, timestamp] of forms.entries()) {
      const r = await post(`${vigil.url}/api/metrics`, {
        service: 'ts-svc',
        endpoint: `e${i}`,
        metrics: { x: 1 },
        timestamp,
      });
      expect(r.status).toBe(202);
    }
    const { items } = await seriesOf('ts-svc');
    expect(items).toHaveLength(4);
    for (const s of items) expect(s.lastSeen).toBe(T0);
  });
});

describe('other ingest routes', () => {
  it('business metrics: a value outside expected_range is an anomaly by itself', async () => {
    const ok = await post(`${vigil.url}/api/business-metrics`, {
      metric_name: 'daily_revenue',
      value: 45000,
      expected_range: [40000, 60000],
      metadata: { region: 'eu' },
      timestamp: T0,
    });
    expect(ok.status).toBe(202);
    const out = await post(`${vigil.url}/api/business-metrics`, {
      metric_type: 'daily_revenue',
      value: 20000,
      expected_range: [40000, 60000],
      timestamp: T0 + 86_400_000,
    });
    expect(out.status).toBe(202);
    const anomalies = await waitFor(async () => {
      await vigil.runtime.flush();
      const r = await get(`${vigil.url}/api/anomalies?service=business`);
      return r.body.total > 0 ? r.body : null;
    });
    expect(anomalies.items[0]).toMatchObject({
      metric: 'daily_revenue',
      value: 20000,
      outOfDeclaredRange: true,
      type: 'drop',
    });
    expect(anomalies.items[0].explanation).toContain('below the declared expected range');
  });

  it('logs become per-level rate series and messages are kept', async () => {
    for (const [i, level] of ['ERROR', 'INFO', 'error', 'INFO'].entries()) {
      const body =
        i % 2 === 0
          ? {
              log_level: level,
              message: `boom ${i}`,
              service: 'user-service',
              context: { user: i },
              timestamp: T0 + i * 1000,
            }
          : {
              level,
              message: `ok ${i}`,
              service: 'user-service',
              metadata: { user: i },
              timestamp: T0 + i * 1000,
            };
      expect((await post(`${vigil.url}/api/logs`, body)).status).toBe(202);
    }
    await post(`${vigil.url}/api/logs`, {
      level: 'INFO',
      message: 'later',
      service: 'user-service',
      timestamp: T0 + 61_000,
    });
    const { items } = await seriesOf('user-service');
    const byLevel = Object.fromEntries(items.map((s) => [s.labels.level, s.lastValue]));
    expect(byLevel).toEqual({ ERROR: 2 / 60, INFO: 2 / 60 });
    const logs = (await get(`${vigil.url}/api/logs?service=user-service`)).body.items as Array<{
      message: string;
    }>;
    expect(logs.map((l) => l.message)).toContain('boom 0');
  });

  it('batch mixes kinds in both item forms and reports invalid items by index', async () => {
    const r = await post(`${vigil.url}/api/batch`, {
      metrics: [
        { type: 'application', service: 'batch-svc', endpoint: 'a', metrics: { latency: 5 }, timestamp: T0 },
        { type: 'metric', data: { service: 'batch-svc', endpoint: 'b', latency: 6, timestamp: T0 } },
        { type: 'business_metric', data: { metric_name: 'signups', value: 3, timestamp: T0 } },
        { type: 'log', level: 'WARN', message: 'hm', service: 'batch-svc', timestamp: T0 },
        { type: 'application', service: 'batch-svc', metrics: { latency: 'slow' } },
        { type: 'nonsense' },
      ],
    });
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(4);
    expect(r.body.rejected).toBe(2);
    expect(r.body.errors.map((e: { index: number }) => e.index)).toEqual([4, 5]);
    expect(r.body.errors[0].issues[0].path).toEqual(['metrics', 4, 'metrics', 'latency']);
    expect(r.body.errors[1].issues[0].path).toEqual(['metrics', 5, 'type']);
    const { items } = await seriesOf('batch-svc');
    expect(items.map((s) => s.endpoint).sort()).toEqual(['a', 'b']);
  });

  it('does not apply a retried request with the same Idempotency-Key twice', async () => {
    const body = { service: 'idem-svc', metrics: { x: 1 }, timestamp: T0 };
    const first = await post(`${vigil.url}/api/metrics`, body, { 'idempotency-key': 'k-1' });
    const second = await post(
      `${vigil.url}/api/metrics`,
      { ...body, timestamp: T0 + 1000 },
      { 'idempotency-key': 'k-1' },
    );
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ duplicate: true, seq: first.body.seq, accepted: 1 });
    const batch = {
      batch_id: 'b-1',
      metrics: [{ type: 'metric', service: 'idem-svc', endpoint: 'z', metrics: { y: 2 } }],
    };
    const b1 = await post(`${vigil.url}/api/batch`, batch);
    const b2 = await post(`${vigil.url}/api/batch`, batch);
    expect(b2.body).toMatchObject({ duplicate: true, seq: b1.body.seq });
    const { items } = await seriesOf('idem-svc');
    const x = items.find((s) => s.metric === 'x')!;
    const pts = (await get(`${vigil.url}/api/series/${x.id}/points`)).body.points;
    expect(pts).toHaveLength(1);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, unknown, number, string]> = [
    ['malformed JSON', '/api/metrics', '{"service": "x", ', 400, 'INVALID_JSON'],
    ['a JSON array', '/api/metrics', [], 400, 'VALIDATION_FAILED'],
    ['a missing service', '/api/metrics', { metrics: { x: 1 } }, 400, 'VALIDATION_FAILED'],
    [
      'a string metric value',
      '/api/metrics',
      { service: 's', metrics: { x: 'NaN' } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a number too large for a double',
      '/api/metrics',
      '{"service":"s","metrics":{"x":1e999}}',
      400,
      'VALIDATION_FAILED',
    ],
    ['NaN literal', '/api/metrics', '{"service":"s","metrics":{"x":NaN}}', 400, 'INVALID_JSON'],
    [
      'an unknown field in the nested form',
      '/api/metrics',
      { service: 's', metrics: { x: 1 }, color: 'red' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a string field in the flat form',
      '/api/metrics',
      { service: 's', x: 1, color: 'red' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a far-future timestamp',
      '/api/metrics',
      { service: 's', metrics: { x: 1 }, timestamp: Date.now() + 86_400_000 * 30 },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a garbage timestamp',
      '/api/metrics',
      { service: 's', metrics: { x: 1 }, timestamp: 'yesterday' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a status code out of range',
      '/api/metrics',
      { service: 's', metrics: { status_code: 999 } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a control character in a name',
      '/api/metrics',
      { service: 's\u0000x', metrics: { x: 1 } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an inverted expected range',
      '/api/business-metrics',
      { metric_name: 'm', value: 1, expected_range: [5, 1] },
      400,
      'VALIDATION_FAILED',
    ],
    ['a log without a level', '/api/logs', { message: 'x', service: 's' }, 400, 'VALIDATION_FAILED'],
    ['a batch that is not a list', '/api/batch', { metrics: {} }, 400, 'VALIDATION_FAILED'],
    ['an empty batch', '/api/batch', { metrics: [] }, 400, 'VALIDATION_FAILED'],
    ['a batch of only invalid items', '/api/batch', { metrics: [{ type: 'log' }] }, 400, 'VALIDATION_FAILED'],
    [
      'proto pollution',
      '/api/metrics',
      '{"service":"s","metrics":{"x":1},"__proto__":{"polluted":1}}',
      400,
      'INVALID_JSON',
    ],
  ];
  for (const [name, route, body, status, code] of cases) {
    it(`answers ${status} ${code} to ${name}, and stores nothing`, async () => {
      const before = vigil.runtime.storage.log.lastSeq();
      const r = await post(`${vigil.url}${route}`, body);
      expect(r.status).toBe(status);
      expect(r.body).toMatchObject({ statusCode: status, code });
      expect(typeof r.body.message).toBe('string');
      expect(r.body.message.length).toBeGreaterThan(5);
      if (code === 'VALIDATION_FAILED') {
        expect(r.body.issues.length).toBeGreaterThan(0);
        for (const issue of r.body.issues)
          expect(issue).toEqual({
            path: expect.any(Array),
            code: expect.any(String),
            message: expect.any(String),
          });
      }
      expect(vigil.runtime.storage.log.lastSeq()).toBe(before);
    });
  }

  it('names the bad field in the message and the issue path', async () => {
    const r = await post(`${vigil.url}/api/metrics`, { service: 's', metrics: { latency: 'slow' } });
    expect(r.body.issues[0].path).toEqual(['metrics', 'latency']);
    expect(r.body.message).toContain('metrics.latency');
    const flat = await post(`${vigil.url}/api/metrics`, { service: 's', x: 1, color: 'red' });
    expect(flat.body.issues[0]).toMatchObject({ path: ['color'], code: 'unknown_field' });
  });

  it('answers 413 to a body over the limit', async () => {
    const big = JSON.stringify({
      service: 's',
      metrics: { x: 1 },
      metadata: { pad: 'x'.repeat(9 * 1024 * 1024) },
    });
    const r = await post(`${vigil.url}/api/metrics`, big);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('BODY_TOO_LARGE');
  });

  it('answers 415 to a body that is not JSON', async () => {
    const r = await post(`${vigil.url}/api/metrics`, 'service=s', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 naming a bad query parameter and 404 to unknown ids and routes', async () => {
    const q = await get(`${vigil.url}/api/alerts?status=exploded`);
    expect(q.status).toBe(400);
    expect(q.body.issues[0].path).toEqual(['query', 'status']);
    const unknown = await get(`${vigil.url}/api/anomalies?colour=red`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0].code).toBe('unknown_parameter');
    expect((await get(`${vigil.url}/api/series/nope`)).status).toBe(404);
    expect((await get(`${vigil.url}/api/alerts/nope`)).status).toBe(404);
    expect((await post(`${vigil.url}/api/alerts/nope/acknowledge`, {})).status).toBe(404);
    const route = await get(`${vigil.url}/api/nothing-here`);
    expect(route.status).toBe(404);
    expect(route.body.code).toBe('NOT_FOUND');
  });
});

describe('operations routes', () => {
  it('GET /health checks the store for real', async () => {
    const r = await get(`${vigil.url}/health`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.store.ok).toBe(true);
  });

  it('GET /metrics exposes Prometheus text about Vigil', async () => {
    await post(`${vigil.url}/api/metrics`, { service: 'prom-svc', metrics: { x: 1 } });
    const res = await fetch(`${vigil.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/vigil_points_accepted_total\{route="\/api\/metrics"\} \d+/);
    expect(text).toContain('vigil_detection_duration_seconds_bucket');
    expect(text).toMatch(/vigil_series \d+/);
    expect(text).toMatch(/vigil_open_alerts \d+/);
  });

  it('GET /config shows the effective config', async () => {
    const r = await get(`${vigil.url}/config`);
    expect(r.status).toBe(200);
    expect(r.body.server.port).toBe(0);
    expect(r.body.detection.sensitivity).toBe(0.5);
  });
});
