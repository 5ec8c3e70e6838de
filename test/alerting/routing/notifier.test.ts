import { describe, expect, it } from 'vitest';
import { parseNotification, receiverConfigSchema } from '../../../src/alerting/receivers/index.js';
import { createNotifier, Notifier, type NotifierReceiver } from '../../../src/alerting/routing/index.js';
import { silenceSchema } from '../../../src/alerting/silences/index.js';
import type { Delivery } from '../../../src/model/types.js';
import { makeAlert, tree } from './fixtures.js';

const RECEIVERS: NotifierReceiver[] = [
  { name: 'ops', minSeverity: 'info', perAlert: false },
  { name: 'pd', minSeverity: 'critical', perAlert: true },
];
const TREE = tree({
  receiver: 'ops',
  groupBy: ['service'],
  groupWaitMs: 10_000,
  groupIntervalMs: 60_000,
  repeatIntervalMs: 3_600_000,
  routes: [{ matchers: ['severity="critical"'], receiver: 'pd', continue: true }],
});

function notifier() {
  return new Notifier({ tree: TREE, receivers: RECEIVERS, publicUrl: 'https://vigil.example.com/' });
}
const summary = (ds: Delivery[]) =>
  ds.map((d) => [d.id, parseNotification(d.payload).alerts.map((a) => a.alert.id)]);

describe('Notifier', () => {
  it('turns a grouped alert change into one delivery with links and values', () => {
    const n = notifier();
    n.alertChanged(makeAlert({ id: '7', seriesId: 'abc' }), 'opened', { value: 950, expected: 120 }, 1000);
    expect(n.flush(1000)).toEqual([]);
    expect(n.nextWakeAt(1000)).toBe(11_000);
    const [d] = n.flush(11_000);
    expect(d).toMatchObject({
      receiver: 'ops',
      alertId: '7',
      alertVersion: 1,
      status: 'pending',
      attempts: 0,
      createdAt: 11_000,
      nextAttemptAt: 11_000,
    });
    expect(d?.id).toMatch(/^ops:[0-9a-f]{16}:1$/);
    const p = parseNotification(d?.payload ?? '');
    expect(p).toMatchObject({
      version: '2',
      idempotencyKey: d?.id,
      receiver: 'ops',
      status: 'firing',
      groupLabels: { service: 'api' },
      externalUrl: 'https://vigil.example.com',
    });
    expect(p.alerts[0]).toMatchObject({
      value: 950,
      expected: 120,
      action: 'opened',
      url: 'https://vigil.example.com/#/alerts/7',
    });
    expect(p.alerts[0]?.seriesUrl).toContain('#/series?ids=abc&from=');
  });

  it('keeps the last known values for changes without an anomaly (acknowledge)', () => {
    const n = notifier();
    n.alertChanged(makeAlert({ id: '7' }), 'opened', { value: 950, expected: 120 }, 0);
    n.flush(10_000);
    n.alertChanged(
      makeAlert({ id: '7', version: 2, status: 'acknowledged', acknowledgedBy: 'bob' }),
      'acknowledged',
      null,
      20_000,
    );
    const [d] = n.flush(70_000);
    expect(parseNotification(d?.payload ?? '').alerts[0]).toMatchObject({
      value: 950,
      expected: 120,
      action: 'acknowledged',
    });
  });

  it('gives per-alert receivers one delivery per alert version, keyed by alert id, and honours minSeverity', () => {
    const n = notifier();
    n.alertChanged(makeAlert({ id: '1', severity: 'critical' }), 'opened', null, 0);
    n.alertChanged(
      makeAlert({ id: '2', severity: 'critical', seriesId: 's2', service: 'db' }),
      'opened',
      null,
      0,
    );
    n.alertChanged(
      makeAlert({ id: '3', severity: 'high', seriesId: 's3', service: 'web' }),
      'opened',
      null,
      0,
    );
    const out = n.flush(10_000);
    expect(
      out
        .filter((d) => d.receiver === 'pd')
        .map((d) => d.id)
        .sort(),
    ).toEqual(['pd:1:1', 'pd:2:1']);
    // The critical ones matched the pd route, so (Alertmanager semantics) the root's ops only gets alert 3.
    expect(summary(out.filter((d) => d.receiver === 'ops')).map(([, a]) => a)).toEqual([['3']]);
    // A repeat re-issues the same per-alert ids, which the store's insert-or-ignore drops.
    expect(
      n
        .flush(10_000 + 3_600_000)
        .filter((d) => d.receiver === 'pd')
        .map((d) => d.id)
        .sort(),
    ).toEqual(['pd:1:1', 'pd:2:1']);
  });

  it('mutes silenced alerts until the silence ends, and wakes up when it does', () => {
    const n = notifier();
    n.setSilences([
      silenceSchema.parse({
        id: 's',
        matchers: [{ name: 'service', value: 'api' }],
        startsAt: 0,
        endsAt: 50_000,
        createdBy: 'ann',
      }),
    ]);
    n.alertChanged(makeAlert({ id: '1' }), 'opened', null, 0);
    expect(n.flush(10_000)).toEqual([]);
    expect(n.nextWakeAt(10_000)).toBe(50_000);
    expect(summary(n.flush(50_000))).toEqual([[expect.stringMatching(/^ops:/), ['1']]]);
  });

  it('inhibits lower alerts of a service with an open critical alert, and releases them on its resolution', () => {
    const n = new Notifier({
      tree: tree({ receiver: 'ops', groupBy: ['...'], groupWaitMs: 0, groupIntervalMs: 0 }),
      receivers: RECEIVERS,
      publicUrl: 'http://x',
    });
    n.alertChanged(
      makeAlert({ id: 'c', severity: 'critical', seriesId: 'c', metric: 'errors' }),
      'opened',
      null,
      0,
    );
    n.alertChanged(makeAlert({ id: 'h', severity: 'high' }), 'opened', null, 0);
    expect(summary(n.flush(0)).map(([, a]) => a)).toEqual([['c']]);
    n.alertChanged(
      makeAlert({
        id: 'c',
        severity: 'critical',
        seriesId: 'c',
        metric: 'errors',
        status: 'resolved',
        version: 2,
      }),
      'resolved',
      null,
      5,
    );
    expect(summary(n.flush(5)).map(([, a]) => a)).toEqual([['c'], ['h']]);
  });

  it('never reuses a delivery id when a series alerts again after its group emptied (regression)', () => {
    const n = new Notifier({
      tree: tree({ receiver: 'ops', groupBy: ['...'], groupWaitMs: 0, groupIntervalMs: 0 }),
      receivers: RECEIVERS,
      publicUrl: 'http://x',
    });
    const ids: string[] = [];
    n.alertChanged(makeAlert({ id: '1' }), 'opened', null, 0);
    ids.push(...n.flush(0).map((d) => d.id));
    n.alertChanged(makeAlert({ id: '1', status: 'resolved', version: 2 }), 'resolved', null, 1);
    ids.push(...n.flush(1).map((d) => d.id));
    n.alertChanged(makeAlert({ id: '2' }), 'opened', null, 2);
    ids.push(...n.flush(2).map((d) => d.id));
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('rebuilds identical deliveries after restoring a mid-stream snapshot (replay after a crash)', () => {
    const run = (n: Notifier, from: number) => {
      const out: Delivery[] = [];
      const steps: Array<() => void> = [
        () => n.alertChanged(makeAlert({ id: '1' }), 'opened', { value: 5, expected: 1 }, 0),
        () => out.push(...n.flush(10_000)),
        () =>
          n.alertChanged(makeAlert({ id: '2', seriesId: 's2' }), 'opened', { value: 6, expected: 1 }, 20_000),
        () =>
          n.alertChanged(
            makeAlert({ id: '1', version: 2, severity: 'critical' }),
            'escalated',
            { value: 9, expected: 1 },
            30_000,
          ),
        () => out.push(...n.flush(70_000)),
        () =>
          n.alertChanged(
            makeAlert({ id: '1', version: 3, status: 'resolved', resolvedAt: 80_000 }),
            'resolved',
            null,
            80_000,
          ),
        () => out.push(...n.flush(140_000)),
      ];
      for (const step of steps.slice(from)) step();
      return out;
    };
    const full = run(notifier(), 0);
    const partial = notifier();
    // Apply the first three steps, checkpoint, then "crash" and replay the rest from the checkpoint.
    const first = notifier();
    const head: Delivery[] = [];
    first.alertChanged(makeAlert({ id: '1' }), 'opened', { value: 5, expected: 1 }, 0);
    head.push(...first.flush(10_000));
    first.alertChanged(makeAlert({ id: '2', seriesId: 's2' }), 'opened', { value: 6, expected: 1 }, 20_000);
    partial.restore(JSON.parse(JSON.stringify(first.snapshot())));
    const tail = run(partial, 3);
    expect([...head, ...tail]).toEqual(full);
    expect(full.map((d) => d.id)).toHaveLength(new Set(full.map((d) => d.id)).size);
    expect(full.length).toBeGreaterThanOrEqual(4);
  });
});

describe('createNotifier', () => {
  it('without a routing tree sends every change to every receiver at once (legacy behaviour), honouring minSeverity', () => {
    const receivers = [
      receiverConfigSchema.parse({ name: 'a', type: 'webhook', url: 'https://a.example/' }),
      receiverConfigSchema.parse({
        name: 'b',
        type: 'slack',
        url: 'https://b.example/',
        minSeverity: 'critical',
      }),
      receiverConfigSchema.parse({ name: 'p', type: 'pagerduty', routingKey: 'k' }),
    ];
    const n = createNotifier({ receivers, publicUrl: 'http://v' });
    n?.alertChanged(makeAlert({ id: '1', severity: 'high' }), 'opened', null, 100);
    expect(n?.flush(100).map((d) => d.receiver)).toEqual(['a', 'p']);
    n?.alertChanged(makeAlert({ id: '1', severity: 'critical', version: 2 }), 'escalated', null, 101);
    expect(n?.flush(101).map((d) => d.id)).toEqual([
      expect.stringMatching(/^a:[0-9a-f]{16}:2$/),
      expect.stringMatching(/^b:[0-9a-f]{16}:2$/),
      'p:1:2',
    ]);
  });

  it('is null without receivers', () => {
    expect(createNotifier({ receivers: [], publicUrl: 'http://v' })).toBeNull();
  });
});

describe('Notifier silence reminders and maintenance', () => {
  const silence = (endsAt: number) =>
    silenceSchema.parse({
      id: 's',
      matchers: [{ name: 'service', value: 'api' }],
      startsAt: 0,
      endsAt,
      createdBy: 'ann',
      comment: 'db migration',
    });

  it('reminds the receivers of the alerts a silence mutes once, before it ends, under a stable key', () => {
    const n = notifier();
    n.setSilences([silence(4 * 3_600_000)]);
    n.alertChanged(makeAlert({ id: '1' }), 'opened', null, 0);
    expect(n.flush(20_000)).toEqual([]);
    // Reminder lead: min(1 h, a quarter of the silence) = 1 h before the end.
    expect(n.nextWakeAt(20_000)).toBe(3 * 3_600_000);
    const [d, ...rest] = n.flush(3 * 3_600_000);
    expect(rest).toEqual([]);
    expect(d?.id).toBe('ops:silence:s:reminder');
    const p = parseNotification(d?.payload ?? '');
    expect(p.reminder).toEqual({
      silenceId: 's',
      endsAt: 4 * 3_600_000,
      createdBy: 'ann',
      comment: 'db migration',
    });
    expect(p.alerts.map((a) => a.alert.id)).toEqual(['1']);
    expect(n.flush(3 * 3_600_000 + 60_000)).toEqual([]);
    // The reminder survives a checkpoint: no second one after a restore.
    const m = notifier();
    m.restore(JSON.parse(JSON.stringify(n.snapshot())));
    expect(m.flush(3 * 3_600_000 + 120_000)).toEqual([]);
  });

  it('sends no reminder for a silence that mutes nothing or is too short', () => {
    const n = notifier();
    n.setSilences([silence(4 * 3_600_000)]);
    expect(n.flush(3 * 3_600_000)).toEqual([]);
    const short = notifier();
    short.setSilences([silence(3 * 60_000)]);
    short.alertChanged(makeAlert({ id: '1' }), 'opened', null, 0);
    expect(short.nextWakeAt(10_000)).toBe(3 * 60_000);
  });

  it('mutes alerts covered by an active maintenance window and notifies when it ends', async () => {
    const { MaintenanceWindow, maintenanceWindowSchema } = await import(
      '../../../src/alerting/maintenance/window.js'
    );
    const n = notifier();
    const day = Date.UTC(2026, 0, 5);
    n.setMaintenance([
      new MaintenanceWindow(
        maintenanceWindowSchema.parse({
          name: 'deploy',
          matchers: ['service="api"'],
          cron: '0 0 * * *',
          durationMs: 3_600_000,
        }),
      ),
    ]);
    n.alertChanged(makeAlert({ id: '1' }), 'opened', null, day + 60_000);
    n.alertChanged(makeAlert({ id: '2', seriesId: 'x', service: 'search' }), 'opened', null, day + 60_000);
    expect(summary(n.flush(day + 70_000)).map(([, a]) => a)).toEqual([['2']]);
    expect(n.nextWakeAt(day + 70_000)).toBe(day + 3_600_000);
    expect(summary(n.flush(day + 3_600_000)).map(([, a]) => a)).toEqual([['1']]);
  });
});
