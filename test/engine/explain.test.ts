import { describe, expect, it } from 'vitest';
import { defaultDetectorFactory, explainVerdict, type Verdict } from '../../src/engine/index.js';

const SPIKE: Verdict = {
  t: 0,
  value: 245,
  expected: 80,
  lower: 60,
  upper: 100,
  score: 0.9,
  anomalous: true,
  type: 'spike',
  component: 'noise',
  confidence: 0.8,
  warmup: 1,
};

describe('explainVerdict', () => {
  it('runs the documented example', () => {
    expect(explainVerdict(SPIKE, 'ms')).toBe(
      'value 245 ms is 3.06× above expected 80 ms (band 60–100 ms): spike',
    );
  });

  it('explains normal, small-deviation and warm-up verdicts', () => {
    expect(explainVerdict({ ...SPIKE, value: 85, anomalous: false, type: null, score: 0.1 })).toBe(
      'value 85 is 5 above expected 80 (band 60–100): normal (score 0.1)',
    );
    expect(explainVerdict({ ...SPIKE, value: 20, type: 'level_shift' })).toBe(
      'value 20 is 4× below expected 80 (band 60–100): level shift',
    );
    expect(explainVerdict({ ...SPIKE, warmup: 0.5, anomalous: false })).toMatch(
      /^value 245 seen while learning \(50%/,
    );
  });

  it('explains a real verdict of the default detector', () => {
    const d = defaultDetectorFactory.create();
    for (let i = 0; i < 200; i++) d.update({ t: i * 60_000, v: 100 + (i % 2) });
    expect(explainVerdict(d.update({ t: 200 * 60_000, v: 400 }))).toMatch(
      /^value 400 is 3\.\d\d× above expected 10\d.*: spike$/,
    );
  });
});
