import { describe, expect, it } from 'vitest';
import { alertLabels } from '../../../src/alerting/routing/index.js';
import {
  isSilenced,
  nextSilenceChange,
  type Silence,
  silencedBy,
  silenceSchema,
  silenceState,
} from '../../../src/alerting/silences/index.js';
import { makeAlert } from '../routing/fixtures.js';

function silence(over: Partial<Silence> & Pick<Silence, 'matchers'>): Silence {
  return silenceSchema.parse({
    id: 's1',
    startsAt: 1000,
    endsAt: 2000,
    createdBy: 'ann',
    comment: 'deploy',
    ...over,
  });
}
const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
const re = (name: string, value: string, isEqual = true) => ({ name, value, isRegex: true, isEqual });

const labels = alertLabels(makeAlert({ service: 'api-gateway', labels: { region: 'eu-west', pod: 'p-1' } }));

describe('silenceSchema', () => {
  it('requires endsAt after startsAt, at least one matcher, createdBy, and valid regexes', () => {
    const base = { id: 's', matchers: [eq('service', 'api')], startsAt: 10, endsAt: 20, createdBy: 'ann' };
    expect(silenceSchema.parse(base).comment).toBe('');
    expect(silenceSchema.safeParse({ ...base, endsAt: undefined }).success).toBe(false);
    const bad = silenceSchema.safeParse({ ...base, endsAt: 10 });
    expect(bad.error?.issues[0]?.path).toEqual(['endsAt']);
    expect(silenceSchema.safeParse({ ...base, matchers: [] }).success).toBe(false);
    expect(silenceSchema.safeParse({ ...base, createdBy: '' }).success).toBe(false);
    const badRe = silenceSchema.safeParse({ ...base, matchers: [re('service', '(')] });
    expect(badRe.error?.issues[0]?.path).toEqual(['matchers', 0, 'value']);
  });
});

describe('isSilenced', () => {
  it('matches on equality of service, endpoint, metric, severity and series labels', () => {
    const s = silence({
      matchers: [
        eq('service', 'api-gateway'),
        eq('metric', 'latency_ms'),
        eq('region', 'eu-west'),
        eq('severity', 'high'),
      ],
    });
    expect(isSilenced(labels, [s], 1500)).toBe(true);
    expect(isSilenced({ ...labels, region: 'us' }, [s], 1500)).toBe(false);
  });

  it('anchors regexes to the full value, like Alertmanager', () => {
    expect(isSilenced(labels, [silence({ matchers: [re('service', 'api')] })], 1500)).toBe(false);
    expect(isSilenced(labels, [silence({ matchers: [re('service', 'gateway')] })], 1500)).toBe(false);
    expect(isSilenced(labels, [silence({ matchers: [re('service', 'api-.*')] })], 1500)).toBe(true);
    expect(isSilenced(labels, [silence({ matchers: [re('region', 'eu-.+|us-.+')] })], 1500)).toBe(true);
  });

  it('supports negated matchers', () => {
    expect(isSilenced(labels, [silence({ matchers: [re('region', 'us-.*', false)] })], 1500)).toBe(true);
    expect(
      isSilenced(
        labels,
        [silence({ matchers: [{ ...eq('service', 'api-gateway'), isEqual: false }] })],
        1500,
      ),
    ).toBe(false);
  });

  it('is active on [startsAt, endsAt) only', () => {
    const s = silence({ matchers: [eq('service', 'api-gateway')] });
    expect([999, 1000, 1999, 2000].map((t) => isSilenced(labels, [s], t))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect([999, 1000, 2000].map((t) => silenceState(s, t))).toEqual(['pending', 'active', 'expired']);
  });

  it('names the silences that apply', () => {
    const a = silence({ id: 'a', matchers: [eq('service', 'api-gateway')] });
    const b = silence({ id: 'b', matchers: [eq('service', 'db')] });
    const c = silence({ id: 'c', matchers: [eq('pod', 'p-1')], startsAt: 0, endsAt: 5000 });
    expect(silencedBy(labels, [a, b, c], 1500)).toEqual(['a', 'c']);
  });
});

describe('nextSilenceChange', () => {
  const list = [
    silence({ id: 'late', matchers: [eq('a', 'b')], startsAt: 0, endsAt: 10_000 }),
    silence({ id: 'soon', matchers: [eq('a', 'b')], startsAt: 0, endsAt: 3_000 }),
    silence({ id: 'future', matchers: [eq('a', 'b')], startsAt: 5_000, endsAt: 6_000 }),
    silence({ id: 'gone', matchers: [eq('a', 'b')], startsAt: 0, endsAt: 1_000 }),
  ];

  it('finds the next start or end', () => {
    expect(nextSilenceChange(list, 2_000)).toBe(3_000);
    expect(nextSilenceChange(list, 3_000)).toBe(5_000);
    expect(nextSilenceChange(list, 10_000)).toBeNull();
  });
});
