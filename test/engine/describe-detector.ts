/**
 * Conformance suite every detector passes (River's `check_estimator` idea,
 * `river/checks/common.py`): input untouched, determinism, snapshot/restore mid-stream,
 * side-effect-free scoring, the skip-anomalies option, and the verdict shape.
 */
import { describe, expect, it } from 'vitest';
import type { DetectorFactory, Sample, Verdict } from '../../src/engine/index.js';
import { daily, makeSeries } from './series.js';

const SERIES = makeSeries(1500, (i, e) => daily(i, 100, 10) + e + (i === 900 ? 60 : 0) + (i > 1200 ? 25 : 0));

function run(factory: DetectorFactory, samples: readonly Sample[]): Verdict[] {
  const d = factory.create();
  return samples.map((s) => d.update(s));
}

export function describeDetector(name: string, factory: DetectorFactory): void {
  describe(`detector conformance: ${name}`, () => {
    it('does not mutate its input', () => {
      const frozen = SERIES.map((s) => Object.freeze({ ...s }));
      const copy = JSON.parse(JSON.stringify(frozen));
      const d = factory.create();
      for (const s of frozen) d.update(s);
      expect(frozen).toEqual(copy);
    });

    it('gives the same output for the same input', () => {
      expect(run(factory, SERIES)).toEqual(run(factory, SERIES));
    });

    it('continues exactly after a JSON snapshot/restore mid-stream', () => {
      const whole = run(factory, SERIES);
      for (const cut of [1, 30, 500, 901, 1210]) {
        const d = factory.create();
        for (const s of SERIES.slice(0, cut)) d.update(s);
        const snap = JSON.parse(JSON.stringify(d.snapshot()));
        const restored = factory.restore(snap);
        expect(restored.samples).toBe(d.samples);
        const rest = SERIES.slice(cut).map((s) => restored.update(s));
        expect(rest).toEqual(whole.slice(cut));
      }
    });

    it('score() has no side effects', () => {
      const a = factory.create();
      const b = factory.create();
      for (const s of SERIES) {
        const before = JSON.stringify(a.snapshot());
        const scored = a.score(s);
        expect(JSON.stringify(a.snapshot())).toBe(before);
        a.score({ t: s.t + 1, v: s.v * 3 + 1 });
        expect(a.update(s)).toEqual(b.update(s));
        expect(scored).toEqual(a.score(s).t === s.t ? scored : null);
      }
    });

    it('keeps an outage out of the baseline when skipAnomaliesInLearning is on', () => {
      const base = makeSeries(400, (_i, e) => 50 + e, 3);
      // Three samples: shorter than any sensible confirmation of a lasting level shift.
      const outage = base.slice(200, 203).map((s) => ({ t: s.t, v: 500 }));
      const after = base[203]!;
      const expectedAfter = (skip: boolean) => {
        const d = factory.create({ skipAnomaliesInLearning: skip });
        for (const s of base.slice(0, 200)) d.update(s);
        for (const s of outage) d.update(s);
        return d.score(after).expected;
      };
      const skipped = expectedAfter(true);
      const learned = expectedAfter(false);
      expect(Math.abs(skipped - 50)).toBeLessThan(2);
      expect(Math.abs(learned - 50)).toBeGreaterThan(Math.abs(skipped - 50) + 2);
    });

    it('returns well-formed verdicts and never flags during warm-up', () => {
      const d = factory.create();
      for (const s of SERIES) {
        const v = d.update(s);
        expect(v.t).toBe(s.t);
        expect(v.value).toBe(s.v);
        expect(v.score).toBeGreaterThanOrEqual(0);
        expect(v.score).toBeLessThanOrEqual(1);
        expect(v.warmup).toBeGreaterThanOrEqual(0);
        expect(v.warmup).toBeLessThanOrEqual(1);
        expect(v.confidence).toBeGreaterThanOrEqual(0);
        expect(v.confidence).toBeLessThanOrEqual(1);
        expect(v.lower).toBeLessThanOrEqual(v.expected);
        expect(v.upper).toBeGreaterThanOrEqual(v.expected);
        if (v.warmup < 1) expect(v.anomalous).toBe(false);
        expect(v.type === null).toBe(!v.anomalous);
        expect(v.component === null).toBe(!v.anomalous);
      }
      expect(d.samples).toBe(SERIES.length);
    });

    it('scores but does not learn samples older than the last one', () => {
      const d = factory.create();
      for (const s of SERIES.slice(0, 300)) d.update(s);
      const before = JSON.stringify(d.snapshot());
      const old = d.update({ t: SERIES[10]!.t, v: 1e6 });
      expect(old.score).toBeGreaterThan(0.9);
      expect(JSON.stringify(d.snapshot())).toBe(before);
      expect(d.samples).toBe(300);
    });

    it('higher sensitivity flags at least as much', () => {
      const count = (sensitivity: number) => {
        const d = factory.create({ sensitivity });
        return SERIES.filter((s) => d.update(s).anomalous).length;
      };
      const low = count(0.1);
      const high = count(0.9);
      expect(high).toBeGreaterThan(0);
      expect(high).toBeGreaterThanOrEqual(low);
    });

    it('rejects a snapshot of another kind', () => {
      expect(() => factory.restore({ kind: `${factory.kind}-other`, version: 1, state: {} })).toThrow(Error);
    });
  });
}
