/**
 * /proc fixture texts in the kernel's layout, with counters chosen so the expected figures can be worked out by hand.
 * `procTexts(k)` is the k-th read of a machine whose counters advance by a fixed amount per read.
 */

/** Two /proc/stat reads: Δtotal = 1000 ticks, Δidle = 400, Δiowait = 100 → usage 50 %, iowait 10 %. */
export const STAT_A = `cpu  1000 50 300 8000 200 20 30 0 0 0
cpu0 500 25 150 4000 100 10 15 0 0 0
cpu1 500 25 150 4000 100 10 15 0 0 0
intr 12345 0 0
ctxt 999
btime 1700000000
`;
export const STAT_B = `cpu  1400 50 400 8400 300 20 30 0 0 0
cpu0 700 25 200 4200 150 10 15 0 0 0
cpu1 700 25 200 4200 150 10 15 0 0 0
intr 12400 0 0
`;

/** MemTotal 16,000,000 kB, MemAvailable 4,000,000 kB → used 75 %, available 4,096,000,000 bytes. */
export const MEMINFO = `MemTotal:       16000000 kB
MemFree:         1000000 kB
MemAvailable:    4000000 kB
Buffers:          100000 kB
Cached:          2000000 kB
SwapCached:            0 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

/** A kernel older than 3.14 (no MemAvailable): 1000 + 500 + 2500 of 8000 kB available → used 50 %. */
export const MEMINFO_OLD = `MemTotal:           8000 kB
MemFree:            1000 kB
Buffers:             500 kB
Cached:             2500 kB
`;

export const LOADAVG = '0.09 0.37 0.27 1/140 8225\n';

/** rx/tx bytes: lo is excluded; eth0 + wlan0 = 1,000,000 + 500,000 rx and 20,000 + 5,000 tx. */
export function netDev(rxEth0: number, txEth0: number): string {
  return `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 9999999     641    0    0    0     0          0         0  9999999     641    0    0    0     0       0          0
  eth0: ${rxEth0}   11158    0    0    0     0          0         0   ${txEth0}    7715    0    0    0     0       0          0
 wlan0:  500000     100    0    0    0     0          0         0    5000      50    0    0    0     0       0          0
`;
}

/**
 * diskstats with a whole disk (sda), its partition (sda1, same I/O again), a loop device and an NVMe disk with
 * its partition. Whole disks: sda + nvme0n1: reads = 100 + 10, sectors read = 2000 + 8, writes = 50 + 5,
 * sectors written = 4000 + 16.
 */
export function diskstats(
  sdaReads: number,
  sdaSectorsRead: number,
  sdaWrites: number,
  sdaSectorsWritten: number,
): string {
  return `   7       0 loop0 999 0 99999 0 0 0 0 0 0 0 0 0 0 0 0 0 0
   8       0 sda ${sdaReads} 7 ${sdaSectorsRead} 24 ${sdaWrites} 20 ${sdaSectorsWritten} 15 0 88 427 0 0 0 0 0 0
   8       1 sda1 ${sdaReads} 7 ${sdaSectorsRead} 24 ${sdaWrites} 20 ${sdaSectorsWritten} 15 0 88 427 0 0 0 0 0 0
 259       0 nvme0n1 10 0 8 1 5 0 16 1 0 2 2
 259       1 nvme0n1p1 10 0 8 1 5 0 16 1 0 2 2
`;
}

/**
 * Every file of /proc the agent reads, at the k-th read (k ≥ 0). Per read: CPU Δtotal 1000 (Δidle 400, Δiowait 100),
 * eth0 rx +10,000 and tx +2,000 bytes, sda +4 reads / +8 sectors read (4096 bytes), +6 writes / +16 sectors written (8192 bytes).
 */
export function procTexts(k: number): Record<string, string> {
  const stat = `cpu  ${1000 + 400 * k} 50 ${300 + 100 * k} ${8000 + 400 * k} ${200 + 100 * k} 20 30 0 0 0\n`;
  return {
    stat,
    meminfo: MEMINFO,
    loadavg: LOADAVG,
    'net/dev': netDev(1_000_000 + 10_000 * k, 20_000 + 2_000 * k),
    diskstats: diskstats(100 + 4 * k, 2000 + 8 * k, 50 + 6 * k, 4000 + 16 * k),
  };
}
