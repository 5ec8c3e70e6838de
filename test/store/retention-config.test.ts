/** `storage.eventsRetentionMs`: its default, its minimum, and a bad value named in the error. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const HOUR = 3_600_000;

/** The issues of the ConfigError thrown for `storage.eventsRetentionMs = value`. */
function issuesFor(value: unknown): readonly string[] {
  try {
    loadConfig({ env: {}, overrides: { 'storage.eventsRetentionMs': value } });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error(`eventsRetentionMs = ${String(value)} was accepted`);
}

describe('storage.eventsRetentionMs', () => {
  it('defaults to 90 days, also when the storage section is given without it', () => {
    expect(loadConfig({ env: {} }).storage.eventsRetentionMs).toBe(90 * 24 * HOUR);
    const c = loadConfig({ env: {}, overrides: { 'storage.logsPerService': 5 } });
    expect(c.storage.eventsRetentionMs).toBe(90 * 24 * HOUR);
  });

  it('accepts one hour or more', () => {
    const c = loadConfig({ env: {}, overrides: { 'storage.eventsRetentionMs': HOUR } });
    expect(c.storage.eventsRetentionMs).toBe(HOUR);
  });

  it('rejects less than an hour, a fraction and a string, naming the field', () => {
    for (const bad of [HOUR - 1, 0, -1, 1.5 * HOUR + 0.5, '90d']) {
      const issues = issuesFor(bad);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(/^storage\.eventsRetentionMs: /);
    }
  });
});
