/**
 * The security layer inside the real server: start-up refusal, TLS, redaction, headers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestVigil, tempDir } from '../helpers/vigil.js';
import { call } from './harness.js';
import { ADMIN_PASSWORD, startSecureVigil } from './real.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('security in the real server', () => {
  it('refuses to listen on a non-loopback address with authentication disabled', async () => {
    const tmp = tempDir();
    try {
      await expect(
        startTestVigil(tmp.dir, { 'server.host': '0.0.0.0', 'security.auth.enabled': false }),
      ).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 with authentication disabled/);
    } finally {
      tmp.cleanup();
    }
  });

  it('shows the security section in /config with the initial password redacted, and sends a strict CSP', async () => {
    const s = await startSecureVigil();
    try {
      const r = await call(`${s.url}/config`, 'GET', undefined, s.as.admin);
      expect(r.status).toBe(200);
      expect(r.body.security.auth.enabled).toBe(true);
      expect(JSON.stringify(r.body)).not.toContain(ADMIN_PASSWORD);
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      const anon = await call(`${s.url}/api/series`, 'GET');
      expect(anon.status).toBe(401);
      expect(anon.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED', issues: [] });
    } finally {
      await s.close();
    }
  });

  it.skipIf(!hasOpenssl)(
    'serves HTTPS when key and cert are configured: Secure __Host- cookie and HSTS (skipped without openssl)',
    async () => {
      const tmp = tempDir('vigil-tls-');
      const key = join(tmp.dir, 'key.pem');
      const cert = join(tmp.dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      expect(existsSync(cert)).toBe(true);
      const s = await startTestVigil(join(tmp.dir, 'data'), {
        'security.auth.enabled': true,
        'security.auth.initialAdminPassword': ADMIN_PASSWORD,
        'security.auth.scryptLogN': 10,
        'security.tls.key': key,
        'security.tls.cert': cert,
      });
      try {
        expect(s.url.startsWith('https://')).toBe(true);
        const u = new URL(s.url);
        const res = await new Promise<{ status: number; headers: Record<string, unknown> }>(
          (resolve, reject) => {
            const req = request(
              {
                host: u.hostname,
                port: u.port,
                path: '/api/auth/login',
                method: 'POST',
                ca: readFileSync(cert),
                headers: { 'content-type': 'application/json', origin: s.url },
              },
              (r) => {
                r.resume();
                r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers }));
              },
            );
            req.on('error', reject);
            req.end(JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }));
          },
        );
        expect(res.status).toBe(200);
        const cookie = String(res.headers['set-cookie']);
        expect(cookie).toMatch(/^__Host-vigil_session=/);
        expect(cookie).toMatch(/; Secure/);
        expect(String(res.headers['strict-transport-security'])).toContain('max-age=');
      } finally {
        await s.close();
        tmp.cleanup();
      }
    },
  );
});
