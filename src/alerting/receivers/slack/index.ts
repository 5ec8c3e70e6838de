/**
 * Slack receiver: a Block Kit message to an incoming webhook — a header with the status and
 * title, one section per alert (actual vs expected, type, duration, explanation), and buttons
 * to the alert and its series. Text is escaped for mrkdwn and cut to Slack's block limits
 * (header 150 characters, section 3000, at most 50 blocks).
 *
 * @see https://api.slack.com/messaging/webhooks
 * @see https://api.slack.com/reference/block-kit/blocks
 */
import type { SlackReceiverConfig } from '../config.js';
import { escapeSlack, explainLines, notificationTitle, truncate } from '../shared/format.js';
import type { HttpMessage, Notification, NotifiedAlert, Receiver } from '../types.js';

/** Most alerts shown (3 blocks each, so header + 45 + context stays under the 50-block limit). */
const MAX_ALERTS = 15;

function alertBlocks(n: NotifiedAlert): unknown[] {
  const [title, ...rest] = explainLines(n).slice(0, -2);
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${escapeSlack(title ?? '')}*\n${rest.map(escapeSlack).join('\n')}`, 3000),
      },
    },
    {
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Open alert' }, url: n.url },
        { type: 'button', text: { type: 'plain_text', text: 'Open series' }, url: n.seriesUrl },
      ],
    },
  ];
}

/** Builds the Block Kit body of a notification. */
export function slackPayload(n: Notification): { text: string; blocks: unknown[] } {
  const title = notificationTitle(n);
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } }];
  for (const a of n.alerts.slice(0, MAX_ALERTS)) blocks.push(...alertBlocks(a), { type: 'divider' });
  if (n.alerts.length > MAX_ALERTS) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `and ${n.alerts.length - MAX_ALERTS} more alerts` }],
    });
  }
  return { text: escapeSlack(title), blocks };
}

/** Creates a Slack receiver. */
export function slackReceiver(config: SlackReceiverConfig): Receiver {
  return {
    name: config.name,
    kind: 'slack',
    perAlert: false,
    render(n: Notification): HttpMessage {
      return {
        transport: 'http',
        url: config.url,
        headers: { 'content-type': 'application/json', 'idempotency-key': n.idempotencyKey },
        body: JSON.stringify(slackPayload(n)),
      };
    },
  };
}
