import { describe, expect, it } from 'vitest';
import { RollingRobust, ServiceFingerprinter } from '../../../src/engine/multivariate/index.js';
import { Mulberry32 } from '../../../src/engine/multivariate/prng.js';

describe('ServiceFingerprinter', () => {
  it('runs the doc example: a window closes when a later event arrives', () => {
    const f = new ServiceFingerprinter({ windowMs: 1000 });
    expect(f.observeRequest('api', 'GET /', 0, 10, false)).toEqual([]);
    expect(f.observeRequest('api', 'GET /', 500, 30, true)).toEqual([]);
    const [fp, ...rest] = f.observeRequest('api', 'GET /', 1200, 20, false);
    expect(rest).toEqual([]);
    expect(fp).toMatchObject({
      service: 'api',
      windowStart: 0,
      windowEnd: 1000,
      requests: 2,
      errors: 1,
      endpoints: 1,
    });
    expect(fp!.features.request_rate).toBe(2);
    expect(fp!.features.error_rate).toBe(0.5);
    expect(fp!.features.latency_p50).toBeCloseTo(10, 0);
    expect(Math.abs(fp!.features.latency_p99! - 10) / 10).toBeLessThanOrEqual(0.01);
  });

  it('aggregates endpoints, closes every service on the shared watermark and emits empty windows', () => {
    const f = new ServiceFingerprinter({ windowMs: 60_000 });
    f.observeRequest('a', 'GET /x', 1_000, 5, false);
    f.observeRequest('a', 'GET /y', 2_000, 15, false);
    f.observeRequest('b', 'GET /', 3_000, null, false);
    // Only 'a' speaks for three minutes; 'b' gets its window closed and two empty ones.
    const closed = f.observeRequest('a', 'GET /x', 185_000, 5, false);
    expect(closed.map((c) => [c.service, c.windowStart, c.requests])).toEqual([
      ['a', 0, 2],
      ['b', 0, 1],
      ['a', 60_000, 0],
      ['b', 60_000, 0],
      ['a', 120_000, 0],
      ['b', 120_000, 0],
    ]);
    expect(closed[0]!.endpoints).toBe(2);
    expect(closed[1]!.features.latency_p50).toBeNull();
    expect(closed[2]!.features).toEqual({
      request_rate: 0,
      error_rate: 0,
      latency_p50: null,
      latency_p90: null,
      latency_p99: null,
    });
  });

  it('counts an event older than its open window as late instead of adding it', () => {
    const f = new ServiceFingerprinter({ windowMs: 1000 });
    f.observeRequest('a', 'e', 5_500, 1, false);
    expect(f.observeRequest('a', 'e', 4_000, 1, false)).toEqual([]);
    expect(f.stats().late).toBe(1);
    expect(f.observeRequest('a', 'e', 6_100, 1, false)[0]!.requests).toBe(1);
  });

  it('rejects windows below 1 s and invalid latencies', () => {
    expect(() => new ServiceFingerprinter({ windowMs: 999 })).toThrow(RangeError);
    expect(() => new ServiceFingerprinter().observeRequest('a', 'e', 0, -1, false)).toThrow(RangeError);
    expect(() => new ServiceFingerprinter().observeRequest('a', 'e', Number.NaN, 1, false)).toThrow(
      RangeError,
    );
  });
});

describe('RollingRobust', () => {
  it('runs the doc example', () => {
    const r = new RollingRobust(5);
    for (const v of [1, 2, 3, 4, 100]) r.push(v);
    expect([r.median(), r.mad()]).toEqual([3, 1]);
  });

  it('matches a batch median and MAD of the last values after every push', () => {
    const rng = new Mulberry32(3);
    const r = new RollingRobust(31);
    const all: number[] = [];
    const med = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    };
    for (let i = 0; i < 500; i++) {
      const v = Math.round(rng.normal() * 10) + (i % 50 === 0 ? 1000 : 0);
      r.push(v);
      all.push(v);
      const win = all.slice(-31);
      const m = med(win);
      expect(r.median()).toBe(m);
      expect(r.mad()).toBe(med(win.map((x) => Math.abs(x - m))));
    }
  });
});
