/**
 * The test notification a user sends to check a receiver (Grafana's "Test" button on a contact
 * point): one firing alert of the synthetic series `vigil / receiver-test`, saying that no action
 * is needed. It goes through the receiver's own rendering and the shared HTTP/SMTP stage, but
 * not through routing, silences or the delivery outbox, and is not retried.
 */
import { firingAlert } from '../alert-manager.js';
import type { Notification } from './types.js';

/**
 * The notification of a receiver test.
 * @param receiver receiver name
 * @param now wall time, Unix ms (also makes the idempotency key unique per test)
 * @param publicUrl dashboard base URL for links, e.g. `https://vigil.example.com`
 * @param by who asked for the test (shown in the message)
 */
export function testNotification(receiver: string, now: number, publicUrl: string, by: string): Notification {
  const base = publicUrl.replace(/\/$/, '');
  const id = `test-${now}`;
  const alert = firingAlert(
    id,
    { id: 'receiver-test', service: 'vigil', endpoint: '', metric: 'receiver-test', labels: {} },
    {
      severity: 'info',
      startsAt: now,
      lastAnomalyAt: now,
      anomalyCount: 1,
      maxScore: 0,
      type: 'outlier',
      summary: `Test notification from Vigil to receiver "${receiver}", sent by ${by}. No action is needed.`,
    },
  );
  return {
    version: '2',
    idempotencyKey: `${receiver}:test:${now}`,
    receiver,
    groupKey: 'test',
    groupLabels: { alertname: 'VigilReceiverTest' },
    status: 'firing',
    alerts: [
      {
        alert,
        labels: { service: 'vigil', metric: 'receiver-test', severity: 'info', test: 'true' },
        action: 'opened',
        value: null,
        expected: null,
        url: `${base}/#/settings`,
        seriesUrl: `${base}/#/settings`,
      },
    ],
    externalUrl: base,
    at: now,
  };
}
