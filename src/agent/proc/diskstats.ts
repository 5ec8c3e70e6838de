import { field, ProcParseError } from './errors.js';

/** Cumulative I/O counters of one block device (see the kernel's `Documentation/admin-guide/iostats.rst`). */
export interface DiskCounters {
  readonly name: string;
  readonly readsCompleted: number;
  /** Sectors of 512 bytes, whatever the device's real sector size. */
  readonly sectorsRead: number;
  readonly writesCompleted: number;
  readonly sectorsWritten: number;
}

/** Summed counters over the whole disks, with bytes already converted (sector = 512 bytes). */
export interface DiskTotals {
  readonly reads: number;
  readonly writes: number;
  readonly readBytes: number;
  readonly writeBytes: number;
}

const FILE = '/proc/diskstats';
/** Bytes per diskstats sector: fixed at 512 by the kernel ABI. */
export const SECTOR_BYTES = 512;

/**
 * Parses /proc/diskstats: `major minor name reads merged sectors ms writes merged sectors ms …`.
 * @throws {ProcParseError} when a line has fewer than 11 fields.
 */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    const name = f[2] ?? '';
    if (f.length < 11)
      throw new ProcParseError(FILE, `device ${name}: expected ≥ 11 fields, got ${f.length}`);
    out.push({
      name,
      readsCompleted: field(FILE, f, 3, `${name} reads`),
      sectorsRead: field(FILE, f, 5, `${name} sectors read`),
      writesCompleted: field(FILE, f, 7, `${name} writes`),
      sectorsWritten: field(FILE, f, 9, `${name} sectors written`),
    });
  }
  return out;
}

/** Virtual devices that are never physical disks, or that would count the same I/O twice. */
const VIRTUAL = /^(loop|ram|zram|dm-|md|sr|fd|nbd)\d+$/;
/** Partition names: sda1, vda2, xvdb3, hda1, nvme0n1p1, mmcblk0p2. */
const PARTITION = /^((s|v|xv|h)d[a-z]+\d+|(nvme\d+n\d+|mmcblk\d+)p\d+)$/;

/**
 * Whether a device is a whole physical disk.
 * @param wholeDisks names listed in /sys/block when readable (partitions never appear there);
 *   without it, partitions are recognised by name.
 * @example isWholeDisk('vda') // true; isWholeDisk('vda1') // false; isWholeDisk('loop0') // false
 */
export function isWholeDisk(name: string, wholeDisks?: ReadonlySet<string>): boolean {
  if (VIRTUAL.test(name)) return false;
  return wholeDisks === undefined ? !PARTITION.test(name) : wholeDisks.has(name);
}

/** Sums the counters of the whole disks among `devices` and converts sectors to bytes. */
export function sumWholeDisks(
  devices: readonly DiskCounters[],
  wholeDisks?: ReadonlySet<string>,
): DiskTotals {
  let reads = 0;
  let writes = 0;
  let sectorsRead = 0;
  let sectorsWritten = 0;
  for (const d of devices) {
    if (!isWholeDisk(d.name, wholeDisks)) continue;
    reads += d.readsCompleted;
    writes += d.writesCompleted;
    sectorsRead += d.sectorsRead;
    sectorsWritten += d.sectorsWritten;
  }
  return { reads, writes, readBytes: sectorsRead * SECTOR_BYTES, writeBytes: sectorsWritten * SECTOR_BYTES };
}
