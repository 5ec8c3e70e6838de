/**
 * Silences: time-bounded mutes of the alerts whose labels match every matcher, with
 * Alertmanager's matcher semantics (equality or fully anchored regex, optionally negated).
 * The labels are those of `routing/labels` (`service`, `endpoint`, `metric`, `severity`,
 * `type` and the series labels). A silence always ends: `endsAt` is mandatory.
 *
 * @see https://prometheus.io/docs/alerting/latest/alerts_api/ (silence model)
 */
import { z } from 'zod';
import type { Labels } from '../../model/types.js';
import { compileMatcher, type Matcher, type MatchOp, matcherMatches } from '../routing/matchers.js';

/** One silence matcher, in the shape of Alertmanager's API. */
export const silenceMatcherSchema = z
  .object({
    name: z.string().min(1),
    value: z.string(),
    /** Value is a regex, matched against the whole label value. */
    isRegex: z.boolean().default(false),
    /** false negates the matcher (`!=`, `!~`). */
    isEqual: z.boolean().default(true),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.isRegex) return;
    try {
      new RegExp(m.value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid regex: ${(err as Error).message}` });
    }
  });

/** A silence as created through the API or config; times are Unix ms. */
export const silenceSchema = z
  .object({
    id: z.string().min(1).max(200),
    matchers: z.array(silenceMatcherSchema).min(1),
    startsAt: z.number().int().min(0),
    /** Mandatory: silences expire. */
    endsAt: z.number().int().min(0),
    createdBy: z.string().min(1).max(200),
    comment: z.string().max(2000).default(''),
  })
  .strict()
  .refine((s) => s.endsAt > s.startsAt, { path: ['endsAt'], message: 'endsAt must be after startsAt' });

export type Silence = z.infer<typeof silenceSchema>;
export type SilenceMatcher = z.infer<typeof silenceMatcherSchema>;

/** Where a silence is in its life at a given time. */
export type SilenceState = 'pending' | 'active' | 'expired';

const compiled = new WeakMap<Silence, readonly Matcher[]>();

/** The Alertmanager operator of a silence matcher: `=`, `!=`, `=~` or `!~`. */
export function silenceMatcherOp(m: Pick<SilenceMatcher, 'isRegex' | 'isEqual'>): MatchOp {
  return m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
}

function matchersOf(s: Silence): readonly Matcher[] {
  let ms = compiled.get(s);
  if (!ms) {
    ms = s.matchers.map((m) => compileMatcher(m.name, silenceMatcherOp(m), m.value));
    compiled.set(s, ms);
  }
  return ms;
}

/** State at `now` (Unix ms): active on [startsAt, endsAt). */
export function silenceState(s: Silence, now: number): SilenceState {
  if (now < s.startsAt) return 'pending';
  return now < s.endsAt ? 'active' : 'expired';
}

/** Whether every matcher of the silence holds for these labels (ignores time). */
export function silenceMatches(s: Silence, labels: Labels): boolean {
  return matchersOf(s).every((m) => matcherMatches(m, labels));
}

/**
 * Ids of the silences active at `now` that match the labels.
 * @throws {MatcherSyntaxError} for a regex that does not compile (not after schema validation)
 */
export function silencedBy(labels: Labels, silences: readonly Silence[], now: number): string[] {
  return silences
    .filter((s) => silenceState(s, now) === 'active' && silenceMatches(s, labels))
    .map((s) => s.id);
}

/**
 * Whether an alert with these labels is muted at `now` by any active silence. Pure.
 * @example isSilenced({service: 'api'}, [{id: 's', matchers: [{name: 'service', value: 'api', isRegex: false, isEqual: true}], startsAt: 0, endsAt: 10, createdBy: 'ann', comment: ''}], 5) // true
 */
export function isSilenced(labels: Labels, silences: readonly Silence[], now: number): boolean {
  return silences.some((s) => silenceState(s, now) === 'active' && silenceMatches(s, labels));
}

/** The next time after `now` at which some silence starts or ends (Unix ms), or null. */
export function nextSilenceChange(silences: readonly Silence[], now: number): number | null {
  let next: number | null = null;
  for (const s of silences) {
    for (const t of [s.startsAt, s.endsAt]) if (t > now && (next === null || t < next)) next = t;
  }
  return next;
}
