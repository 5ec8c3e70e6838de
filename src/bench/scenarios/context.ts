/**
 * What scenarios share within one bench run: the options, the load generator child, and
 * figures one scenario hands to a later one (the batched maximum sets the latency scenario's
 * background load).
 */
import type { LoadGenerator } from '../load/run-load.js';
import type { BenchOptions } from '../options.js';

export interface BenchContext {
  readonly options: BenchOptions;
  readonly load: LoadGenerator;
  /** Vigil's median accepted requests/s at 1,000 points per request, once measured. */
  batchedMaxReqPerSec?: number;
  /** Progress lines (to stderr by default). */
  readonly log: (line: string) => void;
}
