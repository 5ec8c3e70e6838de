/**
 * Auth routes: sign-in and sign-out, the current principal, password change, API keys,
 * users and the audit log. Every change is written to the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  createApiKey,
  createUser,
  isLastAdmin,
  newKeySchema,
  passwordSchema,
  roleSchema,
  setPassword,
  usernameSchema,
} from './accounts.js';
import type { SecurityConfig } from './config.js';
import { SecurityError, type SecurityIssue } from './errors.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { FailureCounter } from './rate-limit.js';
import { newSessionToken } from './tokens.js';
import type { AuthStore, Principal } from './types.js';

export interface AuthRoutesContext {
  readonly config: SecurityConfig;
  readonly store: AuthStore;
  readonly now: () => number;
  readonly tls: boolean;
  readonly cookieName: string;
  readonly audit: (
    req: FastifyRequest | null,
    action: string,
    target: string | null,
    detail?: Record<string, unknown>,
  ) => void;
  readonly logger: { warn(obj: object, msg: string): void };
  /** Drops a revoked key from the verified-key cache. */
  readonly forgetKey: (id: string) => void;
}

/** Parses with a schema; a failure is a 400 whose issues name each field. */
function parse<T extends z.ZodType>(schema: T, value: unknown, prefix: string[] = []): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues: SecurityIssue[] = r.error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    code: i.code,
    message: i.message,
  }));
  const first = issues[0];
  throw new SecurityError(
    'VALIDATION_FAILED',
    first ? `${first.path.join('.') || '(body)'}: ${first.message}` : undefined,
    issues,
  );
}

/** Wraps a handler so a {@link SecurityError} is answered with its own status and body. */
function handle<R>(fn: (req: FastifyRequest, reply: FastifyReply) => Promise<R>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      return await fn(req, reply);
    } catch (err) {
      if (err instanceof SecurityError) {
        if (err.retryAfterS !== undefined) reply.header('retry-after', String(err.retryAfterS));
        return reply.code(err.statusCode).send(err.toBody());
      }
      throw err;
    }
  };
}

const loginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
const passwordBody = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema })
  .strict();
const newUserBody = z
  .object({ username: usernameSchema, password: passwordSchema, role: roleSchema })
  .strict();
const patchUserBody = z
  .object({ role: roleSchema.optional(), password: passwordSchema.optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.password !== undefined, { message: 'set role and/or password' });
const auditQuery = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** Registers the auth routes (scopes are in `route-scopes.ts`). */
export function authRoutes(app: FastifyInstance, ctx: AuthRoutesContext): void {
  const { store, config } = ctx;
  const failures = new FailureCounter(config.rateLimit.loginFailures, config.rateLimit.loginWindowMs);
  const logN = config.auth.scryptLogN;
  const principal = (req: FastifyRequest): Principal => {
    const p = req.vigilPrincipal;
    if (!p) throw new SecurityError('UNAUTHORIZED');
    return p;
  };

  const setSessionCookie = (reply: FastifyReply, userId: string): number => {
    const now = ctx.now();
    const { token, idHash } = newSessionToken();
    const expiresAt = now + config.auth.sessionTtlMs;
    store.pruneSessions(now);
    store.insertSession({ idHash, userId, createdAt: now, expiresAt, lastSeenAt: now });
    const secure = ctx.tls ? '; Secure' : '';
    reply.header(
      'set-cookie',
      `${ctx.cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(config.auth.sessionTtlMs / 1000)}${secure}`,
    );
    return expiresAt;
  };
  const clearCookie = (reply: FastifyReply) =>
    reply.header(
      'set-cookie',
      `${ctx.cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${ctx.tls ? '; Secure' : ''}`,
    );

  app.post(
    '/api/auth/login',
    handle(async (req, reply) => {
      const body = parse(loginBody, req.body);
      const now = ctx.now();
      const keys = [`ip:${req.ip}`, `user:${body.username}`];
      if (keys.some((k) => failures.blocked(k, now))) {
        throw new SecurityError(
          'RATE_LIMITED',
          'too many failed sign-ins; wait before trying again',
          [],
          Math.ceil(config.rateLimit.loginWindowMs / 1000),
        );
      }
      const user = store.getUserByName(body.username);
      const ok = user
        ? await verifyPassword(body.password, user.passwordHash)
        : (await verifyPassword(body.password, await dummyHash(logN))) && false;
      if (!user || !ok) {
        for (const k of keys) failures.record(k, now);
        store.appendAudit({
          at: now,
          actor: body.username,
          actorKind: 'anonymous',
          action: 'auth.login_failed',
          target: body.username,
          detail: null,
          ip: req.ip,
        });
        throw new SecurityError('UNAUTHORIZED', 'invalid user name or password');
      }
      failures.clear(`user:${body.username}`);
      const expiresAt = setSessionCookie(reply, user.id);
      store.appendAudit({
        at: now,
        actor: user.username,
        actorKind: 'user',
        action: 'auth.login',
        target: null,
        detail: null,
        ip: req.ip,
      });
      return { user: { username: user.username, role: user.role }, expiresAt };
    }),
  );

  app.post(
    '/api/auth/logout',
    handle(async (req, reply) => {
      const p = principal(req);
      if (p.kind === 'user') {
        store.deleteSession(p.sessionHash);
        ctx.audit(req, 'auth.logout', null);
      }
      clearCookie(reply);
      return { ok: true };
    }),
  );

  app.get(
    '/api/auth/me',
    handle(async (req) => {
      const p = principal(req);
      return {
        kind: p.kind,
        name: p.name,
        ...(p.kind === 'user' ? { role: p.role } : {}),
        scopes: [...p.scopes],
        services: p.services === null ? null : [...p.services],
        authEnabled: config.auth.enabled,
      };
    }),
  );

  app.post(
    '/api/auth/password',
    handle(async (req, reply) => {
      const p = principal(req);
      if (p.kind !== 'user')
        throw new SecurityError('FORBIDDEN', 'only a signed-in user can change their password');
      const body = parse(passwordBody, req.body);
      const user = store.getUserById(p.id);
      if (!user || !(await verifyPassword(body.currentPassword, user.passwordHash))) {
        throw new SecurityError('FORBIDDEN', 'the current password is wrong', [
          { path: ['currentPassword'], code: 'wrong_password', message: 'the current password is wrong' },
        ]);
      }
      const ended = await setPassword(store, user.id, body.newPassword, logN, ctx.now());
      setSessionCookie(reply, user.id);
      ctx.audit(req, 'user.passwd', user.username, { sessionsEnded: ended });
      return { ok: true, sessionsEnded: ended };
    }),
  );

  app.get(
    '/api/keys',
    handle(async () => ({ items: store.listKeys() })),
  );

  app.post(
    '/api/keys',
    handle(async (req, reply) => {
      const body = parse(newKeySchema, req.body);
      const { key, token } = createApiKey(store, body, principal(req).name, ctx.now());
      ctx.audit(req, 'key.create', key.id, {
        name: key.name,
        prefix: key.prefix,
        scopes: key.scopes,
        services: key.services,
      });
      return reply.code(201).send({ key, token });
    }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/keys/:id',
    handle(async (req) => {
      const { id } = req.params as { id: string };
      const key = store.getKey(id);
      if (!key) throw new SecurityError('NOT_FOUND', `no key with id ${id}`);
      if (key.revokedAt !== null) throw new SecurityError('CONFLICT', `key ${id} is already revoked`);
      store.revokeKey(id, ctx.now());
      ctx.forgetKey(id);
      ctx.audit(req, 'key.revoke', id, { name: key.name, prefix: key.prefix });
      return { key: store.getKey(id) };
    }),
  );

  app.get(
    '/api/users',
    handle(async () => ({ items: store.listUsers() })),
  );

  app.post(
    '/api/users',
    handle(async (req, reply) => {
      const body = parse(newUserBody, req.body);
      const user = await createUser(store, body, logN, ctx.now());
      if (user === 'taken') throw new SecurityError('CONFLICT', `user ${body.username} exists`);
      ctx.audit(req, 'user.create', user.username, { role: user.role });
      return reply.code(201).send({ user });
    }),
  );

  app.patch<{ Params: { username: string } }>(
    '/api/users/:username',
    handle(async (req) => {
      const { username } = req.params as { username: string };
      const body = parse(patchUserBody, req.body);
      const user = store.getUserByName(username);
      if (!user) throw new SecurityError('NOT_FOUND', `no user ${username}`);
      if (body.role !== undefined && body.role !== 'admin' && isLastAdmin(store, user)) {
        throw new SecurityError('CONFLICT', `${username} is the last admin; make another admin first`);
      }
      if (body.role !== undefined) store.updateUser(user.id, { role: body.role });
      const ended =
        body.password !== undefined ? await setPassword(store, user.id, body.password, logN, ctx.now()) : 0;
      ctx.audit(req, 'user.update', username, {
        ...(body.role !== undefined ? { role: body.role } : {}),
        passwordChanged: body.password !== undefined,
        sessionsEnded: ended,
      });
      const { passwordHash: _h, ...updated } = store.getUserById(user.id) ?? user;
      return { user: updated };
    }),
  );

  app.delete<{ Params: { username: string } }>(
    '/api/users/:username',
    handle(async (req) => {
      const { username } = req.params as { username: string };
      const user = store.getUserByName(username);
      if (!user) throw new SecurityError('NOT_FOUND', `no user ${username}`);
      if (isLastAdmin(store, user)) throw new SecurityError('CONFLICT', `${username} is the last admin`);
      store.deleteUser(user.id);
      ctx.audit(req, 'user.remove', username);
      return { ok: true };
    }),
  );

  app.get(
    '/api/audit',
    handle(async (req) => {
      const q = parse(auditQuery, req.query, ['query']);
      return store.queryAudit(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)));
    }),
  );
}
