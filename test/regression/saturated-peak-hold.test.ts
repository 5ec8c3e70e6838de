/**
 * Regression: after a spike that saturated the score at 1, the refractory hold reported every
 * later sample as 0 for up to 200 samples — even a spike 100× larger than the first. The hold
 * now compares uncapped surprise, so a far larger peak is still reported.
 */
import { describe, expect, it } from 'vitest';
import { defaultDetectorFactory } from '../../src/engine/index.js';

describe('refractory hold after a saturated peak', () => {
  it('reports a far larger spike that follows a saturated one, and still holds a similar one', () => {
    const d = defaultDetectorFactory.create({});
    let seed = 12345;
    const t0 = Date.UTC(2026, 0, 5);
    for (let i = 0; i < 300; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      d.update({ t: t0 + i * 60_000, v: 100 + (seed / 2147483648 - 0.5) * 4 });
    }
    const first = d.update({ t: t0 + 300 * 60_000, v: 1000 });
    expect(first).toMatchObject({ anomalous: true, score: 1, type: 'spike' });
    const similar = d.update({ t: t0 + 301 * 60_000, v: 1001 });
    expect(similar.score).toBe(0);
    const larger = d.update({ t: t0 + 302 * 60_000, v: 100_000 });
    expect(larger).toMatchObject({ anomalous: true, score: 1, type: 'spike' });
  });

  it('reports a spike 12× larger than a saturated one during the hold (compared in decades, not ratios)', () => {
    const d = defaultDetectorFactory.create({});
    let seed = 12345;
    const t0 = Date.UTC(2026, 0, 5);
    for (let i = 0; i < 300; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      d.update({ t: t0 + i * 60_000, v: 100 + (seed / 2147483648 - 0.5) * 4 });
    }
    expect(d.update({ t: t0 + 300 * 60_000, v: 400 })).toMatchObject({ anomalous: true, score: 1 });
    for (let i = 301; i < 400; i++) d.update({ t: t0 + i * 60_000, v: 100 });
    expect(d.update({ t: t0 + 400 * 60_000, v: 400 }).score).toBe(0);
    expect(d.update({ t: t0 + 401 * 60_000, v: 5000 })).toMatchObject({
      anomalous: true,
      score: 1,
      type: 'spike',
    });
  });
});
