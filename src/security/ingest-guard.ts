/**
 * Checks on what a credential writes, applied to normalized ingest items: a key restricted
 * to services may only write those services (every item of a batch; one offender refuses the
 * whole request), and a credential may write to at most `maxSeries` distinct series over the
 * server's lifetime (series it already wrote to stay writable).
 * Cost: O(items) per request; memory one string per (credential, series), bounded by the limit.
 */
import type { IngestItem } from '../ingest/items.js';
import { SecurityError, type SecurityIssue } from './errors.js';
import type { Principal } from './types.js';

/** Identities of the series an item feeds (service, endpoint, metric, labels). */
export function seriesKeysOf(item: IngestItem): string[] {
  switch (item.k) {
    case 'sample': {
      const base = `${item.service}\u0000${item.endpoint}`;
      const labels = Object.keys(item.labels)
        .sort()
        .map((k) => `${k}=${item.labels[k]}`)
        .join('\u0001');
      return [`${base}\u0000${item.metric}\u0000${labels}`];
    }
    case 'request': {
      const base = `${item.service}\u0000${item.endpoint}`;
      return [`${base}\u0000request_rate\u0000`, `${base}\u0000error_rate\u0000`];
    }
    case 'log':
      return [`${item.service}\u0000\u0000log_rate\u0000level=${item.level}`];
  }
}

/**
 * Path of the service field of every `/api/batch` entry writing `service`, read from the raw
 * body the way the normalizer reads it (`type` + fields, or `type` + `data`), so a refusal can
 * name each offending item by index.
 */
export function batchServicePaths(body: unknown, service: string): Array<Array<string | number>> {
  const list = (body as { metrics?: unknown } | null)?.metrics;
  if (!Array.isArray(list)) return [];
  const out: Array<Array<string | number>> = [];
  list.forEach((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) return;
    const e = entry as { type?: unknown; data?: unknown };
    const wrapped = typeof e.data === 'object' && e.data !== null;
    const payload = (wrapped ? e.data : e) as Record<string, unknown>;
    const prefix: Array<string | number> = wrapped ? ['metrics', i, 'data'] : ['metrics', i];
    const isHost = e.type === 'host';
    const isBusiness = e.type === 'business' || e.type === 'business_metric';
    const own = isHost ? payload.host : isBusiness ? (payload.service ?? 'business') : payload.service;
    if (own === service) out.push([...prefix, isHost ? 'host' : 'service']);
  });
  return out;
}

/** Per-credential series bookkeeping. */
export class IngestGuard {
  private readonly seen = new Map<string, Set<string>>();
  constructor(private readonly defaultMaxSeries: number) {}

  /**
   * Admits the items of one request for `principal`.
   * @param batchBody the raw `/api/batch` body, to name offending items by index (`["metrics", 3, "service"]`)
   * @throws {SecurityError} `FORBIDDEN` naming every item of a service the key may not write;
   *   `CARDINALITY_LIMIT` when the request would take the credential past its series limit
   */
  admit(principal: Principal | null, items: readonly IngestItem[], batchBody?: unknown): void {
    if (principal === null || principal.kind === 'anonymous') return;
    const allowed = principal.services;
    if (allowed !== null) {
      const refused = [...new Set(items.map((i) => i.service).filter((s) => !allowed.has(s)))];
      if (refused.length > 0) {
        const list = [...allowed].join(', ');
        const issues: SecurityIssue[] = refused.flatMap((service) => {
          const message = `this key may write only ${list}; "${service}" is not allowed`;
          const paths = batchBody === undefined ? [] : batchServicePaths(batchBody, service);
          return (paths.length > 0 ? paths : [['service']]).map((path) => ({
            path,
            code: 'service_not_allowed',
            message,
          }));
        });
        throw new SecurityError('FORBIDDEN', issues[0]?.message, issues.slice(0, 100));
      }
    }
    const limit = (principal.kind === 'key' ? principal.maxSeries : null) ?? this.defaultMaxSeries;
    const id = `${principal.kind}:${principal.id}`;
    const known = this.seen.get(id) ?? new Set<string>();
    const fresh = new Set<string>();
    for (const item of items) for (const k of seriesKeysOf(item)) if (!known.has(k)) fresh.add(k);
    if (known.size + fresh.size > limit) {
      const message = `${principal.name} may write to at most ${limit} distinct series; it has ${known.size} and this request would add ${fresh.size}. Reduce label or endpoint variety, or raise the key's maxSeries.`;
      throw new SecurityError('CARDINALITY_LIMIT', message, [
        { path: [], code: 'cardinality_limit', message },
      ]);
    }
    for (const k of fresh) known.add(k);
    this.seen.set(id, known);
  }
}
