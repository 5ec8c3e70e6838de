import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProblem, fuzzRequest, runFuzz, seriesProblems } from '../../src/security/fuzz.js';
import { startTestVigil, tempDir } from '../helpers/vigil.js';

const RUNS = Number(process.env.VIGIL_FUZZ_RUNS ?? 500);

describe('fuzzing the ingest routes and query parameters of a real server', () => {
  let vigil: Awaited<ReturnType<typeof startTestVigil>>;
  let cleanup: () => void;
  beforeAll(async () => {
    const tmp = tempDir('vigil-fuzz-');
    cleanup = tmp.cleanup;
    vigil = await startTestVigil(tmp.dir, {
      'security.auth.enabled': false,
      'security.rateLimit.enabled': false,
    });
  });
  afterAll(async () => {
    await vigil.close();
    cleanup();
  });

  it(`holds every property over ${RUNS} generated requests (fixed seed)`, async () => {
    const report = await runFuzz({ url: vigil.url, runs: RUNS, seed: 20_261_122 });
    expect(report.failures).toEqual([]);
    expect(report.requests).toBe(RUNS);
    // The generator reaches both sides: accepted points and rejections.
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.byStatus['400'] ?? 0).toBeGreaterThan(RUNS / 10);
    expect(report.storedSeries).toBeGreaterThan(0);
  });
});

describe('inputs the fuzzer once found answered with 500', () => {
  let vigil: Awaited<ReturnType<typeof startTestVigil>>;
  let cleanup: () => void;
  beforeAll(async () => {
    const tmp = tempDir('vigil-fuzz-found-');
    cleanup = tmp.cleanup;
    vigil = await startTestVigil(tmp.dir, { 'security.auth.enabled': false });
  });
  afterAll(async () => {
    await vigil.close();
    cleanup();
  });

  it.each([
    ['/api/batch', { metrics: [{ type: 'constructor' }] }],
    ['/api/batch', { metrics: [{ type: '__proto__' }] }],
    ['/api/batch', { metrics: [{ type: 'toString', service: 'x', v: 1 }] }],
    ['/api/metrics', { service: 's', metrics: { status_code: 376, response_time: -2 } }],
    ['/api/metrics', ''],
  ])('%s %j is not a 5xx and names its problem', async (path, body) => {
    const res = await fetch(`${vigil.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = await res.json();
    expect(answerProblem({ method: 'POST', path }, res.status, answer)).toBeNull();
  });
});

describe('the fuzzer’s own checks', () => {
  it('flags a 5xx, a rejection without issues, and a stored series that breaks the schema', () => {
    const req = { method: 'POST' as const, path: '/api/metrics' };
    expect(answerProblem(req, 500, {})).toContain('500');
    expect(answerProblem(req, 400, { code: 'INVALID_JSON', message: 'bad', issues: [] })).toContain(
      'without issues',
    );
    expect(
      answerProblem(req, 400, {
        code: 'VALIDATION_FAILED',
        message: 'x',
        issues: [{ path: ['a'], code: 'c', message: 'm' }],
      }),
    ).toBeNull();
    const bad = {
      id: 's',
      service: 'a\u0000b',
      endpoint: '',
      metric: '9x',
      labels: {},
      firstSeen: 0,
      lastSeen: Date.now() * 2,
      lastValue: 1,
    };
    expect(seriesProblems(bad, Date.now())).toHaveLength(3);
  });

  it('generates both near-valid and hostile requests for every ingest route', () => {
    const sample = fc.sample(fuzzRequest(Date.now()), { numRuns: 500, seed: 1 });
    const paths = new Set(sample.map((r) => r.path.split('?')[0]));
    expect([...paths]).toEqual(
      expect.arrayContaining([
        '/api/metrics',
        '/api/business-metrics',
        '/api/logs',
        '/api/batch',
        '/api/series',
      ]),
    );
    expect(sample.some((r) => r.body && 'raw' in r.body)).toBe(true);
  });
});
