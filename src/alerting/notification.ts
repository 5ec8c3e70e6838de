/**
 * Notification payloads and the deliveries that carry them to receivers.
 */
import type { ReceiverConfig } from '../config/index.js';
import type { Alert, AlertAction, Delivery } from '../model/types.js';
import { severityRank } from './severity.js';

/** Alert actions that notify receivers (`updated` — one more anomaly on an open alert — does not). */
export const NOTIFYING_ACTIONS: ReadonlySet<AlertAction> = new Set([
  'opened',
  'escalated',
  'acknowledged',
  'resolved',
  'auto_resolved',
]);

/** Body of a generic webhook notification (schema version 1). */
export interface WebhookPayload {
  readonly version: '1';
  /** Same as the delivery id and the `Idempotency-Key` header. */
  readonly idempotencyKey: string;
  readonly receiver: string;
  readonly action: AlertAction;
  readonly alert: Alert;
  /** The alert's explanation: actual vs expected, type. */
  readonly summary: string;
  /** Dashboard link to the alert. */
  readonly url: string;
}

/** Delivery id: `<receiver>:<alert id>:<alert version>`, unique per alert change and receiver. */
export function deliveryId(receiver: string, alert: Alert): string {
  return `${receiver}:${alert.id}:${alert.version}`;
}

/**
 * Deliveries for one alert change: one per receiver whose minimum severity the alert meets.
 * @param createdAt when the change was received, Unix ms (from the ingest log, so replays match)
 */
export function deliveriesFor(
  alert: Alert,
  action: AlertAction,
  receivers: readonly ReceiverConfig[],
  publicUrl: string,
  createdAt: number,
): Delivery[] {
  if (!NOTIFYING_ACTIONS.has(action)) return [];
  const out: Delivery[] = [];
  for (const r of receivers) {
    if (severityRank(alert.severity) < severityRank(r.minSeverity)) continue;
    const id = deliveryId(r.name, alert);
    const payload: WebhookPayload = {
      version: '1',
      idempotencyKey: id,
      receiver: r.name,
      action,
      alert,
      summary: alert.summary,
      url: `${publicUrl.replace(/\/$/, '')}/#/alerts/${encodeURIComponent(alert.id)}`,
    };
    out.push({
      id,
      receiver: r.name,
      alertId: alert.id,
      alertVersion: alert.version,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAt,
      lastAttemptAt: null,
      nextAttemptAt: createdAt,
    });
  }
  return out;
}
