/**
 * Account operations shared by the HTTP routes, the CLI and first-start bootstrap: create and
 * revoke API keys, add users, change passwords (ending every session of the user), change
 * roles without leaving the server with no admin.
 */
import { z } from 'zod';
import { hasControlCharacter } from '../ingest/schemas.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { newApiKey, randomId } from './tokens.js';
import {
  type ApiKeyRecord,
  type AuthStore,
  ROLES,
  type Role,
  SCOPES,
  type Scope,
  type UserRecord,
} from './types.js';

/** User names: 1–64 of letters, digits, `_ . @ -`. */
export const usernameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'user names hold only letters, digits, _ . @ -');

export const passwordSchema = z.string().superRefine((s, ctx) => {
  const problem = passwordProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const roleSchema = z.enum(ROLES as [Role, ...Role[]]);

/** Body of a key creation (`POST /api/keys`, `vigil keys create`). */
export const newKeySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .refine((s) => !hasControlCharacter(s), { message: 'must not contain control characters' }),
    scopes: z
      .array(z.enum(SCOPES as [Scope, ...Scope[]]))
      .min(1)
      .max(4),
    services: z.array(z.string().min(1).max(200)).min(1).max(100).nullable().optional(),
    maxSeries: z.number().int().min(1).max(10_000_000).nullable().optional(),
  })
  .strict();

export type NewKey = z.infer<typeof newKeySchema>;

/**
 * Creates an API key. The token is returned once and never stored.
 * @example createApiKey(store, { name: 'payment', scopes: ['ingest'], services: ['payment'] }, 'admin', Date.now())
 */
export function createApiKey(
  store: AuthStore,
  input: NewKey,
  createdBy: string,
  now: number,
): { key: ApiKeyRecord; token: string } {
  const { token, prefix, hash } = newApiKey();
  const key = {
    id: randomId(),
    name: input.name,
    prefix,
    scopes: [...new Set(input.scopes)],
    services: input.services ? [...new Set(input.services)] : null,
    maxSeries: input.maxSeries ?? null,
    createdAt: now,
    createdBy,
    lastUsedAt: null,
    revokedAt: null,
  };
  store.insertKey({ ...key, hash });
  return { key, token };
}

/**
 * Adds a user.
 * @returns the user, or `'taken'` when the name exists
 * @throws {Error} when the password breaks the rules (see `passwordProblem`)
 */
export async function createUser(
  store: AuthStore,
  input: { username: string; password: string; role: Role },
  logN: number,
  now: number,
): Promise<UserRecord | 'taken'> {
  const problem = passwordProblem(input.password);
  if (problem) throw new Error(problem);
  if (store.getUserByName(input.username)) return 'taken';
  const user = {
    id: randomId(),
    username: input.username,
    role: input.role,
    createdAt: now,
    passwordChangedAt: now,
  };
  const ok = store.insertUser({ ...user, passwordHash: await hashPassword(input.password, logN) });
  return ok ? user : 'taken';
}

/**
 * Sets a user's password and ends every session of that user (CVE-2023-44400 class).
 * @returns the number of sessions ended
 * @throws {Error} when the password breaks the rules
 */
export async function setPassword(
  store: AuthStore,
  userId: string,
  password: string,
  logN: number,
  now: number,
): Promise<number> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const passwordHash = await hashPassword(password, logN);
  store.updateUser(userId, { passwordHash, passwordChangedAt: now });
  return store.deleteUserSessions(userId);
}

/** True when removing or demoting `user` would leave no admin. */
export function isLastAdmin(store: AuthStore, user: UserRecord): boolean {
  return user.role === 'admin' && store.countUsers('admin') <= 1;
}
