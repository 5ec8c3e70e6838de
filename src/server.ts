/**
 * The composition root: opens storage, recovers state, builds the app, listens, and starts the
 * webhook sender. Shutdown runs in reverse dependency order: stop accepting → stop the sender →
 * flush and checkpoint → close log, store and bus.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { DeliverySender } from './alerting/receivers/index.js';
import { buildApp } from './api/app.js';
import type { Config } from './config/index.js';
import { defaultDetectorFactory } from './engine/index.js';
import { Runtime } from './pipeline/runtime.js';
import { assertSafeListen, type BootstrapResult, bootstrapSecurity, REDACT_PATHS } from './security/index.js';
import { openEmbeddedStorage } from './store/index.js';
import { SqliteAuthStore } from './store/sqlite/auth-store.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Vigil's version, from package.json. */
export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
})();

/** A running Vigil server. */
export interface RunningVigil {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly logger: Logger;
  /** Credentials made on this start: the first admin (password only when generated) and the host agent's key. */
  readonly security: BootstrapResult;
  /** Stops accepting, flushes, checkpoints and closes everything. */
  close(): Promise<void>;
}

/** Creates the logger configured by `config.log`. */
export function createLogger(config: Config): Logger {
  return pino({
    level: config.log.level,
    base: { app: 'vigil' },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  });
}

/**
 * Starts a Vigil server on the embedded store.
 * @param config validated configuration (port 0 picks a free port)
 * @param options.logger logger to use (default: from config)
 * @throws when the data directory cannot be opened or the port cannot be bound
 */
export async function startVigil(config: Config, options: { logger?: Logger } = {}): Promise<RunningVigil> {
  assertSafeListen(config.server.host, config.security);
  const logger = options.logger ?? createLogger(config);
  const storage = openEmbeddedStorage(config.storage.dataDir, { log: { fsync: config.storage.fsync } });
  const authStore = SqliteAuthStore.open(config.storage.dataDir);
  const security = await bootstrapSecurity(authStore, config.security, { agent: config.agent.enabled });
  const runtime = new Runtime(config, storage, defaultDetectorFactory, logger);
  runtime.start();
  const sender = new DeliverySender({
    receivers: config.alerting.receivers,
    store: storage.store,
    logger,
    allowPrivate: config.security.allowPrivateReceivers,
    ...config.alerting.delivery,
  });
  const app = await buildApp(config, {
    runtime,
    logger,
    authStore,
    webRoot: join(here, 'web'),
    version: VERSION,
    receiverTester: (name, publicUrl, by) => sender.sendTest(name, publicUrl, by),
    deliveryAttempts: () => sender.attemptCounts(),
  });
  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  sender.start();
  let closing: Promise<void> | null = null;
  return {
    url: `${config.security.tls.key ? 'https' : 'http'}://${host}:${port}`,
    port,
    app,
    runtime,
    logger,
    security,
    close() {
      closing ??= (async () => {
        await app.close();
        await sender.close();
        await runtime.stop();
        authStore.close();
      })();
      return closing;
    },
  };
}
