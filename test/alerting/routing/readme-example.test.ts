/** The routing example of the README section "Notifications", checked as documented. */
import { describe, expect, it } from 'vitest';
import { receiverConfigSchema } from '../../../src/alerting/receivers/index.js';
import {
  buildRouteTree,
  matchRoutes,
  routeTreeSchema,
  unknownReceivers,
} from '../../../src/alerting/routing/index.js';

const EXAMPLE = {
  receivers: [
    { name: 'team-slack', type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
    { name: 'oncall', type: 'pagerduty', routingKey: 'R0UT1NGKEY', minSeverity: 'high' },
    {
      name: 'dba-mail',
      type: 'email',
      smtp: { host: 'smtp.example.com' },
      from: 'Vigil <vigil@example.com>',
      to: ['dba@example.com'],
    },
    {
      name: 'bridge',
      type: 'webhook',
      url: 'https://alert-bridge.internal.example/hook',
      format: 'alertmanager',
    },
  ],
  routing: {
    receiver: 'team-slack',
    groupBy: ['service'],
    routes: [
      { matchers: ['severity=~"critical|high"'], receiver: 'oncall', groupWaitMs: 0, continue: true },
      { matchers: ['service=~"mysql|postgres"'], receiver: 'dba-mail', groupBy: ['service', 'endpoint'] },
      { matchers: ['env="staging"'], receiver: 'bridge', repeatIntervalMs: 86400000 },
    ],
  },
};

describe('README routing example', () => {
  const receivers = EXAMPLE.receivers.map((r) => receiverConfigSchema.parse(r));
  const config = routeTreeSchema.parse(EXAMPLE.routing);
  const tree = buildRouteTree(config);
  const route = (labels: Record<string, string>) =>
    matchRoutes(tree, labels).map((r) => [r.receiver, r.groupWaitMs, r.groupBy]);

  it('is valid and names only configured receivers', () => {
    expect(receivers.map((r) => r.type)).toEqual(['slack', 'pagerduty', 'email', 'webhook']);
    expect(unknownReceivers(config, new Set(receivers.map((r) => r.name)))).toEqual([]);
  });

  it('pages a critical postgres alert at once and also mails the DBAs', () => {
    expect(route({ service: 'postgres', severity: 'critical' })).toEqual([
      ['oncall', 0, ['service']],
      ['dba-mail', 30_000, ['endpoint', 'service']],
    ]);
  });

  it('sends a medium api alert to Slack grouped per service after 30 s, a staging one to the bridge', () => {
    expect(route({ service: 'api', severity: 'medium' })).toEqual([['team-slack', 30_000, ['service']]]);
    expect(route({ service: 'api', severity: 'medium', env: 'staging' })).toEqual([
      ['bridge', 30_000, ['service']],
    ]);
  });
});
