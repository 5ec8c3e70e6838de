import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES } from '../../src/security/route-scopes.js';
import { type SecureVigil, startSecureVigil } from './real.js';

describe('route → scope table', () => {
  let s: SecureVigil;
  beforeAll(async () => {
    s = await startSecureVigil();
  });
  afterAll(() => s.close());

  it('has an entry for every route the real server registers (read from the router via onRoute)', () => {
    const routes = s.vigil.app.vigilSecurity.routes();
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((r) => r.rule === null).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('lists no route the server does not have (the table is not stale)', () => {
    const registered = new Set(
      s.vigil.app.vigilSecurity.routes().map((r) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`),
    );
    const stale = ROUTE_RULES.filter(
      (r) => r.method !== 'OPTIONS' && !registered.has(`${r.method} ${r.url}`),
    ).map((r) => `${r.method} ${r.url}`);
    expect(stale).toEqual([]);
  });

  it('marks /health, and only sign-in and static files besides it, as public', () => {
    const publicRoutes = ROUTE_RULES.filter((r) => r.scope === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual(['GET /health', 'OPTIONS *', 'POST /api/auth/login']);
  });
});
