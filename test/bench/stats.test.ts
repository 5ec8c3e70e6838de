import { describe, expect, it } from 'vitest';
import { fmt } from '../../src/bench/report.js';
import { pairedRatio, quantile, summarize } from '../../src/bench/stats.js';

describe('bench statistics', () => {
  it('summarizes rounds as median, min and max (even and odd counts)', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(summarize([]).n).toBe(0);
    expect(Number.isNaN(summarize([]).median)).toBe(true);
  });

  it('takes nearest-rank quantiles', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(quantile(xs, 0.5)).toBe(500);
    expect(quantile(xs, 0.99)).toBe(990);
    expect(quantile(xs, 0.999)).toBe(999);
    expect(quantile([7], 0.999)).toBe(7);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  it('pairs alternated rounds before taking the median ratio', () => {
    // Round 2 ran on a slow machine for both: per-round ratios are 2, 2, 2.
    expect(pairedRatio([2, 20, 4], [1, 10, 2])).toBe(2);
    // Unequal rounds fall back to the ratio of medians.
    expect(pairedRatio([2, 4], [1])).toBe(3);
  });

  it('formats figures with thousands separators and 3 significant digits', () => {
    expect(fmt(1234567.8)).toBe('1,234,568');
    expect(fmt(123.4)).toBe('123');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(0.04123)).toBe('0.0412');
    expect(fmt(Number.NaN)).toBe('NaN');
  });
});
