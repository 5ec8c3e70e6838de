/**
 * Sliced checkpoints of the series registry: entries reflect the state at the checkpoint's
 * position even when a series changes before its slice is taken (copy on write).
 */
import { describe, expect, it } from 'vitest';
import { defaultDetectorFactory } from '../../src/engine/index.js';
import { SeriesRegistry } from '../../src/pipeline/series-registry.js';

const registry = () => new SeriesRegistry(defaultDetectorFactory, { sensitivity: 0.5 });

/** Feeds one sample to the series `metric` of service `svc` (as the pipeline does). */
function feed(r: SeriesRegistry, metric: string, t: number, v: number, labels: Record<string, string> = {}) {
  const s = r.resolve('application', 'svc', '/x', metric, labels, t);
  s.detector.update({ t, v });
  s.lastSeen = t;
  s.lastValue = v;
  r.touch(s);
  return s;
}

describe('SeriesRegistry sliced checkpoints', () => {
  it('hands out each changed series once, as it was when the checkpoint began', () => {
    const r = registry();
    for (let i = 0; i < 5; i++) {
      feed(r, 'a', i * 1000, 10 + i);
      feed(r, 'b', i * 1000, 20 + i, { zone: 'z1' });
      feed(r, 'c', i * 1000, 30 + i);
    }
    const expected = r.drainCheckpoint(); // the full state, taken at once
    for (const id of expected.keys()) r.touch(r.get(id)!);
    expect(r.beginCheckpoint()).toBe(3);
    expect(r.checkpointRunning).toBe(true);
    const first = r.checkpointSlice(1);
    // Changes after the begin: copied before they apply, and saved by the next checkpoint.
    feed(r, 'a', 9_000, 99);
    feed(r, 'b', 9_000, 99, { zone: 'z1' });
    feed(r, 'c', 9_000, 99);
    const rest = [...r.checkpointSlice(10), ...r.checkpointSlice(10)];
    const entries = new Map([...first, ...rest]);
    expect(entries.size).toBe(3);
    expect(JSON.parse(JSON.stringify(Object.fromEntries(entries)))).toEqual(
      JSON.parse(JSON.stringify(Object.fromEntries(expected))),
    );
    r.endCheckpoint(true);
    expect(r.checkpointRunning).toBe(false);
    expect(r.drainCheckpoint().size).toBe(3);
  });

  it('marks every series of an abandoned checkpoint unsaved again', () => {
    const r = registry();
    feed(r, 'a', 0, 1);
    feed(r, 'b', 0, 1);
    r.beginCheckpoint();
    expect(r.checkpointSlice(1)).toHaveLength(1);
    r.endCheckpoint(false);
    expect([...r.drainCheckpoint().keys()].sort()).toEqual([...r.drainChanged().map((s) => s.id)].sort());
  });
});
