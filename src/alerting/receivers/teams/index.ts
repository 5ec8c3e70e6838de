/**
 * Microsoft Teams receiver: an incoming webhook message, either an Adaptive Card (the format of
 * Teams Workflows webhooks, default) or a legacy MessageCard (Office 365 connectors).
 * Teams renders card text as plain text/markdown, so values go in as data, never as markup.
 *
 * @see https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
 * @see https://adaptivecards.io/explorer/
 */
import type { Severity } from '../../../model/types.js';
import type { TeamsReceiverConfig } from '../config.js';
import { explainLines, notificationTitle, truncate } from '../shared/format.js';
import type { HttpMessage, Notification, NotifiedAlert, Receiver } from '../types.js';

const MAX_ALERTS = 20;

const THEME: Record<Severity, string> = {
  critical: 'B00020',
  high: 'E05A00',
  medium: 'D9A400',
  low: '2F6FB3',
  info: '6B7280',
};

function facts(n: NotifiedAlert): Array<{ name: string; value: string }> {
  const [, ...lines] = explainLines(n).slice(0, -2);
  return [
    { name: 'Severity', value: n.alert.severity },
    { name: 'Status', value: n.alert.status },
    ...lines.map((line, i) => ({ name: i === 0 ? 'Anomaly' : '', value: line })),
  ];
}

/** Builds an Adaptive Card message (wrapped as Teams webhooks expect). */
export function adaptiveCardPayload(n: Notification): Record<string, unknown> {
  const body: unknown[] = [
    {
      type: 'TextBlock',
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      text: truncate(notificationTitle(n), 300),
    },
  ];
  for (const a of n.alerts.slice(0, MAX_ALERTS)) {
    body.push(
      {
        type: 'TextBlock',
        weight: 'Bolder',
        wrap: true,
        separator: true,
        text: truncate(explainLines(a)[0] ?? '', 300),
      },
      { type: 'FactSet', facts: facts(a).map((f) => ({ title: f.name, value: f.value })) },
      {
        type: 'ActionSet',
        actions: [
          { type: 'Action.OpenUrl', title: 'Open alert', url: a.url },
          { type: 'Action.OpenUrl', title: 'Open series', url: a.seriesUrl },
        ],
      },
    );
  }
  if (n.alerts.length > MAX_ALERTS)
    body.push({ type: 'TextBlock', isSubtle: true, text: `and ${n.alerts.length - MAX_ALERTS} more alerts` });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
        },
      },
    ],
  };
}

/** Builds a legacy MessageCard. */
export function messageCardPayload(n: Notification): Record<string, unknown> {
  const first = n.alerts[0];
  const title = notificationTitle(n);
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: truncate(title, 300),
    themeColor: n.status === 'resolved' ? '2E7D32' : THEME[first?.alert.severity ?? 'info'],
    title: truncate(title, 300),
    sections: n.alerts.slice(0, MAX_ALERTS).map((a) => ({
      activityTitle: explainLines(a)[0] ?? '',
      facts: facts(a),
      markdown: false,
    })),
    potentialAction: first
      ? [
          {
            '@type': 'OpenUri',
            name: 'Open in Vigil',
            targets: [
              {
                os: 'default',
                uri: n.alerts.length === 1 ? first.url : `${n.externalUrl.replace(/\/$/, '')}/#/alerts`,
              },
            ],
          },
        ]
      : [],
  };
}

/** Creates a Teams receiver. */
export function teamsReceiver(config: TeamsReceiverConfig): Receiver {
  return {
    name: config.name,
    kind: 'teams',
    perAlert: false,
    render(n: Notification): HttpMessage {
      const body = config.format === 'messagecard' ? messageCardPayload(n) : adaptiveCardPayload(n);
      return {
        transport: 'http',
        url: config.url,
        headers: { 'content-type': 'application/json', 'idempotency-key': n.idempotencyKey },
        body: JSON.stringify(body),
      };
    },
  };
}
