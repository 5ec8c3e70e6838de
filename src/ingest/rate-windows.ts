/**
 * Event-time tumbling windows that turn request and log events into rate series:
 * per endpoint `request_rate` (requests/s) and `error_rate` (share of 5xx, 0..1); per
 * service `log_rate{level}` (log events/s) for every level the service has logged.
 *
 * A window [start, start + W) closes when an event at or after its end arrives for the same
 * key; its rates are emitted with the window's end as event time. Windows with no events
 * between two events are emitted as zero rates (at most {@link MAX_GAP_WINDOWS}; a longer
 * silence skips ahead). An event older than the open window is counted in the open window.
 * Deterministic in event time: a replay at any speed closes the same windows.
 */
import type { Labels } from '../model/types.js';
import { DERIVED_METRICS } from './items.js';

/** Longest run of empty windows emitted as zeros after a silence. */
export const MAX_GAP_WINDOWS = 60;

/** A rate sample emitted when a window closes. */
export interface RateSample {
  readonly kind: 'application' | 'log';
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
  /** Window end, Unix ms. */
  readonly t: number;
  readonly v: number;
}

interface RequestWindow {
  start: number;
  count: number;
  errors: number;
}

interface LogWindow {
  start: number;
  counts: Record<string, number>;
}

interface SerializedWindows {
  readonly windowMs: number;
  readonly requests: ReadonlyArray<readonly [string, RequestWindow]>;
  readonly logs: ReadonlyArray<readonly [string, LogWindow]>;
}

const SEP = '\u0000';

/** The rate windows of all endpoints and services. */
export class RateWindows {
  private readonly requests = new Map<string, RequestWindow>();
  private readonly logs = new Map<string, LogWindow>();

  /** @param windowMs window length, ms (e.g. 60 000) */
  constructor(private readonly windowMs: number) {}

  /** Counts a served request; emits the rates of windows it closes. */
  request(service: string, endpoint: string, t: number, status: number, emit: (s: RateSample) => void): void {
    const key = service + SEP + endpoint;
    let w = this.requests.get(key);
    if (!w) {
      w = { start: this.align(t), count: 0, errors: 0 };
      this.requests.set(key, w);
    }
    this.advanceRequests(w, service, endpoint, t, emit);
    w.count++;
    if (status >= 500) w.errors++;
  }

  /** Counts a log event; emits the rates of windows it closes. */
  log(service: string, level: string, t: number, emit: (s: RateSample) => void): void {
    let w = this.logs.get(service);
    if (!w) {
      w = { start: this.align(t), counts: {} };
      this.logs.set(service, w);
    }
    this.advanceLogs(w, service, t, emit);
    w.counts[level] = (w.counts[level] ?? 0) + 1;
  }

  private align(t: number): number {
    return Math.floor(t / this.windowMs) * this.windowMs;
  }

  private advanceRequests(
    w: RequestWindow,
    service: string,
    endpoint: string,
    t: number,
    emit: (s: RateSample) => void,
  ) {
    const W = this.windowMs;
    let emitted = 0;
    while (t >= w.start + W) {
      const end = w.start + W;
      if (emitted < MAX_GAP_WINDOWS || w.count > 0) {
        const base = { kind: 'application' as const, service, endpoint, labels: {}, t: end };
        emit({ ...base, metric: DERIVED_METRICS.requestRate, v: w.count / (W / 1000) });
        if (w.count > 0) emit({ ...base, metric: DERIVED_METRICS.errorRate, v: w.errors / w.count });
        emitted++;
      }
      w.count = 0;
      w.errors = 0;
      w.start = emitted >= MAX_GAP_WINDOWS && t >= end + W ? this.align(t) : end;
    }
  }

  private advanceLogs(w: LogWindow, service: string, t: number, emit: (s: RateSample) => void) {
    const W = this.windowMs;
    let emitted = 0;
    while (t >= w.start + W) {
      const end = w.start + W;
      if (emitted < MAX_GAP_WINDOWS) {
        for (const level of Object.keys(w.counts).sort()) {
          emit({
            kind: 'log',
            service,
            endpoint: '',
            metric: DERIVED_METRICS.logRate,
            labels: { level },
            t: end,
            v: (w.counts[level] ?? 0) / (W / 1000),
          });
        }
        emitted++;
      }
      for (const level of Object.keys(w.counts)) w.counts[level] = 0;
      w.start = emitted >= MAX_GAP_WINDOWS && t >= end + W ? this.align(t) : end;
    }
  }

  /** Serializable state for checkpoints: a copy, unaffected by the events counted after it. */
  snapshot(): SerializedWindows {
    // Copies: the live windows keep counting after the snapshot is taken.
    return {
      windowMs: this.windowMs,
      requests: [...this.requests].map(([key, w]) => [key, { ...w }] as const),
      logs: [...this.logs].map(([key, w]) => [key, { start: w.start, counts: { ...w.counts } }] as const),
    };
  }

  /** Restores a state made by {@link snapshot} (windows of another length are dropped). */
  restore(state: unknown): void {
    const s = state as SerializedWindows;
    this.requests.clear();
    this.logs.clear();
    if (s.windowMs !== this.windowMs) return;
    for (const [k, w] of s.requests) this.requests.set(k, { ...w });
    for (const [k, w] of s.logs) this.logs.set(k, { start: w.start, counts: { ...w.counts } });
  }
}
