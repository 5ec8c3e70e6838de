/** Test fixtures: alerts and route trees. */
import { buildRouteTree, type Route, routeTreeSchema } from '../../../src/alerting/routing/index.js';
import type { Alert } from '../../../src/model/types.js';

/** An alert with sensible defaults, fields overridable. */
export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: '1',
    seriesId: 'sid1',
    service: 'api',
    endpoint: '/checkout',
    metric: 'latency_ms',
    labels: {},
    status: 'firing',
    severity: 'high',
    startsAt: 1_000_000,
    lastAnomalyAt: 1_060_000,
    resolvedAt: null,
    anomalyCount: 3,
    maxScore: 0.995,
    type: 'spike',
    summary: 'value 950 is 7.9× above expected 120 (band 80–160): spike',
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    note: null,
    ackExpiresAt: null,
    incidentId: null,
    version: 1,
    ...over,
  };
}

/** Parses and resolves a tree config. */
export function tree(config: unknown): Route {
  return buildRouteTree(routeTreeSchema.parse(config));
}
