import { describe, expect, it } from 'vitest';
import { inhibitedBy, isInhibited } from '../../../src/alerting/silences/index.js';
import { makeAlert } from '../routing/fixtures.js';

describe('inhibition', () => {
  const critical = makeAlert({ id: 'c', service: 'api', severity: 'critical' });

  it('a critical alert inhibits lower-severity alerts of the same service', () => {
    for (const severity of ['high', 'medium', 'low', 'info'] as const) {
      expect(isInhibited(makeAlert({ id: 'x', service: 'api', severity }), [critical])).toBe(true);
    }
    expect(inhibitedBy(makeAlert({ id: 'x', service: 'api' }), [critical, makeAlert({ id: 'y' })])).toEqual([
      'c',
    ]);
  });

  it('does not inhibit another service, another critical alert, or itself', () => {
    expect(isInhibited(makeAlert({ id: 'x', service: 'db' }), [critical])).toBe(false);
    expect(isInhibited(makeAlert({ id: 'x', service: 'api', severity: 'critical' }), [critical])).toBe(false);
    expect(isInhibited(critical, [critical])).toBe(false);
  });

  it('resolved alerts neither inhibit nor are inhibited; acknowledged critical still inhibits', () => {
    expect(isInhibited(makeAlert({ id: 'x' }), [{ ...critical, status: 'resolved' }])).toBe(false);
    expect(isInhibited(makeAlert({ id: 'x', status: 'resolved' }), [critical])).toBe(false);
    expect(isInhibited(makeAlert({ id: 'x' }), [{ ...critical, status: 'acknowledged' }])).toBe(true);
  });
});
