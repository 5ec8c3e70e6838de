/** Pure parsers of the Linux /proc files the host agent reads: text in, numbers out, no I/O. */
export {
  type DiskCounters,
  type DiskTotals,
  isWholeDisk,
  parseDiskstats,
  SECTOR_BYTES,
  sumWholeDisks,
} from './diskstats.js';
export { ProcParseError } from './errors.js';
export { type LoadAverage, parseLoadavg } from './loadavg.js';
export { type MemoryInfo, parseMeminfo } from './meminfo.js';
export { type NetTotals, parseNetDev, sumNonLoopback } from './net-dev.js';
export { type CpuTimes, type CpuUsage, cpuUsage, parseProcStat } from './stat.js';
