/**
 * Service fingerprints through the real server: request events become per-window fingerprints,
 * a fault that moves error rate and latency together is flagged as a service-level anomaly, and
 * the anomalies it causes are correlated into one group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigil } from '../../src/server.js';
import { get, post, startTestVigil, tempDir } from '../helpers/vigil.js';

let vigil: RunningVigil;
let cleanup: () => void;
const T0 = Date.UTC(2026, 2, 1);

beforeAll(async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  vigil = await startTestVigil(tmp.dir, { 'detection.rateWindowMs': 1000 });
});
afterAll(async () => {
  await vigil.close();
  cleanup();
});

function requests(
  fromMs: number,
  toMs: number,
  stepMs: number,
  latency: (i: number) => number,
  errorEvery: number,
) {
  const items = [];
  let i = 0;
  for (let t = fromMs; t < toMs; t += stepMs, i++) {
    items.push({
      type: 'metric',
      service: 'orders',
      endpoint: i % 2 === 0 ? 'GET:/orders' : 'POST:/orders',
      metrics: { response_time: latency(i), status_code: i % errorEvery === 0 ? 503 : 200 },
      timestamp: t,
    });
  }
  return items;
}

describe('fingerprints and correlations', () => {
  it('flags a fault that moves errors and latency together, and exposes fingerprints', async () => {
    const normal = requests(T0, T0 + 900_000, 200, (i) => 50 + ((i * 7919) % 13), 97);
    for (let k = 0; k < normal.length; k += 2000) {
      expect((await post(`${vigil.url}/api/batch`, { metrics: normal.slice(k, k + 2000) })).status).toBe(202);
    }
    const faultStart = T0 + 900_000;
    const fault = requests(faultStart, faultStart + 20_000, 200, () => 400, 2);
    expect((await post(`${vigil.url}/api/batch`, { metrics: fault })).status).toBe(202);
    vigil.runtime.flush();

    const fp = (await get(`${vigil.url}/api/fingerprints?service=orders&limit=360`)).body;
    expect(fp.windowMs).toBe(1000);
    const points = fp.services[0].points as Array<{
      windowStart: number;
      anomalous: boolean;
      features: Record<string, number>;
      warmup: number;
    }>;
    expect(points.length).toBeGreaterThan(100);
    const before = points.filter((p) => p.windowStart < faultStart);
    expect(before.at(-1)?.warmup).toBe(1);
    expect(before.at(-1)?.features.request_rate).toBe(5);
    const flagged = points.filter((p) => p.anomalous);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((p) => p.windowStart >= faultStart)).toBe(true);

    const anomalies = (await get(`${vigil.url}/api/anomalies?service=orders&type=pattern_change`)).body.items;
    expect(anomalies.some((a: { metric: string }) => a.metric === 'fingerprint')).toBe(true);
    const corr = (await get(`${vigil.url}/api/correlations`)).body;
    expect(corr.groups.length).toBeGreaterThan(0);
    expect(corr.groups[0].services).toContain('orders');
  });
});
