import { hostname } from 'node:os';
import { type CollectorOptions, HostCollector } from './collector.js';
import { type Logger, stderrLogger } from './logger.js';
import { BatchSender, type SenderOptions, type SenderStats } from './sender.js';

/** Options of {@link startAgent}. */
export interface AgentOptions extends CollectorOptions {
  /** Base URL of the Vigil server, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Time between two reads of /proc, ms. Default 5000. */
  readonly intervalMs?: number;
  /** Host name reported as the series' service. Default `os.hostname()`. */
  readonly host?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** Where warnings go. Default: lines on stderr. */
  readonly logger?: Logger;
  /** Buffering and retry tuning; see {@link SenderOptions}. */
  readonly sender?: Omit<SenderOptions, 'url' | 'apiKey' | 'logger'>;
}

/** A running agent. */
export interface AgentHandle {
  /** Stops reading, makes a last attempt to deliver buffered samples, then resolves. Never rejects. */
  stop(): Promise<void>;
  /** Delivery counters so far. */
  stats(): SenderStats;
}

/**
 * Starts the host agent: every `intervalMs` it reads /proc and POSTs one `host` item to `${url}/api/batch`:
 * `{"metrics":[{"type":"host","host":"<hostname>","metrics":{"cpu_usage_pct":…},"timestamp":<Unix ms>}]}`.
 * The first tick only primes the counters (rates need two reads). While the server is unreachable, samples
 * stay in a bounded buffer and are retried with backoff. Never throws into its caller; problems go to the logger.
 * @example
 * const agent = startAgent({ url: 'http://127.0.0.1:8080', intervalMs: 5000 });
 * process.once('SIGTERM', () => void agent.stop());
 */
export function startAgent(options: AgentOptions): AgentHandle {
  const logger = options.logger ?? stderrLogger();
  const intervalMs = Math.max(10, options.intervalMs ?? 5000);
  const host = options.host ?? hostname();
  const collector = new HostCollector(options);
  const sender = new BatchSender({
    ...options.sender,
    url: options.url,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    logger,
  });
  const warned = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    try {
      const { metrics, warnings } = await collector.collect();
      for (const w of warnings) {
        // A source that is missing stays missing: say so once, not every tick.
        if (!warned.has(w)) logger.warn(w);
        warned.add(w);
      }
      if (metrics !== null && Object.keys(metrics).length > 0) {
        sender.enqueue({ type: 'host', host, metrics, timestamp: Date.now() });
      }
    } catch (err) {
      logger.error(`collection failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  // Fixed rate: tick k starts at start + k × interval; a tick that overran skips the slots it missed.
  const start = performance.now();
  const run = (): void => {
    running = tick().finally(() => {
      running = undefined;
      if (stopped) return;
      const elapsed = performance.now() - start;
      timer = setTimeout(run, intervalMs - (elapsed % intervalMs));
    });
  };
  run();
  logger.info(`reporting ${host} to ${options.url} every ${intervalMs} ms`);

  return {
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      try {
        await running;
        await sender.close();
      } catch (err) {
        logger.error(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    stats: () => sender.stats,
  };
}
