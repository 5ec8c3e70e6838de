/**
 * No-data alerts through a real server and a real HTTP receiver: a watched service that stops
 * reporting gets a `no_data` alert (and a notification) after its rule's `afterMs` of wall
 * time, an unwatched one does not, and the alert resolves when samples arrive again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigil } from '../../src/server.js';
import { type CaptureReceiver, startCaptureReceiver } from '../helpers/capture-receiver.js';
import { get, post, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';

const AFTER_MS = 1500;
let vigil: RunningVigil;
let receiver: CaptureReceiver;
let cleanup: () => void;
let dataDir = '';
const CONFIG = (receiverUrl: string) => ({
  'alerting.receivers': [{ name: 'ops', type: 'webhook', url: `${receiverUrl}/hook` }],
  'alerting.noData': [
    { name: 'checkout-down', matchers: ['service="checkout"'], afterMs: AFTER_MS, severity: 'critical' },
  ],
});

async function send(service: string, t: number, v = 100) {
  const r = await post(`${vigil.url}/api/metrics`, { service, metrics: { latency_ms: v }, timestamp: t });
  expect(r.status).toBe(202);
}

beforeAll(async () => {
  receiver = await startCaptureReceiver();
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  dataDir = tmp.dir;
  vigil = await startTestVigil(dataDir, CONFIG(receiver.url));
});

afterAll(async () => {
  await vigil?.close();
  await receiver?.close();
  cleanup?.();
});

describe('no-data alerts', () => {
  it('opens a no_data alert on a watched series that stopped reporting, and resolves it when samples return', async () => {
    const start = Date.now();
    for (const service of ['checkout', 'search']) await send(service, start - 1000);
    vigil.runtime.flush();
    expect((await get(`${vigil.url}/api/alerts?service=checkout`)).body.items).toEqual([]);

    // Nothing for longer than afterMs: the runtime's tick opens the alert (within ~1 s more).
    const alert = await waitFor(
      async () => {
        vigil.runtime.flush();
        return (await get(`${vigil.url}/api/alerts?service=checkout&status=firing`)).body.items[0];
      },
      AFTER_MS + 5000,
      100,
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(AFTER_MS);
    expect(alert).toMatchObject({
      type: 'no_data',
      severity: 'critical',
      service: 'checkout',
      anomalyCount: 0,
    });
    expect(alert.summary).toMatch(/^no samples for \d+ s \(rule "checkout-down" allows 2 s; last received /);
    // The unwatched service, just as silent, has none.
    expect((await get(`${vigil.url}/api/alerts?service=search`)).body.items).toEqual([]);
    const hook = await waitFor(() =>
      receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.alert?.id === alert.id),
    );
    expect(hook.alert.type).toBe('no_data');

    await send('checkout', Date.now());
    const detail = await waitFor(async () => {
      vigil.runtime.flush();
      const d = (await get(`${vigil.url}/api/alerts/${alert.id}`)).body;
      return d.alert.status === 'resolved' ? d : null;
    });
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['opened', 'auto_resolved']);
    expect(detail.alert.note).toBe('samples arrive again');
  }, 20_000);

  it('after a restart gives watched series a full afterMs again instead of alerting at once', async () => {
    await send('checkout', Date.now());
    vigil.runtime.flush();
    await vigil.close();
    // Down for longer than afterMs: nothing was received meanwhile, through no fault of checkout.
    await new Promise((res) => setTimeout(res, AFTER_MS + 500));
    vigil = await startTestVigil(dataDir, CONFIG(receiver.url));
    const restarted = Date.now();
    const firing = () =>
      get(`${vigil.url}/api/alerts?service=checkout&status=firing`).then((r) => r.body.items);
    await new Promise((res) => setTimeout(res, 300));
    vigil.runtime.flush();
    expect(await firing()).toEqual([]);
    // Still silent afterMs after the restart: now it is an alert.
    const alert = await waitFor(
      async () => {
        vigil.runtime.flush();
        return (await firing())[0];
      },
      AFTER_MS + 5000,
      100,
    );
    expect(alert.type).toBe('no_data');
    expect(Date.now() - restarted).toBeGreaterThanOrEqual(AFTER_MS);
  }, 20_000);

  it('refuses a rule with a bad matcher or duplicate name, naming the field', async () => {
    const tmp = tempDir();
    try {
      await expect(
        startTestVigil(tmp.dir, {
          'alerting.noData': [
            { name: 'a', afterMs: 60_000 },
            { name: 'a', matchers: ['service~"x"'], afterMs: 60_000 },
          ],
        }),
      ).rejects.toThrow(/alerting\.noData\.1\.(name|matchers)/);
    } finally {
      tmp.cleanup();
    }
  });
});
