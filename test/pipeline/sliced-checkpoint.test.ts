/**
 * Regression: a sliced checkpoint written while later records are applied, then a crash, ends
 * after restart in the state of an uninterrupted run. The checkpoint's pipeline state (here the
 * open rate windows) must be the state at its `throughSeq`, not the state when its last slice is
 * written: otherwise the replay counts the records in between a second time and loses the
 * windows they closed (seen as 40 missing `request_rate` samples and spurious anomalies).
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Config, loadConfig } from '../../src/config/index.js';
import { defaultDetectorFactory } from '../../src/engine/index.js';
import type { IngestItem } from '../../src/ingest/items.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { type EmbeddedStorage, openEmbeddedStorage } from '../../src/store/index.js';
import { tempDir } from '../store/temp-dir.js';

const T0 = Date.UTC(2026, 1, 1);
const MINUTE = 60_000;
const CHECKPOINT_MS = 1000;

/** Requests of one minute of `service`: three per minute, one of them a 503 every 7th minute. */
function minute(service: string, m: number): IngestItem[] {
  return [0, 20_000, 40_000].map((offset, i) => ({
    k: 'request',
    service,
    endpoint: 'GET:/',
    t: T0 + m * MINUTE + offset,
    status: i === 0 && m % 7 === 0 ? 503 : 200,
    latencyMs: 100 + ((m * 37 + i * 11) % 23),
  }));
}

/** One request body per `perRecord` minutes, for two services. */
function records(minutes: number, perRecord: number): IngestItem[][] {
  const out: IngestItem[][] = [];
  for (let m = 0; m < minutes; m += perRecord) {
    const items: IngestItem[] = [];
    for (let k = m; k < Math.min(minutes, m + perRecord); k++)
      items.push(...minute('a', k), ...minute('b', k));
    out.push(items);
  }
  return out;
}

describe('sliced checkpoint and crash', () => {
  let dirs: Array<ReturnType<typeof tempDir>> = [];
  const open: EmbeddedStorage[] = [];

  function configFor(dir: string): Config {
    return loadConfig({
      env: {},
      overrides: {
        'storage.dataDir': dir,
        'storage.checkpointIntervalMs': CHECKPOINT_MS,
        'log.level': 'silent',
        'agent.enabled': false,
      },
    });
  }

  function start(dir: string): { runtime: Runtime; storage: EmbeddedStorage } {
    const storage = openEmbeddedStorage(dir, { sqlite: { backgroundCheckpointMs: 0 } });
    open.push(storage);
    const runtime = new Runtime(configFor(dir), storage, defaultDetectorFactory, pino({ level: 'silent' }));
    runtime.start();
    return { runtime, storage };
  }

  /** Per series: samples learned, last value; and the anomalies (id, series, time). */
  function state(runtime: Runtime) {
    runtime.flush();
    const series = [...runtime.pipeline.series.values()]
      .map((s) => [`${s.service} ${s.metric}`, s.detector.samples, s.lastValue] as const)
      .sort();
    const anomalies = runtime.storage.store
      .anomalies({ limit: 10_000 })
      .items.map((a) => [a.id, a.seriesId, a.t] as const)
      .sort();
    return { series, anomalies };
  }

  const ANSWER = { accepted: 1, rejected: 0, points: 1 };

  beforeEach(() => {
    // The runtime's timers fire only when the test advances them; setImmediate (the checkpoint
    // slices) stays real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    dirs = [tempDir('sliced-ref'), tempDir('sliced-crash')];
  });

  afterEach(async () => {
    for (const storage of open.splice(0)) await storage.close();
    vi.useRealTimers();
    for (const d of dirs) d.remove();
  });

  it('replays to the same state as an uninterrupted run', async () => {
    const all = records(120, 5);
    const [refDir, crashDir] = dirs as [ReturnType<typeof tempDir>, ReturnType<typeof tempDir>];

    const ref = start(refDir.dir);
    for (const [i, items] of all.entries()) ref.runtime.ingest(items, ANSWER, undefined, T0 + i);
    const expected = state(ref.runtime);
    expect(expected.series.length).toBe(4); // request_rate and error_rate of a and b

    const first = start(crashDir.dir);
    const half = all.length / 2;
    for (const [i, items] of all.slice(0, half).entries())
      first.runtime.ingest(items, ANSWER, undefined, T0 + i);
    // The checkpoint timer fires: the checkpoint begins at the last applied record, its slices
    // are written on the next turns of the event loop...
    vi.advanceTimersByTime(CHECKPOINT_MS);
    // ...after two more records were applied (they count in the open windows and close some).
    for (let i = half; i < half + 2; i++) first.runtime.ingest(all[i]!, ANSWER, undefined, T0 + i);
    for (let turn = 0; turn < 50; turn++) await new Promise((res) => setImmediate(res));
    // Crash: the files are closed, nothing more is written.
    open.splice(open.indexOf(first.storage), 1);
    await first.storage.close();

    const second = start(crashDir.dir); // restores the checkpoint, replays the two records
    for (let i = half + 2; i < all.length; i++) second.runtime.ingest(all[i]!, ANSWER, undefined, T0 + i);
    expect(state(second.runtime)).toEqual(expected);
  });
});
