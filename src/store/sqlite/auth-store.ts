/**
 * {@link AuthStore} on SQLite: users, sessions, API keys and the audit log in their own
 * tables (`auth_*`) of the same database file as the rest of Vigil's state, on a connection
 * of their own (WAL mode lets it share the file with the main store's connection).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  ApiKeyRecord,
  AuditEntry,
  AuditQuery,
  AuthStore,
  Role,
  Scope,
  SessionRecord,
  StoredApiKey,
  StoredUser,
  UserRecord,
} from '../../security/types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS auth_users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS auth_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS auth_sessions_user ON auth_sessions (user_id);
CREATE TABLE IF NOT EXISTS auth_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash BLOB NOT NULL,
  scopes TEXT NOT NULL,
  services TEXT,
  max_series INTEGER,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS auth_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT,
  ip TEXT
);
CREATE INDEX IF NOT EXISTS auth_audit_at ON auth_audit (at);
`;

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: Buffer;
  scopes: string;
  services: string | null;
  max_series: number | null;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
}
interface UserRow {
  id: string;
  username: string;
  role: string;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
}
interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}
interface AuditRow {
  id: number;
  at: number;
  actor: string;
  actor_kind: string;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

const toKey = (r: KeyRow): StoredApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  hash: r.hash,
  scopes: JSON.parse(r.scopes) as Scope[],
  services: r.services === null ? null : (JSON.parse(r.services) as string[]),
  maxSeries: r.max_series,
  createdAt: r.created_at,
  createdBy: r.created_by,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});
const publicKey = ({ hash: _hash, ...rest }: StoredApiKey): ApiKeyRecord => rest;
const toUser = (r: UserRow): StoredUser => ({
  id: r.id,
  username: r.username,
  role: r.role as Role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
});
const publicUser = ({ passwordHash: _hash, ...rest }: StoredUser): UserRecord => rest;
const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastSeenAt: r.last_seen_at,
});

/** The SQLite {@link AuthStore}. */
export class SqliteAuthStore implements AuthStore {
  /**
   * Creates the `auth_*` tables when missing.
   * @param db an open better-sqlite3 database; closed by {@link close} only when `ownsDb`
   * @throws the SQLite error when the schema cannot be created
   */
  constructor(
    private readonly db: Database.Database,
    private readonly ownsDb = false,
  ) {
    db.exec(SCHEMA);
  }

  /**
   * Opens `dataDir/vigil.db` (or `fileName`) on a connection of its own, in WAL mode with a
   * 2 s busy timeout, and creates the directory and the tables (so `vigil keys create` and
   * `vigil users add` work before the first `vigil start`).
   * @throws the file-system error when the directory cannot be created, the SQLite error when
   *   the file cannot be opened
   */
  static open(dataDir: string, fileName = 'vigil.db'): SqliteAuthStore {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, fileName), { timeout: 2000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      return new SqliteAuthStore(db, true);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.db.prepare(sql).get(...params) as T | undefined;
  }
  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.db.prepare(sql).all(...params) as T[];
  }
  private run(sql: string, ...params: unknown[]): number {
    return this.db.prepare(sql).run(...params).changes;
  }

  insertKey(k: StoredApiKey): void {
    this.run(
      'INSERT INTO auth_keys (id, name, prefix, hash, scopes, services, max_series, created_at, created_by, last_used_at, revoked_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
      k.id,
      k.name,
      k.prefix,
      k.hash,
      JSON.stringify(k.scopes),
      k.services === null ? null : JSON.stringify(k.services),
      k.maxSeries,
      k.createdAt,
      k.createdBy,
      k.lastUsedAt,
      k.revokedAt,
    );
  }
  findKeyByPrefix(prefix: string): StoredApiKey | null {
    const r = this.get<KeyRow>('SELECT * FROM auth_keys WHERE prefix = ?', prefix);
    return r ? toKey(r) : null;
  }
  getKey(id: string): ApiKeyRecord | null {
    const r = this.get<KeyRow>('SELECT * FROM auth_keys WHERE id = ?', id);
    return r ? publicKey(toKey(r)) : null;
  }
  listKeys(): ApiKeyRecord[] {
    return this.all<KeyRow>('SELECT * FROM auth_keys ORDER BY created_at DESC, id').map((r) =>
      publicKey(toKey(r)),
    );
  }
  revokeKey(id: string, at: number): boolean {
    return this.run('UPDATE auth_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id) > 0;
  }
  touchKey(id: string, at: number): void {
    this.run('UPDATE auth_keys SET last_used_at = ? WHERE id = ?', at, id);
  }

  insertUser(u: StoredUser): boolean {
    const changes = this.run(
      'INSERT OR IGNORE INTO auth_users (id, username, role, password_hash, created_at, password_changed_at) VALUES (?,?,?,?,?,?)',
      u.id,
      u.username,
      u.role,
      u.passwordHash,
      u.createdAt,
      u.passwordChangedAt,
    );
    return changes > 0;
  }
  getUserByName(username: string): StoredUser | null {
    const r = this.get<UserRow>('SELECT * FROM auth_users WHERE username = ?', username);
    return r ? toUser(r) : null;
  }
  getUserById(id: string): StoredUser | null {
    const r = this.get<UserRow>('SELECT * FROM auth_users WHERE id = ?', id);
    return r ? toUser(r) : null;
  }
  listUsers(): UserRecord[] {
    return this.all<UserRow>('SELECT * FROM auth_users ORDER BY username').map((r) => publicUser(toUser(r)));
  }
  countUsers(role?: Role): number {
    const r =
      role === undefined
        ? this.get<{ n: number }>('SELECT COUNT(*) AS n FROM auth_users')
        : this.get<{ n: number }>('SELECT COUNT(*) AS n FROM auth_users WHERE role = ?', role);
    return r?.n ?? 0;
  }
  updateUser(
    id: string,
    patch: { readonly role?: Role; readonly passwordHash?: string; readonly passwordChangedAt?: number },
  ): boolean {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (patch.role !== undefined) {
      sets.push('role = ?');
      params.push(patch.role);
    }
    if (patch.passwordHash !== undefined) {
      sets.push('password_hash = ?', 'password_changed_at = ?');
      params.push(patch.passwordHash, patch.passwordChangedAt ?? Date.now());
    }
    if (sets.length === 0) return this.getUserById(id) !== null;
    return this.run(`UPDATE auth_users SET ${sets.join(', ')} WHERE id = ?`, ...params, id) > 0;
  }
  deleteUser(id: string): boolean {
    return this.db.transaction(() => {
      this.run('DELETE FROM auth_sessions WHERE user_id = ?', id);
      return this.run('DELETE FROM auth_users WHERE id = ?', id) > 0;
    })();
  }

  insertSession(s: SessionRecord): void {
    this.run(
      'INSERT INTO auth_sessions (id_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?,?,?,?,?)',
      s.idHash,
      s.userId,
      s.createdAt,
      s.expiresAt,
      s.lastSeenAt,
    );
  }
  getSession(idHash: string): SessionRecord | null {
    const r = this.get<SessionRow>('SELECT * FROM auth_sessions WHERE id_hash = ?', idHash);
    return r ? toSession(r) : null;
  }
  touchSession(idHash: string, at: number): void {
    this.run('UPDATE auth_sessions SET last_seen_at = ? WHERE id_hash = ?', at, idHash);
  }
  deleteSession(idHash: string): void {
    this.run('DELETE FROM auth_sessions WHERE id_hash = ?', idHash);
  }
  deleteUserSessions(userId: string, keepIdHash?: string): number {
    return keepIdHash === undefined
      ? this.run('DELETE FROM auth_sessions WHERE user_id = ?', userId)
      : this.run('DELETE FROM auth_sessions WHERE user_id = ? AND id_hash <> ?', userId, keepIdHash);
  }
  pruneSessions(now: number): number {
    return this.run('DELETE FROM auth_sessions WHERE expires_at <= ?', now);
  }

  appendAudit(e: Omit<AuditEntry, 'id'>): number {
    const r = this.db
      .prepare(
        'INSERT INTO auth_audit (at, actor, actor_kind, action, target, detail, ip) VALUES (?,?,?,?,?,?,?)',
      )
      .run(
        e.at,
        e.actor,
        e.actorKind,
        e.action,
        e.target,
        e.detail === null ? null : JSON.stringify(e.detail),
        e.ip,
      );
    return Number(r.lastInsertRowid);
  }
  queryAudit(q: AuditQuery): { readonly total: number; readonly items: AuditEntry[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.actor !== undefined) {
      where.push('actor = ?');
      params.push(q.actor);
    }
    if (q.action !== undefined) {
      where.push('action = ?');
      params.push(q.action);
    }
    if (q.from !== undefined) {
      where.push('at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at <= ?');
      params.push(q.to);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total =
      this.get<{ n: number }>(`SELECT COUNT(*) AS n FROM auth_audit ${clause}`, ...params)?.n ?? 0;
    const rows = this.all<AuditRow>(
      `SELECT * FROM auth_audit ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
      ...params,
      q.limit ?? 100,
      q.offset ?? 0,
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        actorKind: r.actor_kind as AuditEntry['actorKind'],
        action: r.action,
        target: r.target,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
        ip: r.ip,
      })),
    };
  }

  close(): void {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
