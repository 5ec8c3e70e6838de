/**
 * Webhook receiver: a JSON POST with one of two bodies.
 * - `vigil` (default): Vigil's own payload, schema version 2 — the notification with every
 *   alert, plus the fields of version 1 (`action`, `alert`, `summary`, `url`) for the first
 *   alert so consumers of version 1 keep working.
 * - `alertmanager`: the Prometheus Alertmanager webhook payload, version 4, so tools built for
 *   Alertmanager (e.g. alert bridges) consume Vigil unchanged.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
import type { WebhookReceiverConfig } from '../config.js';
import { explainLines } from '../shared/format.js';
import type { HttpMessage, Notification, NotifiedAlert, Receiver } from '../types.js';

/** Alertmanager's "zero" time, used as `endsAt` of firing alerts. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** One alert of the Alertmanager v4 payload. */
export interface AlertmanagerAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** The Alertmanager webhook payload, version 4. */
export interface AlertmanagerPayload {
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly externalURL: string;
  readonly alerts: readonly AlertmanagerAlert[];
}

function common(maps: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

function amAlert(n: NotifiedAlert): AlertmanagerAlert {
  const a = n.alert;
  const annotations: Record<string, string> = {
    summary: a.summary,
    description: explainLines(n).join('\n'),
    vigil_alert_id: a.id,
    vigil_status: a.status,
  };
  if (n.value !== null) annotations.value = String(n.value);
  if (n.expected !== null) annotations.expected = String(n.expected);
  return {
    status: a.status === 'resolved' ? 'resolved' : 'firing',
    labels: { alertname: `vigil_${a.type}`, ...n.labels },
    annotations,
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: a.resolvedAt === null ? ZERO_TIME : new Date(a.resolvedAt).toISOString(),
    generatorURL: n.seriesUrl,
    fingerprint: a.seriesId,
  };
}

/** Builds the Alertmanager v4 payload of a notification. */
export function alertmanagerPayload(n: Notification): AlertmanagerPayload {
  const alerts = n.alerts.map(amAlert);
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver: n.receiver,
    groupLabels: { ...n.groupLabels },
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: n.externalUrl,
    alerts,
  };
}

/** Builds Vigil's webhook payload (version 2, a superset of version 1's fields). */
export function vigilPayload(n: Notification): Record<string, unknown> {
  const first = n.alerts[0];
  return {
    ...n,
    action: first?.action,
    alert: first?.alert,
    summary: first?.alert.summary,
    url: first?.url,
  };
}

/** Creates a webhook receiver. */
export function webhookReceiver(config: WebhookReceiverConfig): Receiver {
  return {
    name: config.name,
    kind: 'webhook',
    perAlert: false,
    render(n: Notification): HttpMessage {
      const body = config.format === 'alertmanager' ? alertmanagerPayload(n) : vigilPayload(n);
      return {
        transport: 'http',
        url: config.url,
        headers: {
          ...config.headers,
          'content-type': 'application/json',
          'idempotency-key': n.idempotencyKey,
        },
        body: JSON.stringify(body),
      };
    },
  };
}
