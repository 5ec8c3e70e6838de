import { describe, expect, it } from 'vitest';
import {
  adaptiveCardPayload,
  alertmanagerPayload,
  eventAction,
  messageCardPayload,
  pagerdutyEvent,
  parseNotification,
  receiverConfigSchema,
  redactReceiver,
  slackPayload,
  vigilPayload,
} from '../../../src/alerting/receivers/index.js';
import { Notifier } from '../../../src/alerting/routing/index.js';
import { makeAlert, tree } from '../routing/fixtures.js';
import { deliveriesFor, HOSTILE, notificationOf } from './harness.js';

describe('Alertmanager webhook payload (v4)', () => {
  it('has the documented top-level and per-alert fields', () => {
    const [d] = deliveriesFor('am', false, [
      makeAlert({ id: '1', labels: { region: 'eu' } }),
      makeAlert({
        id: '2',
        seriesId: 's2',
        endpoint: '/pay',
        labels: { region: 'eu' },
        status: 'acknowledged',
        version: 2,
      }),
    ]);
    const p = alertmanagerPayload(parseNotification(d?.payload ?? ''));
    expect(Object.keys(p).sort()).toEqual([
      'alerts',
      'commonAnnotations',
      'commonLabels',
      'externalURL',
      'groupKey',
      'groupLabels',
      'receiver',
      'status',
      'truncatedAlerts',
      'version',
    ]);
    expect(p).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'am',
      groupLabels: { service: 'api' },
      truncatedAlerts: 0,
      externalURL: 'https://vigil.example.com',
    });
    expect(p.commonLabels).toEqual({
      alertname: 'vigil_spike',
      service: 'api',
      metric: 'latency_ms',
      region: 'eu',
      severity: 'high',
      type: 'spike',
    });
    const [firing] = p.alerts;
    expect(Object.keys(firing ?? {}).sort()).toEqual([
      'annotations',
      'endsAt',
      'fingerprint',
      'generatorURL',
      'labels',
      'startsAt',
      'status',
    ]);
    expect(firing).toMatchObject({
      status: 'firing',
      endsAt: '0001-01-01T00:00:00Z',
      startsAt: new Date(1_000_000).toISOString(),
      fingerprint: 'sid1',
    });
    expect(firing?.annotations).toMatchObject({ value: '950', expected: '120', vigil_alert_id: '1' });
  });

  it('gives resolved alerts status resolved and their end time', () => {
    const n = new Notifier({
      tree: tree({ receiver: 'am', groupWaitMs: 0, groupIntervalMs: 0 }),
      receivers: [{ name: 'am', minSeverity: 'info', perAlert: false }],
      publicUrl: 'http://v',
    });
    n.alertChanged(makeAlert({ id: '1' }), 'opened', null, 0);
    n.flush(0);
    n.alertChanged(
      makeAlert({ id: '1', status: 'resolved', resolvedAt: 7_000_000, version: 2 }),
      'resolved',
      null,
      7_000_000,
    );
    const [d] = n.flush(7_000_000);
    const p = alertmanagerPayload(parseNotification(d?.payload ?? ''));
    expect(p.status).toBe('resolved');
    expect(p.alerts[0]).toMatchObject({ status: 'resolved', endsAt: new Date(7_000_000).toISOString() });
  });

  it('leaves out an alert that resolved before it was notified as firing', () => {
    expect(
      deliveriesFor('am', false, [makeAlert({ id: '2', status: 'resolved', resolvedAt: 5_000_000 })]),
    ).toEqual([]);
  });
});

describe('Vigil webhook payload', () => {
  it('keeps the version 1 fields for the first alert', () => {
    const n = notificationOf('hook');
    const p = vigilPayload(n);
    expect(p).toMatchObject({
      version: '2',
      idempotencyKey: n.idempotencyKey,
      action: 'opened',
      summary: n.alerts[0]?.alert.summary,
      url: 'https://vigil.example.com/#/alerts/1',
    });
    expect(p.alert).toEqual(n.alerts[0]?.alert);
  });
});

describe('Slack Block Kit', () => {
  it('has a header, a section with the explanation, link buttons, and escapes mrkdwn', () => {
    const p = slackPayload(notificationOf('slack', HOSTILE));
    const blocks = p.blocks as Array<{
      type: string;
      text?: { type: string; text: string };
      elements?: Array<{ url?: string }>;
    }>;
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions', 'divider']);
    expect(blocks[0]?.text?.type).toBe('plain_text');
    const section = blocks[1]?.text?.text ?? '';
    expect(section).toContain('Actual 950 vs expected 120 (spike)');
    expect(section).toContain('&lt;script&gt;');
    expect(section).not.toMatch(/<script>|<b>|<img/);
    expect(blocks[2]?.elements?.map((e) => e.url)).toEqual([
      'https://vigil.example.com/#/alerts/66',
      expect.stringContaining('#/series?ids='),
    ]);
    expect(p.text).not.toContain('<script>');
  });

  it('stays within 50 blocks for a large group', () => {
    const alerts = Array.from({ length: 40 }, (_, i) => makeAlert({ id: String(i + 1), seriesId: `s${i}` }));
    const [d] = deliveriesFor('slack', false, alerts);
    const p = slackPayload(parseNotification(d?.payload ?? ''));
    expect(p.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(p.blocks.at(-1))).toContain('and 25 more alerts');
  });
});

describe('Teams cards', () => {
  it('Adaptive Card wraps the card in a message attachment with facts and open-URL actions', () => {
    const p = adaptiveCardPayload(notificationOf('teams')) as {
      type: string;
      attachments: Array<{
        contentType: string;
        content: {
          type: string;
          version: string;
          body: Array<{ type: string; facts?: Array<{ title: string; value: string }> }>;
        };
      }>;
    };
    expect(p.type).toBe('message');
    const card = p.attachments[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const facts = card?.content.body.find((b) => b.type === 'FactSet')?.facts ?? [];
    expect(facts).toEqual(
      expect.arrayContaining([
        { title: 'Severity', value: 'high' },
        { title: 'Anomaly', value: 'Actual 950 vs expected 120 (spike)' },
      ]),
    );
    expect(JSON.stringify(p)).toContain('"type":"Action.OpenUrl"');
  });

  it('MessageCard has the connector fields and a theme colour', () => {
    const p = messageCardPayload(notificationOf('teams'));
    expect(p).toMatchObject({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      themeColor: 'E05A00',
    });
    expect(p.potentialAction).toEqual([
      {
        '@type': 'OpenUri',
        name: 'Open in Vigil',
        targets: [{ os: 'default', uri: 'https://vigil.example.com/#/alerts/1' }],
      },
    ]);
  });
});

describe('PagerDuty Events v2', () => {
  it('maps alert status to event actions', () => {
    expect(['firing', 'acknowledged', 'resolved'].map((s) => eventAction(s as 'firing'))).toEqual([
      'trigger',
      'acknowledge',
      'resolve',
    ]);
  });

  it('triggers with dedup_key = alert id, a payload and links; acknowledges and resolves with the key only', () => {
    const trigger = pagerdutyEvent(
      notificationOf('pd', makeAlert({ id: '42', severity: 'critical' })),
      'R0UTINGKEY',
    );
    expect(trigger).toMatchObject({
      routing_key: 'R0UTINGKEY',
      event_action: 'trigger',
      dedup_key: '42',
      payload: { source: 'api', severity: 'critical', component: '/checkout', class: 'spike' },
    });
    expect((trigger.payload as { summary: string }).summary.length).toBeLessThanOrEqual(1024);
    const ack = pagerdutyEvent(
      notificationOf('pd', makeAlert({ id: '42', status: 'acknowledged', version: 2 })),
      'K',
    );
    expect(ack).toEqual({
      routing_key: 'K',
      event_action: 'acknowledge',
      dedup_key: '42',
      client: 'Vigil',
      client_url: 'https://vigil.example.com/#/alerts/42',
    });
  });
});

describe('receiver config', () => {
  it('parses each kind with defaults and rejects unknown keys and kinds', () => {
    expect(
      receiverConfigSchema.parse({ name: 'h', type: 'webhook', url: 'https://x.example/h' }),
    ).toMatchObject({ format: 'vigil', headers: {}, minSeverity: 'info' });
    expect(
      receiverConfigSchema.parse({ name: 't', type: 'teams', url: 'https://x.example/t' }),
    ).toMatchObject({ format: 'adaptive' });
    expect(receiverConfigSchema.parse({ name: 'p', type: 'pagerduty', routingKey: 'k' })).toMatchObject({
      url: 'https://events.pagerduty.com/v2/enqueue',
    });
    expect(
      receiverConfigSchema.parse({
        name: 'm',
        type: 'email',
        smtp: { host: 'mail' },
        from: 'v@x.example',
        to: ['a@x.example'],
      }),
    ).toMatchObject({ smtp: { port: 587, secure: false } });
    expect(receiverConfigSchema.safeParse({ name: 'x', type: 'command', command: 'rm -rf /' }).success).toBe(
      false,
    );
    expect(
      receiverConfigSchema.safeParse({ name: 'x', type: 'slack', url: 'ftp://x.example/' }).success,
    ).toBe(false);
    expect(
      receiverConfigSchema.safeParse({ name: 'x', type: 'slack', url: 'https://x.example/', extra: 1 })
        .success,
    ).toBe(false);
  });

  it('redacts URL paths, routing keys, header values and SMTP passwords', () => {
    const text = JSON.stringify([
      redactReceiver(
        receiverConfigSchema.parse({
          name: 's',
          type: 'slack',
          url: 'https://hooks.slack.com/services/T0/B0/SECRET1',
        }),
      ),
      redactReceiver(receiverConfigSchema.parse({ name: 'p', type: 'pagerduty', routingKey: 'SECRET2' })),
      redactReceiver(
        receiverConfigSchema.parse({
          name: 'w',
          type: 'webhook',
          url: 'https://x.example/',
          headers: { authorization: 'SECRET3' },
        }),
      ),
      redactReceiver(
        receiverConfigSchema.parse({
          name: 'm',
          type: 'email',
          smtp: { host: 'mail', auth: { user: 'u', pass: 'SECRET4' } },
          from: 'v@x.example',
          to: ['a@x.example'],
        }),
      ),
    ]);
    expect(text).not.toMatch(/SECRET/);
    expect(text).toContain('https://hooks.slack.com/[redacted]');
  });
});
