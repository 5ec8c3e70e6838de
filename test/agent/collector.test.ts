import { afterEach, describe, expect, it } from 'vitest';
import { HostCollector } from '../../src/agent/index.js';
import { netDev, procTexts } from './fixtures.js';
import { type FakeProc, fakeProc } from './proc-dir.js';

/** What one read step of `procTexts` means per second when reads are 2 s apart. */
const EXPECTED_2S = {
  cpu_usage_pct: 50,
  cpu_iowait_pct: 10,
  mem_used_pct: 75,
  mem_available_bytes: 4_096_000_000,
  load_1: 0.09,
  load_5: 0.37,
  load_15: 0.27,
  net_rx_bytes_per_s: 5_000,
  net_tx_bytes_per_s: 1_000,
  disk_read_bytes_per_s: 2_048,
  disk_write_bytes_per_s: 4_096,
  disk_read_iops: 2,
  disk_write_iops: 3,
};

describe('HostCollector', () => {
  let proc: FakeProc | undefined;
  afterEach(() => proc?.remove());

  it('primes on the first read, then gives gauges and rates from the deltas', async () => {
    proc = fakeProc(2000);
    const c = new HostCollector(proc);
    expect(await c.collect()).toEqual({ metrics: null, warnings: [] });
    const second = await c.collect();
    expect(second.warnings).toEqual([]);
    expect(second.metrics).toEqual(EXPECTED_2S);
    expect((await c.collect()).metrics).toEqual(EXPECTED_2S);
  });

  it('reads the real /proc of this machine', async () => {
    const c = new HostCollector();
    await c.collect();
    await new Promise((r) => setTimeout(r, 150)); // several USER_HZ ticks (10 ms each)
    const { metrics, warnings } = await c.collect();
    expect(warnings).toEqual([]);
    expect(metrics?.cpu_usage_pct).toBeGreaterThanOrEqual(0);
    expect(metrics?.cpu_usage_pct).toBeLessThanOrEqual(100);
    expect(metrics?.mem_available_bytes).toBeGreaterThan(0);
    expect(metrics?.net_rx_bytes_per_s).toBeGreaterThanOrEqual(0);
    expect(metrics?.disk_write_iops).toBeGreaterThanOrEqual(0);
  });

  it('leaves out what it cannot read and says why, keeping the rest', async () => {
    proc = fakeProc(1000, (k) => {
      const { diskstats: _gone, ...rest } = procTexts(k);
      return rest;
    });
    const c = new HostCollector({ procRoot: proc.procRoot, clock: proc.clock });
    const first = await c.collect();
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatch(/cannot read diskstats/);
    const { metrics } = await c.collect();
    expect(metrics).toMatchObject({ cpu_usage_pct: 50, net_rx_bytes_per_s: 10_000 });
    expect(metrics).not.toHaveProperty('disk_read_iops');
  });

  it('leaves out rates whose counters went backwards (interface reset) instead of reporting negatives', async () => {
    proc = fakeProc(1000, (k) => {
      const t = procTexts(k);
      // eth0's counters restart from 0 at the second read.
      return k >= 1 ? { ...t, 'net/dev': netDev(0, 0) } : t;
    });
    const c = new HostCollector(proc);
    await c.collect();
    const { metrics, warnings } = await c.collect();
    expect(warnings).toEqual([
      'network counters went backwards (interface reset or removed); rates left out',
    ]);
    expect(metrics).not.toHaveProperty('net_rx_bytes_per_s');
    expect(metrics).toMatchObject({ cpu_usage_pct: 50, disk_write_iops: 6 });
  });
});
