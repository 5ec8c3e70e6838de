/**
 * Anomaly → alert → live feed → acknowledge/resolve → webhook, end to end through a real
 * server, a real WebSocket client and a real HTTP receiver.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningVigil } from '../../src/server.js';
import { get, normalSeries, post, sendLatency, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';

interface Captured {
  headers: IncomingMessage['headers'];
  body: any;
}

let vigil: RunningVigil;
let cleanup: () => void;
let receiver: Server;
const captured: Captured[] = [];
/** Requests about alerts of the `search` service answered 500 before the receiver accepts them. */
let failSearch = 0;
const T0 = Date.UTC(2026, 0, 5);
const STEP = 60_000;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      const body = JSON.parse(data);
      if (body.alert?.service === 'doomed' || (failSearch > 0 && body.alert?.service === 'search')) {
        if (body.alert?.service === 'search') failSearch--;
        res.writeHead(500).end();
        return;
      }
      captured.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as { port: number }).port;
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  vigil = await startTestVigil(tmp.dir, {
    'alerting.receivers': [
      { name: 'ops-hook', type: 'webhook', url: `http://127.0.0.1:${port}/hook?token=s3cret` },
    ],
    'alerting.recoveryWindowMs': 10 * STEP,
    // Short retries (the default is 8 attempts from 1 s): a delivery gives up after 3.
    'alerting.delivery': { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 40, timeoutMs: 2000 },
  });
});

afterAll(async () => {
  await vigil.close();
  await new Promise((r) => receiver.close(r));
  cleanup();
});

const send = (service: string, samples: Array<{ t: number; v: number }>) =>
  sendLatency(vigil.url, service, 'GET:/x', samples);

function openSocket(): Promise<{ ws: WebSocket; messages: any[] }> {
  const ws = new WebSocket(`${vigil.url.replace('http', 'ws')}/api/live`);
  const messages: any[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('error', reject);
  });
}

describe('anomaly to alert', () => {
  it('a spike after warm-up is flagged live, opens one alert, and notifies the webhook once', async () => {
    const { ws, messages } = await openSocket();
    await waitFor(() => messages.some((m) => m.type === 'hello'));
    const warm = normalSeries(T0, 300, STEP);
    await send('checkout', warm);
    const spikeT = T0 + 300 * STEP;
    await send('checkout', [{ t: spikeT, v: 1000 }]);

    const anomalyMsg = await waitFor(() =>
      messages.find((m) => m.type === 'anomaly' && m.anomaly.service === 'checkout'),
    );
    expect(anomalyMsg.anomaly).toMatchObject({ t: spikeT, value: 1000, type: 'spike' });
    expect(anomalyMsg.anomaly.expected).toBeGreaterThan(90);
    expect(anomalyMsg.anomaly.expected).toBeLessThan(110);
    expect(anomalyMsg.anomaly.upper).toBeLessThan(1000);
    expect(anomalyMsg.anomaly.score).toBeGreaterThan(0.9);
    expect(anomalyMsg.anomaly.explanation).toMatch(/above expected/);
    const alertMsg = await waitFor(() => messages.find((m) => m.type === 'alert' && m.action === 'opened'));
    expect(alertMsg.alert).toMatchObject({
      status: 'firing',
      service: 'checkout',
      type: 'spike',
      startsAt: spikeT,
    });

    // No anomaly during warm-up or on the clean part.
    const all = (await get(`${vigil.url}/api/anomalies?service=checkout`)).body;
    expect(all.items.filter((a: { t: number }) => a.t < spikeT)).toEqual([]);

    // A second spike updates the same alert (deduplicated) instead of opening another.
    // The spike level stays: the detector reports the lasting shift too, on the same alert.
    await send(
      'checkout',
      [1, 2, 3, 4].map((k) => ({ t: spikeT + k * STEP, v: 1000 })),
    );
    const alerts = await waitFor(async () => {
      vigil.runtime.flush();
      const r = (await get(`${vigil.url}/api/alerts?service=checkout`)).body;
      return r.items[0]?.anomalyCount >= 2 ? r : null;
    });
    expect(alerts.total).toBe(1);

    const hook = await waitFor(() => captured.find((c) => c.body.action === 'opened'));
    expect(hook.headers['idempotency-key']).toMatch(/^ops-hook:[0-9a-f]{16}:1$/);
    expect(hook.body.idempotencyKey).toBe(hook.headers['idempotency-key']);
    expect(hook.body.alert.id).toBe(alertMsg.alert.id);
    expect(hook.body.summary).toMatch(/spike/);
    ws.close();
  });

  it('acknowledge and resolve record who, when and why in the history, and notify', async () => {
    const { items } = (await get(`${vigil.url}/api/alerts?service=checkout&status=firing`)).body;
    const id = items[0].id as string;
    const ack = await post(`${vigil.url}/api/alerts/${id}/acknowledge`, { by: 'alice', note: 'looking' });
    expect(ack.status).toBe(200);
    expect(ack.body.alert).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'alice',
      note: 'looking',
    });
    const res = await post(`${vigil.url}/api/alerts/${id}/resolve`, { by: 'bob', note: 'rolled back' });
    expect(res.body.alert).toMatchObject({ status: 'resolved', resolvedBy: 'bob' });
    const again = await post(`${vigil.url}/api/alerts/${id}/resolve`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONFLICT');
    const bad = await post(`${vigil.url}/api/alerts/${id}/acknowledge`, { by: 42 });
    expect(bad.status).toBe(400);

    vigil.runtime.flush();
    const detail = (await get(`${vigil.url}/api/alerts/${id}`)).body;
    expect(detail.history.map((h: { action: string; by: string | null }) => [h.action, h.by])).toEqual([
      ['opened', null],
      ['acknowledged', 'alice'],
      ['resolved', 'bob'],
    ]);
    expect(detail.anomalies.length).toBe(detail.alert.anomalyCount);
    expect(detail.anomalies.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => captured.some((c) => c.body.action === 'resolved' && c.body.alert.id === id));
    const actions = captured.filter((c) => c.body.alert.id === id).map((c) => c.body.action);
    expect(actions).toEqual(['opened', 'acknowledged', 'resolved']);
  });

  it('auto-resolves after the series is normal for the recovery window (event time), and retries a failing webhook', async () => {
    const base = T0 + 10 * 86_400_000;
    await send('search', normalSeries(base, 300, STEP));
    failSearch = 2;
    const spikeT = base + 300 * STEP;
    await send('search', [{ t: spikeT, v: 5000 }]);
    const opened = await waitFor(async () => {
      vigil.runtime.flush();
      return (await get(`${vigil.url}/api/alerts?service=search&status=firing`)).body.items[0];
    });
    // Normal for 5 minutes: still firing (no flapping).
    await send('search', normalSeries(spikeT + STEP, 5, STEP));
    vigil.runtime.flush();
    expect((await get(`${vigil.url}/api/alerts/${opened.id}`)).body.alert.status).toBe('firing');
    // Normal for the whole recovery window: resolved by itself.
    await send('search', normalSeries(spikeT + 6 * STEP, 10, STEP));
    vigil.runtime.flush();
    const detail = (await get(`${vigil.url}/api/alerts/${opened.id}`)).body;
    expect(detail.alert.status).toBe('resolved');
    expect(detail.history.at(-1).action).toBe('auto_resolved');

    // The receiver failed the first two requests; the sender retried with backoff and recorded
    // every attempt: both deliveries (opened, auto_resolved) end delivered, with two extra attempts.
    const deliveries = await waitFor(
      async () => {
        const d = (await get(`${vigil.url}/api/deliveries?alertId=${opened.id}`)).body.items as Array<{
          status: string;
          attempts: number;
          lastError: string | null;
        }>;
        return d.length === 2 && d.every((x) => x.status === 'delivered') ? d : null;
      },
      15_000,
      100,
    );
    expect(deliveries.reduce((n, d) => n + d.attempts, 0)).toBe(4);
    expect(deliveries.every((d) => d.lastError === null)).toBe(true);
  });

  it('gives up on a delivery after alerting.delivery.maxAttempts failures and records it as failed', async () => {
    const base = T0 + 20 * 86_400_000;
    await send('doomed', normalSeries(base, 300, STEP));
    await send('doomed', [{ t: base + 300 * STEP, v: 5000 }]);
    vigil.runtime.flush();
    const failed = await waitFor(
      async () => {
        const d = (await get(`${vigil.url}/api/deliveries?status=failed`)).body.items as Array<{
          alertId: string;
          attempts: number;
          lastError: string | null;
        }>;
        return d.length > 0 ? d : null;
      },
      10_000,
      50,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attempts).toBe(3);
    expect(failed[0]!.lastError).toMatch(/500/);
    const alert = (await get(`${vigil.url}/api/alerts/${failed[0]!.alertId}`)).body.alert;
    expect(alert.service).toBe('doomed');
  });

  it('streams points of subscribed series only', async () => {
    const { ws, messages } = await openSocket();
    const series = (await get(`${vigil.url}/api/series?service=checkout`)).body.items[0];
    ws.send(JSON.stringify({ subscribe: { points: [series.id] } }));
    await waitFor(() => messages.some((m) => m.type === 'subscribed'));
    await send('checkout', [{ t: T0 + 400 * STEP, v: 101 }]);
    await send('search', [{ t: T0 + 20 * 86_400_000, v: 101 }]);
    const point = await waitFor(() => messages.find((m) => m.type === 'point'));
    expect(point.point.seriesId).toBe(series.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(messages.filter((m) => m.type === 'point').every((m) => m.point.seriesId === series.id)).toBe(
      true,
    );
    ws.send('not json');
    await waitFor(() => messages.some((m) => m.type === 'error'));
    ws.close();
  });

  it('does not show the receiver token in /config or /api/receivers', async () => {
    const config = JSON.stringify((await get(`${vigil.url}/config`)).body);
    const receivers = JSON.stringify((await get(`${vigil.url}/api/receivers`)).body);
    expect(config).not.toContain('s3cret');
    expect(receivers).not.toContain('s3cret');
    expect(receivers).toContain('ops-hook');
  });

  it('a silence mutes notifications of matching alerts (still recorded) until it is expired', async () => {
    const bad = await post(`${vigil.url}/api/silences`, {
      matchers: [{ name: 'service', value: 'quiet' }],
      createdBy: 'ops',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['endsAt']);
    const created = await post(`${vigil.url}/api/silences`, {
      matchers: [{ name: 'service', value: 'qui.*', isRegex: true }],
      endsAt: Date.now() + 3_600_000,
      createdBy: 'ops',
      comment: 'deploy',
    });
    expect(created.status).toBe(201);
    expect(created.body.silence).toMatchObject({ state: 'active', createdBy: 'ops' });

    const base = T0 + 40 * 86_400_000;
    await send('quiet', normalSeries(base, 300, STEP));
    await send('quiet', [{ t: base + 300 * STEP, v: 9000 }]);
    const alert = await waitFor(async () => {
      vigil.runtime.flush();
      return (await get(`${vigil.url}/api/alerts?service=quiet`)).body.items[0];
    });
    expect(alert.status).toBe('firing');
    await new Promise((r) => setTimeout(r, 600));
    expect(captured.some((c) => c.body.alert?.service === 'quiet')).toBe(false);

    const listed = (await get(`${vigil.url}/api/silences`)).body.items;
    expect(listed.map((s: { id: string }) => s.id)).toContain(created.body.silence.id);
    const expired = await fetch(`${vigil.url}/api/silences/${created.body.silence.id}`, { method: 'DELETE' });
    expect(expired.status).toBe(200);
    expect(((await expired.json()) as { silence: { state: string } }).silence.state).toBe('expired');
    // The alert still fires: once the silence is gone, receivers hear about it.
    await waitFor(() => captured.find((c) => c.body.alert?.service === 'quiet'), 10_000, 100);
  });

  it('counts notification attempts per receiver, silences by state and open incidents in /metrics', async () => {
    // By now: the failing 'doomed' deliveries (3 attempts) and the two refused 'search' attempts
    // failed; everything else the receiver accepted.
    const metrics = async () => {
      const text = await (await fetch(`${vigil.url}/metrics`)).text();
      const value = (name: string) =>
        Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
      return {
        sent: value('vigil_notifications_total\\{receiver="ops-hook",type="webhook"\\}'),
        failed: value('vigil_notifications_failed_total\\{receiver="ops-hook",type="webhook"\\}'),
        expired: value('vigil_silences\\{state="expired"\\}'),
        incidents: value('vigil_open_incidents'),
      };
    };
    const m = await waitFor(async () => {
      const x = await metrics();
      return x.sent >= captured.length ? x : null;
    });
    expect(m.sent).toBe(captured.length);
    expect(m.failed).toBe(5);
    expect(m.expired).toBe(1);
    expect(m.incidents).toBe((await get(`${vigil.url}/api/incidents?status=open`)).body.total);
  });
});
