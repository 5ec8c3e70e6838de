import { describe, expect, it } from 'vitest';
import {
  cpuUsage,
  isWholeDisk,
  ProcParseError,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  sumNonLoopback,
  sumWholeDisks,
} from '../../src/agent/index.js';
import { diskstats, LOADAVG, MEMINFO, MEMINFO_OLD, netDev, STAT_A, STAT_B } from './fixtures.js';

describe('/proc/stat', () => {
  it('reads the aggregate cpu line, not the per-core ones', () => {
    expect(parseProcStat(STAT_A)).toEqual({
      user: 1000,
      nice: 50,
      system: 300,
      idle: 8000,
      iowait: 200,
      irq: 20,
      softirq: 30,
      steal: 0,
    });
  });

  it('computes usage and iowait from the deltas of two reads', () => {
    const u = cpuUsage(parseProcStat(STAT_A), parseProcStat(STAT_B));
    expect(u).not.toBeNull();
    expect(u?.usagePct).toBeCloseTo(50, 10);
    expect(u?.iowaitPct).toBeCloseTo(10, 10);
  });

  it('counts a field that went backwards (iowait may, per the kernel docs) as 0, not negative', () => {
    const a = parseProcStat('cpu  100 0 100 1000 500 0 0 0\n');
    const b = parseProcStat('cpu  150 0 150 1100 490 0 0 0\n');
    // Δ = user 50, system 50, idle 100, iowait 0 (saturated) → total 200, usage 50 %, iowait 0 %.
    expect(cpuUsage(a, b)).toEqual({ usagePct: 50, iowaitPct: 0 });
  });

  it('gives no usage when no tick elapsed or counters went backwards', () => {
    const a = parseProcStat(STAT_A);
    expect(cpuUsage(a, a)).toBeNull();
    expect(cpuUsage(parseProcStat(STAT_B), a)).toBeNull();
  });

  it('accepts an old kernel line with only four fields', () => {
    expect(parseProcStat('cpu 1 2 3 4\n')).toMatchObject({ idle: 4, iowait: 0, steal: 0 });
  });

  it('throws ProcParseError without a cpu line or with a non-numeric field', () => {
    expect(() => parseProcStat('intr 1 2\n')).toThrow(ProcParseError);
    expect(() => parseProcStat('cpu 1 x 3 4\n')).toThrow(/nice/);
  });
});

describe('/proc/meminfo', () => {
  it('uses MemAvailable and converts kB to bytes', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({
      totalBytes: 16_384_000_000,
      availableBytes: 4_096_000_000,
      usedPct: 75,
    });
  });

  it('falls back to MemFree + Buffers + Cached on kernels without MemAvailable', () => {
    expect(parseMeminfo(MEMINFO_OLD)).toEqual({
      totalBytes: 8_192_000,
      availableBytes: 4_096_000,
      usedPct: 50,
    });
  });

  it('throws without MemTotal', () => {
    expect(() => parseMeminfo('MemFree: 10 kB\n')).toThrow(ProcParseError);
  });
});

describe('/proc/loadavg', () => {
  it('reads the three averages', () => {
    expect(parseLoadavg(LOADAVG)).toEqual({ load1: 0.09, load5: 0.37, load15: 0.27 });
  });

  it('throws on garbage', () => {
    expect(() => parseLoadavg('busy\n')).toThrow(ProcParseError);
  });
});

describe('/proc/net/dev', () => {
  it('reads rx and tx bytes per interface, skipping the header lines', () => {
    const ifaces = parseNetDev(netDev(1_000_000, 20_000));
    expect([...ifaces.keys()]).toEqual(['lo', 'eth0', 'wlan0']);
    expect(ifaces.get('eth0')).toEqual({ rxBytes: 1_000_000, txBytes: 20_000 });
  });

  it('sums every interface but lo', () => {
    expect(sumNonLoopback(parseNetDev(netDev(1_000_000, 20_000)))).toEqual({
      rxBytes: 1_500_000,
      txBytes: 25_000,
    });
  });

  it('throws on a truncated interface line', () => {
    expect(() => parseNetDev('  eth0: 1 2 3\n')).toThrow(/eth0/);
  });
});

describe('/proc/diskstats', () => {
  it('reads completed I/Os and sectors', () => {
    const devices = parseDiskstats(diskstats(100, 2000, 50, 4000));
    expect(devices.map((d) => d.name)).toEqual(['loop0', 'sda', 'sda1', 'nvme0n1', 'nvme0n1p1']);
    expect(devices[1]).toEqual({
      name: 'sda',
      readsCompleted: 100,
      sectorsRead: 2000,
      writesCompleted: 50,
      sectorsWritten: 4000,
    });
  });

  it('tells whole disks from partitions and virtual devices by name', () => {
    const whole = ['sda', 'vda', 'xvdb', 'nvme0n1', 'mmcblk0'];
    const not = [
      'sda1',
      'vda2',
      'xvdb3',
      'nvme0n1p1',
      'mmcblk0p2',
      'loop0',
      'ram1',
      'zram0',
      'dm-0',
      'md127',
      'sr0',
    ];
    expect(whole.filter((n) => isWholeDisk(n))).toEqual(whole);
    expect(not.filter((n) => isWholeDisk(n))).toEqual([]);
  });

  it('prefers the /sys/block list when given', () => {
    expect(isWholeDisk('weird0', new Set(['weird0']))).toBe(true);
    expect(isWholeDisk('sda', new Set(['vda']))).toBe(false);
    expect(isWholeDisk('loop0', new Set(['loop0']))).toBe(false);
  });

  it('sums whole disks only, 512 bytes per sector', () => {
    expect(sumWholeDisks(parseDiskstats(diskstats(100, 2000, 50, 4000)))).toEqual({
      reads: 110,
      writes: 55,
      readBytes: 2008 * 512,
      writeBytes: 4016 * 512,
    });
  });

  it('throws on a short line', () => {
    expect(() => parseDiskstats('8 0 sda 1 2\n')).toThrow(/sda/);
  });
});
