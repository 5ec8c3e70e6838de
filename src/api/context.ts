import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Runtime } from '../pipeline/runtime.js';
import type { VigilMetrics } from './metrics.js';

/** What route handlers share. */
export interface ApiContext {
  readonly config: Config;
  readonly runtime: Runtime;
  readonly metrics: VigilMetrics;
  readonly logger: Logger;
  /** Wall time the app was built, Unix ms. */
  readonly startedAt: number;
  readonly version: string;
}
