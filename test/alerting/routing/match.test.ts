/**
 * Routing tree cases after the examples of Alertmanager's configuration documentation
 * (https://prometheus.io/docs/alerting/latest/configuration/#example) and its routing-tree
 * semantics: first matching child wins, `continue` goes on, unmatched falls back to the parent.
 */
import { describe, expect, it } from 'vitest';
import { matchRoutes } from '../../../src/alerting/routing/index.js';
import { tree } from './fixtures.js';

// The documented example, in Vigil's keys (ms durations, camelCase).
const DOC_TREE = tree({
  receiver: 'default-receiver',
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
  groupBy: ['cluster', 'alertname'],
  routes: [
    { receiver: 'database-pager', groupWaitMs: 10_000, matchers: ['service=~"mysql|cassandra"'] },
    { receiver: 'frontend-pager', groupBy: ['product', 'environment'], matchers: ['team="frontend"'] },
  ],
});

const receivers = (labels: Record<string, string>) => matchRoutes(DOC_TREE, labels).map((r) => r.receiver);

describe('matchRoutes on the documented example', () => {
  it('sends database services to the database pager with its own group_wait and inherited rest', () => {
    const [route] = matchRoutes(DOC_TREE, { service: 'mysql', cluster: 'c1' });
    expect(route).toMatchObject({
      id: '0.0',
      receiver: 'database-pager',
      groupWaitMs: 10_000,
      groupIntervalMs: 300_000,
    });
    expect(route?.groupBy).toEqual(['alertname', 'cluster']);
  });

  it('anchors the service regex: mysql-proxy is not a database', () => {
    expect(receivers({ service: 'mysql-proxy' })).toEqual(['default-receiver']);
  });

  it('overrides group_by for the frontend team', () => {
    const [route] = matchRoutes(DOC_TREE, { team: 'frontend', service: 'web' });
    expect(route?.receiver).toBe('frontend-pager');
    expect(route?.groupBy).toEqual(['environment', 'product']);
  });

  it('lets the first matching child win without continue', () => {
    expect(receivers({ service: 'cassandra', team: 'frontend' })).toEqual(['database-pager']);
  });

  it('falls back to the root when no child matches', () => {
    const routes = matchRoutes(DOC_TREE, { service: 'billing' });
    expect(routes.map((r) => r.id)).toEqual(['0']);
  });
});

describe('continue and nesting', () => {
  const T = tree({
    receiver: 'default',
    routes: [
      {
        matchers: ['owner="team-A"'],
        receiver: 'team-A',
        routes: [{ matchers: ['env="testing"'], receiver: 'team-A-testing' }],
      },
      { matchers: ['owner="team-X"', 'env!="testing"'], receiver: 'team-X' },
      { matchers: ['severity="critical"'], receiver: 'audit', continue: true },
      { matchers: ['owner="team-B"'], receiver: 'team-B' },
      { matchers: ['owner=~"team-.*"'], receiver: 'catch-all-teams' },
    ],
  });
  const names = (labels: Record<string, string>) => matchRoutes(T, labels).map((r) => r.receiver);

  it('descends into a matching child and uses the deepest match', () => {
    expect(names({ owner: 'team-A', env: 'testing' })).toEqual(['team-A-testing']);
  });

  it('stops at a matching parent when none of its children match', () => {
    expect(names({ owner: 'team-A', env: 'prod' })).toEqual(['team-A']);
  });

  it('applies negative matchers', () => {
    expect(names({ owner: 'team-X', env: 'prod' })).toEqual(['team-X']);
    expect(names({ owner: 'team-X', env: 'testing' })).toEqual(['catch-all-teams']);
  });

  it('continues after a route with continue: true', () => {
    expect(names({ owner: 'team-B', severity: 'critical' })).toEqual(['audit', 'team-B']);
    expect(names({ owner: 'team-B', severity: 'high' })).toEqual(['team-B']);
  });

  it('returns only the continue route when nothing after it matches', () => {
    expect(names({ owner: 'nobody', severity: 'critical' })).toEqual(['audit']);
  });

  it('gives every route a path id', () => {
    expect(matchRoutes(T, { owner: 'team-A', env: 'testing' })[0]?.id).toBe('0.0.0');
  });
});
