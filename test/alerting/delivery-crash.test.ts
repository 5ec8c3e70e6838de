/**
 * A `kill -9` during webhook deliveries loses no notification and resends at most once under
 * the same key: a real `vigil start` child process, a real capturing HTTP receiver on loopback
 * whose answers the test controls, SIGKILL, restart on the same data directory.
 *
 * Deliveries are written to the SQLite outbox in the same commit as the alert change (here
 * through a routing tree with a short group wait, so the notification comes from a `tick`
 * record that a restart replays); the sender records every attempt. After a crash, an attempt
 * whose outcome was recorded is not repeated early, and one whose outcome was not recorded is
 * made again, once, with the same `Idempotency-Key` (the delivery id).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CapturedRequest, type Responder, startCaptureReceiver } from '../helpers/capture-receiver.js';
import { get, normalSeries, post, tempDir, waitFor } from '../helpers/vigil.js';
import { kill9, spawnVigil, type VigilProcess } from '../helpers/vigil-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const T0 = Date.UTC(2026, 2, 1);
const STEP = 60_000;
const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
}, 20_000);

interface DeliveryRow {
  id: string;
  receiver: string;
  alertId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number;
}

/** Config: one webhook receiver at the capture server, a routing tree with a 100 ms group wait. */
function writeConfig(dir: string, receiverUrl: string): string {
  const file = join(dir, 'vigil.json');
  writeFileSync(
    file,
    JSON.stringify({
      storage: { flushIntervalMs: 30 },
      alerting: {
        receivers: [{ name: 'hook', type: 'webhook', url: `${receiverUrl}/hook` }],
        routing: {
          receiver: 'hook',
          groupBy: ['service'],
          groupWaitMs: 100,
          groupIntervalMs: 60_000,
          repeatIntervalMs: 3_600_000,
        },
      },
      security: { allowPrivateReceivers: true },
    }),
  );
  return file;
}

/** Sends a normal series then one large spike per service; resolves with the firing alerts. */
async function openAlerts(vigil: VigilProcess, services: readonly string[]): Promise<Array<{ id: string }>> {
  const metric = (service: string, p: { t: number; v: number }) => ({
    type: 'metric',
    service,
    endpoint: 'POST:/pay',
    metrics: { latency_ms: p.v },
    timestamp: p.t,
  });
  const normal = services.flatMap((s) => normalSeries(T0, 300, STEP).map((p) => metric(s, p)));
  expect((await post(`${vigil.url}/api/batch`, { metrics: normal })).status).toBe(202);
  const spikes = services.map((s) => metric(s, { t: T0 + 300 * STEP, v: 5000 }));
  expect((await post(`${vigil.url}/api/batch`, { metrics: spikes })).status).toBe(202);
  const alerts = [];
  for (const service of services) {
    alerts.push(
      await until(
        `a firing alert for ${service}`,
        vigil,
        async () => (await get(`${vigil.url}/api/alerts?service=${service}&status=firing`)).body.items[0],
        10_000,
      ),
    );
  }
  return alerts;
}

async function deliveries(vigil: VigilProcess, query = ''): Promise<DeliveryRow[]> {
  const res = await get(`${vigil.url}/api/deliveries${query}`);
  expect(res.status).toBe(200);
  return res.body.items as DeliveryRow[];
}

const keyOf = (r: CapturedRequest) => r.headers['idempotency-key'];
const bodyOf = (r: CapturedRequest) => JSON.parse(r.body) as { idempotencyKey: string; alerts: any[] };

/** waitFor with the receiver's view and the server's output in the failure message. */
async function until<T>(
  what: string,
  vigil: VigilProcess,
  fn: () => Promise<T> | T,
  timeoutMs: number,
  seen: readonly CapturedRequest[] = [],
): Promise<NonNullable<T>> {
  try {
    return await waitFor(fn, timeoutMs, 25);
  } catch {
    const requests = seen.map((r) => `${keyOf(r)} → ${r.outcome}`).join(', ');
    throw new Error(
      `${what}: not within ${timeoutMs} ms\nreceiver saw: [${requests}]\nserver output:\n${vigil.output()}`,
    );
  }
}

/**
 * A capture receiver answering as `respond` says, a data directory with the config pointing at
 * it, and the first server on them (all cleaned up after the test).
 */
async function crashRun(respond: Responder) {
  const receiver = await startCaptureReceiver(respond);
  cleanups.push(receiver.close);
  const tmp = tempDir('vigil-delivery-crash-');
  cleanups.push(tmp.cleanup);
  const configFile = writeConfig(tmp.dir, receiver.url);
  const dataDir = join(tmp.dir, 'data');
  const first = await spawnVigil(dataDir, configFile, cleanups);
  return { receiver, dataDir, configFile, first };
}

describe('webhook delivery across kill -9', () => {
  it('a delivery pending a retry at kill -9 ends delivered after restart, every attempt under one key', async () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    // 500 to everything before the crash: retry after 1 s, then after 3 s (a window to kill in).
    const { receiver, dataDir, configFile, first } = await crashRun((i) => ({
      status: 500,
      headers: { 'retry-after': i === 0 ? '1' : '3' },
    }));
    const [alert] = await openAlerts(first, ['checkout']);
    const alertId = alert!.id;
    // Two failed attempts seen by the receiver and recorded: pending, next attempt ≥ 3 s away.
    const pending = await until(
      'two recorded failed attempts',
      first,
      async () => {
        const [d, ...more] = await deliveries(first, `?alertId=${alertId}`);
        return d && more.length === 0 && d.attempts === 2 && receiver.requests.length === 2 ? d : null;
      },
      15_000,
      receiver.requests,
    );
    await kill9(first);
    expect(pending).toMatchObject({ receiver: 'hook', alertId, status: 'pending' });
    expect(pending.lastError).toMatch(/500/);
    expect(pending.nextAttemptAt).toBeGreaterThanOrEqual((pending.lastAttemptAt ?? 0) + 3000);
    expect(receiver.requests.map((r) => r.outcome)).toEqual([500, 500]);

    // Restart on the same data directory; the receiver now accepts.
    receiver.respond(() => ({ status: 200 }));
    const second = await spawnVigil(dataDir, configFile, cleanups);
    const delivered = await until(
      'the delivery delivered after restart',
      second,
      async () => {
        const d = await deliveries(second, `?alertId=${alertId}`);
        return d.length === 1 && d[0]?.status === 'delivered' ? d[0] : null;
      },
      15_000,
      receiver.requests,
    );
    // Nothing more is sent once delivered (no duplicate from a replayed or repeated attempt).
    await new Promise((r) => setTimeout(r, 1500));

    const requests = receiver.requests;
    expect(requests.map((r) => r.outcome)).toEqual([500, 500, 200]);
    expect(delivered.id).toBe(pending.id);
    for (const r of requests) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/hook');
      expect(keyOf(r)).toBe(delivered.id);
      const body = bodyOf(r);
      expect(body.idempotencyKey).toBe(delivered.id);
      expect(body.alerts.map((a) => a.alert.id)).toEqual([alertId]);
    }
    // Every attempt recorded once, the progress of before the crash kept (not reset by the
    // replay), and the recorded backoff honoured across the restart.
    expect(delivered).toMatchObject({ attempts: 3, lastError: null });
    expect(requests[2]!.at).toBeGreaterThanOrEqual(pending.nextAttemptAt - 50);
    // No other delivery appeared for the alert change.
    expect((await deliveries(second)).map((d) => d.id)).toEqual([delivered.id]);
  }, 45_000);

  it('a request held open at kill -9 (outcome never recorded) is resent once, with the same key', async () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    // Before the crash the receiver takes every request and never answers.
    const { receiver, dataDir, configFile, first } = await crashRun(() => 'hold');
    const alerts = await openAlerts(first, ['search', 'billing']);
    const alertIds = alerts.map((a) => a.id).sort();
    // Both notifications (one group per service) are in flight, held by the receiver; the
    // sender's 5 s request timeout has not run out, so no outcome is recorded yet.
    await until('two held requests', first, () => receiver.requests.length === 2, 4000, receiver.requests);
    const inFlight = await deliveries(first);
    await kill9(first);
    receiver.dropHeld();
    expect(inFlight.map((d) => d.alertId).sort()).toEqual(alertIds);
    // No outcome recorded for either: still pending, no failure noted.
    for (const d of inFlight) expect(d).toMatchObject({ status: 'pending', lastError: null });
    const keys = inFlight.map((d) => d.id).sort();
    expect(receiver.requests.map((r) => keyOf(r)).sort()).toEqual(keys);
    expect(receiver.requests.every((r) => typeof r.outcome !== 'number')).toBe(true);

    // Restart; the receiver now accepts.
    receiver.respond(() => ({ status: 200 }));
    const second = await spawnVigil(dataDir, configFile, cleanups);
    const done = await until(
      'both deliveries delivered after restart',
      second,
      async () => {
        const d = await deliveries(second);
        return d.length === 2 && d.every((x) => x.status === 'delivered') ? d : null;
      },
      15_000,
      receiver.requests,
    );
    // Nothing more is sent once delivered.
    await new Promise((r) => setTimeout(r, 1500));

    // The same deliveries (not new ones under other keys), each resent exactly once.
    expect(done.map((d) => d.id).sort()).toEqual(keys);
    expect((await deliveries(second)).map((d) => d.id).sort()).toEqual(keys);
    const requests = receiver.requests;
    expect(requests).toHaveLength(4);
    for (const key of keys) {
      const sent = requests.filter((r) => keyOf(r) === key);
      expect(sent.map((r) => (typeof r.outcome === 'number' ? r.outcome : 'unanswered'))).toEqual([
        'unanswered',
        200,
      ]);
      // Byte-identical resend: same key in header and payload, same alert.
      expect(sent[1]!.body).toBe(sent[0]!.body);
      expect(bodyOf(sent[1]!).idempotencyKey).toBe(key);
    }
    // Each alert change reached the receiver under one key only: nothing lost, no duplicate
    // under a different key.
    for (const id of alertIds) {
      const about = requests.filter((r) => bodyOf(r).alerts.some((a) => a.alert.id === id));
      expect(about).toHaveLength(2);
      expect(new Set(about.map((r) => keyOf(r))).size).toBe(1);
    }
  }, 45_000);
});
