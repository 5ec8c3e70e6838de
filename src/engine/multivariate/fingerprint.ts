import { DDSketch, type DDSketchState } from '../sketch/ddsketch.js';

/** Names of the features of a fingerprint, in vector order. */
export const FINGERPRINT_FEATURES = [
  'request_rate',
  'error_rate',
  'latency_p50',
  'latency_p90',
  'latency_p99',
] as const;
/** One feature name of a {@link Fingerprint}. */
export type FingerprintFeature = (typeof FINGERPRINT_FEATURES)[number];

/**
 * Feature values of one service over one window. Units: `request_rate` requests/s,
 * `error_rate` fraction of requests in [0, 1], latencies ms. A latency quantile is null
 * when no request of the window carried a latency (e.g. an empty window).
 */
export interface FingerprintFeatures {
  readonly request_rate: number;
  readonly error_rate: number;
  readonly latency_p50: number | null;
  readonly latency_p90: number | null;
  readonly latency_p99: number | null;
}

/** A closed window of one service. */
export interface Fingerprint {
  readonly service: string;
  /** Window start (inclusive) and end (exclusive), event time, Unix ms. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Requests and errors counted in the window. */
  readonly requests: number;
  readonly errors: number;
  /** Distinct endpoints seen in the window. */
  readonly endpoints: number;
  readonly features: FingerprintFeatures;
}

/** Options of {@link ServiceFingerprinter}. */
export interface FingerprinterOptions {
  /** Window length, ms; integer ≥ 1000 (1 s), default 60 000. */
  readonly windowMs?: number;
  /** Empty windows emitted for a silent service before it is skipped ahead, default 60. */
  readonly maxEmptyWindows?: number;
  /** Services tracked at once, default 10 000; the least recently seen one is closed and dropped beyond it. */
  readonly maxServices?: number;
  /** Distinct endpoints counted per window, default 1 000 (further ones still count as requests). */
  readonly maxEndpoints?: number;
}

interface OpenWindow {
  start: number;
  requests: number;
  errors: number;
  latencies: DDSketch;
  endpoints: Set<string>;
  lastSeen: number;
}

/** Counters of events the fingerprinter could not place in an open window. */
export interface FingerprinterStats {
  /** Events older than their service's open window (counted, not added to any window). */
  readonly late: number;
  /** Services dropped because `maxServices` was reached. */
  readonly evictedServices: number;
  /** Windows skipped for a service silent for more than `maxEmptyWindows` windows. */
  readonly skippedEmptyWindows: number;
}

/**
 * Per-service "system fingerprints" over tumbling event-time windows.
 *
 * Every request of a service (any endpoint) adds to the service's open window: a count, an
 * error count and its latency into a {@link DDSketch} (α = 0.01). Windows are aligned to
 * multiples of `windowMs` since the epoch. Time advances only with the events: the largest
 * event time seen is the watermark, and every open window whose end is at or
 * before it closes and is returned (so events must arrive in event-time order across
 * services, up to the window length: an event older than its service's open window is
 * counted in `stats().late` and not added). A service that stays silent gets empty windows
 * (rate 0) so a traffic drop to zero is visible, up to `maxEmptyWindows` in a row.
 *
 * Cost per request: O(1) (one sketch insert, one set lookup); per closed window:
 * O(buckets) for three quantiles. Memory per service: one sketch (≤ 2048 buckets, in
 * practice ~300 for latencies between 1 ms and 10 s) and ≤ `maxEndpoints` endpoint names.
 *
 * @example
 * ```ts
 * const f = new ServiceFingerprinter({ windowMs: 1000 });
 * f.observeRequest('api', 'GET /', 0, 10, false);
 * f.observeRequest('api', 'GET /', 500, 30, true);
 * f.observeRequest('api', 'GET /', 1200, 20, false);
 * // → [{ service: 'api', windowStart: 0, windowEnd: 1000, requests: 2, errors: 1, endpoints: 1,
 * //      features: { request_rate: 2, error_rate: 0.5, latency_p50: 10.0747…, latency_p90: 10.0747…, latency_p99: 10.0747… } }]
 * ```
 */
/** JSON state of a {@link ServiceFingerprinter} (see `toState`). */
export interface FingerprinterState {
  /** Largest event time seen, Unix ms, or null before the first. */
  readonly watermark: number | null;
  readonly counters: { late: number; evictedServices: number; skippedEmptyWindows: number };
  readonly open: ReadonlyArray<{
    readonly service: string;
    readonly start: number;
    readonly requests: number;
    readonly errors: number;
    readonly lastSeen: number;
    readonly endpoints: readonly string[];
    readonly latencies: DDSketchState;
  }>;
}

export class ServiceFingerprinter {
  readonly windowMs: number;
  private readonly maxEmpty: number;
  private readonly maxServices: number;
  private readonly maxEndpoints: number;
  private readonly open = new Map<string, OpenWindow>();
  private watermark = Number.NEGATIVE_INFINITY;
  private counters = { late: 0, evictedServices: 0, skippedEmptyWindows: 0 };

  /** @throws {RangeError} on a window shorter than 1 s. */
  constructor(options: FingerprinterOptions = {}) {
    const windowMs = options.windowMs ?? 60_000;
    if (!(Number.isInteger(windowMs) && windowMs >= 1000)) {
      throw new RangeError(`windowMs must be an integer ≥ 1000, got ${windowMs}`);
    }
    this.windowMs = windowMs;
    this.maxEmpty = options.maxEmptyWindows ?? 60;
    this.maxServices = options.maxServices ?? 10_000;
    this.maxEndpoints = options.maxEndpoints ?? 1000;
  }

  /**
   * JSON-safe state: the open windows (counts, latency sketch, endpoint names), the watermark
   * and the counters, so a restart continues the windows it was in instead of losing them.
   */
  toState(): FingerprinterState {
    return {
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      counters: { ...this.counters },
      open: [...this.open].map(([service, w]) => ({
        service,
        start: w.start,
        requests: w.requests,
        errors: w.errors,
        lastSeen: w.lastSeen,
        endpoints: [...w.endpoints],
        latencies: w.latencies.toJSON(),
      })),
    };
  }

  /**
   * Replaces the state by one made with {@link toState} (with the same window length).
   * @throws {RangeError} on a malformed sketch state
   */
  restoreState(state: FingerprinterState): void {
    this.open.clear();
    this.watermark = state.watermark ?? Number.NEGATIVE_INFINITY;
    this.counters = { ...state.counters };
    for (const w of state.open) {
      this.open.set(w.service, {
        start: w.start,
        requests: w.requests,
        errors: w.errors,
        lastSeen: w.lastSeen,
        endpoints: new Set(w.endpoints),
        latencies: DDSketch.fromJSON(w.latencies),
      });
    }
  }

  /** Counters of late events and evictions. */
  stats(): FingerprinterStats {
    return { ...this.counters };
  }

  /** Services with an open window. */
  get services(): number {
    return this.open.size;
  }

  /**
   * Records one request and returns the fingerprints it closes (possibly none), ordered by
   * window end then service.
   * @param t event time, Unix ms.
   * @param latencyMs response time, ms, or null when unknown.
   * @throws {RangeError} when `t` is not finite or `latencyMs` is negative/not finite.
   */
  observeRequest(
    service: string,
    endpoint: string,
    t: number,
    latencyMs: number | null,
    isError: boolean,
  ): Fingerprint[] {
    if (!Number.isFinite(t)) throw new RangeError(`event time must be finite, got ${t}`);
    if (latencyMs !== null && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new RangeError(`latencyMs must be ≥ 0 or null, got ${latencyMs}`);
    }
    const closed = this.advance(t);
    const start = Math.floor(t / this.windowMs) * this.windowMs;
    let w = this.open.get(service);
    if (w === undefined) {
      if (this.open.size >= this.maxServices) closed.push(...this.evictOldest());
      w = this.fresh(start, t);
      this.open.set(service, w);
    } else if (start > w.start) {
      closed.push(...this.roll(service, w, start));
    } else if (start < w.start) {
      this.counters.late++;
      return closed;
    }
    w.lastSeen = Math.max(w.lastSeen, t);
    w.requests++;
    if (isError) w.errors++;
    if (latencyMs !== null) w.latencies.add(latencyMs);
    if (w.endpoints.size < this.maxEndpoints) w.endpoints.add(endpoint);
    return closed;
  }

  /**
   * Moves the watermark to `t` without an event (e.g. on a timer driven by ingest time) and
   * returns the windows that closes. A `t` below the watermark changes nothing.
   */
  advance(t: number): Fingerprint[] {
    if (t <= this.watermark) return [];
    this.watermark = t;
    const closed: Fingerprint[] = [];
    const horizon = Math.floor(t / this.windowMs) * this.windowMs;
    for (const [service, w] of this.open) {
      if (w.start + this.windowMs <= t) closed.push(...this.roll(service, w, horizon));
    }
    closed.sort(
      (a, b) => a.windowEnd - b.windowEnd || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0),
    );
    return closed;
  }

  /** Closes `w` and emits empty windows up to (not including) the window starting at `start`. */
  private roll(service: string, w: OpenWindow, start: number): Fingerprint[] {
    const out = [this.close(service, w)];
    let next = w.start + this.windowMs;
    const gap = (start - next) / this.windowMs;
    if (gap > this.maxEmpty) {
      this.counters.skippedEmptyWindows += gap - this.maxEmpty;
      next = start - this.maxEmpty * this.windowMs;
    }
    for (; next < start; next += this.windowMs) {
      out.push(this.close(service, this.fresh(next, w.lastSeen)));
    }
    w.start = start;
    w.requests = 0;
    w.errors = 0;
    w.latencies.clear();
    w.endpoints.clear();
    return out;
  }

  private evictOldest(): Fingerprint[] {
    let oldest: string | undefined;
    let at = Number.POSITIVE_INFINITY;
    for (const [service, w] of this.open) {
      if (w.lastSeen < at) {
        at = w.lastSeen;
        oldest = service;
      }
    }
    if (oldest === undefined) return [];
    const w = this.open.get(oldest)!;
    this.open.delete(oldest);
    this.counters.evictedServices++;
    return w.requests > 0 ? [this.close(oldest, w)] : [];
  }

  private fresh(start: number, lastSeen: number): OpenWindow {
    return { start, requests: 0, errors: 0, latencies: new DDSketch(), endpoints: new Set(), lastSeen };
  }

  private close(service: string, w: OpenWindow): Fingerprint {
    const hasLatency = w.latencies.count > 0;
    return {
      service,
      windowStart: w.start,
      windowEnd: w.start + this.windowMs,
      requests: w.requests,
      errors: w.errors,
      endpoints: w.endpoints.size,
      features: {
        request_rate: w.requests / (this.windowMs / 1000),
        error_rate: w.requests > 0 ? w.errors / w.requests : 0,
        latency_p50: hasLatency ? w.latencies.quantile(0.5) : null,
        latency_p90: hasLatency ? w.latencies.quantile(0.9) : null,
        latency_p99: hasLatency ? w.latencies.quantile(0.99) : null,
      },
    };
  }
}
