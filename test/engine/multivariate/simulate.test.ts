import { describe, expect, it } from 'vitest';
import {
  callersOf,
  DEFAULT_TOPOLOGY,
  FAULT_KINDS,
  simulateSystem,
} from '../../../src/engine/simulate/index.js';

function head(seed: number, n: number) {
  const out = [];
  for (const ev of simulateSystem({ seed, days: 1 }).events()) {
    out.push(ev);
    if (out.length === n) break;
  }
  return out;
}

describe('simulateSystem', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(head(7, 2000)).toEqual(head(7, 2000));
    expect(head(7, 2000)).not.toEqual(head(8, 2000));
    expect(simulateSystem({ seed: 7, days: 2 }).faults).toEqual(simulateSystem({ seed: 7, days: 2 }).faults);
  });

  it('schedules every fault kind after the warm-up, inside the run, without overlaps', () => {
    const sys = simulateSystem({ seed: 3, days: 3 });
    expect(sys.faults).toHaveLength(12);
    expect(new Set(sys.faults.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    for (const [i, f] of sys.faults.entries()) {
      expect(f.start).toBeGreaterThanOrEqual(sys.start + 12 * 3_600_000);
      expect(f.end).toBeLessThan(sys.end);
      if (i > 0) expect(f.start).toBeGreaterThan(sys.faults[i - 1]!.end);
      expect(f.affected).toContain(f.service);
    }
  });

  it('emits time-ordered requests and per-minute samples, and a latency spike reaches the callers', () => {
    const sys = simulateSystem({ seed: 5, days: 2 });
    const spike = sys.faults.find((f) => f.kind === 'latency_spike')!;
    expect(spike.affected).toEqual(callersOf(DEFAULT_TOPOLOGY, spike.service));
    expect(spike.affected).toContain('gateway');
    let last = Number.NEGATIVE_INFINITY;
    let ordered = true;
    let samples = 0;
    const gw = { in: [] as number[], out: [] as number[] };
    for (const ev of sys.events()) {
      if (ev.t < last - 1000) ordered = false;
      last = Math.max(last, ev.t);
      if (ev.type === 'sample') samples++;
      else if (ev.service === 'gateway' && ev.t >= spike.start - 3_600_000 && ev.t < spike.end) {
        (ev.t >= spike.start ? gw.in : gw.out).push(ev.latencyMs);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(ordered).toBe(true);
    expect(samples).toBe(2 * 1440 * DEFAULT_TOPOLOGY.length * 2);
    expect(mean(gw.in)).toBeGreaterThan(1.3 * mean(gw.out));
  });
});
