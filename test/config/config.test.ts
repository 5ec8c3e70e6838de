import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig, redactUrl } from '../../src/config/index.js';
import { tempDir } from '../helpers/vigil.js';

describe('loadConfig', () => {
  it('has defaults for everything and is frozen', () => {
    const c = loadConfig({ env: {} });
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(c.storage.dataDir).toBe('./data');
    expect(Object.isFrozen(c.server)).toBe(true);
  });

  it('layers file < environment < overrides', () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'vigil.json');
    writeFileSync(
      file,
      JSON.stringify({ server: { port: 9000, host: '0.0.0.0' }, detection: { sensitivity: 0.7 } }),
    );
    const c = loadConfig({
      file,
      env: { VIGIL_PORT: '9100', VIGIL_DATA_DIR: '/tmp/x' },
      overrides: { 'server.host': '::1' },
    });
    expect(c.server.port).toBe(9100);
    expect(c.server.host).toBe('::1');
    expect(c.storage.dataDir).toBe('/tmp/x');
    expect(c.detection.sensitivity).toBe(0.7);
    tmp.cleanup();
  });

  it('rejects unknown keys and bad values, naming each', () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ server: { prot: 1 }, detection: { sensitivity: 3 } }));
    let error: unknown;
    try {
      loadConfig({ file, env: { VIGIL_PORT: 'eighty' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    expect(issues).toContain('server.port');
    expect(issues).toContain('prot');
    expect(issues).toContain('detection.sensitivity');
    expect(() => loadConfig({ file: join(tmp.dir, 'missing.json'), env: {} })).toThrow(
      /cannot read config file/,
    );
    tmp.cleanup();
  });

  it('redacts receiver secrets for display', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0/B0/XYZ')).toBe(
      'https://hooks.slack.com/[redacted]',
    );
    expect(redactUrl('https://user:pw@example.com/?token=abc')).toBe('https://example.com/[redacted]');
    expect(redactUrl('https://example.com')).toBe('https://example.com/');
    const c = loadConfig({
      env: {},
      overrides: {
        'alerting.receivers': [
          {
            name: 'r',
            type: 'webhook',
            url: 'https://x.test/h?token=abc',
            headers: { authorization: 'Bearer zzz' },
          },
        ],
      },
    });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('abc');
    expect(shown).not.toContain('zzz');
  });
});
