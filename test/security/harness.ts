/**
 * A small real server for unit-level security tests: Fastify with the security plugin, the
 * SQLite auth store in a temporary directory, and dummy routes shaped like Vigil's (same paths,
 * so the route table applies), listening on port 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { normalizeBatch, normalizeOne } from '../../src/ingest/normalize.js';
import type { NewKey } from '../../src/security/accounts.js';
import { createApiKey, createUser } from '../../src/security/accounts.js';
import { type SecurityConfig, securityConfigSchema } from '../../src/security/config.js';
import { SecurityError } from '../../src/security/errors.js';
import { securityPlugin } from '../../src/security/plugin.js';
import type { Role } from '../../src/security/types.js';
import { SqliteAuthStore } from '../../src/store/sqlite/auth-store.js';

export interface Harness {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: SqliteAuthStore;
  /** Alert id → service, as the dummy alert routes see it. */
  readonly alerts: Map<string, string>;
  /** Service of every point the dummy ingest routes accepted. */
  readonly written: string[];
  key(input: NewKey): string;
  user(username: string, role: Role, password?: string): Promise<void>;
  /** Signs in and returns the session cookie (`name=value`). */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';

/** Security config for tests: cheap scrypt, overrides merged in. */
export function testSecurity(overrides: Record<string, unknown> = {}): SecurityConfig {
  const base = securityConfigSchema.parse({ auth: { scryptLogN: 10 } });
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      out[k] =
        v && typeof v === 'object' && !Array.isArray(v)
          ? merge((a[k] ?? {}) as Record<string, unknown>, v as Record<string, unknown>)
          : v;
    }
    return out;
  };
  return securityConfigSchema.parse(merge(base as unknown as Record<string, unknown>, overrides));
}

/** Starts the harness. */
export async function startHarness(
  overrides: Record<string, unknown> = {},
  extra?: (app: FastifyInstance) => void,
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sec-'));
  const store = SqliteAuthStore.open(dir);
  const security = testSecurity(overrides);
  const alerts = new Map<string, string>([
    ['a-pay', 'payment'],
    ['a-chk', 'checkout'],
  ]);
  const written: string[] = [];
  const app = Fastify({ logger: false });
  await app.register(securityPlugin, {
    config: { security, server: { bodyLimitBytes: 8 * 1024 * 1024 } },
    authStore: store,
    logger: { warn: () => {}, error: () => {} },
    lookup: { alertService: (id) => alerts.get(id) ?? null, seriesService: () => null },
  });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof SecurityError) return reply.code(err.statusCode).send(err.toBody());
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send({ statusCode: status, code: 'ERR', message: (err as Error).message, issues: [] });
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/config', async () => ({ config: true }));
  app.get('/api/stats', async () => ({ stats: true }));
  app.get('/api/alerts', async (req) => ({ query: req.query }));
  app.get<{ Params: { id: string } }>('/api/alerts/:id', async (req) => ({
    id: req.params.id,
    service: alerts.get(req.params.id),
  }));
  for (const action of ['acknowledge', 'resolve']) {
    app.post<{ Params: { id: string } }>(`/api/alerts/:id/${action}`, async (req) => ({
      alert: { id: req.params.id, status: action },
    }));
  }
  for (const [route, kind] of [
    ['/api/metrics', 'application'],
    ['/api/logs', 'log'],
  ] as const) {
    app.post(route, async (req, reply) => {
      const r = normalizeOne(kind, req.body, { now: Date.now(), maxFutureMs: 300_000 });
      if (!r.ok) return reply.code(400).send({ issues: r.issues });
      app.vigilSecurity.admitIngest(req, r.items);
      for (const i of r.items) written.push(i.service);
      return reply.code(202).send({ accepted: 1 });
    });
  }
  app.post('/api/batch', async (req, reply) => {
    const r = normalizeBatch(req.body, { now: Date.now(), maxFutureMs: 300_000 }, 10_000);
    if (!r.ok) return reply.code(400).send({ issues: r.issues });
    app.vigilSecurity.admitIngest(req, r.result.items);
    for (const i of r.result.items) written.push(i.service);
    return reply.code(202).send({ accepted: r.result.accepted });
  });
  extra?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    app,
    store,
    alerts,
    written,
    key: (input) => createApiKey(store, input, 'test', Date.now()).token,
    async user(username, role, password = PASSWORD) {
      const u = await createUser(store, { username, password, role }, 10, Date.now());
      if (u === 'taken') throw new Error(`user ${username} exists`);
    },
    async login(username, password = PASSWORD) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie') ?? '';
      return cookie.split(';')[0] ?? '';
    },
    async close() {
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A request with JSON body; returns status, parsed body and headers. */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
