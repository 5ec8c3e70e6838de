/** Running a detector over a parsed NAB corpus: one score per row, and the timing of that loop. */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import type { DetectorFactory } from '../../engine/index.js';
import type { NabSeries } from './corpus.js';

/**
 * Runs a fresh detector of `factory` over each series in row order (repeated or backward
 * timestamps included: every row gets exactly one score).
 * @returns one Float64Array of scores per series, aligned with its rows
 */
export function detectCorpus(series: readonly NabSeries[], factory: DetectorFactory): Float64Array[] {
  return series.map((s) => {
    const d = factory.create();
    const out = new Float64Array(s.v.length);
    for (let i = 0; i < s.v.length; i++) out[i] = d.update({ t: s.t[i] ?? 0, v: s.v[i] ?? 0 }).score;
    return out;
  });
}

/** Engine cost over the corpus. */
export interface NabCost {
  /** Median over passes of CPU time (user + system) per point, microseconds. */
  readonly usPerPoint: number;
  /** Median over passes of wall time per point, microseconds (inflated when the machine is busy). */
  readonly wallUsPerPoint: number;
  readonly passes: number;
  readonly points: number;
  /** Every pass, CPU µs per point, in run order. */
  readonly samples: readonly number[];
  /** 1-minute load average when the timing ended, and the number of CPUs. */
  readonly load: number;
  readonly cpus: number;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Times `passes` full passes of the detector over the corpus (fresh detectors each pass;
 * parsing and I/O excluded) and reports the median µs per point, as CPU time of this
 * process (robust to other load on the machine) and as wall time, with the load average. The scores of every pass
 * are summed into a checksum so the work cannot be optimised away.
 */
export function timeCorpus(series: readonly NabSeries[], factory: DetectorFactory, passes = 5): NabCost {
  const points = series.reduce((a, s) => a + s.v.length, 0);
  const samples: number[] = [];
  const wall: number[] = [];
  let checksum = 0;
  for (let p = 0; p < passes; p++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (const s of series) {
      const d = factory.create();
      for (let i = 0; i < s.v.length; i++) checksum += d.update({ t: s.t[i] ?? 0, v: s.v[i] ?? 0 }).score;
    }
    const used = process.cpuUsage(cpu);
    wall.push(((performance.now() - start) * 1000) / points);
    samples.push((used.user + used.system) / points);
  }
  if (!Number.isFinite(checksum)) throw new Error('detector produced a non-finite score');
  return {
    usPerPoint: median(samples),
    wallUsPerPoint: median(wall),
    passes,
    points,
    samples,
    load: loadavg()[0] ?? 0,
    cpus: availableParallelism(),
  };
}
