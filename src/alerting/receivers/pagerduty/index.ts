/**
 * PagerDuty receiver (Events API v2). One event per alert, `dedup_key` = the Vigil alert id,
 * so the page PagerDuty opens follows the alert: firing → `trigger`, acknowledged in Vigil →
 * `acknowledge`, resolved → `resolve`. Severity maps critical → critical, high → error,
 * medium/low → warning, info → info.
 *
 * @see https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 */
import type { Severity } from '../../../model/types.js';
import type { PagerdutyReceiverConfig } from '../config.js';
import { explainLines, notificationTitle, truncate } from '../shared/format.js';
import type { HttpMessage, Notification, Receiver } from '../types.js';

const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'info',
};

/** Event action for an alert status. */
export function eventAction(
  status: 'firing' | 'acknowledged' | 'resolved',
): 'trigger' | 'acknowledge' | 'resolve' {
  return status === 'firing' ? 'trigger' : status === 'acknowledged' ? 'acknowledge' : 'resolve';
}

/**
 * Builds the Events API v2 body for the (single) alert of a notification.
 * @throws {Error} when the notification has no alert
 */
export function pagerdutyEvent(n: Notification, routingKey: string): Record<string, unknown> {
  const first = n.alerts[0];
  if (!first) throw new Error(`notification ${n.idempotencyKey} has no alert`);
  const a = first.alert;
  const action = eventAction(a.status);
  const event: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: action,
    dedup_key: a.id,
    client: 'Vigil',
    client_url: first.url,
  };
  if (action !== 'trigger') return event;
  return {
    ...event,
    payload: {
      summary: truncate(notificationTitle({ ...n, alerts: [first] }), 1024),
      source: a.service,
      severity: PD_SEVERITY[a.severity],
      timestamp: new Date(a.startsAt).toISOString(),
      component: a.endpoint,
      group: a.service,
      class: a.type,
      custom_details: {
        explanation: explainLines(first).slice(0, -2).join('\n'),
        metric: a.metric,
        labels: first.labels,
        value: first.value,
        expected: first.expected,
        anomaly_count: a.anomalyCount,
        max_score: a.maxScore,
      },
    },
    links: [
      { href: first.url, text: 'Alert in Vigil' },
      { href: first.seriesUrl, text: 'Series in Vigil' },
    ],
  };
}

/** Creates a PagerDuty receiver (one delivery per alert). */
export function pagerdutyReceiver(config: PagerdutyReceiverConfig): Receiver {
  return {
    name: config.name,
    kind: 'pagerduty',
    perAlert: true,
    render(n: Notification): HttpMessage {
      return {
        transport: 'http',
        url: config.url,
        headers: { 'content-type': 'application/json', 'idempotency-key': n.idempotencyKey },
        body: JSON.stringify(pagerdutyEvent(n, config.routingKey)),
      };
    },
  };
}
