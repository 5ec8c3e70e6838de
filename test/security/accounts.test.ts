import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapNotice, bootstrapSecurity } from '../../src/security/bootstrap.js';
import { CliError, runKeysCommand, runUsersCommand } from '../../src/security/cli.js';
import { securityConfigSchema } from '../../src/security/config.js';
import { hashPassword, verifyPassword } from '../../src/security/passwords.js';
import { RateLimiter } from '../../src/security/rate-limit.js';
import { keyMatches } from '../../src/security/tokens.js';
import { SqliteAuthStore } from '../../src/store/sqlite/auth-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-acct-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('passwords and tokens', () => {
  it('scrypt hashes verify only the right password, and the hash holds no plain text', async () => {
    const h = await hashPassword('correct horse battery', 10);
    expect(h).toMatch(/^scrypt\$10\$8\$1\$/);
    expect(h).not.toContain('horse');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99$8$1$a$b')).toBe(false);
  });

  it('token bucket: burst, then one request per refill interval', () => {
    const r = new RateLimiter({ perSecond: 2, burst: 2 });
    expect([r.take('a', 0), r.take('a', 0), r.take('a', 0)]).toEqual([0, 0, 500]);
    expect(r.take('a', 500)).toBe(0);
    expect(r.take('b', 0)).toBe(0);
  });
});

describe('first-start bootstrap', () => {
  it('creates the admin once with a generated password printed once, and a fresh agent key each start', async () => {
    const store = SqliteAuthStore.open(dir);
    try {
      const section = securityConfigSchema.parse({ auth: { scryptLogN: 10 } });
      const first = await bootstrapSecurity(store, section, { agent: true });
      expect(first.admin?.username).toBe('admin');
      const password = first.admin?.password ?? '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(bootstrapNotice(first).join('\n')).toContain(password);
      const admin = store.getUserByName('admin');
      expect(await verifyPassword(password, admin?.passwordHash ?? '')).toBe(true);
      const second = await bootstrapSecurity(store, section, { agent: true });
      expect(second.admin).toBeNull();
      expect(bootstrapNotice(second)).toEqual([]);
      const agentKeys = store.listKeys().filter((k) => k.name === 'host-agent');
      expect(agentKeys).toHaveLength(2);
      expect(agentKeys.filter((k) => k.revokedAt === null)).toHaveLength(1);
      const active = store.findKeyByPrefix((second.agentKey ?? '').slice(0, 12));
      expect(active?.scopes).toEqual(['ingest']);
      expect(keyMatches(second.agentKey ?? '', active?.hash ?? Buffer.alloc(0))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('uses the configured initial password without printing it, and does nothing with auth off', async () => {
    const store = SqliteAuthStore.open(dir);
    try {
      const off = await bootstrapSecurity(store, securityConfigSchema.parse({ auth: { enabled: false } }), {
        agent: true,
      });
      expect(off).toEqual({ admin: null, agentKey: null });
      expect(store.countUsers()).toBe(0);
      const given = securityConfigSchema.parse({
        auth: { initialAdminPassword: 'configured password', scryptLogN: 10 },
      });
      const r = await bootstrapSecurity(store, given, { agent: false });
      expect(r.admin).toEqual({ username: 'admin', password: null });
      expect(bootstrapNotice(r)).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('vigil keys / vigil users', () => {
  it('creates, lists (prefix only) and revokes keys; each change is audited', async () => {
    const out: string[] = [];
    const io = { print: (l: string) => out.push(l) };
    await runKeysCommand(
      dir,
      { action: 'create', name: 'ci', scopes: ['ingest'], services: ['payment'] },
      io,
    );
    const token = out.at(-1) ?? '';
    expect(token).toMatch(/^vgl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    out.length = 0;
    await runKeysCommand(dir, { action: 'list' }, io);
    expect(out.join('\n')).toContain(token.slice(0, 12));
    expect(out.join('\n')).not.toContain(token.slice(13));
    await runKeysCommand(dir, { action: 'revoke', id: token.slice(0, 12) }, io);
    await expect(runKeysCommand(dir, { action: 'revoke', id: token.slice(0, 12) }, io)).rejects.toThrow(
      CliError,
    );
    await expect(
      runKeysCommand(dir, { action: 'create', name: 'bad', scopes: ['root'] }, io),
    ).rejects.toThrow(/scopes/);
    const store = SqliteAuthStore.open(dir);
    expect(store.queryAudit({ actor: 'cli' }).items.map((e) => e.action)).toEqual([
      'key.revoke',
      'key.create',
    ]);
    store.close();
  });

  it('adds users, changes passwords (ending sessions), refuses removing the last admin', async () => {
    const out: string[] = [];
    const io = { print: (l: string) => out.push(l) };
    await runUsersCommand(
      dir,
      { action: 'add', username: 'root', role: 'admin', password: 'root password 123' },
      io,
      { scryptLogN: 10 },
    );
    await runUsersCommand(dir, { action: 'add', username: 'vera', role: 'viewer' }, io, { scryptLogN: 10 });
    expect(out.at(-1)).toMatch(/^password \(shown only once\): /);
    const store = SqliteAuthStore.open(dir);
    const vera = store.getUserByName('vera');
    store.insertSession({
      idHash: 'h1',
      userId: vera?.id ?? '',
      createdAt: 1,
      expiresAt: Date.now() + 1e6,
      lastSeenAt: 1,
    });
    await runUsersCommand(dir, { action: 'passwd', username: 'vera', password: 'another password' }, io, {
      scryptLogN: 10,
    });
    expect(out.at(-1)).toContain('ended 1 session');
    expect(store.getSession('h1')).toBeNull();
    await expect(runUsersCommand(dir, { action: 'remove', username: 'root' }, io)).rejects.toThrow(
      /last admin/,
    );
    await expect(runUsersCommand(dir, { action: 'add', username: 'x', role: 'god' }, io)).rejects.toThrow(
      /role/,
    );
    await runUsersCommand(dir, { action: 'remove', username: 'vera' }, io);
    expect(store.getUserByName('vera')).toBeNull();
    store.close();
  });
});
