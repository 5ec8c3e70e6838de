/** Builds a {@link Receiver} from its configuration. */
import type { ReceiverConfig } from './config.js';
import { emailReceiver } from './email/index.js';
import { pagerdutyReceiver } from './pagerduty/index.js';
import { slackReceiver } from './slack/index.js';
import { teamsReceiver } from './teams/index.js';
import type { Receiver } from './types.js';
import { webhookReceiver } from './webhook/index.js';

/** The receiver for a configuration (exhaustive over `type`). */
export function createReceiver(config: ReceiverConfig): Receiver {
  switch (config.type) {
    case 'webhook':
      return webhookReceiver(config);
    case 'slack':
      return slackReceiver(config);
    case 'teams':
      return teamsReceiver(config);
    case 'pagerduty':
      return pagerdutyReceiver(config);
    case 'email':
      return emailReceiver(config);
  }
}
