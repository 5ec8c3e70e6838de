/**
 * The route × role matrix on the real server: every route of the table, called as every kind
 * of principal, is refused (401 without a credential, 403 without the scope) exactly when the
 * table says so. Requests use harmless inputs (unknown ids, invalid bodies) so an allowed call
 * answers 2xx/4xx from the handler without changing state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES, type RouteRule } from '../../src/security/route-scopes.js';
import { ROLE_SCOPES, type Scope } from '../../src/security/types.js';
import { call } from './harness.js';
import { type Credentials, type SecureVigil, startSecureVigil } from './real.js';

const PRINCIPAL_SCOPES: Record<keyof Credentials, readonly Scope[] | null> = {
  anonymous: null,
  viewer: ROLE_SCOPES.viewer,
  operator: ROLE_SCOPES.operator,
  admin: ROLE_SCOPES.admin,
  ingestKey: ['ingest'],
  readKey: ['read'],
  writeKey: ['write'],
  adminKey: ['admin'],
};

/** Concrete request for a route: path with harmless ids, and a body. */
function sample(rule: RouteRule): { path: string; body?: unknown } {
  const path = rule.url.replace(':id', 'no-such-id').replace(':username', 'no-such-user');
  if (rule.method === 'GET' || rule.method === 'DELETE') return { path };
  if (rule.url.startsWith('/api/alerts/')) return { path, body: {} };
  if (rule.scope === 'ingest') return { path, body: { service: 'matrix', endpoint: 'e', value_ms: 1 } };
  return { path, body: { invalid: true } };
}

/** Expected outcome: 'ok' (reaches the handler), 401 or 403. */
function expected(rule: RouteRule, scopes: readonly Scope[] | null): 'ok' | 401 | 403 {
  if (rule.scope === 'public') return 'ok';
  if (scopes === null) return 401;
  if (rule.scope === 'authenticated') return 'ok';
  return scopes.includes('admin') || scopes.includes(rule.scope) ? 'ok' : 403;
}

describe('route × role matrix (real server)', () => {
  let s: SecureVigil;
  beforeAll(async () => {
    s = await startSecureVigil();
  });
  afterAll(() => s.close());

  const rules = ROUTE_RULES.filter(
    (r) =>
      r.method !== 'OPTIONS' &&
      r.url !== '/api/auth/logout' &&
      r.url !== '/api/auth/password' &&
      r.url !== '/api/live',
  );

  it('refuses exactly what the table says, for every route and principal', async () => {
    const mismatches: string[] = [];
    const table: string[] = [];
    for (const rule of rules) {
      const row: string[] = [];
      for (const [who, scopes] of Object.entries(PRINCIPAL_SCOPES) as Array<
        [keyof Credentials, readonly Scope[] | null]
      >) {
        const { path, body } = sample(rule);
        const want = expected(rule, scopes);
        // Sign-in with a bad body is answered 400 by the handler: it is public.
        const r = await call(`${s.url}${path}`, rule.method, body, s.as[who]);
        const got = r.status === 401 || r.status === 403 ? r.status : 'ok';
        row.push(got === 'ok' ? 'ok' : String(got));
        if (got !== want || r.status >= 500)
          mismatches.push(`${rule.method} ${rule.url} as ${who}: ${r.status}, want ${want}`);
      }
      table.push(`${rule.method} ${rule.url}: ${row.join(' ')}`);
    }
    expect(mismatches).toEqual([]);
    expect(table.length).toBe(rules.length);
  });

  it('logout and password change need a credential', async () => {
    expect((await call(`${s.url}/api/auth/logout`, 'POST', undefined, { origin: s.url })).status).toBe(401);
    expect((await call(`${s.url}/api/auth/password`, 'POST', {}, { origin: s.url })).status).toBe(401);
    const key = await call(
      `${s.url}/api/auth/password`,
      'POST',
      { currentPassword: 'x', newPassword: 'y'.repeat(12) },
      s.as.adminKey,
    );
    expect(key.status).toBe(403);
  });
});
