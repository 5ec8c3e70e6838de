import { createHash } from 'node:crypto';
import type { SeriesKey } from '../model/types.js';

/**
 * Stable id of a series: the first 16 hex digits of SHA-256 over its service, endpoint,
 * metric and sorted labels, separated by NUL bytes (which input strings cannot contain).
 * @example seriesId({ service: 'payment', endpoint: 'POST:/api/pay', metric: 'response_time', labels: {} })
 */
export function seriesId(key: SeriesKey): string {
  const h = createHash('sha256');
  h.update(key.service);
  h.update('\0');
  h.update(key.endpoint);
  h.update('\0');
  h.update(key.metric);
  for (const name of Object.keys(key.labels).sort()) {
    h.update('\0');
    h.update(name);
    h.update('=');
    h.update(key.labels[name] ?? '');
  }
  return h.digest('hex').slice(0, 16);
}
