import { describe, expect, it } from 'vitest';
import {
  buildRouteTree,
  ROUTE_DEFAULTS,
  routeTreeSchema,
  unknownReceivers,
} from '../../../src/alerting/routing/index.js';

describe('routeTreeSchema', () => {
  it('applies Alertmanager defaults on the root and lets children inherit them', () => {
    const config = routeTreeSchema.parse({
      receiver: 'ops',
      routes: [{ matchers: ['service="db"'], receiver: 'dba' }],
    });
    expect(config).toMatchObject({ ...ROUTE_DEFAULTS, receiver: 'ops' });
    const root = buildRouteTree(config);
    expect(root.routes[0]).toMatchObject({
      receiver: 'dba',
      groupWaitMs: 30_000,
      repeatIntervalMs: 14_400_000,
      continue: false,
    });
  });

  it('inherits through several levels, nearest override winning', () => {
    const root = buildRouteTree(
      routeTreeSchema.parse({
        receiver: 'ops',
        groupBy: ['service'],
        routes: [{ groupWaitMs: 1000, routes: [{ receiver: 'deep', routes: [{ groupBy: ['...'] }] }] }],
      }),
    );
    const deep = root.routes[0]?.routes[0];
    expect(deep).toMatchObject({ receiver: 'deep', groupWaitMs: 1000, groupBy: ['service'] });
    expect(deep?.routes[0]?.groupBy).toBe('all');
  });

  it('rejects a missing root receiver, root matchers, unknown keys and bad matchers, with paths', () => {
    expect(routeTreeSchema.safeParse({}).success).toBe(false);
    expect(routeTreeSchema.safeParse({ receiver: 'a', matchers: ['x="y"'] }).success).toBe(false);
    const r = routeTreeSchema.safeParse({
      receiver: 'a',
      routes: [{ matchers: ['x=~"("'] }, { recevier: 'typo' }],
    });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['routes.0.matchers.0', 'routes.1']));
  });

  it('reports receivers that are not configured', () => {
    const config = routeTreeSchema.parse({
      receiver: 'ops',
      routes: [{ receiver: 'ghost', routes: [{ receiver: 'ops' }] }],
    });
    expect(unknownReceivers(config, new Set(['ops']))).toEqual([
      { path: ['routes', 0, 'receiver'], message: 'unknown receiver "ghost"' },
    ]);
  });
});
