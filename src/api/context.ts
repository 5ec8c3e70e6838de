import type { Logger } from 'pino';
import type { DeliverySender } from '../alerting/receivers/sender.js';
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
  /** Sends a receiver's test notification (`DeliverySender.sendTest`); absent: every test answers 404. */
  readonly receiverTester?: DeliverySender['sendTest'];
}
