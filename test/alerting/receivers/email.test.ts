/**
 * Email receiver against a real SMTP server on loopback (smtp-server, port 0, no auth, no
 * TLS), through the DeliverySender and a real SQLite outbox.
 */
import { type AddressInfo, createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeliverySender,
  messageIdOf,
  parseNotification,
  type ReceiverConfig,
  receiverConfigSchema,
} from '../../../src/alerting/receivers/index.js';
import type { Delivery } from '../../../src/model/types.js';
import { makeAlert } from '../routing/fixtures.js';
import { deliveriesFor, HOSTILE, SILENT_LOGGER, tempStore } from './harness.js';
import { readMail } from './mime.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function smtp(reject?: { code: number; message: string }) {
  const mails: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (reject) return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, mails };
}

async function send(port: number, deliveries: Delivery[]) {
  const db = tempStore();
  cleanups.push(db.close);
  const config = receiverConfigSchema.parse({
    name: 'mail',
    type: 'email',
    smtp: { host: '127.0.0.1', port, secure: false },
    from: 'Vigil <vigil@example.com>',
    to: ['oncall@example.com', 'lead@example.com'],
  }) as ReceiverConfig;
  const sender = new DeliverySender({
    receivers: [config],
    store: db.store,
    logger: SILENT_LOGGER,
    allowPrivate: true,
    random: () => 0,
    timeoutMs: 3000,
  });
  db.put(deliveries);
  await sender.tick();
  await sender.close();
  return (id: string) => db.store.deliveries({ limit: 10 }).find((d) => d.id === id);
}

describe('email receiver over SMTP', () => {
  it('sends plain text and HTML with the explanation, envelope, subject and a stable Message-ID', async () => {
    const { port, mails } = await smtp();
    const [d] = deliveriesFor('mail', false, [makeAlert()]);
    const record = await send(port, [d as Delivery]);
    expect(mails).toHaveLength(1);
    const mail = mails[0] as Received;
    expect(mail.from).toBe('vigil@example.com');
    expect(mail.to).toEqual(['oncall@example.com', 'lead@example.com']);
    const { headers, text, html } = readMail(mail.raw);
    expect(headers.get('subject')).toBe('[Vigil] FIRING [HIGH] spike on api /checkout latency_ms');
    expect(headers.get('message-id')).toBe(messageIdOf(parseNotification(d?.payload ?? '')));
    expect(text).toContain('Actual 950 vs expected 120 (spike)');
    expect(text).toContain('For 1 min, 3 anomalous points');
    expect(text).toContain('Alert: https://vigil.example.com/#/alerts/1');
    expect(html).toContain('<li>Actual 950 vs expected 120 (spike)</li>');
    expect(html).toContain('<a href="https://vigil.example.com/#/alerts/1">Open alert</a>');
    expect(record(d?.id ?? '')).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('escapes hostile text in the HTML part and keeps it verbatim in the plain part', async () => {
    const { port, mails } = await smtp();
    await send(port, deliveriesFor('mail', false, [HOSTILE]));
    const { text, html } = readMail(mails[0]?.raw ?? '');
    expect(html).not.toMatch(/<script|<img|<b>|<eu>/i);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#60;img src=x onerror=alert(2)&#62;');
    expect(html).toContain('&#34;quotes&#34; &#39;single&#39;');
    expect(text).toContain('<script>steal()</script>');
  });

  it('records a permanent SMTP rejection (5xx) as failed', async () => {
    const { port, mails } = await smtp({ code: 554, message: 'rejected by policy' });
    const [d] = deliveriesFor('mail', false, [makeAlert()]);
    const record = await send(port, [d as Delivery]);
    expect(mails).toHaveLength(0);
    expect(record(d?.id ?? '')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(record(d?.id ?? '')?.lastError).toMatch(/rejected by policy/);
  });

  it('keeps a delivery pending when the SMTP server is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const [d] = deliveriesFor('mail', false, [makeAlert()]);
    const record = await send(port, [d as Delivery]);
    expect(record(d?.id ?? '')).toMatchObject({ status: 'pending', attempts: 1 });
  });
});
