/**
 * Secure by default on first start: an `admin` user is created when there is no user (with
 * the configured initial password, or a random one printed once), and the in-process host
 * agent gets a fresh ingest-only key on every start (the previous one is revoked, since only
 * the key's digest is stored and the agent cannot be given the old secret again).
 */
import { createApiKey, createUser } from './accounts.js';
import type { SecurityConfig } from './config.js';
import { randomPassword } from './passwords.js';
import type { AuthStore } from './types.js';

/** Name of the key created for the host agent. */
export const AGENT_KEY_NAME = 'host-agent';

export interface BootstrapResult {
  /** Set when the admin user was created on this start; `password` only when it was generated. */
  readonly admin: { readonly username: string; readonly password: string | null } | null;
  /** Ingest key for the in-process host agent (when requested). */
  readonly agentKey: string | null;
}

/**
 * Prepares credentials at start. Does nothing when authentication is disabled.
 * @param options.agent create the host agent's key
 * @throws the store's error when it cannot write
 */
export async function bootstrapSecurity(
  store: AuthStore,
  section: SecurityConfig,
  options: { readonly agent: boolean; readonly now?: number },
): Promise<BootstrapResult> {
  if (!section.auth.enabled) return { admin: null, agentKey: null };
  const now = options.now ?? Date.now();
  let admin: BootstrapResult['admin'] = null;
  if (store.countUsers() === 0) {
    const given = section.auth.initialAdminPassword;
    const password = given ?? randomPassword();
    const user = await createUser(
      store,
      { username: 'admin', password, role: 'admin' },
      section.auth.scryptLogN,
      now,
    );
    if (user !== 'taken') {
      admin = { username: 'admin', password: given === undefined ? password : null };
      store.appendAudit({
        at: now,
        actor: 'system',
        actorKind: 'system',
        action: 'user.create',
        target: 'admin',
        detail: { role: 'admin', bootstrap: true },
        ip: null,
      });
    }
  }
  let agentKey: string | null = null;
  if (options.agent) {
    for (const k of store.listKeys()) {
      if (k.name === AGENT_KEY_NAME && k.createdBy === 'system' && k.revokedAt === null)
        store.revokeKey(k.id, now);
    }
    const created = createApiKey(store, { name: AGENT_KEY_NAME, scopes: ['ingest'] }, 'system', now);
    agentKey = created.token;
    store.appendAudit({
      at: now,
      actor: 'system',
      actorKind: 'system',
      action: 'key.create',
      target: created.key.id,
      detail: { name: AGENT_KEY_NAME, prefix: created.key.prefix, scopes: ['ingest'] },
      ip: null,
    });
  }
  return { admin, agentKey };
}

/** The lines to print once when the admin was created with a generated password (else none). */
export function bootstrapNotice(result: BootstrapResult): string[] {
  if (!result.admin || result.admin.password === null) return [];
  return [
    'Vigil created the first administrator. This password is shown only once:',
    `  user: ${result.admin.username}`,
    `  password: ${result.admin.password}`,
    'Sign in to the dashboard and change it, or run `vigil users passwd admin`.',
  ];
}
