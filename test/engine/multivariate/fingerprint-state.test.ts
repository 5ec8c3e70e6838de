/** Open fingerprint windows survive a snapshot: a restored fingerprinter closes the same windows. */
import { describe, expect, it } from 'vitest';
import { ServiceFingerprinter } from '../../../src/engine/index.js';

function feed(f: ServiceFingerprinter, from: number, to: number) {
  const closed = [];
  for (let i = from; i < to; i++) {
    const service = i % 3 === 0 ? 'payment' : 'checkout';
    closed.push(...f.observeRequest(service, `GET /${i % 5}`, 1_000 * i, 5 + (i % 17) * 3.5, i % 11 === 0));
  }
  return closed;
}

describe('ServiceFingerprinter state', () => {
  it('continues mid-window after toState / restoreState exactly as without interruption', () => {
    const reference = new ServiceFingerprinter({ windowMs: 60_000 });
    const expected = feed(reference, 0, 400);

    const first = new ServiceFingerprinter({ windowMs: 60_000 });
    const before = feed(first, 0, 150); // stops 30 s into a window
    const restored = new ServiceFingerprinter({ windowMs: 60_000 });
    restored.restoreState(JSON.parse(JSON.stringify(first.toState())));
    const after = feed(restored, 150, 400);
    expect([...before, ...after]).toEqual(expected);
    expect(restored.stats()).toEqual(reference.stats());
  });

  it('restores an empty fingerprinter and refuses a malformed sketch', () => {
    const f = new ServiceFingerprinter();
    f.restoreState(JSON.parse(JSON.stringify(new ServiceFingerprinter().toState())));
    expect(f.services).toBe(0);
    const state = { watermark: 0, counters: { late: 0, evictedServices: 0, skippedEmptyWindows: 0 } };
    const bad = {
      ...state,
      open: [
        {
          service: 'a',
          start: 0,
          requests: 1,
          errors: 0,
          lastSeen: 0,
          endpoints: [],
          latencies: { counts: 'x' },
        },
      ],
    };
    expect(() => f.restoreState(bad as never)).toThrow(RangeError);
  });
});
