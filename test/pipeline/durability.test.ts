/**
 * Nothing acknowledged is lost: alerts, history and detector state survive a clean restart,
 * and a `kill -9` right after responses were sent ends, after restart, in exactly the state an
 * uninterrupted run reaches.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { get, normalSeries, post, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';
import { kill9, spawnVigil, terminate } from '../helpers/vigil-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const T0 = Date.UTC(2026, 1, 1);
const STEP = 60_000;
const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** The requests of a scenario: three series, warm-up, spikes and a level shift, in batches of 40. */
function scenario(): Array<{ route: string; body: unknown }> {
  const requests: Array<{ route: string; body: unknown }> = [];
  const series = ['alpha', 'beta', 'gamma'].map((name, k) => {
    const pts = normalSeries(T0, 500, STEP, 100 + k * 50);
    pts[200 + k * 40] = { t: pts[200 + k * 40]!.t, v: 5000 };
    pts[420] = { t: pts[420]!.t, v: -3000 };
    return { name, pts };
  });
  for (let i = 0; i < 500; i += 40) {
    const items = series.flatMap(({ name, pts }) =>
      pts.slice(i, i + 40).map((p) => ({
        type: 'metric',
        service: name,
        endpoint: 'GET:/',
        metrics: { latency_ms: p.v, status_code: p.v > 1000 ? 503 : 200 },
        timestamp: p.t,
      })),
    );
    requests.push({ route: '/api/batch', body: { metrics: items } });
  }
  return requests;
}

interface Summary {
  anomalies: Array<[string, number, number, string]>;
  alerts: Array<[string, string, string, number, number, string]>;
  series: Array<[string, number, number]>;
}

async function summarize(url: string): Promise<Summary> {
  const anomalies = (await get(`${url}/api/anomalies?limit=1000`)).body.items as Array<{
    id: string;
    t: number;
    score: number;
    type: string;
  }>;
  const alerts = (await get(`${url}/api/alerts?limit=1000`)).body.items as Array<{
    id: string;
    seriesId: string;
    status: string;
    anomalyCount: number;
    version: number;
    severity: string;
  }>;
  const series = (await get(`${url}/api/series?limit=1000`)).body.items as Array<{
    id: string;
    samples: number;
    lastValue: number;
  }>;
  return {
    anomalies: anomalies.map((a) => [a.id, a.t, a.score, a.type] as [string, number, number, string]).sort(),
    alerts: alerts
      .map(
        (a) =>
          [a.id, a.seriesId, a.status, a.anomalyCount, a.version, a.severity] as [
            string,
            string,
            string,
            number,
            number,
            string,
          ],
      )
      .sort(),
    series: series.map((s) => [s.id, s.samples, s.lastValue] as [string, number, number]).sort(),
  };
}

describe('durability', () => {
  it('alerts, history and detector state survive a clean restart without a new warm-up', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    let vigil = await startTestVigil(tmp.dir);
    const pts = normalSeries(T0, 300, STEP);
    pts.push({ t: T0 + 300 * STEP, v: 900 });
    const items = pts.map((p) => ({
      type: 'metric',
      service: 'restart',
      metrics: { x: p.v },
      timestamp: p.t,
    }));
    expect((await post(`${vigil.url}/api/batch`, { metrics: items })).status).toBe(202);
    vigil.runtime.flush();
    const alert = (await get(`${vigil.url}/api/alerts?service=restart`)).body.items[0];
    expect(alert.status).toBe('firing');
    expect(
      (await post(`${vigil.url}/api/alerts/${alert.id}/acknowledge`, { by: 'carol', note: 'on it' })).status,
    ).toBe(200);
    vigil.runtime.flush();
    const before = await summarize(vigil.url);
    await vigil.close();

    vigil = await startTestVigil(tmp.dir);
    cleanups.push(() => vigil.close());
    const after = await summarize(vigil.url);
    expect(after).toEqual(before);
    const detail = (await get(`${vigil.url}/api/alerts/${alert.id}`)).body;
    expect(detail.alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'carol', note: 'on it' });
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['opened', 'acknowledged']);
    // The detector continued where it was: no new warm-up.
    const series = (await get(`${vigil.url}/api/series?service=restart`)).body.items[0];
    expect(series).toMatchObject({ warmup: 1, samples: 301 });
  });

  it('a kill -9 after the responses ends in the same state as an uninterrupted run', async () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    const requests = scenario();

    // Reference: the whole scenario without interruption.
    const refDir = tempDir();
    cleanups.push(refDir.cleanup);
    const ref = await startTestVigil(refDir.dir);
    for (const r of requests) expect((await post(`${ref.url}${r.route}`, r.body)).status).toBe(202);
    ref.runtime.flush();
    const expected = await summarize(ref.url);
    await ref.close();
    expect(expected.anomalies.length).toBeGreaterThan(3);
    expect(expected.alerts.length).toBeGreaterThan(0);

    // Crash run: half the requests, SIGKILL right after the last 202, restart, the rest.
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = join(dir.dir, 'vigil.json');
    writeFileSync(
      configFile,
      JSON.stringify({ storage: { checkpointIntervalMs: 150, flushIntervalMs: 30 } }),
    );
    const dataDir = join(dir.dir, 'data');
    const half = Math.floor(requests.length / 2);
    const first = await spawnVigil(dataDir, configFile, cleanups);
    for (const [i, r] of requests.slice(0, half).entries()) {
      expect((await post(`${first.url}${r.route}`, r.body)).status).toBe(202);
      if (i === 2) await new Promise((res) => setTimeout(res, 400)); // let a checkpoint happen mid-run
    }
    await kill9(first);

    const second = await spawnVigil(dataDir, configFile, cleanups);
    cleanups.push(() => terminate(second).then(() => undefined));
    for (const r of requests.slice(half))
      expect((await post(`${second.url}${r.route}`, r.body)).status).toBe(202);
    // A 202 means logged and applied; reads see the rows of the next flush (30 ms here): wait
    // until every acknowledged sample is visible, then the state must equal the reference and
    // stay so (nothing applied twice later).
    // On a timeout the last state read is compared, so the failure shows what is missing.
    const samples = (s: Summary) => s.series.reduce((n, [, count]) => n + count, 0);
    let actual = await summarize(second.url);
    for (
      const deadline = Date.now() + 20_000;
      samples(actual) < samples(expected) && Date.now() < deadline;
    ) {
      await new Promise((res) => setTimeout(res, 50));
      actual = await summarize(second.url);
    }
    expect(actual).toEqual(expected);
    await new Promise((res) => setTimeout(res, 200));
    expect(await summarize(second.url)).toEqual(expected);
  });

  it('regression: detector state survives SIGTERM right after warm-up (a spike is flagged after restart)', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = join(dir.dir, 'vigil.json');
    writeFileSync(configFile, '{}');
    const dataDir = join(dir.dir, 'data');
    const first = await spawnVigil(dataDir, configFile, cleanups);
    const pts = normalSeries(T0, 200, STEP);
    const items = pts.map((p) => ({
      type: 'metric',
      service: 'sigterm',
      metrics: { x: p.v },
      timestamp: p.t,
    }));
    expect((await post(`${first.url}/api/batch`, { metrics: items })).status).toBe(202);
    await waitFor(async () => (await get(`${first.url}/api/series?service=sigterm`)).body.total === 1);
    expect(await terminate(first)).toBe(0);

    const second = await spawnVigil(dataDir, configFile, cleanups);
    cleanups.push(() => terminate(second).then(() => undefined));
    const series = (await get(`${second.url}/api/series?service=sigterm`)).body.items[0];
    expect(series).toMatchObject({ samples: 200, warmup: 1 });
    await post(`${second.url}/api/metrics`, {
      service: 'sigterm',
      metrics: { x: 100_000 },
      timestamp: T0 + 200 * STEP,
    });
    const anomaly = await waitFor(
      async () => (await get(`${second.url}/api/anomalies?service=sigterm`)).body.items[0],
    );
    expect(anomaly).toMatchObject({ value: 100_000, type: 'spike' });
    expect(anomaly.expected).toBeLessThan(200);
  });
  it('feedback, maintenance windows, acknowledgement expiry and incidents survive a kill -9 right after their answers', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = join(dir.dir, 'vigil.json');
    // Derived rows and checkpoints lag far behind: everything below is rebuilt from the log.
    writeFileSync(
      configFile,
      JSON.stringify({ storage: { checkpointIntervalMs: 600_000, flushIntervalMs: 10_000 } }),
    );
    const dataDir = join(dir.dir, 'data');
    const first = await spawnVigil(dataDir, configFile, cleanups);
    const pts = normalSeries(T0, 300, STEP);
    pts.push({ t: T0 + 300 * STEP, v: 400 });
    const send = (url: string, samples: Array<{ t: number; v: number }>) =>
      post(`${url}/api/batch`, {
        metrics: samples.map((p) => ({ type: 'metric', service: 'fb', metrics: { x: p.v }, timestamp: p.t })),
      });
    expect((await send(first.url, pts)).status).toBe(202);
    // The open alert is in memory at once (rows are written 10 s later).
    const alertId = '1';
    expect(
      (await post(`${first.url}/api/alerts/${alertId}/acknowledge`, { expiresInMs: 3_600_000 })).status,
    ).toBe(200);
    const fb = await post(`${first.url}/api/alerts/${alertId}/feedback`, {
      scope: 'series',
      reason: 'batch job',
    });
    expect(fb.status).toBe(201);
    const mw = await post(`${first.url}/api/maintenance`, {
      name: 'nightly',
      cron: '0 3 * * *',
      durationMs: 3_600_000,
    });
    expect(mw.status).toBe(201);
    await kill9(first);

    const second = await spawnVigil(dataDir, configFile, cleanups);
    cleanups.push(() => terminate(second).then(() => undefined));
    expect(
      (await get(`${second.url}/api/maintenance`)).body.items.map((w: { name: string }) => w.name),
    ).toEqual(['nightly']);
    const detail = (await get(`${second.url}/api/alerts/${alertId}`)).body;
    expect(detail.alert).toMatchObject({
      status: 'resolved',
      note: 'not an anomaly: batch job',
      incidentId: 'inc-1',
    });
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
      'opened',
      'acknowledged',
      'resolved',
    ]);
    expect((await get(`${second.url}/api/feedback?alertId=${alertId}`)).body.items).toHaveLength(1);
    expect((await get(`${second.url}/api/incidents/inc-1`)).body.incident.status).toBe('resolved');
    // The feedback still widens the band after the restart: the same spike (past the
    // detector's refractory hold) is normal.
    const t = T0 + 520 * STEP;
    expect(
      (await send(second.url, [...normalSeries(T0 + 301 * STEP, 219, STEP), { t, v: 400 }])).status,
    ).toBe(202);
    const point = await waitFor(
      async () =>
        (await get(`${second.url}/api/series/${detail.alert.seriesId}/points?from=${t}&to=${t}`)).body
          .points[0],
      15_000,
    );
    expect(point).toMatchObject({ value: 400, anomalous: false });
    expect(point.upper).toBeGreaterThanOrEqual(400);
  }, 60_000);
});
