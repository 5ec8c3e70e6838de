import { startAgent } from './agent.js';
import { type Logger, stderrLogger } from './logger.js';

/** Options of `vigil agent`, as parsed by the CLI. */
export interface AgentCommandOptions {
  /** Base URL of the Vigil server. */
  readonly url: string;
  /** Seconds between reads. Default 5. */
  readonly interval?: number;
  readonly host?: string;
  readonly apiKey?: string;
  readonly logger?: Logger;
  /** Resolves when the agent should stop. Default: the first SIGINT or SIGTERM. */
  readonly until?: Promise<unknown>;
}

/**
 * Runs `vigil agent --url URL [--interval S]` until SIGINT/SIGTERM, then delivers what is buffered and resolves.
 * @throws {RangeError} when `url` is not an http(s) URL or `interval` is not a positive number of seconds.
 */
export async function runAgentCommand(opts: AgentCommandOptions): Promise<void> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new RangeError(`--url is not a URL: ${opts.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`--url must be http(s), got ${opts.url}`);
  }
  const interval = opts.interval ?? 5;
  if (!Number.isFinite(interval) || interval <= 0) {
    throw new RangeError(`--interval must be a positive number of seconds, got ${opts.interval}`);
  }
  const logger = opts.logger ?? stderrLogger();
  const agent = startAgent({
    url: opts.url,
    intervalMs: interval * 1000,
    logger,
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
  });
  await (opts.until ?? untilSignal());
  logger.info('stopping');
  await agent.stop();
  const s = agent.stats();
  logger.info(`sent ${s.sent} samples, dropped ${s.dropped}, ${s.pending} undelivered`);
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
