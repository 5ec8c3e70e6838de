import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, runAgentCommand, startAgent } from '../../src/agent/index.js';
import { batchItems, CaptureServer, freePort, waitFor } from './capture-server.js';
import { captureLogger, type FakeProc, fakeProc } from './proc-dir.js';

/** procTexts advanced one step per read, reads 1 s apart on the injected clock. */
const EXPECTED_1S = {
  cpu_usage_pct: 50,
  cpu_iowait_pct: 10,
  mem_used_pct: 75,
  mem_available_bytes: 4_096_000_000,
  load_1: 0.09,
  load_5: 0.37,
  load_15: 0.27,
  net_rx_bytes_per_s: 10_000,
  net_tx_bytes_per_s: 2_000,
  disk_read_bytes_per_s: 4_096,
  disk_write_bytes_per_s: 8_192,
  disk_read_iops: 4,
  disk_write_iops: 6,
};

interface HostItem {
  type: string;
  host: string;
  metrics: Record<string, number>;
  timestamp: number;
}

function items(server: CaptureServer): HostItem[] {
  return server.to('/api/batch').flatMap((r) => batchItems<HostItem>(r));
}

describe('startAgent', () => {
  let proc: FakeProc | undefined;
  let server: CaptureServer | undefined;
  let agent: AgentHandle | undefined;
  afterEach(async () => {
    await agent?.stop();
    await server?.close();
    proc?.remove();
    agent = undefined;
    server = undefined;
  });

  it('posts one host item per tick after the priming read, with rates from the deltas', async () => {
    proc = fakeProc(1000);
    server = new CaptureServer();
    const url = await server.listen();
    const log = captureLogger();
    const before = Date.now();
    agent = startAgent({ url, intervalMs: 20, host: 'test-host', apiKey: 'secret', logger: log, ...proc });
    await waitFor(() => server!.requests.length >= 3, '3 requests');
    await agent.stop();
    const reads = proc.reads();

    const sent = items(server);
    expect(sent).toHaveLength(reads - 1);
    for (const item of sent) {
      expect(item).toEqual({
        type: 'host',
        host: 'test-host',
        metrics: EXPECTED_1S,
        timestamp: expect.any(Number),
      });
      expect(item.timestamp).toBeGreaterThanOrEqual(before);
      expect(item.timestamp).toBeLessThanOrEqual(Date.now());
    }
    const reqs = server.to('/api/batch');
    expect(reqs.every((r) => r.method === 'POST' && r.headers.authorization === 'Bearer secret')).toBe(true);
    expect(reqs.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
    expect(new Set(reqs.map((r) => r.headers['idempotency-key'])).size).toBe(reqs.length);
    expect(agent.stats()).toEqual({ sent: reads - 1, dropped: 0, failedRequests: 0, pending: 0 });
    expect(log.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('survives a down server, buffers, and delivers everything in order once it is back', async () => {
    proc = fakeProc(1000);
    const port = await freePort();
    const log = captureLogger();
    agent = startAgent({
      url: `http://127.0.0.1:${port}`,
      intervalMs: 20,
      logger: log,
      sender: { retryBaseMs: 20, retryMaxMs: 50 },
      ...proc,
    });
    await waitFor(() => proc!.reads() >= 8, '8 reads while the server is down');
    expect(agent.stats().sent).toBe(0);
    expect(agent.stats().pending).toBeGreaterThanOrEqual(6);
    expect(log.lines.some((l) => l.level === 'warn' && /POST .*\/api\/batch failed/.test(l.message))).toBe(
      true,
    );

    server = new CaptureServer();
    await server.listen(port);
    await waitFor(() => agent!.stats().sent >= 8, 'buffered samples delivered');
    await agent.stop();

    const sent = items(server);
    expect(sent).toHaveLength(proc.reads() - 1);
    expect(agent.stats()).toMatchObject({ dropped: 0, pending: 0 });
    const ts = sent.map((i) => i.timestamp);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    // The batch that failed is resent as it was (same key); the backlog follows in one request, not one per sample.
    expect(batchItems(server.to('/api/batch')[0])).toHaveLength(1);
    expect(batchItems(server.to('/api/batch')[1]).length).toBeGreaterThan(4);
    expect(log.lines.some((l) => /reachable again/.test(l.message))).toBe(true);
  });

  it('bounds its buffer while the server stays down and says how much it dropped', async () => {
    proc = fakeProc(1000);
    const log = captureLogger();
    agent = startAgent({
      url: `http://127.0.0.1:${await freePort()}`,
      intervalMs: 15,
      logger: log,
      sender: { maxBuffer: 3, retryBaseMs: 1000 },
      ...proc,
    });
    await waitFor(() => proc!.reads() >= 9, '9 reads');
    await expect(agent.stop()).resolves.toBeUndefined();
    const s = agent.stats();
    expect(s.pending).toBeLessThanOrEqual(3);
    expect(s.dropped).toBe(proc.reads() - 1 - s.pending);
    expect(s.dropped).toBeGreaterThanOrEqual(5);
    const full = log.lines.filter((l) => l.level === 'warn' && /buffer full \(3 items\)/.test(l.message));
    expect(full.length).toBeGreaterThanOrEqual(1);
    // Throttled: warnings on overflows 1, 2, 4, 8, … only.
    expect(full.length).toBeLessThanOrEqual(Math.floor(Math.log2(s.dropped)) + 1);
    expect(log.lines.some((l) => /stopping with \d+ items not delivered/.test(l.message))).toBe(true);
  });

  it('retries a 503 with the same Idempotency-Key, and does not retry a 400', async () => {
    proc = fakeProc(1000);
    let calls = 0;
    server = new CaptureServer(() => {
      calls++;
      if (calls <= 2) return { status: 503, body: { statusCode: 503, code: 'STORE_UNAVAILABLE' } };
      if (calls === 3) return { status: 202, body: { accepted: 1, rejected: 0, errors: [], seq: 1 } };
      return { status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED' } };
    });
    const url = await server.listen();
    const log = captureLogger();
    agent = startAgent({ url, intervalMs: 300, logger: log, sender: { retryBaseMs: 10 }, ...proc });
    await waitFor(() => calls >= 3 && agent!.stats().sent === 1, 'two retries, then success');
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBeDefined();
    expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
    expect(agent.stats()).toMatchObject({ sent: 1, failedRequests: 2 });

    await waitFor(() => calls >= 4 && agent!.stats().dropped === 1, 'the next tick, refused');
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(4); // the 400 is final for that batch
    expect(agent.stats()).toMatchObject({ dropped: 1, pending: 0 });
    expect(log.lines.some((l) => l.level === 'error' && /refused 1 items with 400/.test(l.message))).toBe(
      true,
    );
  });

  it('counts items a 202 answer lists as rejected as dropped, and says why', async () => {
    proc = fakeProc(1000);
    server = new CaptureServer((_req, i) => ({
      status: 202,
      body: {
        accepted: 0,
        rejected: 1,
        errors: [
          { index: 0, issues: [{ path: ['metrics', 0, 'host'], code: 'too_big', message: 'host too long' }] },
        ],
        seq: i + 1,
      },
    }));
    const url = await server.listen();
    const log = captureLogger();
    agent = startAgent({ url, intervalMs: 20, logger: log, ...proc });
    await waitFor(() => server!.requests.length >= 2, '2 requests');
    await agent.stop();
    expect(agent.stats()).toMatchObject({ sent: 0, dropped: server.requests.length, pending: 0 });
    expect(
      log.lines.some((l) => l.level === 'warn' && /rejected 1 items: .*host too long/.test(l.message)),
    ).toBe(true);
  });
});

describe('runAgentCommand', () => {
  it('runs until told to stop, then flushes', async () => {
    const server = new CaptureServer();
    const url = await server.listen();
    const log = captureLogger();
    let stop: () => void = () => {};
    const until = new Promise<void>((r) => {
      stop = r;
    });
    const done = runAgentCommand({ url, interval: 0.02, host: 'cli-host', logger: log, until });
    await waitFor(() => server.requests.length >= 1, 'a sample from the real /proc');
    stop();
    await done;
    await server.close();
    const first = batchItems<HostItem>(server.requests[0])[0];
    expect(first?.host).toBe('cli-host');
    expect(Object.keys(first?.metrics ?? {})).toEqual(
      expect.arrayContaining(['mem_used_pct', 'load_1', 'net_rx_bytes_per_s']),
    );
    expect(log.lines.at(-1)?.message).toMatch(/^sent \d+ samples, dropped 0, 0 undelivered$/);
  });

  it('rejects a non-http URL and a bad interval before starting', async () => {
    await expect(runAgentCommand({ url: 'ftp://x', until: Promise.resolve() })).rejects.toThrow(RangeError);
    await expect(runAgentCommand({ url: 'localhost:8080', until: Promise.resolve() })).rejects.toThrow(
      /--url must be http/,
    );
    await expect(runAgentCommand({ url: 'not a url', until: Promise.resolve() })).rejects.toThrow(
      /--url is not a URL/,
    );
    await expect(runAgentCommand({ url: 'http://x', interval: 0, until: Promise.resolve() })).rejects.toThrow(
      /--interval/,
    );
  });
});
