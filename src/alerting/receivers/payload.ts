/**
 * Reading a delivery's stored payload back into a {@link Notification}. Payloads of schema
 * version 1 (one alert, written before routing existed) are upgraded, so deliveries pending
 * across an upgrade are still sent.
 */
import type { Alert, AlertAction } from '../../model/types.js';
import { alertLabels } from '../routing/labels.js';
import type { Notification } from './types.js';

interface PayloadV1 {
  readonly version: '1';
  readonly idempotencyKey: string;
  readonly receiver: string;
  readonly action: AlertAction;
  readonly alert: Alert;
  readonly url: string;
}

/**
 * Parses a stored payload.
 * @throws {Error} when it is not JSON or not a known schema version
 */
export function parseNotification(payload: string): Notification {
  const p = JSON.parse(payload) as { version?: unknown };
  if (p.version === '2') return p as Notification;
  if (p.version === '1') {
    const v1 = p as PayloadV1;
    const base = v1.url.replace(/\/?#.*$/, '');
    return {
      version: '2',
      idempotencyKey: v1.idempotencyKey,
      receiver: v1.receiver,
      groupKey: `alert:${v1.alert.id}`,
      groupLabels: {},
      status: v1.alert.status === 'resolved' ? 'resolved' : 'firing',
      alerts: [
        {
          alert: v1.alert,
          labels: alertLabels(v1.alert),
          action: v1.action,
          value: null,
          expected: null,
          url: v1.url,
          seriesUrl: v1.url,
        },
      ],
      externalUrl: base,
      at: v1.alert.lastAnomalyAt,
    };
  }
  throw new Error(`unknown notification payload version ${JSON.stringify(p.version)}`);
}
