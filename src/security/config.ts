/**
 * The `security` section of Vigil's configuration (merged into `src/config/index.ts`), the
 * start-up checks it implies (no unauthenticated non-loopback listener, TLS files readable)
 * and its redaction for `GET /config`.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

const HOUR_MS = 3600_000;

const origin = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  },
  { message: 'must be an origin such as https://grafana.example.com (scheme, host, optional port; no path)' },
);

/** The `security` config section; every field has a default, unknown keys are rejected. */
export const securityConfigSchema = z
  .object({
    auth: z
      .object({
        /** Require a credential on every non-public route. Disabling it is refused on a non-loopback host. */
        enabled: z.boolean().default(true),
        /** Password of the `admin` user created on first start; random and printed once when absent. Secret. */
        initialAdminPassword: z.string().min(12).max(256).optional(),
        /** Absolute session lifetime, ms (default 12 h). */
        sessionTtlMs: z
          .number()
          .int()
          .min(60_000)
          .default(12 * HOUR_MS),
        /** A session unused this long ends, ms (default 2 h). */
        sessionIdleMs: z
          .number()
          .int()
          .min(60_000)
          .default(2 * HOUR_MS),
        /** log2 of the scrypt cost N for new password hashes (default 15: N = 32768, r = 8, p = 1). */
        scryptLogN: z.number().int().min(10).max(20).default(15),
      })
      .strict()
      .prefault({}),
    tls: z
      .object({
        /** PEM private key file. */
        key: z.string().min(1).optional(),
        /** PEM certificate chain file. */
        cert: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => (t.key === undefined) === (t.cert === undefined), {
        message: 'tls.key and tls.cert must be set together',
      })
      .prefault({}),
    cors: z
      .object({
        /** Origins allowed to call the API from a browser; empty = CORS off. */
        origins: z.array(origin).default([]),
      })
      .strict()
      .prefault({}),
    rateLimit: z
      .object({
        enabled: z.boolean().default(true),
        /** Sustained requests per second per credential (per client address when anonymous). */
        perSecond: z.number().positive().default(5000),
        /** Bucket size: requests allowed in a burst. */
        burst: z.number().int().min(1).default(10_000),
        /** Failed sign-ins allowed per user name and per address within `loginWindowMs`. */
        loginFailures: z.number().int().min(1).default(10),
        loginWindowMs: z
          .number()
          .int()
          .min(1000)
          .default(15 * 60_000),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        /** Distinct series one API key may write to (per server lifetime); a key's own limit overrides it. */
        maxSeriesPerKey: z.number().int().min(1).default(10_000),
        /** Body limit of non-ingest state-changing routes (sign-in, keys, users, alert actions), bytes. */
        controlBodyBytes: z
          .number()
          .int()
          .min(1024)
          .default(64 * 1024),
        /** Body limit of single-item ingest routes, bytes (`/api/batch` keeps `server.bodyLimitBytes`). */
        singleIngestBodyBytes: z
          .number()
          .int()
          .min(1024)
          .default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** Let webhook receivers target loopback, private and link-local addresses (default: refused). */
    allowPrivateReceivers: z.boolean().default(false),
  })
  .strict()
  .prefault({});

export type SecurityConfig = z.infer<typeof securityConfigSchema>;

/** Environment variables of the section: name → dotted config path and parser (for `loadConfig`'s table). */
export const SECURITY_ENV: ReadonlyArray<readonly [string, readonly string[], (s: string) => unknown]> = [
  ['VIGIL_AUTH', ['security', 'auth', 'enabled'], (s) => s !== '0' && s !== 'false'],
  ['VIGIL_ADMIN_PASSWORD', ['security', 'auth', 'initialAdminPassword'], String],
  ['VIGIL_TLS_KEY', ['security', 'tls', 'key'], String],
  ['VIGIL_TLS_CERT', ['security', 'tls', 'cert'], String],
  ['VIGIL_CORS_ORIGINS', ['security', 'cors', 'origins'], (s) => s.split(',').map((o) => o.trim())],
  ['VIGIL_ALLOW_PRIVATE_RECEIVERS', ['security', 'allowPrivateReceivers'], (s) => s === '1' || s === 'true'],
];

/** The section with secrets replaced by `[redacted]` (for `GET /config`). */
export function redactSecurityConfig(section: SecurityConfig): unknown {
  const { initialAdminPassword, ...auth } = section.auth;
  return {
    ...section,
    auth: { ...auth, ...(initialAdminPassword !== undefined ? { initialAdminPassword: '[redacted]' } : {}) },
  };
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return /^::ffff:127\./.test(h);
}

/** Refusal to start: listening beyond loopback with authentication off. */
export class InsecureListenError extends Error {
  override readonly name = 'InsecureListenError';
}

/**
 * Refuses to listen on a non-loopback address while authentication is disabled.
 * @throws {InsecureListenError} with a message naming both ways out
 * @example assertSafeListen('127.0.0.1', { auth: { enabled: false } }) // ok
 */
export function assertSafeListen(
  host: string,
  section: { readonly auth: { readonly enabled: boolean } },
): void {
  if (section.auth.enabled || isLoopbackHost(host)) return;
  throw new InsecureListenError(
    `refusing to listen on ${host} with authentication disabled: anyone who can reach this address could ` +
      'read and change everything. Enable it (security.auth.enabled: true, the default; env VIGIL_AUTH=1) ' +
      'or listen on 127.0.0.1.',
  );
}

/**
 * TLS material for Fastify's `https` option, or null when TLS is not configured.
 * @throws the file system error when a configured file cannot be read
 */
export function httpsOptions(section: SecurityConfig): { key: Buffer; cert: Buffer } | null {
  const { key, cert } = section.tls;
  if (key === undefined || cert === undefined) return null;
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** Log paths pino must redact (credentials in headers and bodies). */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  '*.password',
  '*.token',
];
