/**
 * Normalized ingest items: what every request shape is turned into before it is written
 * to the ingest log. Timestamps are resolved (absent → receive time) before logging, so
 * replaying the log never consults the clock again.
 */
import type { Labels, SeriesKind } from '../model/types.js';

/** A value sample of one series. */
export interface SampleItem {
  readonly k: 'sample';
  readonly kind: SeriesKind;
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
  /** Event time, Unix ms. */
  readonly t: number;
  readonly v: number;
  /** Declared expected range [low, high] of a business metric; a value outside is an anomaly by itself. */
  readonly range?: readonly [number, number];
}

/** One served request (from `status_code`): feeds the endpoint's request-rate and error-rate series. */
export interface RequestItem {
  readonly k: 'request';
  readonly service: string;
  readonly endpoint: string;
  readonly t: number;
  readonly status: number;
  /** The request's latency, ms, when the same request carried one (see {@link LATENCY_METRICS}). */
  readonly latencyMs?: number;
}

/** One log event: feeds the service's per-level log-rate series; the message is kept for context. */
export interface LogItem {
  readonly k: 'log';
  readonly service: string;
  /** Upper-cased level, e.g. `ERROR`. */
  readonly level: string;
  readonly message: string;
  readonly t: number;
  readonly traceId: string | null;
  readonly context: Readonly<Record<string, unknown>> | null;
}

export type IngestItem = SampleItem | RequestItem | LogItem;

/** Metric names read as a request's latency in ms, in order of preference. */
export const LATENCY_METRICS = [
  'response_time',
  'response_time_ms',
  'latency',
  'latency_ms',
  'duration_ms',
] as const;

/** Metric names derived from request and log events. */
export const DERIVED_METRICS = {
  requestRate: 'request_rate',
  errorRate: 'error_rate',
  logRate: 'log_rate',
} as const;
