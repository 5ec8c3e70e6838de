/**
 * A real Vigil server (`startTestVigil`) with authentication on, an admin signed in, and one
 * credential per role and scope made through the API.
 */
import { startTestVigil, tempDir } from '../helpers/vigil.js';
import { call } from './harness.js';

export const ADMIN_PASSWORD = 'admin password for tests';
export const USER_PASSWORD = 'user password for tests';

export type RunningVigil = Awaited<ReturnType<typeof startTestVigil>>;

/** Credentials by name: `cookie:` values are session cookies, the rest API keys. */
export interface Credentials {
  readonly anonymous: Record<string, string>;
  readonly viewer: Record<string, string>;
  readonly operator: Record<string, string>;
  readonly admin: Record<string, string>;
  readonly ingestKey: Record<string, string>;
  readonly readKey: Record<string, string>;
  readonly writeKey: Record<string, string>;
  readonly adminKey: Record<string, string>;
}

export interface SecureVigil {
  readonly vigil: RunningVigil;
  readonly url: string;
  /** Headers that authenticate as each principal (sessions include a same-origin Origin). */
  readonly as: Credentials;
  login(username: string, password: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Starts Vigil with auth enabled and makes the credentials. */
export async function startSecureVigil(overrides: Record<string, unknown> = {}): Promise<SecureVigil> {
  const tmp = tempDir('vigil-secure-');
  const vigil = await startTestVigil(tmp.dir, {
    'security.auth.enabled': true,
    'security.auth.initialAdminPassword': ADMIN_PASSWORD,
    'security.auth.scryptLogN': 10,
    'security.rateLimit.enabled': false,
    ...overrides,
  });
  const url = vigil.url;
  const login = async (username: string, password: string) => {
    const r = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
    return { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '', origin: url };
  };
  const admin = await login('admin', ADMIN_PASSWORD);
  for (const [username, role] of [
    ['vera', 'viewer'],
    ['otto', 'operator'],
  ] as const) {
    const r = await call(`${url}/api/users`, 'POST', { username, password: USER_PASSWORD, role }, admin);
    if (r.status !== 201) throw new Error(`user ${username}: ${r.status}`);
  }
  const key = async (name: string, scopes: string[]) => {
    const r = await call(`${url}/api/keys`, 'POST', { name, scopes }, admin);
    if (r.status !== 201) throw new Error(`key ${name}: ${r.status}`);
    return { 'x-api-key': r.body.token as string };
  };
  const as: Credentials = {
    anonymous: {},
    viewer: await login('vera', USER_PASSWORD),
    operator: await login('otto', USER_PASSWORD),
    admin,
    ingestKey: await key('ingest', ['ingest']),
    readKey: await key('read', ['read']),
    writeKey: await key('write', ['write']),
    adminKey: await key('admin', ['admin']),
  };
  return {
    vigil,
    url,
    as,
    login,
    async close() {
      await vigil.close();
      tmp.cleanup();
    },
  };
}
