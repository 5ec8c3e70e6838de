/**
 * The security layer as one Fastify plugin: authentication (API keys, session cookies),
 * authorization from the route table (`route-scopes.ts`), service restriction of keys, CSRF
 * checks, per-credential rate limits, per-route body limits, security headers with a strict
 * Content-Security-Policy, CORS (off unless origins are configured), the audit trail of state
 * changes, and the auth routes (`routes.ts`).
 *
 * Register it before every other route (its `onRoute` hook sees the routes registered after it):
 * `await app.register(securityPlugin, { config, authStore, logger, lookup })`.
 */
import fastifyCors from '@fastify/cors';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestItem } from '../ingest/items.js';
import {
  authenticateKey,
  authenticateSession,
  KeyCache,
  presented,
  sessionCookieName,
} from './authenticate.js';
import type { SecurityConfig } from './config.js';
import { checkJsonBody, checkSameOrigin, isUnsafeMethod } from './csrf.js';
import { SecurityError } from './errors.js';
import { securityHeaders } from './headers.js';
import { IngestGuard } from './ingest-guard.js';
import { RateLimiter } from './rate-limit.js';
import { type RouteRule, ruleFor } from './route-scopes.js';
import { authRoutes } from './routes.js';
import { type AuthStore, hasScope, type Principal, SCOPES } from './types.js';

/** Looks up the service of an alert or series, for object-level checks of restricted keys. */
export interface ServiceLookup {
  alertService(id: string): string | null;
  seriesService(id: string): string | null;
}

export interface SecurityPluginOptions {
  /** Vigil's config (only `security`, `server.bodyLimitBytes` and `server.publicUrl` are read). */
  readonly config: {
    readonly security: SecurityConfig;
    readonly server: { readonly bodyLimitBytes: number; readonly publicUrl?: string | undefined };
  };
  readonly authStore: AuthStore;
  readonly logger:
    | FastifyBaseLogger
    | { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Needed to confine service-restricted keys on `/api/alerts/:id…` and `/api/series/:id…`; without it those keys are refused there. */
  readonly lookup?: ServiceLookup;
  /** Clock, Unix ms (default `Date.now`). */
  readonly now?: () => number;
}

/** A registered route and the rule that governs it (null = missing from the table). */
export interface SeenRoute {
  readonly method: string;
  readonly url: string;
  readonly rule: RouteRule | null;
}

/** What the plugin exposes on the app as `app.vigilSecurity`. */
export interface SecurityHandle {
  /**
   * Admits normalized ingest items for the request's credential (service restriction and
   * series limit). Call after normalizing, before writing.
   * @throws {SecurityError} FORBIDDEN or CARDINALITY_LIMIT
   */
  admitIngest(req: FastifyRequest, items: readonly IngestItem[]): void;
  /** Every route registered after the plugin, with its rule. */
  routes(): readonly SeenRoute[];
  /** Who made the request (`anonymous` when auth is disabled or on a public route). */
  principalOf(req: FastifyRequest): Principal;
  /** Records one state change in the audit log. */
  audit(
    req: FastifyRequest | null,
    action: string,
    target: string | null,
    detail?: Record<string, unknown>,
  ): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    vigilPrincipal: Principal | null;
  }
  interface FastifyInstance {
    vigilSecurity: SecurityHandle;
  }
}

const ANONYMOUS_ALL: Principal = {
  kind: 'anonymous',
  name: 'anonymous',
  scopes: new Set(SCOPES),
  services: null,
};
const ANONYMOUS_NONE: Principal = { kind: 'anonymous', name: 'anonymous', scopes: new Set(), services: null };

/** Sends a security error from a hook. */
export function deny(reply: FastifyReply, err: SecurityError): FastifyReply {
  if (err.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="vigil"');
  if (err.retryAfterS !== undefined) reply.header('retry-after', String(err.retryAfterS));
  return reply.code(err.statusCode).send(err.toBody());
}

/**
 * The plugin. Fastify options: none (it is not encapsulated, so its hooks cover the whole app).
 * @throws at registration when @fastify/helmet or @fastify/cors fail to register
 */
export async function securityPlugin(app: FastifyInstance, options: SecurityPluginOptions): Promise<void> {
  const sec = options.config.security;
  const tls = sec.tls.key !== undefined;
  const now = options.now ?? Date.now;
  const store = options.authStore;
  const cookieName = sessionCookieName(tls);
  const seen: SeenRoute[] = [];
  const touched = new Map<string, number>();
  const keyCache = new KeyCache();
  const limiter = new RateLimiter({ perSecond: sec.rateLimit.perSecond, burst: sec.rateLimit.burst });
  const guard = new IngestGuard(sec.limits.maxSeriesPerKey);
  const ownOrigins: string[] = [];
  if (options.config.server.publicUrl) {
    try {
      ownOrigins.push(new URL(options.config.server.publicUrl).origin.toLowerCase());
    } catch {
      // An invalid public URL adds no origin.
    }
  }

  app.server.headersTimeout = Math.min(app.server.headersTimeout || 60_000, 15_000);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      const rule = ruleFor(String(m), route.url, route.config);
      seen.push({ method: String(m), url: route.url, rule });
      if (rule === null)
        options.logger.warn(
          { method: m, url: route.url },
          'route missing from the security table: admins only',
        );
    }
    const rule = ruleFor(String(methods[0]), route.url, route.config);
    if (rule?.audit) {
      // Audited routes only: a route-level hook costs nothing elsewhere.
      const action = rule.audit;
      const own = route.onResponse;
      const auditHook = async (req: FastifyRequest, reply: FastifyReply) => {
        if (reply.statusCode >= 400) return;
        const body = (req.body ?? {}) as { note?: unknown; by?: unknown };
        const detail: Record<string, unknown> = {};
        if (typeof body.note === 'string') detail.note = body.note.slice(0, 500);
        if (typeof body.by === 'string') detail.by = body.by.slice(0, 200);
        audit(req, action, (req.params as { id?: string }).id ?? null, detail);
      };
      route.onResponse = own === undefined ? [auditHook] : [...(Array.isArray(own) ? own : [own]), auditHook];
    }
    if (rule?.body === 'control' && route.bodyLimit === undefined)
      route.bodyLimit = sec.limits.controlBodyBytes;
    if (rule?.body === 'single-ingest' && route.bodyLimit === undefined)
      route.bodyLimit = sec.limits.singleIngestBodyBytes;
  });

  // Headers and CORS first: their hooks must run before a refusal ends the request.
  if (sec.cors.origins.length > 0) {
    await app.register(fastifyCors, {
      origin: sec.cors.origins,
      credentials: false,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'idempotency-key'],
      maxAge: 600,
    });
  }

  app.decorateRequest('vigilPrincipal', null);

  const audit: SecurityHandle['audit'] = (req, action, target, detail) => {
    const p = req?.vigilPrincipal ?? null;
    try {
      store.appendAudit({
        at: now(),
        actor: p === null ? 'system' : p.name,
        actorKind: p === null ? 'system' : p.kind,
        action,
        target,
        detail: detail ?? null,
        ip: req?.ip ?? null,
      });
    } catch (err) {
      options.logger.error({ err, action }, 'could not write the audit log');
    }
  };

  app.decorate('vigilSecurity', {
    admitIngest(req: FastifyRequest, items: readonly IngestItem[]) {
      guard.admit(req.vigilPrincipal, items, req.routeOptions.url === '/api/batch' ? req.body : undefined);
    },
    routes: () => seen,
    principalOf: (req: FastifyRequest) => req.vigilPrincipal ?? ANONYMOUS_NONE,
    audit,
  } satisfies SecurityHandle);

  const authorize = (req: FastifyRequest): void => {
    const routeUrl = req.routeOptions.url;
    if (routeUrl === undefined) return; // no route: the not-found handler answers
    const rule = ruleFor(req.method, routeUrl, req.routeOptions.config);
    const t = now();
    if (!sec.auth.enabled) {
      req.vigilPrincipal = ANONYMOUS_ALL;
    } else if (rule?.scope === 'public' && rule.url !== '/api/auth/login') {
      req.vigilPrincipal = ANONYMOUS_NONE;
    } else {
      const cred = presented(req, cookieName);
      const ctx = { store, keys: keyCache, idleMs: sec.auth.sessionIdleMs, now: t, touched };
      let principal: Principal | null = null;
      if (cred.kind === 'key') {
        principal = authenticateKey(cred.token, ctx);
        if (principal === null)
          throw new SecurityError('UNAUTHORIZED', 'the API key is not valid (unknown, malformed or revoked)');
      } else if (cred.kind === 'session') {
        principal = authenticateSession(cred.token, ctx);
      }
      if ((cred.kind === 'session' || rule?.url === '/api/auth/login') && isUnsafeMethod(req.method)) {
        checkSameOrigin(req, tls, ownOrigins, cred.kind === 'session');
        checkJsonBody(req);
      }
      if (cred.kind === 'session' && routeUrl === '/api/live') checkSameOrigin(req, tls, ownOrigins);
      req.vigilPrincipal = principal ?? ANONYMOUS_NONE;
      if (rule?.scope !== 'public') {
        if (principal === null) {
          throw new SecurityError(
            'UNAUTHORIZED',
            cred.kind === 'session' ? 'the session has ended; sign in again' : undefined,
          );
        }
        const need = rule?.scope ?? 'admin';
        if (need !== 'authenticated' && !hasScope(principal, need)) {
          throw new SecurityError(
            'FORBIDDEN',
            `${req.method} ${routeUrl} needs the ${need} scope; ${principal.name} has ${[...principal.scopes].join(', ') || 'none'}`,
          );
        }
        if (principal.services !== null && rule !== null) confine(req, principal.services, rule);
      }
    }
    // Per-credential limits; with authentication off there are no credentials to limit.
    if (sec.rateLimit.enabled && sec.auth.enabled) {
      const p = req.vigilPrincipal;
      const caller = p && p.kind !== 'anonymous' ? `${p.kind}:${p.id}` : `ip:${req.ip}`;
      const waitMs = limiter.take(caller, t);
      if (waitMs > 0) {
        throw new SecurityError('RATE_LIMITED', undefined, [], Math.max(1, Math.ceil(waitMs / 1000)));
      }
    }
  };

  const confine = (req: FastifyRequest, services: ReadonlySet<string>, rule: RouteRule): void => {
    const list = [...services].join(', ');
    switch (rule.service) {
      case 'none':
      case 'body':
        return;
      case 'deny':
        throw new SecurityError(
          'FORBIDDEN',
          `a key restricted to ${list} may not use ${rule.method} ${rule.url}`,
        );
      case 'query': {
        const q = (req.query ?? {}) as Record<string, unknown>;
        if (q.service === undefined && services.size === 1) {
          q.service = [...services][0];
          return;
        }
        if (typeof q.service !== 'string' || !services.has(q.service)) {
          throw new SecurityError(
            'FORBIDDEN',
            `this key may read only ${list}: pass ?service= with one of them`,
            [{ path: ['query', 'service'], code: 'service_not_allowed', message: `must be one of ${list}` }],
          );
        }
        return;
      }
      case 'series':
      case 'alert': {
        const id = (req.params as { id?: string }).id ?? '';
        const lookup = options.lookup;
        const service =
          lookup === undefined
            ? undefined
            : rule.service === 'alert'
              ? lookup.alertService(id)
              : lookup.seriesService(id);
        if (service === undefined)
          throw new SecurityError('FORBIDDEN', `a key restricted to ${list} may not use ${rule.url} here`);
        // Another service's object answers like a missing one: its existence is not revealed.
        if (service === null || !services.has(service))
          throw new SecurityError('NOT_FOUND', `no ${rule.service} with id ${id}`);
      }
    }
  };

  const headers = securityHeaders(tls);
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(headers);
    try {
      authorize(req);
    } catch (err) {
      if (!(err instanceof SecurityError)) throw err;
      // A refused WebSocket handshake: the socket is not an HTTP connection the server will
      // reuse or close, so end it once the refusal is written.
      if (String(req.headers.upgrade ?? '').toLowerCase() === 'websocket') {
        reply.raw.once('finish', () => req.raw.socket?.destroy());
      }
      return deny(reply, err);
    }
  });

  authRoutes(app, {
    config: sec,
    store,
    now,
    tls,
    cookieName,
    audit,
    logger: options.logger,
    forgetKey: (id) => keyCache.forget(id),
  });
}

// Not encapsulated: hooks and decorators apply to the whole app (what fastify-plugin does).
Object.assign(securityPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'vigil-security',
});
