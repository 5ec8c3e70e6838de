/**
 * The DeliverySender refuses internal destinations (the CVE-2020-13379 class, see
 * test/security/regression) for every HTTP receiver kind, records the delivery as failed with
 * the reason, and the internal canary gets no request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeliverySender,
  type ReceiverConfig,
  receiverConfigSchema,
} from '../../../src/alerting/receivers/index.js';
import { makeAlert } from '../routing/fixtures.js';
import { captureServer, deliveriesFor, SILENT_LOGGER, tempStore } from './harness.js';

describe('DeliverySender SSRF guard', () => {
  let canary: Awaited<ReturnType<typeof captureServer>>;
  beforeAll(async () => {
    canary = await captureServer();
  });
  afterAll(() => canary.close());

  it('refuses loopback spellings, localhost and the metadata address for webhook, Slack, Teams and PagerDuty', async () => {
    const port = new URL(canary.url).port;
    const targets = [
      `http://127.0.0.1:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/iam/',
    ];
    const kinds = [
      { type: 'webhook' },
      { type: 'slack' },
      { type: 'teams' },
      { type: 'pagerduty', routingKey: 'k' },
    ];
    const receivers = targets.flatMap((url, i) =>
      kinds.map((k, j) => receiverConfigSchema.parse({ name: `r${i}-${j}`, url, ...k }) as ReceiverConfig),
    );
    const db = tempStore();
    try {
      db.put(receivers.flatMap((r) => deliveriesFor(r.name, r.type === 'pagerduty', [makeAlert()], 1000)));
      const sender = new DeliverySender({
        receivers,
        store: db.store,
        logger: SILENT_LOGGER,
        now: () => 2000,
      });
      await sender.tick();
      await sender.close();
      const recorded = db.store.deliveries({ limit: 100 });
      expect(recorded).toHaveLength(targets.length * kinds.length);
      for (const d of recorded) {
        expect(d).toMatchObject({ status: 'failed', attempts: 1 });
        expect(d.lastError).toMatch(/SsrfError: refused to send/);
      }
      expect(canary.requests).toEqual([]);
    } finally {
      db.close();
    }
  });
});
