/**
 * The one table of what every route requires. A route the server registers without an entry
 * here is refused to everyone but admins at run time and fails `test/security/route-table.test.ts`,
 * which reads the route list from the router itself (Fastify's `onRoute` hook).
 */
import type { RouteScope } from './types.js';

/**
 * How a service-restricted API key is confined on a route:
 * - `none`: the route is not about a service (sign-in, health).
 * - `body`: ingest; every item's service must be allowed (checked by `admitIngest`).
 * - `query`: the `service` query parameter must be an allowed service (filled in when the key has one).
 * - `series` / `alert`: the `:id` parameter's series or alert must belong to an allowed service.
 * - `deny`: the route spans services; restricted keys are refused.
 */
export type ServiceMode = 'none' | 'body' | 'query' | 'series' | 'alert' | 'deny';

/** Body limit class of a route (see `security.limits`). */
export type BodyClass = 'default' | 'single-ingest' | 'control';

/** What a route requires. */
export interface RouteRule {
  readonly method: string;
  /** The route path as registered (Fastify syntax, e.g. `/api/alerts/:id`). */
  readonly url: string;
  readonly scope: RouteScope;
  readonly service: ServiceMode;
  /** Audit action recorded when the route answers < 400. */
  readonly audit?: string;
  readonly body?: BodyClass;
}

const rule = (
  method: string,
  url: string,
  scope: RouteScope,
  service: ServiceMode,
  extra: { audit?: string; body?: BodyClass } = {},
): RouteRule => ({ method, url, scope, service, ...extra });

/** Every route of the server and what it requires. */
export const ROUTE_RULES: readonly RouteRule[] = [
  rule('GET', '/health', 'public', 'none'),
  rule('GET', '/metrics', 'read', 'deny'),
  rule('GET', '/config', 'admin', 'deny'),
  rule('GET', '/api/stats', 'read', 'deny'),
  rule('GET', '/api/receivers', 'read', 'deny'),
  /** Sends a message to a configured destination: writers only, audited. */
  rule('POST', '/api/receivers/:name/test', 'write', 'deny', { audit: 'receiver.test', body: 'control' }),
  rule('POST', '/api/metrics', 'ingest', 'body', { body: 'single-ingest' }),
  rule('POST', '/api/business-metrics', 'ingest', 'body', { body: 'single-ingest' }),
  rule('POST', '/api/logs', 'ingest', 'body', { body: 'single-ingest' }),
  rule('POST', '/api/batch', 'ingest', 'body'),
  rule('GET', '/api/series', 'read', 'query'),
  rule('GET', '/api/series/:id', 'read', 'series'),
  rule('GET', '/api/series/:id/points', 'read', 'series'),
  rule('GET', '/api/anomalies', 'read', 'query'),
  rule('GET', '/api/alerts', 'read', 'query'),
  rule('GET', '/api/alerts/:id', 'read', 'alert'),
  rule('POST', '/api/alerts/:id/acknowledge', 'write', 'alert', {
    audit: 'alert.acknowledge',
    body: 'control',
  }),
  rule('POST', '/api/alerts/:id/resolve', 'write', 'alert', { audit: 'alert.resolve', body: 'control' }),
  rule('GET', '/api/deliveries', 'read', 'deny'),
  rule('GET', '/api/fingerprints', 'read', 'query'),
  /** Correlation groups span services. */
  rule('GET', '/api/correlations', 'read', 'deny'),
  rule('GET', '/api/logs', 'read', 'query'),
  /** Silences match labels across services: refused to service-restricted keys. */
  rule('GET', '/api/silences', 'read', 'deny'),
  rule('POST', '/api/silences', 'write', 'deny', { audit: 'silence.create', body: 'control' }),
  rule('DELETE', '/api/silences/:id', 'write', 'deny', { audit: 'silence.expire', body: 'control' }),
  /** The Alertmanager API v2 subset (amtool): same scopes as the native routes. */
  rule('GET', '/api/v2/status', 'read', 'deny'),
  rule('GET', '/api/v2/alerts', 'read', 'deny'),
  rule('GET', '/api/v2/silences', 'read', 'deny'),
  rule('GET', '/api/v2/silence/:id', 'read', 'deny'),
  rule('POST', '/api/v2/silences', 'write', 'deny', { audit: 'silence.create', body: 'control' }),
  rule('DELETE', '/api/v2/silence/:id', 'write', 'deny', { audit: 'silence.expire', body: 'control' }),
  /** Incidents, the quality report and maintenance windows span services. */
  rule('GET', '/api/incidents', 'read', 'deny'),
  rule('GET', '/api/incidents/:id', 'read', 'deny'),
  rule('GET', '/api/reports/alert-quality', 'read', 'deny'),
  rule('POST', '/api/alerts/:id/feedback', 'write', 'alert', { audit: 'feedback.create', body: 'control' }),
  rule('POST', '/api/anomalies/:id/feedback', 'write', 'deny', { audit: 'feedback.create', body: 'control' }),
  rule('GET', '/api/feedback', 'read', 'deny'),
  rule('DELETE', '/api/feedback/:id', 'write', 'deny', { audit: 'feedback.revoke', body: 'control' }),
  rule('GET', '/api/maintenance', 'read', 'deny'),
  rule('POST', '/api/maintenance', 'write', 'deny', { audit: 'maintenance.create', body: 'control' }),
  rule('DELETE', '/api/maintenance/:id', 'write', 'deny', { audit: 'maintenance.delete', body: 'control' }),
  rule('GET', '/api/live', 'read', 'deny'),
  rule('POST', '/api/auth/login', 'public', 'none', { body: 'control' }),
  rule('POST', '/api/auth/logout', 'authenticated', 'none', { body: 'control' }),
  rule('GET', '/api/auth/me', 'authenticated', 'none'),
  rule('POST', '/api/auth/password', 'authenticated', 'none', { body: 'control' }),
  rule('GET', '/api/keys', 'admin', 'deny'),
  rule('POST', '/api/keys', 'admin', 'deny', { body: 'control' }),
  rule('DELETE', '/api/keys/:id', 'admin', 'deny', { body: 'control' }),
  rule('GET', '/api/users', 'admin', 'deny'),
  rule('POST', '/api/users', 'admin', 'deny', { body: 'control' }),
  rule('PATCH', '/api/users/:username', 'admin', 'deny', { body: 'control' }),
  rule('DELETE', '/api/users/:username', 'admin', 'deny', { body: 'control' }),
  rule('GET', '/api/audit', 'admin', 'deny'),
  /** CORS preflight (registered by @fastify/cors only when origins are configured). */
  rule('OPTIONS', '*', 'public', 'none'),
];

/** Rule of the dashboard's static files (routes registered by @fastify/static, `config.file` set). */
export const STATIC_RULE: RouteRule = rule('GET', '<static file>', 'public', 'none');

const BY_KEY = new Map(ROUTE_RULES.map((r) => [`${r.method} ${r.url}`, r]));

/**
 * The rule of a route, or null when the table has none.
 * @param method HTTP method (HEAD is judged as GET)
 * @param url the route's registered path
 * @param routeConfig the route's `config` (static file routes carry `file`)
 */
export function ruleFor(method: string, url: string, routeConfig?: unknown): RouteRule | null {
  if (routeConfig && typeof routeConfig === 'object' && 'file' in routeConfig) return STATIC_RULE;
  const m = method === 'HEAD' ? 'GET' : method;
  return BY_KEY.get(`${m} ${url}`) ?? null;
}
