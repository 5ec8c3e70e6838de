/**
 * The machine the bench runs on: CPU count and model, load averages, memory; and the CPU use of
 * a process (from `/proc/<pid>/stat`), used to wait until a server has drained its backlog.
 */
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** A snapshot of the machine. */
export interface MachineLoad {
  /** Wall time, Unix ms. */
  readonly at: number;
  /** 1, 5 and 15 min load averages. */
  readonly loadavg: readonly [number, number, number];
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemBytes: number;
  readonly freeMemBytes: number;
}

/** Takes a snapshot of the machine's load. */
export function machineLoad(): MachineLoad {
  const [l1 = 0, l5 = 0, l15 = 0] = loadavg();
  const list = cpus();
  return {
    at: Date.now(),
    loadavg: [l1, l5, l15],
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    totalMemBytes: totalmem(),
    freeMemBytes: freemem(),
  };
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by process `pid`, or null when unreadable (not Linux, exited). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_S : null;
  } catch {
    return null;
  }
}

/**
 * Waits until process `pid` uses less than `idleShare` of one core over a 200 ms window
 * (it has finished the work queued by a load run), or `maxMs` passes.
 * @returns ms waited (≥ one window), or `maxMs` when it never became idle
 */
export async function waitIdle(pid: number, maxMs = 15_000, idleShare = 0.05): Promise<number> {
  const started = performance.now();
  const windowMs = 200;
  let before = processCpuSeconds(pid);
  if (before === null) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, windowMs));
    const after = processCpuSeconds(pid);
    const waited = performance.now() - started;
    if (after === null) return waited;
    if ((after - before) / (windowMs / 1000) < idleShare) return waited - windowMs;
    if (waited >= maxMs) return maxMs;
    before = after;
  }
}
