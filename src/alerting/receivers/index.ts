/**
 * Receivers (webhook, Slack, Teams, PagerDuty, email) and the shared delivery stages
 * (SSRF-guarded HTTP, SMTP, retry with backoff, delivery records).
 */
export {
  type EmailReceiverConfig,
  type PagerdutyReceiverConfig,
  type ReceiverConfig,
  receiverConfigSchema,
  redactReceiver,
  type SlackReceiverConfig,
  type TeamsReceiverConfig,
  type WebhookReceiverConfig,
} from './config.js';
export { emailContent, emailReceiver, messageIdOf } from './email/index.js';
export { eventAction, pagerdutyEvent, pagerdutyReceiver } from './pagerduty/index.js';
export { parseNotification } from './payload.js';
export { createReceiver } from './registry.js';
export { DeliverySender, type DeliverySenderOptions } from './sender.js';
export { type AttemptOutcome, backoffDelay, parseRetryAfter, retryableStatus } from './shared/outcome.js';
export { slackPayload, slackReceiver } from './slack/index.js';
export { adaptiveCardPayload, messageCardPayload, teamsReceiver } from './teams/index.js';
export { testNotification } from './test-notification.js';
export type {
  HttpMessage,
  MailMessage,
  Notification,
  NotifiedAlert,
  OutboundMessage,
  Receiver,
  ReceiverKind,
} from './types.js';
export {
  type AlertmanagerPayload,
  alertmanagerPayload,
  vigilPayload,
  webhookReceiver,
} from './webhook/index.js';
