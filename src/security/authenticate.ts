/**
 * Resolving a request's credential to a {@link Principal}: an API key (`X-API-Key`, or
 * `Authorization: Bearer`) or a dashboard session cookie.
 */
import type { FastifyRequest } from 'fastify';
import { keyMatches, keyPrefix, sessionIdHash, sha256 } from './tokens.js';
import { type AuthStore, type Principal, ROLE_SCOPES, type Scope } from './types.js';

/** Name of the session cookie; `__Host-` prefixed (Secure, host-only, Path=/) under TLS. */
export function sessionCookieName(tls: boolean): string {
  return tls ? '__Host-vigil_session' : 'vigil_session';
}

/** Value of one cookie in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The credential a request presents, before it is checked. */
export type Presented =
  | { readonly kind: 'key'; readonly token: string }
  | { readonly kind: 'session'; readonly token: string }
  | { readonly kind: 'none' };

/** Reads the credential: an API key header wins over a cookie. */
export function presented(req: FastifyRequest, cookieName: string): Presented {
  const h = req.headers['x-api-key'];
  const apiKey = Array.isArray(h) ? h[0] : h;
  if (apiKey) return { kind: 'key', token: apiKey.trim() };
  const auth = req.headers.authorization;
  if (auth && /^bearer\s+/i.test(auth)) return { kind: 'key', token: auth.replace(/^bearer\s+/i, '').trim() };
  const cookie = readCookie(req.headers.cookie, cookieName);
  if (cookie) return { kind: 'session', token: cookie };
  return { kind: 'none' };
}

/**
 * Verified API keys by SHA-256 of the key (hex), for `ttlMs`: saves the store lookup on hot
 * ingest paths. A key revoked through the API is forgotten at once; one revoked by the CLI
 * (another process) stops working within `ttlMs`.
 */
export class KeyCache {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly until: number }>();
  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}
  get(digest: string, now: number): Principal | null {
    const e = this.entries.get(digest);
    if (e === undefined) return null;
    if (e.until <= now) {
      this.entries.delete(digest);
      return null;
    }
    return e.principal;
  }
  set(digest: string, principal: Principal, now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(digest, { principal, until: now + this.ttlMs });
  }
  /** Drops every cached entry of key `id`. */
  forget(id: string): void {
    for (const [d, e] of this.entries)
      if (e.principal.kind === 'key' && e.principal.id === id) this.entries.delete(d);
  }
}

export interface AuthenticateContext {
  readonly store: AuthStore;
  /** Cache of verified keys (optional). */
  readonly keys?: KeyCache;
  /** Session idle timeout, ms. */
  readonly idleMs: number;
  readonly now: number;
  /** Last-use writes are throttled to one per minute per key or session. */
  readonly touched: Map<string, number>;
}

const TOUCH_EVERY_MS = 60_000;

function touch(ctx: AuthenticateContext, id: string, write: () => void): void {
  const last = ctx.touched.get(id) ?? 0;
  if (ctx.now - last < TOUCH_EVERY_MS) return;
  ctx.touched.set(id, ctx.now);
  if (ctx.touched.size > 100_000) ctx.touched.clear();
  write();
}

/**
 * Checks an API key: shape, existing prefix, not revoked, digest equal in constant time.
 * @returns the principal, or null when the key is not valid
 */
export function authenticateKey(token: string, ctx: AuthenticateContext): Principal | null {
  const prefix = keyPrefix(token);
  if (prefix === null) return null;
  const digest = ctx.keys ? sha256(token).toString('hex') : '';
  const cached = ctx.keys?.get(digest, ctx.now) ?? null;
  if (cached !== null) {
    touch(ctx, `key:${cached.kind === 'key' ? cached.id : ''}`, () =>
      ctx.store.touchKey(cached.kind === 'key' ? cached.id : '', ctx.now),
    );
    return cached;
  }
  const key = ctx.store.findKeyByPrefix(prefix);
  if (key === null || key.revokedAt !== null || !keyMatches(token, key.hash)) return null;
  touch(ctx, `key:${key.id}`, () => ctx.store.touchKey(key.id, ctx.now));
  const principal: Principal = {
    kind: 'key',
    id: key.id,
    name: `${key.name} (${key.prefix})`,
    scopes: new Set<Scope>(key.scopes),
    services: key.services === null ? null : new Set(key.services),
    maxSeries: key.maxSeries,
  };
  ctx.keys?.set(digest, principal, ctx.now);
  return principal;
}

/**
 * Checks a session token: known, not past its absolute expiry nor idle timeout, created after
 * the user's last password change, user still present. The role is read on every request,
 * so a role change applies at once.
 * @returns the principal, or null when the session is not valid (an ended session is deleted)
 */
export function authenticateSession(token: string, ctx: AuthenticateContext): Principal | null {
  if (token.length > 100) return null;
  const idHash = sessionIdHash(token);
  const s = ctx.store.getSession(idHash);
  if (s === null) return null;
  const user = ctx.store.getUserById(s.userId);
  const ended = ctx.now >= s.expiresAt || ctx.now - s.lastSeenAt >= ctx.idleMs;
  if (ended || user === null || user.passwordChangedAt > s.createdAt) {
    ctx.store.deleteSession(idHash);
    return null;
  }
  touch(ctx, `session:${idHash}`, () => ctx.store.touchSession(idHash, ctx.now));
  return {
    kind: 'user',
    id: user.id,
    name: user.username,
    role: user.role,
    scopes: new Set(ROLE_SCOPES[user.role]),
    services: null,
    sessionHash: idHash,
  };
}
