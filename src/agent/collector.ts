import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostMetrics } from './metrics.js';
import {
  type CpuTimes,
  cpuUsage,
  type DiskTotals,
  type NetTotals,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  sumNonLoopback,
  sumWholeDisks,
} from './proc/index.js';

/** Where the collector reads and how it measures elapsed time. */
export interface CollectorOptions {
  /** Root of the proc filesystem. Default `/proc`; tests point it at a folder of fixture files. */
  readonly procRoot?: string;
  /** Folder listing whole block devices. Default `/sys/block`; when unreadable, partitions are recognised by name. */
  readonly sysBlockDir?: string;
  /** Monotonic clock in ms used for rate denominators. Default `performance.now`. */
  readonly clock?: () => number;
}

/** Result of one collection: the sample (null on the priming call) and any problems met. */
export interface Collection {
  readonly metrics: HostMetrics | null;
  /** One sentence per source that failed or per counter that went backwards; the rest of the sample stands. */
  readonly warnings: string[];
}

interface Counters {
  readonly at: number;
  readonly cpu: CpuTimes | undefined;
  readonly net: NetTotals | undefined;
  readonly disk: DiskTotals | undefined;
}

/**
 * Reads /proc and turns two consecutive reads into one sample of gauges and per-second rates.
 * The first call only primes the counters and returns `metrics: null`.
 * Never throws: a source that cannot be read or parsed is reported in `warnings` and its metrics are left out.
 */
export class HostCollector {
  readonly #procRoot: string;
  readonly #sysBlockDir: string;
  readonly #clock: () => number;
  #prev: Counters | undefined;

  constructor(options: CollectorOptions = {}) {
    this.#procRoot = options.procRoot ?? '/proc';
    this.#sysBlockDir = options.sysBlockDir ?? '/sys/block';
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** Reads the sources once; see the class comment. */
  async collect(): Promise<Collection> {
    const warnings: string[] = [];
    const read = async <T>(file: string, parse: (text: string) => T): Promise<T | undefined> => {
      try {
        return parse(await readFile(join(this.#procRoot, file), 'utf8'));
      } catch (err) {
        warnings.push(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    };
    const wholeDisks = await this.#wholeDisks();
    const at = this.#clock();
    const [cpu, net, disk, mem, load] = await Promise.all([
      read('stat', parseProcStat),
      read('net/dev', (t) => sumNonLoopback(parseNetDev(t))),
      read('diskstats', (t) => sumWholeDisks(parseDiskstats(t), wholeDisks)),
      read('meminfo', parseMeminfo),
      read('loadavg', parseLoadavg),
    ]);
    const next: Counters = { at, cpu, net, disk };
    const prev = this.#prev;
    this.#prev = next;
    if (prev === undefined) return { metrics: null, warnings };

    const m: HostMetrics = {};
    if (mem) {
      m.mem_used_pct = mem.usedPct;
      m.mem_available_bytes = mem.availableBytes;
    }
    if (load) {
      m.load_1 = load.load1;
      m.load_5 = load.load5;
      m.load_15 = load.load15;
    }
    const dtS = (next.at - prev.at) / 1000;
    if (dtS <= 0) {
      warnings.push('no time elapsed between two reads; rates left out');
      return { metrics: m, warnings };
    }
    if (prev.cpu && next.cpu) {
      const usage = cpuUsage(prev.cpu, next.cpu);
      if (usage) {
        m.cpu_usage_pct = usage.usagePct;
        m.cpu_iowait_pct = usage.iowaitPct;
      } else warnings.push('/proc/stat counters did not advance or went backwards; CPU usage left out');
    }
    const rate = (a: number, b: number): number => (b - a) / dtS;
    if (prev.net && next.net) {
      if (next.net.rxBytes >= prev.net.rxBytes && next.net.txBytes >= prev.net.txBytes) {
        m.net_rx_bytes_per_s = rate(prev.net.rxBytes, next.net.rxBytes);
        m.net_tx_bytes_per_s = rate(prev.net.txBytes, next.net.txBytes);
      } else warnings.push('network counters went backwards (interface reset or removed); rates left out');
    }
    if (prev.disk && next.disk) {
      const p = prev.disk;
      const n = next.disk;
      if (
        n.reads >= p.reads &&
        n.writes >= p.writes &&
        n.readBytes >= p.readBytes &&
        n.writeBytes >= p.writeBytes
      ) {
        m.disk_read_bytes_per_s = rate(p.readBytes, n.readBytes);
        m.disk_write_bytes_per_s = rate(p.writeBytes, n.writeBytes);
        m.disk_read_iops = rate(p.reads, n.reads);
        m.disk_write_iops = rate(p.writes, n.writes);
      } else warnings.push('disk counters went backwards (device reset or removed); rates left out');
    }
    return { metrics: m, warnings };
  }

  async #wholeDisks(): Promise<ReadonlySet<string> | undefined> {
    try {
      return new Set(await readdir(this.#sysBlockDir));
    } catch {
      // Documented fallback, not a swallowed error: without /sys/block, partitions are recognised by name.
      return undefined;
    }
  }
}
