import { describe, expect, it } from 'vitest';
import { MAX_GAP_WINDOWS, type RateSample, RateWindows } from '../../src/ingest/rate-windows.js';

const W = 60_000;

function collect() {
  const out: RateSample[] = [];
  return { out, emit: (s: RateSample) => out.push(s) };
}

describe('RateWindows', () => {
  it('emits request and error rates when an event closes the window, zeros for empty windows', () => {
    const w = new RateWindows(W);
    const { out, emit } = collect();
    w.request('s', 'e', 0, 200, emit);
    w.request('s', 'e', 10_000, 500, emit);
    w.request('s', 'e', 59_999, 200, emit);
    expect(out).toEqual([]);
    w.request('s', 'e', 3 * W + 5, 200, emit);
    expect(out.map((s) => [s.metric, s.t, s.v])).toEqual([
      ['request_rate', W, 3 / 60],
      ['error_rate', W, 1 / 3],
      ['request_rate', 2 * W, 0],
      ['request_rate', 3 * W, 0],
    ]);
  });

  it('counts a late event in the open window and keeps endpoints apart', () => {
    const w = new RateWindows(W);
    const { out, emit } = collect();
    w.request('s', 'a', W + 1, 200, emit);
    w.request('s', 'a', 5, 503, emit); // late: counted in [W, 2W)
    w.request('s', 'b', 5, 200, emit);
    w.request('s', 'a', 2 * W, 200, emit);
    expect(out.map((s) => [s.endpoint, s.metric, s.t, s.v])).toEqual([
      ['a', 'request_rate', 2 * W, 2 / 60],
      ['a', 'error_rate', 2 * W, 0.5],
    ]);
  });

  it(`skips ahead after ${MAX_GAP_WINDOWS} empty windows`, () => {
    const w = new RateWindows(W);
    const { out, emit } = collect();
    w.request('s', 'e', 0, 200, emit);
    w.request('s', 'e', 1000 * W, 200, emit);
    const rates = out.filter((s) => s.metric === 'request_rate');
    expect(rates).toHaveLength(MAX_GAP_WINDOWS);
    w.request('s', 'e', 1001 * W, 200, emit);
    expect(out.at(-2)).toMatchObject({ metric: 'request_rate', t: 1001 * W, v: 1 / 60 });
  });

  it('emits a log rate for every level the service has logged, and survives snapshot/restore', () => {
    const w = new RateWindows(W);
    const { out, emit } = collect();
    w.log('svc', 'ERROR', 0, emit);
    w.log('svc', 'INFO', 1, emit);
    w.log('svc', 'INFO', 2, emit);
    const copy = new RateWindows(W);
    copy.restore(JSON.parse(JSON.stringify(w.snapshot())));
    copy.log('svc', 'INFO', W, emit);
    copy.log('svc', 'INFO', 2 * W, emit);
    expect(out.map((s) => [s.labels.level, s.t, s.v])).toEqual([
      ['ERROR', W, 1 / 60],
      ['INFO', W, 2 / 60],
      ['ERROR', 2 * W, 0],
      ['INFO', 2 * W, 1 / 60],
    ]);
  });

  it('regression: a snapshot is a copy, unchanged by the events counted after it', () => {
    // Sliced checkpoints serialize the snapshot after later records were applied: a snapshot
    // sharing the live windows recorded counts of records after its seq, which a replay then
    // counted again (and windows it had already closed were lost).
    const w = new RateWindows(W);
    const { emit } = collect();
    w.request('s', 'e', 1000, 500, emit);
    w.log('s', 'error', 1000, emit);
    const snapshot = w.snapshot();
    const before = JSON.stringify(snapshot);
    w.request('s', 'e', 2000, 200, emit);
    w.log('s', 'error', 2000, emit);
    w.request('s', 'e', 2 * W, 200, emit);
    w.log('s', 'warn', 2 * W, emit);
    expect(JSON.stringify(snapshot)).toBe(before);
  });
});
