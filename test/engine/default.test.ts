import { describe, expect, it } from 'vitest';
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
    expect(JSON.stringify(snap).length).toBeLessThan(12_000);
  });

  it('rejects another version and corrupted state with an Error', () => {
    expect(() => defaultDetectorFactory.restore({ ...snap, version: DEFAULT_VERSION - 1 })).toThrow(
      /cannot restore/,
    );
    expect(() => defaultDetectorFactory.restore({ ...snap, state: { ...snap.state, h: [1, 2] } })).toThrow(
      /tail histograms/,
    );
    expect(() => defaultDetectorFactory.restore({ ...snap, state: { ...snap.state, p: [0] } })).toThrow(
      /scalars/,
    );
    expect(() => defaultDetectorFactory.restore({ ...snap, state: null })).toThrow(/invalid/);
    expect(() =>
      defaultDetectorFactory.restore({ ...snap, state: { ...snap.state, s: snap.state.s.slice(1) } }),
    ).toThrow(/seasonal profile/);
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
