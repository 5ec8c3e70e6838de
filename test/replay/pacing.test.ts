import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/replay/index.js';

describe('Pacer', () => {
  it('makes event time run speed× faster than wall time from the first point', async () => {
    let now = 1000;
    const slept: number[] = [];
    const pacer = new Pacer(
      600,
      () => now,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    await pacer.waitUntil(0); // anchors: event 0 ↔ wall 1000
    await pacer.waitUntil(60_000); // 1 event minute at 600× = 100 wall ms
    now += 30; // the send took 30 ms
    await pacer.waitUntil(120_000);
    now += 500; // fell behind: no sleep, no catch-up burst beyond "at once"
    await pacer.waitUntil(180_000);
    expect(slept).toEqual([100, 70]);
    expect(pacer.dueAt(180_000)).toBe(1300);
  });

  it('re-anchors after reset, and never waits at infinite speed', async () => {
    let now = 0;
    const pacer = new Pacer(2, () => now);
    pacer.dueAt(10_000);
    now = 50;
    pacer.reset();
    expect(pacer.dueAt(0)).toBe(50);
    expect(pacer.dueAt(200)).toBe(150);
    expect(new Pacer(Number.POSITIVE_INFINITY, () => 7).dueAt(1e12)).toBe(7);
  });
});
