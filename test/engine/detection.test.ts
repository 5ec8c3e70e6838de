import { describe, expect, it } from 'vitest';
import { defaultDetectorFactory, type Sample, type Verdict } from '../../src/engine/index.js';
import { daily, makeSeries } from './series.js';

function runAll(samples: readonly Sample[]): Verdict[] {
  const d = defaultDetectorFactory.create();
  return samples.map((s) => d.update(s));
}

function flagged(verdicts: readonly Verdict[], from = 0): number[] {
  const out: number[] = [];
  verdicts.forEach((v, i) => {
    if (i >= from && v.anomalous) out.push(i);
  });
  return out;
}

describe('default detector finds each kind of anomaly', () => {
  it('a single spike is flagged as a spike on that sample only', () => {
    const verdicts = runAll(makeSeries(1200, (i, e) => 100 + 2 * e + (i === 800 ? 40 : 0)));
    expect(flagged(verdicts, 100)).toEqual([800]);
    expect(verdicts[800]?.type).toBe('spike');
    expect(verdicts[800]?.value).toBeGreaterThan(verdicts[800]?.upper ?? Number.POSITIVE_INFINITY);
  });

  it('a single drop is flagged as a drop', () => {
    const verdicts = runAll(makeSeries(1200, (i, e) => 100 + 2 * e - (i === 800 ? 40 : 0)));
    expect(flagged(verdicts, 100)).toEqual([800]);
    expect(verdicts[800]?.type).toBe('drop');
  });

  it('a lasting level shift: onset flagged, confirmed as level_shift within a few samples, then adopted', () => {
    const verdicts = runAll(makeSeries(1500, (i, e) => 100 + 2 * e + (i >= 800 ? 30 : 0)));
    const hits = flagged(verdicts, 100);
    expect(hits[0]).toBe(800);
    const shift = hits.find((i) => verdicts[i]?.type === 'level_shift');
    expect(shift).toBeGreaterThanOrEqual(800);
    expect(shift).toBeLessThan(810);
    expect(verdicts[shift ?? 0]?.component).toBe('level');
    // adopted: nothing flagged once the shift is confirmed, and the baseline sits at the new level
    expect(hits.filter((i) => i > 810)).toEqual([]);
    expect(Math.abs((verdicts[1400]?.expected ?? 0) - 130)).toBeLessThan(2);
  });

  it('a sudden ramp is reported as trend_change', () => {
    const verdicts = runAll(makeSeries(1500, (i, e) => 100 + 2 * e + (i >= 800 ? 5 * (i - 800) : 0)));
    const hits = flagged(verdicts, 100);
    expect(hits[0]).toBeGreaterThanOrEqual(800);
    expect(hits[0]).toBeLessThan(820);
    const trend = hits.find((i) => verdicts[i]?.type === 'trend_change');
    expect(trend).toBeDefined();
    expect(trend).toBeLessThan(840);
    expect(verdicts[trend ?? 0]?.component).toBe('trend');
  });

  it('clean daily-seasonal noise raises no anomaly after warm-up', () => {
    const verdicts = runAll(makeSeries(288 * 14, (i, e) => daily(i, 200, 50) + 3 * e, 11));
    expect(flagged(verdicts)).toEqual([]);
    // the seasonal profile is learned: after a week the band follows the daily curve
    const late = verdicts.slice(288 * 7);
    const meanAbsErr = late.reduce((a, v) => a + Math.abs(v.expected - (v.value - 0)), 0) / late.length;
    expect(meanAbsErr).toBeLessThan(6);
  });

  it('once the daily pattern is learned, a missing daily peak is the most anomalous event and the only one flagged', () => {
    const verdicts = runAll(
      makeSeries(
        288 * 10,
        (i, e) => {
          const day = Math.floor(i / 288);
          const peak = i % 288 >= 100 && i % 288 < 140 && day !== 8 ? 80 : 0;
          return 50 + peak + e;
        },
        5,
      ),
    );
    // Days 0–5 learn the pattern (the flat model reports the daily steps as level shifts meanwhile).
    const late = flagged(verdicts, 288 * 6);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((i) => i >= 288 * 8 + 100 && i < 288 * 8 + 140)).toBe(true);
    expect(verdicts[late[0] ?? 0]?.type).toBe('pattern_change');
    const dayMax = (day: number) =>
      Math.max(...verdicts.slice(day * 288, (day + 1) * 288).map((v) => v.score));
    for (const day of [6, 7, 9]) expect(dayMax(8)).toBeGreaterThan(1.3 * dayMax(day));
    expect(verdicts.slice(288 * 8 + 100, 288 * 8 + 140).some((v) => v.score === dayMax(8))).toBe(true);
  });
});
