import { describe, expect, it } from 'vitest';
import { m4Indices } from './decimate.js';

describe('m4Indices', () => {
  it('keeps first, min, max and last of each column', () => {
    expect(m4Indices([0, 1, 2, 3, 4, 5], [5, 1, 9, 2, 8, 3], 0, 6, 0, 6, 1)).toEqual([0, 1, 2, 5]);
  });

  it('matches the per-column extremes of a brute-force pass on random data, with one sample either side', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const ts = Array.from({ length: 5000 }, (_, i) => i * 10);
    const vs = ts.map(() => rnd() * 100);
    const [from, to, min, max, columns] = [1000, 4000, 10_000, 40_000, 300];
    const idx = m4Indices(ts, vs, from, to, min, max, columns);
    expect(idx[0]).toBe(from - 1);
    expect(idx[idx.length - 1]).toBe(to);
    expect(idx.length).toBeLessThanOrEqual(4 * columns + 2);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(new Set(idx).size).toBe(idx.length);
    // Every column's min and max value is among the kept samples.
    const kept = new Set(idx);
    const cols = new Map<number, number[]>();
    for (let i = from; i < to; i++) {
      const c = Math.floor((((ts[i] as number) - min) * columns) / (max - min));
      cols.set(c, [...(cols.get(c) ?? []), i]);
    }
    for (const members of cols.values()) {
      const vals = members.map((i) => vs[i] as number);
      const lo = members[vals.indexOf(Math.min(...vals))] as number;
      const hi = members[vals.indexOf(Math.max(...vals))] as number;
      expect(kept.has(lo) && kept.has(hi) && kept.has(members[0] as number)).toBe(true);
    }
  });
});
