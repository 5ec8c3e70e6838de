/**
 * Recurring maintenance windows: while one is active for a series, its alerts are muted (like
 * a silence) and its detector scores samples without learning from them, so a deploy or a
 * backup is neither paged for nor learned as normal.
 *
 * A schedule is either a weekly list of local time ranges (`days` + `start`/`end`, e.g.
 * Saturday 02:00–04:00; an end before the start runs past midnight) or a five-field cron
 * expression for the start with a duration. Both are evaluated in an IANA time zone (default
 * UTC) with `cron-parser`, so daylight-saving changes move the local start correctly; the
 * duration is elapsed time.
 *
 * Pure given its inputs: `activeAt(t)` depends only on `t` and the schedule.
 */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import type { Labels } from '../../model/types.js';
import { type Matcher, matcherMatches, parseMatcher } from '../routing/matchers.js';
import { matcherStringSchema } from '../routing/schema.js';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** An IANA time zone name that this Node.js knows, e.g. `Europe/Berlin`. */
const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone (use an IANA name such as Europe/Berlin or UTC)' },
);

/** A five-field cron expression (minute hour day-of-month month day-of-week). */
const cronSchema = z.string().superRefine((text, ctx) => {
  if (text.trim().split(/\s+/).length !== 5) {
    ctx.addIssue({
      code: 'custom',
      message: 'cron must have five fields: minute hour day-of-month month day-of-week',
    });
    return;
  }
  try {
    CronExpressionParser.parse(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid cron: ${(err as Error).message}` });
  }
});

/** A weekly time range in local time. */
export const weeklyRangeSchema = z
  .object({
    /** Days the range starts on, e.g. `['sat', 'sun']`. */
    days: z.array(z.enum(DAY_NAMES)).min(1),
    /** Local start, `HH:MM`. */
    start: z.string().regex(HHMM, 'expected HH:MM (24 h)'),
    /** Local end, `HH:MM`; at or before `start` means the next day. */
    end: z.string().regex(HHMM, 'expected HH:MM (24 h)'),
  })
  .strict();

/** A maintenance window as configured or created through the API. */
export const maintenanceWindowSchema = z
  .object({
    /** Unique name, e.g. `weekly-deploy`. */
    name: z.string().min(1).max(200),
    /** Alertmanager-style matchers on the alert labels (`service`, `endpoint`, `metric`, series labels); none = every series. */
    matchers: z.array(matcherStringSchema).max(50).default([]),
    /** IANA time zone of the schedule (default UTC). */
    timeZone: timeZoneSchema.default('UTC'),
    /** Weekly local ranges (give this or `cron` + `durationMs`). */
    weekly: z.array(weeklyRangeSchema).min(1).optional(),
    /** Start times as a five-field cron expression, e.g. `0 2 * * 6`. */
    cron: cronSchema.optional(),
    /** Length of each cron occurrence, ms (1 min – 7 days). */
    durationMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 86_400_000)
      .optional(),
    comment: z.string().max(2000).default(''),
  })
  .strict()
  .superRefine((w, ctx) => {
    const hasWeekly = w.weekly !== undefined;
    const hasCron = w.cron !== undefined;
    if (hasWeekly === hasCron)
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'give exactly one of weekly or cron' });
    if (hasCron && w.durationMs === undefined)
      ctx.addIssue({ code: 'custom', path: ['durationMs'], message: 'required with cron' });
    if (hasWeekly && w.durationMs !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['durationMs'],
        message: 'only with cron (weekly ranges have an end)',
      });
  });

/** Parsed maintenance window configuration. */
export type MaintenanceWindowConfig = z.infer<typeof maintenanceWindowSchema>;

/** One recurring schedule: occurrences start on a cron and last `durationMs`. */
interface Occurrence {
  readonly cron: string;
  readonly durationMs: number;
}

function minutes(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/** The schedule as cron occurrences (a weekly range becomes a cron on its start). */
function occurrences(w: MaintenanceWindowConfig): Occurrence[] {
  if (w.cron !== undefined) return [{ cron: w.cron, durationMs: w.durationMs ?? 0 }];
  return (w.weekly ?? []).map((r) => {
    const start = minutes(r.start);
    let length = minutes(r.end) - start;
    if (length <= 0) length += 24 * 60;
    const days = [...new Set(r.days.map((d) => DAY_NAMES.indexOf(d)))].sort().join(',');
    return { cron: `${start % 60} ${Math.floor(start / 60)} * * ${days}`, durationMs: length * 60_000 };
  });
}

/** A time span [from, to) over which `activeAt` does not change. */
interface Segment {
  readonly from: number;
  readonly to: number;
  readonly active: boolean;
}

/**
 * A compiled maintenance window: label matching and the active/inactive segment around a time.
 * Caches the segment of the last query, so calls with nearby times cost a comparison.
 */
export class MaintenanceWindow {
  readonly config: MaintenanceWindowConfig;
  private readonly matchers: readonly Matcher[];
  private readonly schedule: readonly Occurrence[];
  private segment: Segment | null = null;

  /** @throws {MatcherSyntaxError} for a matcher that does not parse (not after schema validation) */
  constructor(config: MaintenanceWindowConfig) {
    this.config = config;
    this.matchers = config.matchers.map(parseMatcher);
    this.schedule = occurrences(config);
  }

  /** Whether the window applies to an alert or series with these labels (ignores time). */
  matches(labels: Labels): boolean {
    return this.matchers.every((m) => matcherMatches(m, labels));
  }

  /** Whether the window is active at `t` (Unix ms). */
  activeAt(t: number): boolean {
    return this.segmentAt(t).active;
  }

  /** The next time after `t` at which the window starts or ends (Unix ms). */
  nextChange(t: number): number {
    return this.segmentAt(t).to;
  }

  /** The current or next occurrence at `t`: `[start, end)` Unix ms. */
  occurrenceAt(t: number): { readonly start: number; readonly end: number } {
    const s = this.segmentAt(t);
    if (s.active) return { start: s.from, end: s.to };
    const next = this.segmentAt(s.to);
    return { start: next.from, end: next.to };
  }

  private segmentAt(t: number): Segment {
    const cached = this.segment;
    if (cached && t >= cached.from && t < cached.to) return cached;
    const segment = this.compute(t);
    this.segment = segment;
    return segment;
  }

  private compute(t: number): Segment {
    const tz = this.config.timeZone;
    // Active when some occurrence started at or before t and has not ended yet. The segment ends
    // at the latest such end; an inactive one ends at the next start.
    let activeFrom = Number.POSITIVE_INFINITY;
    let activeTo = Number.NEGATIVE_INFINITY;
    let lastEnd = Number.NEGATIVE_INFINITY;
    let nextStart = Number.POSITIVE_INFINITY;
    for (const o of this.schedule) {
      const prev = CronExpressionParser.parse(o.cron, { currentDate: new Date(t + 1), tz })
        .prev()
        .getTime();
      const end = prev + o.durationMs;
      if (prev <= t && t < end) {
        activeFrom = Math.min(activeFrom, prev);
        activeTo = Math.max(activeTo, end);
      } else lastEnd = Math.max(lastEnd, end);
      const next = CronExpressionParser.parse(o.cron, { currentDate: new Date(t), tz })
        .next()
        .getTime();
      nextStart = Math.min(nextStart, next);
    }
    if (activeTo > t) return { from: activeFrom, to: activeTo, active: true };
    return { from: Number.isFinite(lastEnd) ? Math.min(lastEnd, t) : t, to: nextStart, active: false };
  }
}

/** The windows active at `t` that match the labels. */
export function activeWindows(
  windows: readonly MaintenanceWindow[],
  labels: Labels,
  t: number,
): MaintenanceWindow[] {
  return windows.filter((w) => w.activeAt(t) && w.matches(labels));
}
