/**
 * Label matchers with Prometheus Alertmanager semantics (`name="v"`, `name!="v"`,
 * `name=~"re"`, `name!~"re"`). Regular expressions are fully anchored, like Alertmanager's:
 * `service=~"api"` matches `api` only, never `api-gateway`. A label that is absent matches as
 * the empty string, so `team=""` selects alerts without a `team` label.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/#matcher
 */
import type { Labels } from '../../model/types.js';

/** Matcher operator: equality, inequality, regex match, regex non-match. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One compiled matcher. */
export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Anchored regex for `=~` / `!~`, null otherwise. */
  readonly regex: RegExp | null;
}

/** A matcher string that cannot be parsed, or whose regex does not compile. */
export class MatcherSyntaxError extends Error {
  override readonly name = 'MatcherSyntaxError';
}

const SYNTAX = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * Builds a matcher from its parts, compiling the regex as `^(?:value)$`.
 * @throws {MatcherSyntaxError} when a regex does not compile
 * @example compileMatcher('service', '=~', 'api|web').regex?.source // '^(?:api|web)$'
 */
export function compileMatcher(name: string, op: MatchOp, value: string): Matcher {
  let regex: RegExp | null = null;
  if (op === '=~' || op === '!~') {
    try {
      regex = new RegExp(`^(?:${value})$`, 's');
    } catch (err) {
      throw new MatcherSyntaxError(
        `invalid regex in matcher ${name}${op}"${value}": ${(err as Error).message}`,
      );
    }
  }
  return { name, op, value, regex };
}

/**
 * Parses Alertmanager matcher syntax: `name op value`, the value bare or double-quoted with
 * `\"` and `\\` escapes.
 * @throws {MatcherSyntaxError} on malformed input or an invalid regex
 * @example parseMatcher('severity=~"critical|high"') // {name: 'severity', op: '=~', value: 'critical|high', …}
 */
export function parseMatcher(text: string): Matcher {
  const m = SYNTAX.exec(text);
  if (!m) throw new MatcherSyntaxError(`invalid matcher "${text}": expected name, one of = != =~ !~, value`);
  const [, name, op, raw] = m as unknown as [string, string, MatchOp, string];
  let value = raw;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"') || (raw.endsWith('\\"') && !raw.endsWith('\\\\"'))) {
      throw new MatcherSyntaxError(`invalid matcher "${text}": unterminated quoted value`);
    }
    value = raw.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return compileMatcher(name, op, value);
}

/** Whether one matcher holds for a label set (absent labels read as ''). */
export function matcherMatches(matcher: Matcher, labels: Labels): boolean {
  const v = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return v === matcher.value;
    case '!=':
      return v !== matcher.value;
    case '=~':
      return (matcher.regex as RegExp).test(v);
    case '!~':
      return !(matcher.regex as RegExp).test(v);
  }
}

/** Whether every matcher holds (true for an empty list). */
export function allMatch(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => matcherMatches(m, labels));
}

/** The matcher in Alertmanager syntax, e.g. `service=~"api|web"`. */
export function formatMatcher(m: Pick<Matcher, 'name' | 'op' | 'value'>): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}
