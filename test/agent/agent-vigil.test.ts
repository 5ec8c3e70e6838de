/** The host agent against a real Vigil server (in process, real socket, temporary data directory). */
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, HOST_METRICS, startAgent } from '../../src/agent/index.js';
import type { RunningVigil } from '../../src/server.js';
import { get, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';
import { captureLogger, type FakeProc, fakeProc } from './proc-dir.js';

interface Series {
  id: string;
  service: string;
  endpoint: string;
  metric: string;
  kind: string;
  lastValue: number;
  samples: number;
}

describe('startAgent with a real Vigil server', () => {
  let vigil: RunningVigil | undefined;
  let agent: AgentHandle | undefined;
  let proc: FakeProc | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await agent?.stop();
    await vigil?.close();
    proc?.remove();
    cleanup?.();
  });

  it('creates one host series per metric, holding the rates computed from /proc deltas', async () => {
    const tmp = tempDir('vigil-agent-');
    cleanup = tmp.cleanup;
    vigil = await startTestVigil(tmp.dir);
    proc = fakeProc(1000);
    const log = captureLogger();
    agent = startAgent({ url: vigil.url, intervalMs: 20, host: 'agent-test-host', logger: log, ...proc });
    const names = Object.keys(HOST_METRICS).sort();
    const found = await waitFor(async () => {
      const r = await get(`${vigil!.url}/api/series?service=agent-test-host&limit=100`);
      const items = (r.body as { items: Series[] }).items;
      return items.length === names.length && items.every((s) => s.samples >= 3) ? items : undefined;
    }, 10_000);
    const series = found ?? [];
    expect(series.map((s) => s.metric).sort()).toEqual(names);
    expect(series.every((s) => s.endpoint === 'host' && s.kind === 'host')).toBe(true);
    const value = (m: string): number | undefined => series.find((s) => s.metric === m)?.lastValue;
    expect(value('net_rx_bytes_per_s')).toBe(10_000);
    expect(value('disk_write_bytes_per_s')).toBe(8192);
    expect(value('cpu_usage_pct')).toBe(50);
    expect(value('mem_available_bytes')).toBe(4_096_000_000);
    await agent.stop();
    expect(agent.stats()).toMatchObject({ dropped: 0, pending: 0, failedRequests: 0 });
    expect(log.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });
});
