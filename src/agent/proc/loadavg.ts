import { field } from './errors.js';

/** Run-queue load averages over 1, 5 and 15 minutes (dimensionless). */
export interface LoadAverage {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
}

/**
 * Parses /proc/loadavg (`0.09 0.37 0.27 1/140 8225`).
 * @throws {ProcParseError} when one of the first three fields is not a number.
 * @example parseLoadavg('0.09 0.37 0.27 1/140 8225\n') // { load1: 0.09, load5: 0.37, load15: 0.27 }
 */
export function parseLoadavg(text: string): LoadAverage {
  const f = text.trim().split(/\s+/);
  return {
    load1: field('/proc/loadavg', f, 0, 'load1'),
    load5: field('/proc/loadavg', f, 1, 'load5'),
    load15: field('/proc/loadavg', f, 2, 'load15'),
  };
}
