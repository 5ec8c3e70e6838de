import { describe, expect, it } from 'vitest';
import {
  type Fingerprint,
  FingerprintDetector,
  FingerprintMonitor,
  HalfSpaceTrees,
  Mulberry32,
} from '../../../src/engine/multivariate/index.js';

const W = 60_000;

/** Normal fingerprints: rate and latency move together (one load factor), errors binomial-ish. */
function fingerprints(
  n: number,
  seed: number,
  anomalyAt: ReadonlyMap<number, Partial<Fingerprint['features']>> = new Map(),
) {
  const rng = new Mulberry32(seed);
  const out: Fingerprint[] = [];
  for (let i = 0; i < n; i++) {
    const load = Math.exp(0.25 * rng.normal());
    const requests = Math.round(300 * load);
    const errors = rng.poisson(requests * 0.01);
    const p50 = 40 * load ** 1.5 * Math.exp(0.03 * rng.normal());
    const base = {
      request_rate: requests / 60,
      error_rate: errors / requests,
      latency_p50: p50,
      latency_p90: p50 * 2 * Math.exp(0.03 * rng.normal()),
      latency_p99: p50 * 4 * Math.exp(0.05 * rng.normal()),
    };
    const features = { ...base, ...anomalyAt.get(i) };
    out.push({
      service: 'api',
      windowStart: i * W,
      windowEnd: (i + 1) * W,
      requests,
      errors,
      endpoints: 3,
      features,
    });
  }
  return out;
}

describe('HalfSpaceTrees', () => {
  it('runs the doc example', () => {
    const h = new HalfSpaceTrees({ dimensions: 2, windowSize: 50, seed: 7 });
    for (let i = 0; i < 100; i++) h.learn([0.5 + 0.01 * (i % 5), 0.5]);
    expect(h.anomaly([0.5, 0.5]) < h.anomaly([0.95, 0.05])).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const h = new HalfSpaceTrees({ dimensions: 3, windowSize: 20, seed });
      const rng = new Mulberry32(1);
      const out: number[] = [];
      for (let i = 0; i < 100; i++) {
        const x = [rng.next(), rng.next(), rng.next()];
        out.push(h.anomaly(x));
        h.learn(x);
      }
      return out;
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});

describe('FingerprintDetector', () => {
  const stream = fingerprints(900, 1);

  it('gives the same verdicts for the same input and never mutates it', () => {
    const frozen = stream.map((f) => Object.freeze({ ...f, features: Object.freeze({ ...f.features }) }));
    const copy = JSON.parse(JSON.stringify(frozen));
    const a = new FingerprintDetector('api');
    const b = new FingerprintDetector('api');
    expect(frozen.map((f) => a.update(f))).toEqual(frozen.map((f) => b.update(f)));
    expect(frozen).toEqual(copy);
  });

  it('continues identically after a JSON snapshot/restore mid-stream', () => {
    const whole = new FingerprintDetector('api');
    const expected = stream.map((f) => whole.update(f));
    for (const cut of [1, 300, 601, 777]) {
      const d = new FingerprintDetector('api');
      for (const f of stream.slice(0, cut)) d.update(f);
      const snap = JSON.parse(JSON.stringify(d.snapshot()));
      const restored = FingerprintDetector.restore('api', snap);
      expect(restored.samples).toBe(cut);
      expect(stream.slice(cut).map((f) => restored.update(f))).toEqual(expected.slice(cut));
    }
    expect(() => FingerprintDetector.restore('api', { kind: 'other', version: 1, state: {} })).toThrow(Error);
  });

  it('score() has no side effects', () => {
    const d = new FingerprintDetector('api');
    for (const f of stream.slice(0, 700)) d.update(f);
    const before = JSON.stringify(d.snapshot());
    const v = d.score(stream[700]!);
    expect(JSON.stringify(d.snapshot())).toBe(before);
    expect(d.update(stream[700]!)).toEqual(v);
  });

  it('warms up before flagging anything', () => {
    const d = new FingerprintDetector('api');
    const verdicts = stream.slice(0, 600).map((f) => d.update(f));
    expect(verdicts.every((v) => !v.anomalous && v.score === 0 && v.warmup < 1)).toBe(true);
    expect(d.update(stream[600]!).warmup).toBe(1);
  });

  it('flags an error burst, attributes it to error_rate and reports the expected value', () => {
    const burst = new Map([700, 701, 702, 703].map((i) => [i, { error_rate: 0.2 }] as const));
    const d = new FingerprintDetector('api');
    const verdicts = fingerprints(760, 1, burst).map((f) => d.update(f));
    expect(verdicts.slice(601, 700).filter((v) => v.anomalous)).toEqual([]);
    const hit = verdicts[701]!;
    expect(hit.anomalous).toBe(true);
    expect(hit.contributions[0]!.feature).toBe('error_rate');
    expect(hit.contributions.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 9);
    expect(hit.expected.error_rate).toBeGreaterThan(0.005);
    expect(hit.expected.error_rate).toBeLessThan(0.02);
    expect(verdicts[700]!.anomalous).toBe(false); // confirm = 2: the first window alone does not flag
  });

  it('flags a combination no single feature shows: latency down while traffic is up', () => {
    // Normally latency rises with load; here traffic is high (≈ +2σ) and latency low (≈ −2.5σ).
    const odd = new Map(
      [700, 701, 702].map(
        (i) => [i, { request_rate: 480 / 60, latency_p50: 16, latency_p90: 32, latency_p99: 64 }] as const,
      ),
    );
    const d = new FingerprintDetector('api');
    const verdicts = fingerprints(720, 1, odd).map((f) => d.update(f));
    const v = verdicts[701]!;
    const zMax = Math.max(...v.contributions.map((c) => Math.abs(c.z)));
    expect(zMax).toBeLessThan(6); // no single feature crosses the marginal alarm
    expect(v.anomalous).toBe(true);
  });
});

describe('FingerprintMonitor', () => {
  it('scores closed windows per service and restores detectors from snapshots', () => {
    const run = (restoreAt: number | null) => {
      let m = new FingerprintMonitor({
        fingerprints: { windowMs: 1000 },
        detector: { window: 20, hstWindow: 40 },
      });
      const rng = new Mulberry32(2);
      const out: number[] = [];
      for (let i = 0; i < 4000; i++) {
        if (i === restoreAt) {
          // Shutdown: close the open windows at the current event time, then snapshot.
          for (const s of m.advance(i * 50)) out.push(s.verdict.score);
          const snaps = JSON.parse(JSON.stringify(m.snapshotDetectors()));
          m = new FingerprintMonitor({
            fingerprints: { windowMs: 1000 },
            detector: { window: 20, hstWindow: 40 },
          });
          for (const [service, snap] of Object.entries(snaps)) m.restoreDetector(service, snap as never);
        }
        const service = i % 2 === 0 ? 'a' : 'b';
        for (const s of m.observeRequest(
          service,
          'GET /',
          i * 50,
          10 * Math.exp(0.2 * rng.normal()),
          rng.next() < 0.01,
        )) {
          out.push(s.verdict.score);
        }
      }
      return { out, services: m.services() };
    };
    const whole = run(null);
    expect(whole.services).toEqual(['a', 'b']);
    expect(whole.out).toHaveLength(2 * 199);
    // Closing the windows at a window boundary (i = 2000 → t = 100 s) and restoring continues identically.
    expect(run(2000).out).toEqual(whole.out);
  });
});

describe('FingerprintDetector on an empty window', () => {
  it('flags a drop to zero traffic on the request rate, not on a made-up error rate', () => {
    const d = new FingerprintDetector('api');
    for (const f of fingerprints(700, 4)) d.update(f);
    const empty: Fingerprint = {
      service: 'api',
      windowStart: 700 * W,
      windowEnd: 701 * W,
      requests: 0,
      errors: 0,
      endpoints: 0,
      features: { request_rate: 0, error_rate: 0, latency_p50: null, latency_p90: null, latency_p99: null },
    };
    const v = d.score(empty);
    expect(v.score).toBe(1);
    expect(v.contributions[0]!.feature).toBe('request_rate');
    expect(v.contributions.find((c) => c.feature === 'error_rate')!.z).toBe(0);
  });
});
