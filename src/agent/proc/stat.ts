import { field, ProcParseError } from './errors.js';

/** Cumulative CPU time of the whole machine (the `cpu` line of /proc/stat), in clock ticks (USER_HZ). */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softirq: number;
  /** Time stolen by the hypervisor; 0 on kernels that do not report it. */
  readonly steal: number;
}

/** CPU shares over an interval, in percent of all CPU time of all cores (0..100). */
export interface CpuUsage {
  /** Non-idle share: everything except `idle` and `iowait`. */
  readonly usagePct: number;
  /** Share spent idle while I/O was outstanding. */
  readonly iowaitPct: number;
}

const FILE = '/proc/stat';

/**
 * Reads the aggregate `cpu` line of /proc/stat.
 * `guest`/`guest_nice` are not added: the kernel already counts them inside `user`/`nice`.
 * @param text the whole file
 * @throws {ProcParseError} when there is no `cpu` line or it has fewer than 4 numbers.
 * @example parseProcStat('cpu  10 0 5 80 5 0 0 0 0 0\n').idle // 80
 */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (line === undefined) throw new ProcParseError(FILE, 'no aggregate "cpu" line');
  const f = line.trim().split(/\s+/).slice(1);
  const opt = (i: number, what: string): number => (f[i] === undefined ? 0 : field(FILE, f, i, what));
  return {
    user: field(FILE, f, 0, 'user'),
    nice: field(FILE, f, 1, 'nice'),
    system: field(FILE, f, 2, 'system'),
    idle: field(FILE, f, 3, 'idle'),
    iowait: opt(4, 'iowait'),
    irq: opt(5, 'irq'),
    softirq: opt(6, 'softirq'),
    steal: opt(7, 'steal'),
  };
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/**
 * CPU usage between two snapshots of {@link parseProcStat}.
 * Each field's delta is taken with saturating subtraction (a field that went backwards counts 0): the kernel
 * documents that `iowait` can decrease (`Documentation/filesystems/proc.rst`), as htop and procps also allow for.
 * Δtotal is the sum of those deltas; usage = (Δtotal − Δidle − Δiowait) / Δtotal; iowait = Δiowait / Δtotal.
 * @returns the shares in percent, or `null` when no field advanced (no tick elapsed, or a counter reset)
 * @example cpuUsage(a, b) // { usagePct: 25, iowaitPct: 5 } for Δtotal 100, Δidle 70, Δiowait 5
 */
export function cpuUsage(prev: CpuTimes, next: CpuTimes): CpuUsage | null {
  let dTotal = 0;
  const d = {} as Record<(typeof FIELDS)[number], number>;
  for (const f of FIELDS) {
    d[f] = Math.max(0, next[f] - prev[f]);
    dTotal += d[f];
  }
  if (dTotal <= 0) return null;
  return {
    usagePct: (100 * (dTotal - d.idle - d.iowait)) / dTotal,
    iowaitPct: (100 * d.iowait) / dTotal,
  };
}
