import { describe, expect, it } from 'vitest';
import {
  allMatch,
  formatMatcher,
  MatcherSyntaxError,
  matcherMatches,
  parseMatcher,
} from '../../../src/alerting/routing/index.js';

describe('parseMatcher', () => {
  it('parses the four operators, quoted and bare values', () => {
    expect(parseMatcher('service="api"')).toMatchObject({ name: 'service', op: '=', value: 'api' });
    expect(parseMatcher('service != api')).toMatchObject({ name: 'service', op: '!=', value: 'api' });
    expect(parseMatcher('severity=~"critical|high"')).toMatchObject({ op: '=~', value: 'critical|high' });
    expect(parseMatcher('env!~"dev.*"')).toMatchObject({ op: '!~', value: 'dev.*' });
  });

  it('unescapes \\" and \\\\ inside quotes', () => {
    expect(parseMatcher('note="say \\"hi\\" \\\\o/"').value).toBe('say "hi" \\o/');
  });

  it('rejects malformed matchers and bad regexes with MatcherSyntaxError', () => {
    expect(() => parseMatcher('no operator')).toThrow(MatcherSyntaxError);
    expect(() => parseMatcher('1bad="x"')).toThrow(MatcherSyntaxError);
    expect(() => parseMatcher('a="unterminated')).toThrow(/unterminated/);
    expect(() => parseMatcher('a=~"("')).toThrow(/invalid regex/);
  });

  it('formats back to Alertmanager syntax', () => {
    expect(formatMatcher(parseMatcher('a =~ "x|y"'))).toBe('a=~"x|y"');
  });
});

describe('matcherMatches', () => {
  const labels = { service: 'api-gateway', env: 'prod' };

  it('anchors regexes to the whole value, like Alertmanager', () => {
    expect(matcherMatches(parseMatcher('service=~"api"'), labels)).toBe(false);
    expect(matcherMatches(parseMatcher('service=~"api.*"'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('service=~"gateway"'), labels)).toBe(false);
    expect(matcherMatches(parseMatcher('service=~"a|api-gateway"'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('service!~"api"'), labels)).toBe(true);
  });

  it('reads an absent label as the empty string', () => {
    expect(matcherMatches(parseMatcher('team=""'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('team!=""'), labels)).toBe(false);
    expect(matcherMatches(parseMatcher('team=~".*"'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('team!="ops"'), labels)).toBe(true);
  });

  it('requires every matcher in allMatch', () => {
    expect(allMatch([parseMatcher('env="prod"'), parseMatcher('service=~"api.*"')], labels)).toBe(true);
    expect(allMatch([parseMatcher('env="prod"'), parseMatcher('service="api"')], labels)).toBe(false);
    expect(allMatch([], labels)).toBe(true);
  });
});
