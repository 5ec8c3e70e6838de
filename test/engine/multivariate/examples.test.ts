/** The `@example` blocks of the multivariate modules, run as written. */
import { describe, expect, it } from 'vitest';
import {
  explainFingerprint,
  Mulberry32,
  ServiceFingerprinter,
} from '../../../src/engine/multivariate/index.js';
import { Whitener } from '../../../src/engine/multivariate/whitening.js';
import { simulateSystem } from '../../../src/engine/simulate/index.js';

describe('doc examples', () => {
  it('Mulberry32', () => {
    expect(new Mulberry32(42).next()).toBe(0.6011037519201636);
  });

  it('ServiceFingerprinter', () => {
    const f = new ServiceFingerprinter({ windowMs: 1000 });
    f.observeRequest('api', 'GET /', 0, 10, false);
    f.observeRequest('api', 'GET /', 500, 30, true);
    const [fp] = f.observeRequest('api', 'GET /', 1200, 20, false);
    expect(fp!.features.latency_p50).toBeCloseTo(10.0747, 4);
    expect(fp!.features.latency_p99).toBe(fp!.features.latency_p50);
  });

  it('Whitener', () => {
    const m = new Whitener(2, 0.5);
    m.learn([1, 1]);
    m.learn([-1, -1]);
    const { w, shares } = m.whiten([1, -1]);
    expect(w[0]).toBeCloseTo(0.9995, 4);
    expect(w[1]).toBeCloseTo(-44.71, 2);
    expect(shares[0]).toBeCloseTo(0.5, 9);
  });

  it('simulateSystem', () => {
    const sys = simulateSystem({ seed: 7, days: 1 });
    expect(sys.faults).toHaveLength(4);
    expect(sys.events().next().value).toMatchObject({
      type: 'sample',
      service: 'gateway',
      metric: 'memory_mb',
      t: 1704067200000,
    });
  });
});

describe('explainFingerprint', () => {
  it('names the top features with value and expected value', () => {
    const fp = {
      service: 'checkout',
      windowStart: 0,
      windowEnd: 60_000,
      requests: 100,
      errors: 18,
      endpoints: 2,
      features: { request_rate: 1.67, error_rate: 0.18, latency_p50: 50, latency_p90: 120, latency_p99: 412 },
    };
    const verdict = {
      service: 'checkout',
      windowStart: 0,
      windowEnd: 60_000,
      score: 0.93,
      anomalous: true,
      warmup: 1,
      contributions: [
        { feature: 'error_rate', weight: 0.6, z: 6.1 },
        { feature: 'latency_p99', weight: 0.3, z: 3.2 },
        { feature: 'request_rate', weight: 0.1, z: 0.4 },
      ],
      expected: {
        request_rate: 1.6,
        error_rate: 0.0042,
        latency_p50: 48,
        latency_p90: 110,
        latency_p99: 180,
      },
    } as const;
    expect(explainFingerprint(fp, verdict as never)).toBe(
      'checkout fingerprint anomalous (score 0.93): error_rate 18 % (expected 0.42 %), latency_p99 412 ms (expected 180 ms)',
    );
  });
});
