import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from './harness.js';

describe('security plugin: API keys and scopes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers /health without a credential and refuses other routes with 401', async () => {
    expect((await call(`${h.url}/health`, 'GET')).status).toBe(200);
    const r = await call(`${h.url}/api/alerts`, 'GET');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UNAUTHORIZED');
    expect(r.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('accepts a key in X-API-Key and in Authorization: Bearer', async () => {
    const token = h.key({ name: 'reader', scopes: ['read'] });
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': token })).status).toBe(200);
    expect(
      (await call(`${h.url}/api/alerts`, 'GET', undefined, { authorization: `Bearer ${token}` })).status,
    ).toBe(200);
  });

  it('refuses a wrong, malformed or revoked key with 401', async () => {
    const token = h.key({ name: 'soon-revoked', scopes: ['read'] });
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': forged })).status).toBe(401);
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': 'nonsense' })).status).toBe(
      401,
    );
    const key = h.store.listKeys().find((k) => k.name === 'soon-revoked');
    h.store.revokeKey(key?.id ?? '', Date.now());
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': token })).status).toBe(401);
  });

  it('stores only the digest of a key, never the key', () => {
    const token = h.key({ name: 'secret-check', scopes: ['read'] });
    const row = h.store.findKeyByPrefix(token.slice(0, 12));
    expect(row?.hash.length).toBe(32);
    expect(JSON.stringify(h.store.listKeys())).not.toContain(token.slice(13));
  });

  it('enforces scopes: ingest cannot read, read cannot write or ingest, admin does all', async () => {
    const ingest = h.key({ name: 'ing', scopes: ['ingest'] });
    const read = h.key({ name: 'rd', scopes: ['read'] });
    const admin = h.key({ name: 'adm', scopes: ['admin'] });
    const point = { service: 'payment', endpoint: 'GET:/', response_time: 5 };
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': ingest })).status).toBe(403);
    expect((await call(`${h.url}/api/metrics`, 'POST', point, { 'x-api-key': ingest })).status).toBe(202);
    const denied = await call(`${h.url}/api/metrics`, 'POST', point, { 'x-api-key': read });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain('ingest');
    expect(
      (await call(`${h.url}/api/alerts/a-pay/acknowledge`, 'POST', {}, { 'x-api-key': read })).status,
    ).toBe(403);
    expect((await call(`${h.url}/config`, 'GET', undefined, { 'x-api-key': read })).status).toBe(403);
    expect((await call(`${h.url}/config`, 'GET', undefined, { 'x-api-key': admin })).status).toBe(200);
    expect((await call(`${h.url}/api/metrics`, 'POST', point, { 'x-api-key': admin })).status).toBe(202);
  });
});

describe('security plugin: service restriction and cardinality', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxSeriesPerKey: 5 } });
  });
  afterAll(() => h.close());

  it('a key for payment cannot write checkout, alone or inside a batch', async () => {
    const token = h.key({ name: 'pay', scopes: ['ingest'], services: ['payment'] });
    const before = h.written.length;
    const one = await call(
      `${h.url}/api/metrics`,
      'POST',
      { service: 'checkout', latency: 1 },
      { 'x-api-key': token },
    );
    expect(one.status).toBe(403);
    expect(one.body.issues[0].path).toEqual(['service']);
    const batch = await call(
      `${h.url}/api/batch`,
      'POST',
      {
        metrics: [
          { type: 'application', service: 'payment', latency: 1 },
          { type: 'application', service: 'checkout', latency: 2 },
        ],
      },
      { 'x-api-key': token },
    );
    expect(batch.status).toBe(403);
    expect(batch.body.issues).toHaveLength(1);
    expect(batch.body.issues[0].path).toEqual(['metrics', 1, 'service']);
    expect(h.written.length).toBe(before);
    expect(
      (await call(`${h.url}/api/metrics`, 'POST', { service: 'payment', latency: 1 }, { 'x-api-key': token }))
        .status,
    ).toBe(202);
    expect(h.written.slice(before)).toEqual(['payment']);
  });

  it('confines reads: the service parameter is filled in, another service is refused, other alerts look missing', async () => {
    const token = h.key({ name: 'pay-read', scopes: ['read', 'write'], services: ['payment'] });
    const filled = await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': token });
    expect(filled.body.query.service).toBe('payment');
    expect(
      (await call(`${h.url}/api/alerts?service=checkout`, 'GET', undefined, { 'x-api-key': token })).status,
    ).toBe(403);
    expect((await call(`${h.url}/api/alerts/a-pay`, 'GET', undefined, { 'x-api-key': token })).status).toBe(
      200,
    );
    expect((await call(`${h.url}/api/alerts/a-chk`, 'GET', undefined, { 'x-api-key': token })).status).toBe(
      404,
    );
    expect(
      (await call(`${h.url}/api/alerts/a-chk/acknowledge`, 'POST', {}, { 'x-api-key': token })).status,
    ).toBe(404);
    expect((await call(`${h.url}/api/stats`, 'GET', undefined, { 'x-api-key': token })).status).toBe(403);
  });

  it('refuses writes past the series limit with a clear error, and keeps known series writable', async () => {
    const token = h.key({ name: 'card', scopes: ['ingest'] });
    const metrics = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`m${i}`, i]));
    expect(
      (await call(`${h.url}/api/metrics`, 'POST', { service: 's', metrics }, { 'x-api-key': token })).status,
    ).toBe(202);
    const over = await call(`${h.url}/api/metrics`, 'POST', { service: 's', m9: 1 }, { 'x-api-key': token });
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('CARDINALITY_LIMIT');
    expect(over.body.message).toContain('at most 5 distinct series');
    expect(
      (await call(`${h.url}/api/metrics`, 'POST', { service: 's', m1: 7 }, { 'x-api-key': token })).status,
    ).toBe(202);
  });
});

describe('security plugin: sessions, CSRF, audit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.user('vera', 'viewer');
    await h.user('otto', 'operator');
    await h.user('ada', 'admin');
  });
  afterAll(() => h.close());

  it('sets an HttpOnly SameSite=Strict cookie (no Secure without TLS) and knows the user', async () => {
    const res = await fetch(`${h.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.url },
      body: JSON.stringify({ username: 'vera', password: 'correct horse battery' }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(res.status).toBe(200);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const me = await call(`${h.url}/api/auth/me`, 'GET', undefined, { cookie: cookie.split(';')[0] ?? '' });
    expect(me.body).toMatchObject({ kind: 'user', name: 'vera', role: 'viewer', scopes: ['read'] });
  });

  it('refuses a wrong password with 401 and records the failure', async () => {
    const r = await call(
      `${h.url}/api/auth/login`,
      'POST',
      { username: 'vera', password: 'wrong password!!' },
      { origin: h.url },
    );
    expect(r.status).toBe(401);
    expect(h.store.queryAudit({ action: 'auth.login_failed' }).total).toBeGreaterThan(0);
  });

  it('viewer reads but cannot acknowledge; operator acknowledges (audited) but cannot manage keys', async () => {
    const vera = await h.login('vera');
    const otto = await h.login('otto');
    const headers = (c: string) => ({ cookie: c, origin: h.url });
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { cookie: vera })).status).toBe(200);
    expect((await call(`${h.url}/api/alerts/a-pay/acknowledge`, 'POST', {}, headers(vera))).status).toBe(403);
    expect(
      (await call(`${h.url}/api/alerts/a-pay/acknowledge`, 'POST', { note: 'on it' }, headers(otto))).status,
    ).toBe(200);
    const entry = h.store.queryAudit({ action: 'alert.acknowledge' }).items[0];
    expect(entry).toMatchObject({
      actor: 'otto',
      actorKind: 'user',
      target: 'a-pay',
      detail: { note: 'on it' },
    });
    expect((await call(`${h.url}/api/keys`, 'GET', undefined, { cookie: otto })).status).toBe(403);
  });

  it('CSRF: a cookie-authenticated POST needs a matching Origin (or X-Vigil-CSRF) and a JSON body', async () => {
    const otto = await h.login('otto');
    const url = `${h.url}/api/alerts/a-pay/resolve`;
    expect((await call(url, 'POST', {}, { cookie: otto, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(url, 'POST', {}, { cookie: otto })).status).toBe(403);
    expect((await call(url, 'POST', {}, { cookie: otto, 'x-vigil-csrf': '1' })).status).toBe(200);
    const form = await fetch(url, {
      method: 'POST',
      headers: { cookie: otto, origin: h.url, 'content-type': 'text/plain' },
      body: '{"note":"x"}',
    });
    expect(form.status).toBe(415);
    expect(
      (await call(url, 'POST', {}, { cookie: otto, origin: h.url, 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
  });

  it('logout ends the session on the server', async () => {
    const vera = await h.login('vera');
    expect(
      (await call(`${h.url}/api/auth/logout`, 'POST', undefined, { cookie: vera, origin: h.url })).status,
    ).toBe(200);
    expect((await call(`${h.url}/api/auth/me`, 'GET', undefined, { cookie: vera })).status).toBe(401);
  });

  it('admin creates, lists (prefix only) and revokes keys through the API, audited', async () => {
    const ada = await h.login('ada');
    const headers = { cookie: ada, origin: h.url };
    const created = await call(
      `${h.url}/api/keys`,
      'POST',
      { name: 'ci', scopes: ['ingest'], services: ['payment'] },
      headers,
    );
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^vgl_[0-9a-f]{8}_/);
    const list = await call(`${h.url}/api/keys`, 'GET', undefined, { cookie: ada });
    expect(JSON.stringify(list.body)).not.toContain(token.slice(13));
    expect(list.body.items.some((k: { prefix: string }) => k.prefix === token.slice(0, 12))).toBe(true);
    // Used once (so it sits in the verified-key cache), then revoked: refused at once.
    expect(
      (await call(`${h.url}/api/metrics`, 'POST', { service: 'payment', x: 1 }, { 'x-api-key': token }))
        .status,
    ).toBe(202);
    const revoked = await call(`${h.url}/api/keys/${created.body.key.id}`, 'DELETE', undefined, headers);
    expect(revoked.status).toBe(200);
    expect(
      (await call(`${h.url}/api/metrics`, 'POST', { service: 'payment', x: 1 }, { 'x-api-key': token }))
        .status,
    ).toBe(401);
    const actions = h.store.queryAudit({ actor: 'ada' }).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['key.create', 'key.revoke']));
    const audit = await call(`${h.url}/api/audit?action=key.revoke`, 'GET', undefined, { cookie: ada });
    expect(audit.body.items[0]).toMatchObject({ actor: 'ada', action: 'key.revoke' });
  });

  it('users CRUD: add, change role, refuse removing the last admin', async () => {
    const ada = await h.login('ada');
    const headers = { cookie: ada, origin: h.url };
    expect(
      (
        await call(
          `${h.url}/api/users`,
          'POST',
          { username: 'neo', password: 'short', role: 'viewer' },
          headers,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await call(
          `${h.url}/api/users`,
          'POST',
          { username: 'neo', password: 'long enough pw', role: 'viewer' },
          headers,
        )
      ).status,
    ).toBe(201);
    const patched = await call(`${h.url}/api/users/neo`, 'PATCH', { role: 'operator' }, headers);
    expect(patched.body.user.role).toBe('operator');
    expect((await call(`${h.url}/api/users/ada`, 'PATCH', { role: 'viewer' }, headers)).status).toBe(409);
    expect((await call(`${h.url}/api/users/ada`, 'DELETE', undefined, headers)).status).toBe(409);
    expect((await call(`${h.url}/api/users/neo`, 'DELETE', undefined, headers)).status).toBe(200);
    expect(h.store.getUserByName('neo')).toBeNull();
  });
});

describe('security plugin: limits and headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rateLimit: { perSecond: 1, burst: 3 } });
  });
  afterAll(() => h.close());

  it('answers 429 with Retry-After once a key spends its burst', async () => {
    const token = h.key({ name: 'busy', scopes: ['read'] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': token });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses[3]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const other = h.key({ name: 'calm', scopes: ['read'] });
    expect((await call(`${h.url}/api/alerts`, 'GET', undefined, { 'x-api-key': other })).status).toBe(200);
  });

  it('sends a strict CSP and security headers; no CORS headers unless configured', async () => {
    const r = await fetch(`${h.url}/health`, { headers: { origin: 'https://elsewhere.example' } });
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('strict-transport-security')).toBeNull();
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits the body of control routes (sign-in) to 64 KiB', async () => {
    const r = await call(
      `${h.url}/api/auth/login`,
      'POST',
      { username: 'x', password: 'y'.repeat(70_000) },
      { origin: h.url },
    );
    expect(r.status).toBe(413);
  });
});

describe('security plugin: CORS when configured, auth disabled', () => {
  it('allows only the configured origin', async () => {
    const h = await startHarness({ cors: { origins: ['https://grafana.example'] } });
    try {
      const ok = await fetch(`${h.url}/health`, { headers: { origin: 'https://grafana.example' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://grafana.example');
      const no = await fetch(`${h.url}/health`, { headers: { origin: 'https://evil.example' } });
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await fetch(`${h.url}/api/alerts`, {
        method: 'OPTIONS',
        headers: { origin: 'https://grafana.example', 'access-control-request-method': 'GET' },
      });
      expect(pre.status).toBe(204);
    } finally {
      await h.close();
    }
  });

  it('lets every request through when authentication is disabled', async () => {
    const h = await startHarness({ auth: { enabled: false } });
    try {
      expect((await call(`${h.url}/config`, 'GET')).status).toBe(200);
      expect((await call(`${h.url}/api/metrics`, 'POST', { service: 'a', x: 1 })).status).toBe(202);
    } finally {
      await h.close();
    }
  });
});
