/**
 * Receivers against a real local HTTP server (node:http on port 0) and a real SQLite outbox,
 * through the DeliverySender: payload shapes, idempotency keys across retries, retry policy,
 * SSRF refusal, and the crash rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeliverySender,
  type ReceiverConfig,
  receiverConfigSchema,
} from '../../../src/alerting/receivers/index.js';
import type { Delivery } from '../../../src/model/types.js';
import type { Store } from '../../../src/store/types.js';
import { makeAlert } from '../routing/fixtures.js';
import {
  actionOf,
  captureServer,
  deliveriesFor,
  notifierFor,
  type Responder,
  SILENT_LOGGER,
  tempStore,
} from './harness.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  config: Record<string, unknown>,
  respond?: Responder,
  options: { allowPrivate?: boolean; clock?: { t: number } } = {},
) {
  const server = await captureServer(respond);
  cleanups.push(server.close);
  const db = tempStore();
  cleanups.push(db.close);
  const receiver = receiverConfigSchema.parse({
    url: `${server.url}/hook/SECRET`,
    ...config,
  }) as ReceiverConfig;
  const clock = options.clock ?? { t: 10_000_000 };
  const make = (store: Pick<Store, 'dueDeliveries' | 'updateDelivery'> = db.store) =>
    new DeliverySender({
      receivers: [receiver],
      store,
      logger: SILENT_LOGGER,
      allowPrivate: options.allowPrivate ?? true,
      random: () => 0,
      now: () => clock.t,
      timeoutMs: 2000,
    });
  const sender = make();
  cleanups.push(() => sender.close());
  return { server, db, sender, make, clock };
}

const stored = (db: ReturnType<typeof tempStore>, id: string): Delivery | undefined =>
  db.store.deliveries({ limit: 100 }).find((d) => d.id === id);

describe('webhook receiver over HTTP', () => {
  it('POSTs the Vigil payload with Idempotency-Key = delivery id and custom headers, and records delivery', async () => {
    const { server, db, sender } = await setup({
      name: 'hook',
      type: 'webhook',
      headers: { authorization: 'Bearer t0k' },
    });
    const [d] = deliveriesFor('hook', false, [makeAlert()]);
    db.put([d as Delivery]);
    await sender.tick();
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req).toMatchObject({ method: 'POST', path: '/hook/SECRET' });
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': d?.id,
      authorization: 'Bearer t0k',
    });
    const body = JSON.parse(req?.body ?? '');
    expect(body).toMatchObject({
      version: '2',
      idempotencyKey: d?.id,
      action: 'opened',
      alert: { id: '1' },
      alerts: [{ value: 950, expected: 120 }],
    });
    expect(stored(db, d?.id ?? '')).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
  });

  it('sends the Alertmanager v4 payload when format is alertmanager', async () => {
    const { server, db, sender } = await setup({ name: 'am', type: 'webhook', format: 'alertmanager' });
    db.put(deliveriesFor('am', false, [makeAlert()]));
    await sender.tick();
    const body = JSON.parse(server.requests[0]?.body ?? '');
    expect(body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'am',
      alerts: [{ status: 'firing', labels: { alertname: 'vigil_spike', service: 'api' } }],
    });
  });

  it('retries a 503 with the same key and body, then records delivered after 2 attempts', async () => {
    const { server, db, sender, clock } = await setup({ name: 'hook', type: 'webhook' }, (i) => ({
      status: i === 0 ? 503 : 204,
    }));
    const [d] = deliveriesFor('hook', false, [makeAlert()]);
    db.put([d as Delivery]);
    await sender.tick();
    expect(stored(db, d?.id ?? '')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    clock.t += 1;
    await sender.tick();
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual([d?.id, d?.id]);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
    expect(stored(db, d?.id ?? '')).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('fails at once on a permanent 400, and honours Retry-After on 429', async () => {
    const { db, sender, clock } = await setup({ name: 'hook', type: 'webhook' }, (_, req) =>
      req.body.includes('"id":"1"')
        ? { status: 400, body: 'bad event' }
        : { status: 429, headers: { 'retry-after': '30' } },
    );
    const [a] = deliveriesFor('hook', false, [makeAlert({ id: '1' })]);
    const [b] = deliveriesFor('hook', false, [makeAlert({ id: '2', service: 'db' })]);
    db.put([a as Delivery, b as Delivery]);
    await sender.tick();
    expect(stored(db, a?.id ?? '')).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'HTTP 400: bad event',
    });
    expect(stored(db, b?.id ?? '')).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: clock.t + 30_000,
    });
  });

  it('refuses a loopback destination unless private receivers are allowed; nothing reaches the server', async () => {
    const { server, db, sender } = await setup({ name: 'hook', type: 'webhook' }, undefined, {
      allowPrivate: false,
    });
    const [d] = deliveriesFor('hook', false, [makeAlert()]);
    db.put([d as Delivery]);
    await sender.tick();
    expect(server.requests).toHaveLength(0);
    expect(stored(db, d?.id ?? '')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(stored(db, d?.id ?? '')?.lastError).toMatch(/refused to send/);
  });

  it('crash rule: an attempt whose outcome was never recorded is sent once more, with the same key, then never again', async () => {
    const { server, db, make } = await setup({ name: 'hook', type: 'webhook' });
    const [d] = deliveriesFor('hook', false, [makeAlert()]);
    db.put([d as Delivery]);
    // The process "dies" after the request but before the attempt is recorded.
    const crashing = make({
      dueDeliveries: (n, l) => db.store.dueDeliveries(n, l),
      updateDelivery: () => {
        throw new Error('killed');
      },
    });
    await crashing.tick();
    await crashing.close();
    const restarted = make();
    await restarted.tick();
    await restarted.tick();
    await restarted.close();
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual([d?.id, d?.id]);
    expect(stored(db, d?.id ?? '')).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});

describe('Slack, Teams and PagerDuty over HTTP', () => {
  it('Slack gets a Block Kit body', async () => {
    const { server, db, sender } = await setup({ name: 'slack', type: 'slack' });
    db.put(deliveriesFor('slack', false, [makeAlert()]));
    await sender.tick();
    const body = JSON.parse(server.requests[0]?.body ?? '');
    expect(body.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(typeof body.text).toBe('string');
  });

  it('Teams gets an Adaptive Card message, or a MessageCard when asked', async () => {
    const a = await setup({ name: 'teams', type: 'teams' });
    a.db.put(deliveriesFor('teams', false, [makeAlert()]));
    await a.sender.tick();
    expect(JSON.parse(a.server.requests[0]?.body ?? '')).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
    });
    const b = await setup({ name: 'teams', type: 'teams', format: 'messagecard' });
    b.db.put(deliveriesFor('teams', false, [makeAlert()]));
    await b.sender.tick();
    expect(JSON.parse(b.server.requests[0]?.body ?? '')).toMatchObject({ '@type': 'MessageCard' });
  });

  it('PagerDuty follows the alert: trigger, acknowledge, resolve with one dedup_key', async () => {
    const { server, db, sender, clock } = await setup(
      { name: 'pd', type: 'pagerduty', routingKey: 'RK' },
      () => ({ status: 202, body: '{"status":"success"}' }),
    );
    const versions = [
      makeAlert({ id: '9', severity: 'critical' }),
      makeAlert({ id: '9', severity: 'critical', status: 'acknowledged', version: 2 }),
      makeAlert({ id: '9', severity: 'critical', status: 'resolved', version: 3, resolvedAt: 9_000_000 }),
    ];
    const notifier = notifierFor('pd', true);
    for (const v of versions) {
      notifier.alertChanged(v, actionOf(v), null, clock.t);
      db.put(notifier.flush(clock.t));
      clock.t += 1;
      await sender.tick();
    }
    const events = server.requests.map((r) => JSON.parse(r.body));
    expect(events.map((e) => [e.event_action, e.dedup_key, e.routing_key])).toEqual([
      ['trigger', '9', 'RK'],
      ['acknowledge', '9', 'RK'],
      ['resolve', '9', 'RK'],
    ]);
    expect(events[0].payload).toMatchObject({ severity: 'critical', source: 'api' });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['pd:9:1', 'pd:9:2', 'pd:9:3']);
  });
});
