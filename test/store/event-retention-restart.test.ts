/**
 * Event retention against the real runtime: pruning never deletes a row that replaying the log
 * after the last checkpoint would write again (a delivered notification would come back
 * `pending` and be sent twice), and after a crash and replay pruned alerts stay gone while open
 * ones and their anomalies stay.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Config, loadConfig } from '../../src/config/index.js';
import { defaultDetectorFactory } from '../../src/engine/index.js';
import type { SampleItem } from '../../src/ingest/items.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { type EmbeddedStorage, openEmbeddedStorage } from '../../src/store/index.js';
import { tempDir } from './temp-dir.js';

const DAY = 86_400_000;
const EVENTS = 90 * DAY;

/**
 * One `orders` sample declared to lie in [0, 10]: the default 100 is outside, an anomaly by
 * itself, which opens an alert.
 */
function orders(service: string, t: number, v = 100): SampleItem[] {
  return [
    {
      k: 'sample',
      kind: 'business',
      service,
      endpoint: '/',
      metric: 'orders',
      labels: {},
      t,
      v,
      range: [0, 10],
    },
  ];
}
const ANSWER = { accepted: 1, rejected: 0, points: 1 };

describe('event retention with the runtime', () => {
  let tmp: ReturnType<typeof tempDir>;
  let config: Config;
  /** Storages not closed yet. */
  const open: EmbeddedStorage[] = [];

  /** Starts a runtime on the data directory (restoring the checkpoint and replaying the log). */
  function start(): { runtime: Runtime; storage: EmbeddedStorage } {
    const storage = openEmbeddedStorage(tmp.dir, { sqlite: { backgroundCheckpointMs: 0 } });
    open.push(storage);
    const runtime = new Runtime(config, storage, defaultDetectorFactory, pino({ level: 'silent' }));
    runtime.start();
    return { runtime, storage };
  }

  /** A crash after the last flush: the files are closed, no checkpoint is taken. */
  async function crash(storage: EmbeddedStorage): Promise<void> {
    open.splice(open.indexOf(storage), 1);
    await storage.close();
  }

  beforeEach(() => {
    // The runtime's flush, checkpoint, prune and notification timers never fire: the test drives it.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    tmp = tempDir('retention-runtime');
    config = loadConfig({
      env: {},
      overrides: {
        'storage.dataDir': tmp.dir,
        'log.level': 'silent',
        'agent.enabled': false,
        'alerting.receivers': [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.com/vigil' }],
      },
    });
  });

  afterEach(async () => {
    for (const storage of open.splice(0)) await storage.close();
    vi.useRealTimers();
    tmp.remove();
  });

  it('keeps what a replay would derive again, and a pruned alert stays gone after a crash', async () => {
    const t0 = Date.now();
    const first = start();
    first.runtime.ingest(orders('checkout', t0 + 1_000), ANSWER, undefined, t0 + 1_000);
    first.runtime.flush();
    const old = first.storage.store.alerts({ status: 'firing' }).items[0]!;
    expect(old).toBeDefined();
    first.runtime.alertAction({ action: 'resolve', alertId: old.id, by: 'ann', note: null }, t0 + 2_000);
    first.runtime.flush();
    const sent = first.storage.store.deliveries({ alertId: old.id });
    expect(sent.length).toBeGreaterThan(0);
    for (const d of sent) first.storage.store.updateDelivery({ ...d, status: 'delivered', attempts: 1 });

    // 100 days later by the wall clock, but the last checkpoint (taken at start) precedes these
    // records: a replay would derive them again, so nothing of them goes.
    first.storage.store.prune({ pointsMs: DAY, logsPerService: 10, eventsMs: EVENTS, nowMs: t0 + 100 * DAY });
    expect(first.storage.store.getAlert(old.id)?.status).toBe('resolved');
    await crash(first.storage);

    const second = start(); // replays both records
    expect(second.storage.store.deliveries({ alertId: old.id }).map((d) => d.status)).toEqual(
      sent.map(() => 'delivered'),
    );
    // Day 100: checkout reports again, normally (its events are measured back from its newest
    // sample, like its points); a checkpoint covers it all; then a new alert opens and stays open.
    second.runtime.ingest(orders('checkout', t0 + 100 * DAY, 5), ANSWER, undefined, t0 + 100 * DAY);
    second.runtime.checkpoint(t0 + 100 * DAY);
    second.runtime.ingest(orders('payments', t0 + 100 * DAY), ANSWER, undefined, t0 + 100 * DAY);
    second.runtime.flush();
    const firing = second.storage.store.alerts({ status: 'firing' }).items[0]!;
    expect(firing.service).toBe('payments');
    second.storage.store.prune({
      pointsMs: DAY,
      logsPerService: 10,
      eventsMs: EVENTS,
      nowMs: t0 + 100 * DAY,
    });
    expect(second.storage.store.getAlert(old.id)).toBeNull();
    await crash(second.storage);

    const third = start(); // replays the record after the day-100 checkpoint
    const store = third.storage.store;
    expect(store.getAlert(old.id)).toBeNull();
    expect(store.alertHistory(old.id)).toEqual([]);
    expect(store.alertAnomalies(old.id, 10)).toEqual([]);
    expect(store.deliveries({ alertId: old.id })).toEqual([]);
    expect(old.incidentId).not.toBeNull();
    expect(store.getIncident(old.incidentId!)).toBeNull();
    expect(store.getAlert(firing.id)?.status).toBe('firing');
    expect(store.alertAnomalies(firing.id, 10)).toHaveLength(1);
    expect(third.runtime.alertAction({ action: 'resolve', alertId: old.id, by: 'ann', note: null }, t0)).toBe(
      'not_found',
    );
    open.splice(open.indexOf(third.storage), 1);
    await third.runtime.stop(); // closes the storage
  });
});
