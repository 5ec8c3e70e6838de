import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  assertSafeListen,
  isLoopbackHost,
  REDACT_PATHS,
  redactSecurityConfig,
  securityConfigSchema,
} from '../../src/security/config.js';

describe('security config section', () => {
  it('defaults to authentication on, CORS off, private receivers refused', () => {
    const c = securityConfigSchema.parse(undefined);
    expect(c.auth.enabled).toBe(true);
    expect(c.cors.origins).toEqual([]);
    expect(c.allowPrivateReceivers).toBe(false);
    expect(c.tls).toEqual({});
    expect(c.rateLimit.enabled).toBe(true);
  });

  it('rejects unknown keys, a lone TLS file and an origin with a path', () => {
    expect(securityConfigSchema.safeParse({ auth: { enabeld: true } }).success).toBe(false);
    expect(securityConfigSchema.safeParse({ tls: { key: 'k.pem' } }).success).toBe(false);
    expect(securityConfigSchema.safeParse({ cors: { origins: ['https://a.example/path'] } }).success).toBe(
      false,
    );
    expect(securityConfigSchema.safeParse({ cors: { origins: ['https://a.example'] } }).success).toBe(true);
  });

  it('redacts the initial admin password', () => {
    const c = securityConfigSchema.parse({ auth: { initialAdminPassword: 'a very secret password' } });
    expect(JSON.stringify(redactSecurityConfig(c))).not.toContain('a very secret');
  });

  it('refuses a non-loopback listener without authentication, with a message naming the fix', () => {
    const off = { auth: { enabled: false } };
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(() => assertSafeListen(host, off)).not.toThrow();
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'vigil.example.com']) {
      expect(() => assertSafeListen(host, off)).toThrow(
        /refusing to listen on .* with authentication disabled.*security\.auth\.enabled/,
      );
      expect(() => assertSafeListen(host, { auth: { enabled: true } })).not.toThrow();
    }
  });
});

describe('log redaction', () => {
  it('hides credentials in logged requests and bodies', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const log = pino({ redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }, sink);
    log.info(
      {
        req: {
          headers: { authorization: 'Bearer vgl_secret', 'x-api-key': 'vgl_k', cookie: 'vigil_session=s' },
        },
      },
      'r',
    );
    log.info({ password: 'hunter2hunter2', body: { token: 'tok' } }, 'b');
    expect(out).not.toMatch(/vgl_secret|vgl_k|vigil_session=s|hunter2|"tok"/);
    expect(out).toContain('[redacted]');
  });
});
