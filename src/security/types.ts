/**
 * Vocabulary of Vigil's security layer: scopes, roles, principals and the {@link AuthStore}
 * contract that keeps users, sessions, API keys and the audit log.
 *
 * Secrets are never stored: API keys and session tokens are kept as SHA-256 digests of
 * high-entropy random values, passwords as scrypt hashes (see `passwords.ts`).
 */

/** What a credential may do. `admin` implies every other scope. */
export type Scope = 'ingest' | 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['ingest', 'read', 'write', 'admin'];

/**
 * What a route requires: a {@link Scope}, `public` (no credential) or `authenticated`
 * (any valid credential, e.g. `/api/auth/me`).
 */
export type RouteScope = Scope | 'public' | 'authenticated';

/** Role of a person signing in to the dashboard. */
export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** Scopes granted by each role: viewer reads, operator also acknowledges/resolves, admin does all. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: ['read'],
  operator: ['read', 'write'],
  admin: ['ingest', 'read', 'write', 'admin'],
};

/** An API key as listed (the secret is never shown again after creation). */
export interface ApiKeyRecord {
  /** Random id, 16 hex digits. */
  readonly id: string;
  readonly name: string;
  /** First 12 characters of the key (`vgl_` + 8), enough to recognise it. */
  readonly prefix: string;
  readonly scopes: readonly Scope[];
  /** Services the key may write and read; null = all services. */
  readonly services: readonly string[] | null;
  /** Most distinct series the key may write to, or null for the configured default. */
  readonly maxSeries: number | null;
  /** Unix ms. */
  readonly createdAt: number;
  /** Who created it (user name, `cli`, or `system`). */
  readonly createdBy: string;
  /** Unix ms of the last authenticated request (updated at most once a minute), or null. */
  readonly lastUsedAt: number | null;
  /** Unix ms, or null while active. */
  readonly revokedAt: number | null;
}

/** An API key with the SHA-256 digest of its secret. */
export interface StoredApiKey extends ApiKeyRecord {
  /** SHA-256 of the whole key string, 32 bytes. */
  readonly hash: Buffer;
}

/** A person who signs in to the dashboard. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  /** Unix ms. */
  readonly createdAt: number;
  /** Unix ms of the last password change. */
  readonly passwordChangedAt: number;
}

/** A user with the scrypt hash of their password (`scrypt$N$r$p$salt$hash`, base64url parts). */
export interface StoredUser extends UserRecord {
  readonly passwordHash: string;
}

/** A dashboard session; the cookie holds the token, the store only its SHA-256 (hex). */
export interface SessionRecord {
  /** SHA-256 of the session token, hex. */
  readonly idHash: string;
  readonly userId: string;
  /** Unix ms. */
  readonly createdAt: number;
  /** Unix ms; the session ends at the earlier of this and `lastSeenAt + idle`. */
  readonly expiresAt: number;
  /** Unix ms. */
  readonly lastSeenAt: number;
}

/** Who did something. */
export type ActorKind = 'user' | 'key' | 'system' | 'anonymous';

/** One state change, recorded forever (queryable by admins at `GET /api/audit`). */
export interface AuditEntry {
  readonly id: number;
  /** Unix ms. */
  readonly at: number;
  /** User name, key name (with prefix), `cli` or `system`. */
  readonly actor: string;
  readonly actorKind: ActorKind;
  /** Dotted verb, e.g. `alert.acknowledge`, `key.create`, `user.passwd`, `auth.login_failed`. */
  readonly action: string;
  /** Id or name of the object acted on, if any. */
  readonly target: string | null;
  /** Extra facts (never a secret). */
  readonly detail: Readonly<Record<string, unknown>> | null;
  /** Client address, or null outside HTTP. */
  readonly ip: string | null;
}

export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  /** Unix ms, inclusive. */
  readonly from?: number;
  /** Unix ms, inclusive. */
  readonly to?: number;
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * Persistence of users, sessions, API keys and the audit log. Implementations: SQLite
 * (`store/sqlite/auth-store.ts`). Every method is synchronous and throws the underlying
 * storage error when the database cannot be read or written.
 */
export interface AuthStore {
  insertKey(key: StoredApiKey): void;
  /** The key with this prefix (revoked ones included), or null. */
  findKeyByPrefix(prefix: string): StoredApiKey | null;
  getKey(id: string): ApiKeyRecord | null;
  /** Every key, newest first. */
  listKeys(): ApiKeyRecord[];
  /** Marks a key revoked; false when unknown or already revoked. */
  revokeKey(id: string, at: number): boolean;
  touchKey(id: string, at: number): void;

  /** Adds a user; false when the user name is taken. */
  insertUser(user: StoredUser): boolean;
  getUserByName(username: string): StoredUser | null;
  getUserById(id: string): StoredUser | null;
  /** Every user, by name. */
  listUsers(): UserRecord[];
  countUsers(role?: Role): number;
  /** Changes role and/or password hash; false when the user is unknown. */
  updateUser(
    id: string,
    patch: { readonly role?: Role; readonly passwordHash?: string; readonly passwordChangedAt?: number },
  ): boolean;
  /** Deletes the user and all their sessions; false when unknown. */
  deleteUser(id: string): boolean;

  insertSession(session: SessionRecord): void;
  getSession(idHash: string): SessionRecord | null;
  touchSession(idHash: string, at: number): void;
  deleteSession(idHash: string): void;
  /** Deletes every session of a user except `keepIdHash`; returns how many were deleted. */
  deleteUserSessions(userId: string, keepIdHash?: string): number;
  /** Deletes sessions whose absolute expiry is ≤ `now`. */
  pruneSessions(now: number): number;

  appendAudit(entry: Omit<AuditEntry, 'id'>): number;
  /** Newest first. */
  queryAudit(query: AuditQuery): { readonly total: number; readonly items: AuditEntry[] };

  close(): void;
}

/** The authenticated party of a request. */
export type Principal =
  | {
      readonly kind: 'key';
      readonly id: string;
      /** `<name> (<prefix>)`, used as the audit actor. */
      readonly name: string;
      readonly scopes: ReadonlySet<Scope>;
      readonly services: ReadonlySet<string> | null;
      readonly maxSeries: number | null;
    }
  | {
      readonly kind: 'user';
      readonly id: string;
      readonly name: string;
      readonly role: Role;
      readonly scopes: ReadonlySet<Scope>;
      readonly services: null;
      /** SHA-256 (hex) of the session token the request carried. */
      readonly sessionHash: string;
    }
  | {
      /** Authentication is disabled (`security.auth.enabled: false`), or a public route. */
      readonly kind: 'anonymous';
      readonly name: 'anonymous';
      readonly scopes: ReadonlySet<Scope>;
      readonly services: null;
    };

/** True when `principal` holds `scope` (admin implies all). */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has('admin') || principal.scopes.has(scope);
}
