/**
 * `vigil keys create|list|revoke` and `vigil users add|passwd|remove`: account management on
 * the data directory's database, usable while the server runs (SQLite WAL). Each change is
 * written to the audit log with actor `cli`.
 */
import { SqliteAuthStore } from '../store/sqlite/auth-store.js';
import {
  createApiKey,
  createUser,
  isLastAdmin,
  newKeySchema,
  roleSchema,
  setPassword,
  usernameSchema,
} from './accounts.js';
import { randomPassword } from './passwords.js';
import type { AuthStore, Role, Scope } from './types.js';

export interface CliIo {
  /** Writes one line to standard output. */
  readonly print: (line: string) => void;
}

export type KeysCommand =
  | {
      readonly action: 'create';
      readonly name: string;
      readonly scopes: readonly string[];
      readonly services?: readonly string[];
      readonly maxSeries?: number;
    }
  | { readonly action: 'list' }
  | { readonly action: 'revoke'; readonly id: string };

export type UsersCommand =
  | { readonly action: 'add'; readonly username: string; readonly role: string; readonly password?: string }
  | { readonly action: 'passwd'; readonly username: string; readonly password?: string }
  | { readonly action: 'remove'; readonly username: string };

/** A CLI usage or state error; the CLI prints the message and exits 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

const audit = (
  store: AuthStore,
  action: string,
  target: string,
  detail: Record<string, unknown> | null = null,
) =>
  store.appendAudit({ at: Date.now(), actor: 'cli', actorKind: 'system', action, target, detail, ip: null });

function withStore<T>(dataDir: string, fn: (store: AuthStore) => Promise<T> | T): Promise<T> {
  const store = SqliteAuthStore.open(dataDir);
  return Promise.resolve()
    .then(() => fn(store))
    .finally(() => store.close());
}

const fmt = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());

/**
 * Runs `vigil keys …` against `dataDir`.
 * @throws {CliError} on invalid input or an unknown key
 * @example await runKeysCommand('./data', { action: 'create', name: 'ci', scopes: ['ingest'] }, { print: console.log })
 */
export function runKeysCommand(dataDir: string, cmd: KeysCommand, io: CliIo): Promise<void> {
  return withStore(dataDir, (store) => {
    if (cmd.action === 'list') {
      const keys = store.listKeys();
      if (keys.length === 0) io.print('no keys');
      for (const k of keys) {
        io.print(
          [
            k.id,
            k.prefix,
            k.name,
            k.scopes.join(','),
            k.services?.join(',') ?? '*',
            `created ${fmt(k.createdAt)} by ${k.createdBy}`,
            `last used ${fmt(k.lastUsedAt)}`,
            k.revokedAt === null ? 'active' : `revoked ${fmt(k.revokedAt)}`,
          ].join('\t'),
        );
      }
      return;
    }
    if (cmd.action === 'revoke') {
      const key = store.getKey(cmd.id) ?? store.listKeys().find((k) => k.prefix === cmd.id) ?? null;
      if (!key) throw new CliError(`no key with id or prefix ${cmd.id}`);
      if (!store.revokeKey(key.id, Date.now())) throw new CliError(`key ${key.id} is already revoked`);
      audit(store, 'key.revoke', key.id, { name: key.name, prefix: key.prefix });
      io.print(`revoked ${key.id} (${key.prefix}, ${key.name})`);
      return;
    }
    const parsed = newKeySchema.safeParse({
      name: cmd.name,
      scopes: cmd.scopes,
      ...(cmd.services && cmd.services.length > 0 ? { services: cmd.services } : {}),
      ...(cmd.maxSeries !== undefined ? { maxSeries: cmd.maxSeries } : {}),
    });
    if (!parsed.success) {
      throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const { key, token } = createApiKey(store, parsed.data, 'cli', Date.now());
    audit(store, 'key.create', key.id, {
      name: key.name,
      prefix: key.prefix,
      scopes: key.scopes as Scope[],
      services: key.services,
    });
    io.print(
      `created key ${key.id} (${key.name}; scopes ${key.scopes.join(',')}; services ${key.services?.join(',') ?? 'all'})`,
    );
    io.print('the key is shown only once:');
    io.print(token);
  });
}

/**
 * Runs `vigil users …` against `dataDir`. Without `password`, a random one is generated and
 * printed once. Changing a password ends every session of the user.
 * @throws {CliError} on invalid input, an unknown user or removing the last admin
 */
export function runUsersCommand(
  dataDir: string,
  cmd: UsersCommand,
  io: CliIo,
  options: { scryptLogN?: number } = {},
): Promise<void> {
  const logN = options.scryptLogN ?? 15;
  return withStore(dataDir, async (store) => {
    const name = usernameSchema.safeParse(cmd.username);
    if (!name.success) throw new CliError(`user name: ${name.error.issues[0]?.message ?? 'invalid'}`);
    const generated = cmd.action !== 'remove' && cmd.password === undefined ? randomPassword() : null;
    const password = cmd.action === 'remove' ? '' : (cmd.password ?? generated ?? '');
    try {
      if (cmd.action === 'add') {
        const role = roleSchema.safeParse(cmd.role);
        if (!role.success) throw new CliError('role must be viewer, operator or admin');
        const user = await createUser(
          store,
          { username: cmd.username, password, role: role.data as Role },
          logN,
          Date.now(),
        );
        if (user === 'taken') throw new CliError(`user ${cmd.username} exists`);
        audit(store, 'user.create', user.username, { role: user.role });
        io.print(`added ${user.username} (${user.role})`);
      } else {
        const user = store.getUserByName(cmd.username);
        if (!user) throw new CliError(`no user ${cmd.username}`);
        if (cmd.action === 'passwd') {
          const ended = await setPassword(store, user.id, password, logN, Date.now());
          audit(store, 'user.passwd', user.username, { sessionsEnded: ended });
          io.print(`changed the password of ${user.username}; ended ${ended} session(s)`);
        } else {
          if (isLastAdmin(store, user)) throw new CliError(`${user.username} is the last admin`);
          store.deleteUser(user.id);
          audit(store, 'user.remove', user.username);
          io.print(`removed ${user.username}`);
          return;
        }
      }
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError((err as Error).message);
    }
    if (generated !== null) io.print(`password (shown only once): ${generated}`);
  });
}
