/**
 * Scenarios 4–6, measured inside a child `node --expose-gc` process ({@link ../inproc/child.ts}):
 * - detector: ns per point of `defaultDetectorFactory` detectors at 10k and 1M series, against a
 *   loop that only looks the series' state up in a Map (alternating rounds);
 * - memory: heap bytes per series held by the pipeline after `global.gc()`, against a Map of
 *   the same number of ids to empty objects;
 * - storage: anomaly/alert rows per second through `SqliteStore.commit` against raw
 *   better-sqlite3 inserts of the same rows into the same tables and indexes (alternating).
 */
import { benchScript, forkChild } from '../child.js';
import { sizeLabel } from '../options.js';
import { ScenarioBuilder, type ScenarioReport } from '../report.js';
import { summarize } from '../stats.js';
import type { BenchContext } from './context.js';

const child = (heapMb: number) =>
  forkChild(benchScript('inproc/child'), [], ['--expose-gc', `--max-old-space-size=${heapMb}`]);

/** Samples fed to every series before timing (past the detector's 60-sample warm-up). */
const DETECTOR_WARM = 64;

/** Runs the detector-cost scenario. */
export async function detectorScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder('detector', 'detector cost in-process (defaultDetectorFactory)');
  for (const size of o.detectorSeries) {
    const c = child(8192);
    try {
      const label = sizeLabel(size, 'series');
      const setup = await c.request<{ setupMs: number; warmMode: string }>(
        { type: 'detector-setup', series: size.actual, warm: DETECTOR_WARM },
        'ok',
        600_000,
      );
      ctx.log(`detector ${label}: set up in ${Math.round(setup.setupMs)} ms`);
      b.note(`${label}: detectors ${setup.warmMode}`);
      const updates = Math.max(o.detectorUpdates, size.actual);
      // Warm-up pass of both loops (JIT), then alternate.
      await c.request({ type: 'detector-time', updates: size.actual, lookupOnly: false }, 'ok', 600_000);
      await c.request({ type: 'detector-time', updates: size.actual, lookupOnly: true }, 'ok', 600_000);
      const det: number[] = [];
      const look: number[] = [];
      const detCpu: number[] = [];
      const lookCpu: number[] = [];
      for (let round = 0; round < o.rounds; round++) {
        const a = await c.request<{ nsPerPoint: number; cpuNsPerPoint: number }>(
          { type: 'detector-time', updates, lookupOnly: false },
          'ok',
          600_000,
        );
        const l = await c.request<{ nsPerPoint: number; cpuNsPerPoint: number }>(
          { type: 'detector-time', updates, lookupOnly: true },
          'ok',
          600_000,
        );
        det.push(a.nsPerPoint);
        look.push(l.nsPerPoint);
        detCpu.push(a.cpuNsPerPoint);
        lookCpu.push(l.cpuNsPerPoint);
      }
      b.row(`detector update, ${label} (wall)`, 'ns/point', det);
      b.row(`detector update, ${label} (process CPU)`, 'ns/point', detCpu);
      b.row(`Map lookup only, ${label} (wall)`, 'ns/point', look);
      b.row(`Map lookup only, ${label} (process CPU)`, 'ns/point', lookCpu);
      b.ratio(`detector/lookup (${label}, wall)`, det, look);
      const limit = size.nominal >= 1_000_000 ? 2000 : 1000;
      b.check(`detector at ${label} (wall)`, summarize(det).median, '<=', limit, 'ns/point');
      b.check(`detector at ${label} (process CPU)`, summarize(detCpu).median, '<=', limit, 'ns/point');
      b.note(
        `${label}: ${updates.toLocaleString('en-US')} updates per round after ${DETECTOR_WARM} warm-up samples per series`,
      );
    } finally {
      await c.stop();
    }
  }
  return b.done();
}

/** Samples per series before measuring memory (past the 10 samples after which the seasonal profile exists). */
const MEMORY_SAMPLES = 12;

/** Runs the memory-per-series scenario (one fresh child per size and round). */
export async function memoryScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder('memory', 'memory per series (heap after gc, detector state included)');
  const rounds = o.memoryRounds;
  for (const size of o.memorySeries) {
    const label = sizeLabel(size, 'series');
    const vigil: number[] = [];
    const floor: number[] = [];
    const alone: number[] = [];
    let rss = 0;
    for (let round = 0; round < rounds; round++) {
      const c = child(12_288);
      try {
        const r = await c.request<{
          vigilBytes: number;
          floorBytes: number;
          detectorBytes: number;
          rssBytes: number;
        }>({ type: 'memory', series: size.actual, samples: MEMORY_SAMPLES }, 'ok', 600_000);
        vigil.push(r.vigilBytes);
        floor.push(r.floorBytes);
        alone.push(r.detectorBytes);
        rss = Math.max(rss, r.rssBytes);
        ctx.log(`memory ${label}: ${Math.round(r.vigilBytes)} B/series`);
      } finally {
        await c.stop();
      }
    }
    b.row(`Vigil pipeline, ${label}`, 'bytes/series', vigil);
    b.row(`  of which the detector alone, ${label}`, 'bytes/series', alone);
    b.row(`floor: Map<id, {}>, ${label}`, 'bytes/series', floor);
    b.ratio(`Vigil/floor (${label})`, vigil, floor);
    if (size.nominal >= 1_000_000)
      b.check(`memory at ${label}`, summarize(vigil).median, '<=', 1024, 'bytes/series');
    b.note(
      `${label}: ${MEMORY_SAMPLES} samples per series (seasonal profile allocated); child peak RSS ${Math.round(rss / 2 ** 20)} MiB`,
    );
  }
  return b.done();
}

/** Runs the storage scenario. */
export async function storageScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder('storage', 'anomaly/alert rows into SQLite (query indexes in place)');
  const c = child(4096);
  try {
    const batchSize = 1000;
    const rows = o.storageRows;
    await c.request({ type: 'storage', rows: Math.min(rows, 5000), batchSize, raw: false }, 'ok', 600_000);
    await c.request({ type: 'storage', rows: Math.min(rows, 5000), batchSize, raw: true }, 'ok', 600_000);
    const store: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < o.rounds; round++) {
      const a = await c.request<{ rowsPerSec: number }>(
        { type: 'storage', rows, batchSize, raw: false },
        'ok',
        600_000,
      );
      const r = await c.request<{ rowsPerSec: number }>(
        { type: 'storage', rows, batchSize, raw: true },
        'ok',
        600_000,
      );
      store.push(a.rowsPerSec);
      raw.push(r.rowsPerSec);
      ctx.log(
        `storage round ${round + 1}: store ${Math.round(a.rowsPerSec)} rows/s, raw ${Math.round(r.rowsPerSec)} rows/s`,
      );
    }
    b.row('SqliteStore.commit', 'rows/s', store);
    b.row('raw better-sqlite3 INSERT, same tables/indexes', 'rows/s', raw);
    const ratio = b.ratio('store/raw', store, raw);
    b.check('storage rows/s', summarize(store).median, '>=', 50_000, 'rows/s');
    b.check('storage vs raw', ratio, '>=', 0.5, '×');
    b.note(
      `${rows.toLocaleString('en-US')} anomaly rows per round (+1 alert and 1 alert event per 20), ${batchSize} anomalies per transaction, WAL, synchronous=NORMAL`,
    );
  } finally {
    await c.stop();
  }
  return b.done();
}
