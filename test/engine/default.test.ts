import { describe, expect, it } from 'vitest';
import { migrateStateV2 } from '../../src/engine/default/detector.js';
import {
  DEFAULT_KIND,
  DEFAULT_VERSION,
  defaultDetectorFactory,
  RobustHoltWinters,
} from '../../src/engine/index.js';
import { describeDetector } from './describe-detector.js';
import { makeSeries } from './series.js';

describeDetector('default (robust Holt-Winters)', defaultDetectorFactory);

describe('default detector snapshots', () => {
  const d = defaultDetectorFactory.create();
  for (const s of makeSeries(400, (_i, e) => 10 + e)) d.update(s);
  const snap = JSON.parse(JSON.stringify(d.snapshot()));

  it('are compact numeric arrays', () => {
    expect(snap.kind).toBe(DEFAULT_KIND);
    expect(snap.version).toBe(DEFAULT_VERSION);
    expect(snap.state.p.every((x: unknown) => typeof x === 'number')).toBe(true);
    expect(snap.state.s).toHaveLength(288);
    expect(snap.state.h).toHaveLength(128);
    expect(snap.state.e).toHaveLength(24);
    expect(JSON.stringify(snap).length).toBeLessThan(12_000);
  });

  it('rejects another version and corrupted state with an Error', () => {
    expect(() => defaultDetectorFactory.restore({ ...snap, version: 1 })).toThrow(/cannot restore/);
    expect(() => defaultDetectorFactory.restore({ ...snap, version: DEFAULT_VERSION + 1 })).toThrow(
      /cannot restore/,
    );
    expect(() => defaultDetectorFactory.restore({ ...snap, state: { ...snap.state, h: [1, 2] } })).toThrow(
      /tail histograms/,
    );
    expect(() => defaultDetectorFactory.restore({ ...snap, state: { ...snap.state, p: [0] } })).toThrow(
      /scalars/,
    );
    expect(() => defaultDetectorFactory.restore({ ...snap, state: null })).toThrow(/invalid/);
    const { e: _e, ...v2Layout } = snap.state;
    expect(() => defaultDetectorFactory.restore({ ...snap, state: v2Layout })).toThrow(/episode memory/);
    expect(() =>
      defaultDetectorFactory.restore({ ...snap, state: { ...snap.state, s: snap.state.s.slice(1) } }),
    ).toThrow(/seasonal profile/);
  });

  it('migrates a version-2 snapshot (no episode memory) to an empty episode memory', () => {
    // Version 2 had no `e` and no `episodeDay` scalar (index 17, after `peakAge`).
    const p2 = snap.state.p.filter((_x: number, i: number) => i !== 17);
    const v2 = { kind: DEFAULT_KIND, version: 2, state: { p: p2, s: snap.state.s, h: snap.state.h } };
    const migrated = defaultDetectorFactory.restore(v2);
    const empty = defaultDetectorFactory.restore({
      ...snap,
      state: {
        ...snap.state,
        p: snap.state.p.map((x: number, i: number) => (i === 17 ? 0 : x)),
        e: snap.state.e.map(() => 0),
      },
    });
    expect(migrated.snapshot().state).toEqual(empty.snapshot().state);
    const later = makeSeries(600, (_i, e) => 10 + e).slice(400);
    for (const s of later) expect(migrated.update(s)).toEqual(empty.update(s));
    expect(migrated.snapshot().version).toBe(DEFAULT_VERSION);
    expect(() => defaultDetectorFactory.restore({ ...v2, state: { ...v2.state, p: [0] } })).toThrow(
      /scalars/,
    );
    const marked = migrateStateV2({ p: p2.map((_x: number, i: number) => i + 1), s: [], h: [] });
    expect(marked.p.slice(15, 20)).toEqual([16, 17, 0, 18, 19]);
    expect(marked.e).toEqual(new Array(24).fill(0));
  });

  it('rejects non-finite samples with a RangeError', () => {
    expect(() => d.score({ t: Number.NaN, v: 1 })).toThrow(RangeError);
    expect(() => d.update({ t: 0, v: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it('runs the class doc example', () => {
    const x = new RobustHoltWinters();
    for (let i = 0; i < 100; i++) x.update({ t: i * 60_000, v: 10 + (i % 3) });
    expect(x.update({ t: 100 * 60_000, v: 50 }).type).toBe('spike');
  });
});

describe('default detector daily episode memory', () => {
  const step = 5 * 60_000;
  const t0 = Date.UTC(2026, 0, 5);
  /** Noisy flat series with one spike per entry of `spikes` (sample indices); scores of those samples. */
  function spikeScores(spikes: readonly number[]): number[] {
    const d = defaultDetectorFactory.create();
    let seed = 4242;
    const scores: number[] = [];
    const last = Math.max(...spikes);
    for (let i = 0; i <= last; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const v = 100 + (seed / 2147483648 - 0.5) * 4 + (spikes.includes(i) ? 60 : 0);
      const verdict = d.update({ t: t0 + i * step, v });
      if (spikes.includes(i)) scores.push(verdict.score);
    }
    return scores;
  }
  const day = 288;
  const at3 = 3 * 12;
  const at15 = 15 * 12;

  it('reports a repeat of yesterday’s episode at the same hour as 0, one at another hour normally', () => {
    const [first, sameHour, otherHour] = spikeScores([3 * day + at3, 4 * day + at3 + 2, 4 * day + at15]);
    expect(first).toBeGreaterThan(0.5);
    expect(sameHour).toBe(0);
    expect(otherHour).toBeGreaterThan(0);
  });

  it('forgets the episode after some days', () => {
    const [first, later] = spikeScores([3 * day + at3, 10 * day + at3]);
    expect(first).toBeGreaterThan(0.5);
    expect(later).toBeGreaterThan(0);
  });

  it('survives a snapshot round trip', () => {
    const d = defaultDetectorFactory.create();
    for (let i = 0; i <= 3 * day + at3; i++)
      d.update({ t: t0 + i * step, v: 100 + (i % 5) + (i === 3 * day + at3 ? 60 : 0) });
    const copy = defaultDetectorFactory.restore(JSON.parse(JSON.stringify(d.snapshot())));
    const next = { t: t0 + (4 * day + at3) * step, v: 160 };
    expect(copy.update(next)).toEqual(d.update(next));
    expect(JSON.stringify(copy.snapshot())).toBe(JSON.stringify(d.snapshot()));
  });
});
