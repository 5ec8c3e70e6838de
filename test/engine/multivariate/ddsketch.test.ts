import { describe, expect, it } from 'vitest';
import { Mulberry32 } from '../../../src/engine/multivariate/index.js';
import { DDSketch } from '../../../src/engine/sketch/index.js';

const QS = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];
/** α plus floating-point slack at bucket boundaries. */
const TOL = 0.01 * (1 + 1e-9) + 1e-12;

function exact(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function insertSorted(a: number[], v: number): void {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  a.splice(lo, 0, v);
}

describe('DDSketch', () => {
  it('runs the doc example', () => {
    const s = new DDSketch();
    for (let v = 1; v <= 100; v++) s.add(v);
    expect(s.quantile(0.5)).toBeCloseTo(49.90296, 4);
  });

  it('stays within α relative error of the exact quantiles after every insert (batch reference)', () => {
    const rng = new Mulberry32(11);
    const s = new DDSketch();
    const sorted: number[] = [];
    let worst = 0;
    for (let i = 0; i < 3000; i++) {
      // Heavy-tailed latencies with some exact zeros and a few huge values.
      const v = i % 97 === 0 ? 0 : Math.exp(3 + 1.5 * rng.normal()) * (i % 501 === 0 ? 1e4 : 1);
      s.add(v);
      insertSorted(sorted, v);
      for (const q of QS) {
        const want = exact(sorted, q);
        const got = s.quantile(q);
        const err = want === 0 ? Math.abs(got) : Math.abs(got - want) / want;
        worst = Math.max(worst, err);
        if (err > TOL) expect({ i, q, want, got }).toBeNull();
      }
    }
    expect(worst).toBeLessThanOrEqual(TOL);
    expect(worst).toBeGreaterThan(0.001); // the check is not vacuous: the sketch is approximate
    expect(s.count).toBe(3000);
  });

  it('merges losslessly: merge(A, B) answers exactly like one sketch of both streams', () => {
    const rng = new Mulberry32(5);
    const a = new DDSketch();
    const b = new DDSketch();
    const both = new DDSketch();
    for (let i = 0; i < 2000; i++) {
      const v = rng.uniform(0, 1) < 0.5 ? Math.exp(rng.normal()) : 1000 * Math.exp(rng.normal());
      (i % 3 === 0 ? a : b).add(v);
      both.add(v);
    }
    a.merge(b);
    expect(a.count).toBe(both.count);
    for (const q of QS) expect(a.quantile(q)).toBe(both.quantile(q));
    expect(a.toJSON()).toEqual(both.toJSON());
  });

  it('bounds its buckets by collapsing the lowest ones, keeping high quantiles accurate', () => {
    const s = new DDSketch({ maxBuckets: 64 });
    const values: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = 10 ** (-3 + (6 * i) / 2000); // 1e-3 … 1e3: ~700 buckets without a bound
      s.add(v);
      values.push(v);
    }
    expect(s.buckets).toBeLessThanOrEqual(64);
    values.sort((x, y) => x - y);
    for (const q of [0.95, 0.99, 1]) {
      expect(Math.abs(s.quantile(q) - exact(values, q)) / exact(values, q)).toBeLessThanOrEqual(TOL);
    }
  });

  it('round-trips through JSON and rejects invalid input', () => {
    const s = new DDSketch();
    for (const v of [0, 1, 2, 3, 50, 1000]) s.add(v);
    const r = DDSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    for (const q of QS) expect(r.quantile(q)).toBe(s.quantile(q));
    expect(() => s.add(-1)).toThrow(RangeError);
    expect(() => s.add(Number.NaN)).toThrow(RangeError);
    expect(() => s.quantile(1.5)).toThrow(RangeError);
    expect(() => new DDSketch({ alpha: 0 })).toThrow(RangeError);
    expect(new DDSketch().quantile(0.5)).toBeNaN();
  });
});
