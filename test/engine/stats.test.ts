import { describe, expect, it } from 'vitest';
import { nextPeriod } from '../../src/engine/default/period.js';
import { ewmaStep } from '../../src/engine/stats/ewma.js';
import { bisect } from '../../src/engine/stats/inverse.js';
import { fitLine, type LineSums, pushLine } from '../../src/engine/stats/line-fit.js';
import { erfc, logTwoSidedTail, logUpperTail } from '../../src/engine/stats/normal.js';
import { gaussian, prng } from './series.js';

describe('online statistics against batch references', () => {
  it('EWMA equals the batch weighted sum after every update (rel. tol 1e-12)', () => {
    const g = gaussian(1);
    const xs = Array.from({ length: 500 }, () => 10 + g());
    const alpha = 0.05;
    let online = xs[0]!;
    for (let n = 1; n < xs.length; n++) {
      online = ewmaStep(online, xs[n]!, alpha);
      // batch: (1-α)^n x0 + Σ_{i=1..n} α (1-α)^{n-i} x_i
      let batch = (1 - alpha) ** n * xs[0]!;
      for (let i = 1; i <= n; i++) batch += alpha * (1 - alpha) ** (n - i) * xs[i]!;
      expect(Math.abs(online - batch)).toBeLessThanOrEqual(1e-12 * Math.abs(batch));
    }
  });

  it('online line fit equals batch least squares after every update (abs. tol 1e-9)', () => {
    const g = gaussian(2);
    const rs = Array.from({ length: 200 }, (_, j) => 3 + 0.5 * j + g());
    const sums: LineSums = { k: 0, sumR: 0, sumJR: 0 };
    for (let k = 1; k <= rs.length; k++) {
      pushLine(sums, rs[k - 1]!);
      const fit = fitLine(sums);
      const mj = (k - 1) / 2;
      const mr = rs.slice(0, k).reduce((a, b) => a + b, 0) / k;
      let sxy = 0;
      let sxx = 0;
      for (let j = 0; j < k; j++) {
        sxy += (j - mj) * (rs[j]! - mr);
        sxx += (j - mj) ** 2;
      }
      const slope = sxx > 0 ? sxy / sxx : 0;
      expect(Math.abs(fit.slope - slope)).toBeLessThan(1e-9);
      expect(Math.abs(fit.intercept - (mr - slope * mj))).toBeLessThan(1e-9);
    }
    expect(fitLine({ k: 3, sumR: 6, sumJR: 8 })).toEqual({ intercept: 1, slope: 1, end: 3 });
  });

  it('Gaussian tails match numeric integration of the density (rel. tol 1e-5) and stay finite far out', () => {
    for (const z of [0, 0.5, 1, 2, 3, 4, 5, 6]) {
      // Simpson's rule on [z, z + 12] of φ(x)
      const steps = 20000;
      const h = 12 / steps;
      let sum = 0;
      for (let i = 0; i <= steps; i++) {
        const x = z + i * h;
        const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
        sum += (w * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
      }
      const upper = (sum * h) / 3;
      expect(Math.abs(Math.exp(logUpperTail(z)) - upper)).toBeLessThanOrEqual(1e-5 * upper);
      expect(Math.abs(Math.exp(logTwoSidedTail(z)) - 2 * upper)).toBeLessThanOrEqual(2e-5 * upper);
    }
    expect(Number.isFinite(logTwoSidedTail(100))).toBe(true);
    expect(logTwoSidedTail(100)).toBeLessThan(-4900);
    expect(Math.abs(erfc(-1) - 1.8427007929)).toBeLessThan(1e-6);
  });

  it('sampling-period estimate converges to the median interval of a jittered grid with gaps (tol 2%)', () => {
    const u = prng(3);
    let period = 0;
    const dts: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const dt = u() < 0.05 ? 3_600_000 : 300_000 + (u() - 0.5) * 20_000;
      dts.push(dt);
      period = nextPeriod(period, dt);
    }
    dts.sort((a, b) => a - b);
    const median = dts[Math.floor(dts.length / 2)]!;
    expect(Math.abs(period - median) / median).toBeLessThan(0.02);
    expect(nextPeriod(300_000, 300_000)).toBe(300_000);
  });

  it('bisection inverts a monotone function', () => {
    expect(bisect((x) => x * x, 2, 0, 2)).toBeCloseTo(Math.SQRT2, 12);
  });
});
