/**
 * The label set routing, silences and inhibition see for an alert: the series labels plus
 * `service`, `endpoint`, `metric`, `severity` and `type`, the fixed fields winning over a
 * series label of the same name, and `incident` (the alert's incident id) once it has one, so
 * a route with `groupBy: ['incident']` sends one notification per incident change. Status is
 * not a label: an alert keeps its groups while it is acknowledged and resolved.
 */
import type { Alert, Labels } from '../../model/types.js';

/** Labels that always exist on an alert (set from its fields). */
export const FIXED_LABELS = ['service', 'endpoint', 'metric', 'severity', 'type'] as const;

/**
 * @example alertLabels({service: 'api', endpoint: '/x', metric: 'latency_ms', severity: 'high', type: 'spike', labels: {region: 'eu'}})
 * // {region: 'eu', service: 'api', endpoint: '/x', metric: 'latency_ms', severity: 'high', type: 'spike'}
 */
export function alertLabels(
  alert: Pick<Alert, 'service' | 'endpoint' | 'metric' | 'severity' | 'type' | 'labels'> &
    Partial<Pick<Alert, 'incidentId'>>,
): Labels {
  return {
    ...alert.labels,
    ...(alert.incidentId ? { incident: alert.incidentId } : {}),
    service: alert.service,
    endpoint: alert.endpoint,
    metric: alert.metric,
    severity: alert.severity,
    type: alert.type,
  };
}
