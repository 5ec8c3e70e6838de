/**
 * `vigil start`: the server plus, unless disabled, the host agent pointed at it.
 */
import { loadConfig } from '../config/index.js';
import { bootstrapNotice } from '../security/index.js';
import { startVigil } from '../server.js';

/** Flags of `vigil start`. */
export interface StartFlags {
  readonly host?: string;
  readonly port?: number;
  readonly dataDir?: string;
  readonly config?: string;
  readonly agent: boolean;
}

/** Starts Vigil and runs until SIGINT/SIGTERM, then shuts down cleanly. */
export async function runStart(flags: StartFlags): Promise<void> {
  const config = loadConfig({
    file: flags.config ?? process.env.VIGIL_CONFIG,
    overrides: {
      'server.host': flags.host,
      'server.port': flags.port,
      'storage.dataDir': flags.dataDir,
      ...(flags.agent ? {} : { 'agent.enabled': false }),
    },
  });
  const vigil = await startVigil(config);
  const { logger } = vigil;
  let agent: { stop(): Promise<void> } | null = null;
  if (config.agent.enabled) {
    const { startAgent } = await import('../agent/index.js');
    agent = startAgent({
      url: vigil.url,
      intervalMs: config.agent.intervalMs,
      logger,
      ...(vigil.security.agentKey ? { apiKey: vigil.security.agentKey } : {}),
    });
  }
  process.stdout.write(`Vigil ${vigil.url} (dashboard ${vigil.url}/, data in ${config.storage.dataDir})\n`);
  for (const line of bootstrapNotice(vigil.security)) process.stdout.write(`${line}\n`);
  logger.info(
    { url: vigil.url, dataDir: config.storage.dataDir, agent: config.agent.enabled },
    'Vigil started',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await agent?.stop();
    await vigil.close();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
