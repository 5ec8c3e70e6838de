/**
 * "No data" detection: a series that stops reporting is often the worst anomaly of all (a
 * crashed service sends no latency at all), and a detector fed by samples never sees it. A
 * rule (`alerting.noData`) names the series to watch with Alertmanager matchers and how long a
 * silence is tolerated; a watched series that has reported at least once and then receives no
 * sample for `afterMs` is due for a `no_data` alert, which resolves when a sample arrives again.
 * This is the absence check of Prometheus' `absent()`/`for` and of Datadog's "notify if data is
 * missing", decided per series.
 *
 * Time is the receive time of the ingest-log records (wall time), never event time: a replayed
 * log decides exactly as the live server did, and backfilled history does not look silent.
 * Deterministic and free of I/O; its state is checkpointed with the pipeline.
 */
import { z } from 'zod';
import { type Labels, SEVERITIES, type Severity } from '../../model/types.js';
import { type Matcher, matcherMatches, parseMatcher } from '../routing/matchers.js';
import { matcherStringSchema } from '../routing/schema.js';

/** One `alerting.noData` rule. */
export const noDataRuleSchema = z
  .object({
    /** Unique name, e.g. `checkout-down`; shown in the alert. */
    name: z.string().min(1).max(200),
    /** Alertmanager-style matchers on `service`, `endpoint`, `metric` and the series labels; none = every series. */
    matchers: z.array(matcherStringSchema).max(50).default([]),
    /** Longest tolerated gap between two samples of a series (receive time), ms (1 s – 7 d). */
    afterMs: z
      .number()
      .int()
      .min(1000)
      .max(7 * 86_400_000),
    /** Severity of the alert (default `high`). */
    severity: z.enum(SEVERITIES as [Severity, ...Severity[]]).default('high'),
  })
  .strict();

/** Parsed no-data rule. */
export type NoDataRule = z.infer<typeof noDataRuleSchema>;

/** A series that is due for a no-data alert. */
export interface NoDataDue {
  readonly seriesId: string;
  readonly rule: NoDataRule;
  /** Receive time of its last sample, Unix ms. */
  readonly lastAt: number;
}

interface Watched {
  /** Index of the first rule that matches the series. */
  readonly rule: number;
  lastAt: number;
  /** Whether a no-data alert was raised and no sample came since. */
  silent: boolean;
}

/** JSON state of a {@link NoDataWatch}: per series, its rule's name, last receive time and whether it is silent. */
export interface NoDataState {
  readonly series: ReadonlyArray<readonly [string, string, number, boolean]>;
}

/** Tracks the last receive time of every watched series and says which ones went silent. */
export class NoDataWatch {
  private readonly matchers: ReadonlyArray<readonly Matcher[]>;
  private readonly watched = new Map<string, Watched>();
  /** Series ids known not to match any rule. */
  private readonly ignored = new Set<string>();
  /**
   * A time at or before the earliest deadline (may be early: a series that reported since only
   * moved its deadline later). {@link due} rescans when it is reached.
   */
  private nextCheck = Number.POSITIVE_INFINITY;

  /** @param rules the `alerting.noData` rules, first match wins */
  constructor(private readonly rules: readonly NoDataRule[]) {
    this.matchers = rules.map((r) => r.matchers.map(parseMatcher));
  }

  /** Whether any rule is configured (without rules every call is a no-op). */
  get enabled(): boolean {
    return this.rules.length > 0;
  }

  /**
   * Records a sample of a series received at `at` (Unix ms).
   * @param labels the series' labels with `service`, `endpoint` and `metric` (read only the first time)
   * @returns true when the series had gone silent (its no-data alert should resolve)
   */
  seen(seriesId: string, labels: () => Labels, at: number): boolean {
    if (this.rules.length === 0 || this.ignored.has(seriesId)) return false;
    let w = this.watched.get(seriesId);
    if (w === undefined) {
      const l = labels();
      const rule = this.matchers.findIndex((ms) => ms.every((m) => matcherMatches(m, l)));
      if (rule < 0) {
        this.ignored.add(seriesId);
        return false;
      }
      w = { rule, lastAt: at, silent: false };
      this.watched.set(seriesId, w);
    }
    w.lastAt = Math.max(w.lastAt, at);
    this.nextCheck = Math.min(this.nextCheck, w.lastAt + (this.rules[w.rule] as NoDataRule).afterMs);
    const wasSilent = w.silent;
    w.silent = false;
    return wasSilent;
  }

  /**
   * The series silent for their rule's `afterMs` at `now` and not yet reported; each is
   * reported once per silence (until a sample arrives).
   */
  due(now: number): NoDataDue[] {
    if (now < this.nextCheck) return [];
    const out: NoDataDue[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [seriesId, w] of this.watched) {
      if (w.silent) continue;
      const rule = this.rules[w.rule] as NoDataRule;
      const deadline = w.lastAt + rule.afterMs;
      if (deadline <= now) {
        w.silent = true;
        out.push({ seriesId, rule, lastAt: w.lastAt });
      } else next = Math.min(next, deadline);
    }
    this.nextCheck = next;
    return out;
  }

  /**
   * Counts `at` (Unix ms) as a sample of every watched series not yet silent: Vigil itself was
   * not receiving while it was down, so a restart gives every series a full `afterMs` again
   * instead of raising an alert for each one at once.
   */
  grace(at: number): void {
    for (const w of this.watched.values()) {
      if (w.silent) continue;
      w.lastAt = Math.max(w.lastAt, at);
      this.nextCheck = Math.min(this.nextCheck, w.lastAt + (this.rules[w.rule] as NoDataRule).afterMs);
    }
  }

  /** Wall time (Unix ms) of the earliest possible deadline, or null when nothing is watched. */
  nextDueAt(): number | null {
    return Number.isFinite(this.nextCheck) ? this.nextCheck : null;
  }

  /** Serializable state (for checkpoints). */
  snapshot(): NoDataState {
    return {
      series: [...this.watched].map(
        ([id, w]) => [id, (this.rules[w.rule] as NoDataRule).name, w.lastAt, w.silent] as const,
      ),
    };
  }

  /**
   * Replaces the state by one made with {@link snapshot} (undefined: empty, for older
   * checkpoints). Series of a rule no longer configured are dropped (they are matched again
   * against the current rules at their next sample).
   */
  restore(state: NoDataState | undefined): void {
    this.watched.clear();
    this.ignored.clear();
    this.nextCheck = Number.POSITIVE_INFINITY;
    for (const [id, name, lastAt, silent] of state?.series ?? []) {
      const rule = this.rules.findIndex((r) => r.name === name);
      if (rule < 0) continue;
      this.watched.set(id, { rule, lastAt, silent });
      if (!silent)
        this.nextCheck = Math.min(this.nextCheck, lastAt + (this.rules[rule] as NoDataRule).afterMs);
    }
  }
}
