/**
 * Alert management end to end through a real server and a real HTTP receiver: incidents across
 * a caller → callee pair, acknowledgement expiry, "not an anomaly" feedback and its effect on
 * the band, maintenance windows (not learned from; API create/delete), the alert-quality
 * report, the CLI commands against the same server, and the incident and silence events of the
 * live feed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningVigil } from '../../src/server.js';
import { type CaptureReceiver, startCaptureReceiver } from '../helpers/capture-receiver.js';
import {
  del,
  get,
  normalSeries,
  post,
  sendLatency,
  startTestVigil,
  tempDir,
  waitFor,
} from '../helpers/vigil.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/vigil.js');

let vigil: RunningVigil;
let receiver: CaptureReceiver;
let cleanup: () => void;
/** A live-feed client connected before any sample is sent, and every message it received. */
let live: WebSocket;
const liveMessages: any[] = [];
/** Monday 2026-01-05 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);
const STEP = 60_000;
const HOUR = 3_600_000;

const send = (service: string, endpoint: string, samples: Array<{ t: number; v: number }>) =>
  sendLatency(vigil.url, service, endpoint, samples);

const openAlertOf = (service: string) =>
  waitFor(async () => {
    const r = await get(`${vigil.url}/api/alerts?service=${service}&status=firing`);
    return r.body.items[0];
  });

beforeAll(async () => {
  receiver = await startCaptureReceiver();
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  vigil = await startTestVigil(tmp.dir, {
    'alerting.receivers': [{ name: 'ops', type: 'webhook', url: `${receiver.url}/hook` }],
    'alerting.routing': { receiver: 'ops', groupBy: ['incident'], groupWaitMs: 50, groupIntervalMs: 50 },
    'alerting.recoveryWindowMs': 60 * STEP,
    'alerting.maintenance': [
      {
        name: 'deploy',
        matchers: ['service="deployd"'],
        timeZone: 'UTC',
        weekly: [{ days: ['mon'], start: '06:00', end: '08:00' }],
      },
    ],
  });
  // Five quiet hours for every service (Monday 00:00–05:00 event time).
  for (const [service, endpoint] of [
    ['checkout', 'payment:POST:/charge'],
    ['payment', 'POST:/charge'],
    ['search', 'GET:/q'],
  ] as const) {
    await send(service, endpoint, normalSeries(T0, 300, STEP));
  }
  live = new WebSocket(`${vigil.url.replace('http', 'ws')}/api/live`);
  live.on('message', (m) => liveMessages.push(JSON.parse(String(m))));
  await new Promise((resolve, reject) => {
    live.once('open', resolve);
    live.once('error', reject);
  });
}, 60_000);

afterAll(async () => {
  live?.close();
  await vigil?.close();
  await receiver?.close();
  cleanup?.();
});

describe('incidents', () => {
  it('groups alerts of a caller and its callee into one incident, and keeps an unrelated service apart', async () => {
    const t = T0 + 300 * STEP;
    await send('payment', 'POST:/charge', [{ t, v: 900 }]);
    await send('checkout', 'payment:POST:/charge', [{ t: t + 1000, v: 950 }]);
    await send('search', 'GET:/q', [{ t: t + 2000, v: 400 }]);
    const payment = await openAlertOf('payment');
    const checkout = await openAlertOf('checkout');
    const search = await openAlertOf('search');
    expect(payment.incidentId).toBe(`inc-${payment.id}`);
    expect(checkout.incidentId).toBe(payment.incidentId);
    expect(search.incidentId).toBe(`inc-${search.id}`);

    const list = await waitFor(async () => {
      const r = await get(`${vigil.url}/api/incidents?status=open`);
      return r.body.total === 2 ? r.body : null;
    });
    expect(list.items.map((i: any) => i.id).sort()).toEqual([payment.incidentId, search.incidentId].sort());
    const one = await get(`${vigil.url}/api/incidents/${payment.incidentId}`);
    expect(one.status).toBe(200);
    expect(one.body.incident.blastRadius).toMatchObject({
      services: ['checkout', 'payment'],
      series: 2,
      openAlerts: 2,
    });
    expect(one.body.incident.timeline.map((e: any) => e.action)).toEqual([
      'incident_opened',
      'opened',
      'opened',
    ]);
    expect(one.body.alerts.map((a: any) => a.id).sort()).toEqual([payment.id, checkout.id].sort());
    expect((await get(`${vigil.url}/api/incidents?service=search`)).body.items.map((i: any) => i.id)).toEqual(
      [search.incidentId],
    );
    expect((await get(`${vigil.url}/api/incidents/nope`)).status).toBe(404);
    expect((await get(`${vigil.url}/api/incidents?status=bad`)).body.issues[0].path).toEqual([
      'query',
      'status',
    ]);

    // One notification per incident (group_by incident), each carrying its incident's alerts.
    const bodies = await waitFor(() => {
      const b = receiver.requests.map((r) => JSON.parse(r.body));
      return b.length >= 2 ? b : null;
    });
    const byGroup = new Map<string, string[]>();
    for (const b of bodies) byGroup.set(b.groupLabels.incident, b.alerts.map((a: any) => a.alert.id).sort());
    expect(byGroup.get(payment.incidentId)).toEqual([payment.id, checkout.id].sort());
    expect(byGroup.get(search.incidentId)).toEqual([search.id]);

    // The live feed carried every version of the caller/callee incident, in order.
    const versions = await waitFor(() => {
      const v = liveMessages.filter((m) => m.type === 'incident' && m.incident.id === payment.incidentId);
      return v.length >= 2 ? v.map((m) => m.incident) : null;
    });
    expect(versions.map((i: any) => i.version)).toEqual(versions.map((_: unknown, k: number) => k + 1));
    expect(versions.at(-1)).toMatchObject({
      status: 'open',
      blastRadius: { services: ['checkout', 'payment'] },
    });
  });
});

describe('acknowledgement expiry', () => {
  it('records an expiry and refuses bad ones with the field named', async () => {
    const alert = await openAlertOf('checkout');
    const bad = await post(`${vigil.url}/api/alerts/${alert.id}/acknowledge`, { expiresInMs: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['expiresInMs']);
    const onResolve = await post(`${vigil.url}/api/alerts/${alert.id}/resolve`, { expiresInMs: 120_000 });
    expect(onResolve.status).toBe(400);
    expect(onResolve.body.issues[0].path).toEqual(['expiresInMs']);
    const before = Date.now();
    const ok = await post(`${vigil.url}/api/alerts/${alert.id}/acknowledge`, {
      note: 'on it',
      expiresInMs: 120_000,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.alert.status).toBe('acknowledged');
    expect(ok.body.alert.ackExpiresAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(ok.body.alert.ackExpiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(ok.body.alert.incidentId).toBe(alert.incidentId);
  });
});

describe('"not an anomaly" feedback', () => {
  it('resolves the alert, widens the band for that pattern, and is reversible', async () => {
    const alert = await openAlertOf('search');
    const bad = await post(`${vigil.url}/api/alerts/${alert.id}/feedback`, {
      scope: 'point',
      days: 3,
      reason: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['days']);
    const missing = await post(`${vigil.url}/api/alerts/${alert.id}/feedback`, { reason: 'x' });
    expect(missing.body.issues[0].path).toEqual(['scope']);

    const r = await post(`${vigil.url}/api/alerts/${alert.id}/feedback`, {
      scope: 'series',
      days: 3,
      reason: 'nightly reindex',
      by: 'ann',
    });
    expect(r.status).toBe(201);
    expect(r.body.feedback).toMatchObject({
      scope: 'series',
      side: 'above',
      alertId: alert.id,
      createdBy: 'ann',
      revokedAt: null,
    });
    expect(r.body.feedback.ratio).toBeGreaterThan(1);
    const resolved = await waitFor(async () => {
      const a = (await get(`${vigil.url}/api/alerts/${alert.id}`)).body.alert;
      return a.status === 'resolved' ? a : null;
    });
    expect(resolved).toMatchObject({ resolvedBy: 'ann', note: 'not an anomaly: nightly reindex' });
    await waitFor(
      async () => (await get(`${vigil.url}/api/feedback?alertId=${alert.id}`)).body.items.length > 0,
    );
    expect(
      (await get(`${vigil.url}/api/feedback?alertId=${alert.id}`)).body.items.map((f: any) => f.id),
    ).toEqual([r.body.feedback.id]);

    // The same pattern again is normal now, with the widened band visible on the point; a far
    // larger one is not. Spikes are 220 samples apart, past the detector's refractory hold.
    const seriesId = alert.seriesId;
    const pointAt = (t: number) =>
      waitFor(
        async () =>
          (await get(`${vigil.url}/api/series/${seriesId}/points?from=${t}&to=${t}`)).body.points[0],
      );
    const t1 = T0 + 520 * STEP;
    await send('search', 'GET:/q', normalSeries(T0 + 310 * STEP, 210, STEP));
    await send('search', 'GET:/q', [{ t: t1, v: 400 }]);
    const point = await pointAt(t1);
    expect(point).toMatchObject({ value: 400, anomalous: false });
    expect(point.upper).toBeGreaterThanOrEqual(400);
    const t2 = T0 + 740 * STEP;
    await send('search', 'GET:/q', normalSeries(t1 + STEP, 219, STEP));
    await send('search', 'GET:/q', [{ t: t2, v: 5000 }]);
    expect(await pointAt(t2)).toMatchObject({ value: 5000, anomalous: true });

    // Revoked: the band is the detector's own again (whether 400 is still rare enough to flag is
    // now the detector's call: it has seen three such spikes).
    const revoked = await del(`${vigil.url}/api/feedback/${r.body.feedback.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.feedback.revokedAt).toBeGreaterThan(0);
    await waitFor(
      async () => (await get(`${vigil.url}/api/feedback?alertId=${alert.id}`)).body.items[0]?.revokedAt > 0,
    );
    expect((await del(`${vigil.url}/api/feedback/${r.body.feedback.id}`)).status).toBe(409);
    const t3 = T0 + 960 * STEP;
    await send('search', 'GET:/q', normalSeries(t2 + STEP, 219, STEP));
    await send('search', 'GET:/q', [{ t: t3, v: 400 }]);
    const again = await pointAt(t3);
    expect(again.upper).toBeLessThan(point.upper / 2);
  });

  it('marks a single anomaly with point scope without touching the band', async () => {
    const anomalies = (await get(`${vigil.url}/api/anomalies?service=payment`)).body.items;
    const r = await post(`${vigil.url}/api/anomalies/${anomalies[0].id}/feedback`, {
      scope: 'point',
      reason: 'load test',
    });
    expect(r.status).toBe(201);
    expect(r.body.feedback).toMatchObject({ scope: 'point', expiresAt: null, anomalyIds: [anomalies[0].id] });
    // Derived rows are written by the next flush (≤ 20 ms here).
    await waitFor(
      async () =>
        (await get(`${vigil.url}/api/feedback?anomalyId=${anomalies[0].id}`)).body.items.length === 1,
    );
    expect(
      (await post(`${vigil.url}/api/anomalies/none/feedback`, { scope: 'point', reason: 'x' })).status,
    ).toBe(404);
  });
});

describe('maintenance windows', () => {
  it('does not learn a level shift inside the window, unlike the same shift outside one', async () => {
    // deployd is covered by the Monday 06:00–08:00 window; control is not. Both shift ×10 then return.
    for (const service of ['deployd', 'control']) {
      await send(service, 'GET:/x', normalSeries(T0, 360, STEP));
      await send(service, 'GET:/x', normalSeries(T0 + 6 * HOUR, 120, STEP, 1000));
      await send(service, 'GET:/x', normalSeries(T0 + 8 * HOUR, 60, STEP));
    }
    const afterWindow = async (service: string) =>
      (await get(`${vigil.url}/api/anomalies?service=${service}&from=${T0 + 8 * HOUR}&limit=1000`)).body
        .total;
    const during = (
      await get(
        `${vigil.url}/api/anomalies?service=deployd&from=${T0 + 6 * HOUR}&to=${T0 + 8 * HOUR - 1}&limit=1000`,
      )
    ).body;
    await waitFor(async () => (await afterWindow('control')) > 0);
    expect(await afterWindow('deployd')).toBe(0);
    expect(during.total).toBeGreaterThan(0);
    expect(during.items[0].explanation).toContain('maintenance window');
  });

  it('lists configured windows, creates and deletes API ones, refusing bad input', async () => {
    const list = (await get(`${vigil.url}/api/maintenance`)).body.items;
    expect(list[0]).toMatchObject({ id: 'config:deploy', source: 'config', name: 'deploy', timeZone: 'UTC' });
    expect(list[0].occurrence.end - list[0].occurrence.start).toBe(2 * HOUR);
    const bad = await post(`${vigil.url}/api/maintenance`, {
      name: 'backup',
      cron: '0 2 * * 9',
      durationMs: HOUR,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['cron']);
    const created = await post(`${vigil.url}/api/maintenance`, {
      name: 'backup',
      cron: '0 2 * * *',
      durationMs: HOUR,
      timeZone: 'Europe/Berlin',
      matchers: ['service="db"'],
      createdBy: 'ann',
    });
    expect(created.status).toBe(201);
    expect(created.body.window).toMatchObject({ source: 'api', name: 'backup', createdBy: 'ann' });
    expect(
      (await post(`${vigil.url}/api/maintenance`, { name: 'backup', cron: '0 3 * * *', durationMs: HOUR }))
        .status,
    ).toBe(409);
    expect((await del(`${vigil.url}/api/maintenance/config:deploy`)).status).toBe(409);
    expect((await del(`${vigil.url}/api/maintenance/${created.body.window.id}`)).status).toBe(200);
    expect((await get(`${vigil.url}/api/maintenance`)).body.items.map((w: any) => w.name)).toEqual([
      'deploy',
    ]);
  });
});

describe('alert-quality report and CLI', () => {
  it('reports notifications, acknowledgements and the noisiest series', async () => {
    const r = await get(`${vigil.url}/api/reports/alert-quality?from=${T0}`);
    expect(r.status).toBe(200);
    expect(r.body.total.alerts).toBeGreaterThanOrEqual(3);
    expect(r.body.total.acknowledged).toBeGreaterThanOrEqual(1);
    expect(r.body.total.falsePositives).toBeGreaterThanOrEqual(1);
    const ops = r.body.receivers.find((x: any) => x.receiver === 'ops');
    expect(ops.notificationsSent).toBeGreaterThanOrEqual(2);
    expect(r.body.noisiestSeries.length).toBeGreaterThan(0);
    const bad = await get(`${vigil.url}/api/reports/alert-quality?from=${T0 + HOUR}&to=${T0}`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['query', 'from']);
  });

  it('creates, lists and expires silences and prints reports from the command line', async () => {
    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args, '--url', vigil.url]);
    const added = await cli(
      'silences',
      'add',
      '-m',
      'service="search"',
      '-m',
      'severity=~"high|critical"',
      '--duration',
      '2h',
      '--comment',
      'reindex',
    );
    const id = /^silence (\S+) active until /.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    const listed = JSON.parse((await cli('silences', 'list', '--json')).stdout);
    const s = listed.find((x: any) => x.id === id);
    expect(s.matchers).toEqual([
      { name: 'service', value: 'search', isRegex: false, isEqual: true },
      { name: 'severity', value: 'high|critical', isRegex: true, isEqual: true },
    ]);
    expect(s.endsAt - Date.now()).toBeGreaterThan(HOUR);
    expect((await cli('silences', 'expire', id as string)).stdout).toMatch(/expired$/m);
    const silenceEvents = await waitFor(() => {
      const e = liveMessages.filter((m) => m.type === 'silence' && m.silence.id === id);
      return e.length >= 2 ? e : null;
    });
    expect(silenceEvents.map((m: any) => m.action)).toEqual(['upserted', 'expired']);
    expect(silenceEvents[1].silence.endsAt).toBeLessThanOrEqual(Date.now());
    const report = JSON.parse((await cli('report', 'alerts', '--since', '1000d', '--json')).stdout);
    expect(report.total.alerts).toBeGreaterThan(0);
    expect((await cli('report', 'alerts', '--since', '1000d')).stdout).toMatch(/^total +\d+ +\d+/m);
    expect((await cli('incidents', 'list')).stdout).toMatch(/^ID +STATUS +SEVERITY/);
    expect((await cli('maintenance', 'list')).stdout).toMatch(/^deploy +config/m);
    await expect(cli('silences', 'add', '-m', 'no operator here', '--duration', '1h')).rejects.toMatchObject({
      stderr: expect.stringMatching(/invalid matcher/),
    });
    await expect(cli('silences', 'add', '-m', 'service="x"')).rejects.toMatchObject({
      stderr: expect.stringMatching(/every silence ends/),
    });
  }, 30_000);
});

describe('receiver test notification', () => {
  it('sends one message through the receiver, reports its failure, and refuses unknown receivers', async () => {
    const before = receiver.requests.length;
    const ok = await post(`${vigil.url}/api/receivers/ops/test`, { by: 'ann' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ receiver: 'ops', status: 'ok', error: null });
    expect(receiver.requests).toHaveLength(before + 1);
    const sent = receiver.requests[before]!;
    const body = JSON.parse(sent.body);
    expect(sent.headers['idempotency-key']).toBe(body.idempotencyKey);
    expect(body.alerts[0].alert.summary).toMatch(
      /^Test notification from Vigil to receiver "ops", sent by ann\./,
    );
    // Not a delivery: the outbox and the quality report do not count it.
    expect(
      (await get(`${vigil.url}/api/deliveries?receiver=ops&limit=1000`)).body.items.some(
        (d: any) => d.id === body.idempotencyKey,
      ),
    ).toBe(false);

    receiver.respond(() => ({ status: 503 }));
    try {
      const failed = await post(`${vigil.url}/api/receivers/ops/test`, {});
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({ status: 'failed', permanent: false });
      expect(failed.body.error).toMatch(/503/);
      // Tried once: a test is not retried.
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.requests).toHaveLength(before + 2);
    } finally {
      receiver.respond(() => ({ status: 200 }));
    }

    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args, '--url', vigil.url]);
    expect((await cli('receivers', 'test', 'ops')).stdout).toMatch(/^ops: ok \(\d+ ms\)$/m);
    expect(receiver.requests).toHaveLength(before + 3);
    expect((await cli('receivers', 'list')).stdout).toMatch(
      /^ops +webhook +info +http:\/\/127\.0\.0\.1:\d+\//m,
    );
    await expect(cli('receivers', 'test', 'nobody')).rejects.toMatchObject({
      stderr: expect.stringMatching(/404 no receiver named "nobody"/),
    });

    const unknown = await post(`${vigil.url}/api/receivers/nobody/test`, {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('nobody');
    const bad = await post(`${vigil.url}/api/receivers/ops/test`, { by: 'ann', urgent: true });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.issues)).toContain('urgent');
  }, 30_000);
});
