/**
 * The `vigil` command: `start`, `replay`, `agent`, `keys`, `users`, `bench nab`, and the
 * alert-management commands `silences`, `incidents`, `maintenance`, `report alerts`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config/index.js';
import { CliError, InsecureListenError } from '../security/index.js';
import { VERSION } from '../server.js';
import { registerAlertingCommands } from './alerting.js';

function int(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

/** Builds the command tree (exported for tests). */
export function buildCli(): Command {
  const program = new Command('vigil')
    .description('Vigil: real-time anomaly detection and alerting for distributed systems')
    .version(VERSION);

  program
    .command('start')
    .description('start the Vigil server on the embedded store, with the host agent')
    .option('--host <host>', 'address to listen on (env VIGIL_HOST, default 127.0.0.1)')
    .option(
      '--port <port>',
      'port to listen on, 0 for any (env VIGIL_PORT, default 8080)',
      int('port', 0, 65535),
    )
    .option('--data-dir <dir>', 'data directory (env VIGIL_DATA_DIR, default ./data)')
    .option('--config <file>', 'JSON config file (env VIGIL_CONFIG)')
    .option('--no-agent', 'do not monitor this machine')
    .action(
      async (opts: { host?: string; port?: number; dataDir?: string; config?: string; agent: boolean }) => {
        const { runStart } = await import('./start.js');
        await runStart(opts);
      },
    );

  program
    .command('replay')
    .description('stream CSV files of timestamp,value through the HTTP API with their own timestamps')
    .argument('<files...>', 'CSV files (NAB format: header timestamp,value)')
    .option('--url <url>', 'Vigil base URL', 'http://127.0.0.1:8080')
    .option('--speed <n>', 'event time runs n× faster than real time', positive('speed'))
    .option('--max', 'send as fast as possible (default)')
    .option('--service <name>', 'service name of the replayed series', 'replay')
    .option('--batch-size <n>', 'points per request', int('batch-size', 1, 10_000), 500)
    .option('--nab <dir>', 'NAB folder: also print how the alerts fall in its labelled anomaly windows')
    .option('--api-key <key>', 'API key sent as Authorization: Bearer')
    .action(
      async (
        files: string[],
        opts: {
          url: string;
          speed?: number;
          max?: boolean;
          service: string;
          batchSize: number;
          nab?: string;
          apiKey?: string;
        },
      ) => {
        const { runReplayCommand } = await import('../replay/index.js');
        await runReplayCommand({ files, ...opts });
      },
    );

  program
    .command('agent')
    .description("send this machine's CPU, memory, load, network and disk metrics to Vigil")
    .option('--url <url>', 'Vigil base URL', 'http://127.0.0.1:8080')
    .option('--interval <seconds>', 'seconds between samples', positive('interval'), 5)
    .option('--host <name>', "host name to report (default: this machine's)")
    .option('--api-key <key>', 'API key sent as Authorization: Bearer')
    .action(async (opts: { url: string; interval: number; host?: string; apiKey?: string }) => {
      const { runAgentCommand } = await import('../agent/index.js');
      await runAgentCommand(opts);
    });

  const dataDirOf = (dir?: string) =>
    loadConfig({ file: process.env.VIGIL_CONFIG, overrides: { 'storage.dataDir': dir } }).storage.dataDir;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const keys = program.command('keys').description('API keys for machines (stored as digests only)');
  keys
    .command('create')
    .description('create a key and print it once')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scopes <list>', 'comma-separated: ingest, read, write, admin', 'ingest')
    .option('--services <list>', 'comma-separated services the key may write and read (default all)')
    .option('--max-series <n>', 'distinct series the key may write to', int('max-series', 1, 10_000_000))
    .option('--data-dir <dir>', 'data directory (env VIGIL_DATA_DIR, default ./data)')
    .action(
      async (o: {
        name: string;
        scopes: string;
        services?: string;
        maxSeries?: number;
        dataDir?: string;
      }) => {
        const { runKeysCommand } = await import('../security/index.js');
        await runKeysCommand(
          dataDirOf(o.dataDir),
          {
            action: 'create',
            name: o.name,
            scopes: o.scopes.split(',').map((s) => s.trim()),
            ...(o.services ? { services: o.services.split(',').map((s) => s.trim()) } : {}),
            ...(o.maxSeries !== undefined ? { maxSeries: o.maxSeries } : {}),
          },
          { print },
        );
      },
    );
  keys
    .command('list')
    .description('list keys (prefix only)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o: { dataDir?: string }) => {
      const { runKeysCommand } = await import('../security/index.js');
      await runKeysCommand(dataDirOf(o.dataDir), { action: 'list' }, { print });
    });
  keys
    .command('revoke')
    .description('revoke a key by id or prefix')
    .argument('<id>', 'key id or prefix (vgl_xxxxxxxx)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (id: string, o: { dataDir?: string }) => {
      const { runKeysCommand } = await import('../security/index.js');
      await runKeysCommand(dataDirOf(o.dataDir), { action: 'revoke', id }, { print });
    });
  const users = program.command('users').description('people who sign in to the dashboard');
  const pw = (o: { password?: string }) => (o.password ?? process.env.VIGIL_PASSWORD) || undefined;
  users
    .command('add')
    .argument('<username>')
    .requiredOption('--role <role>', 'viewer, operator or admin')
    .option('--password <pw>', 'password (env VIGIL_PASSWORD; default: generated and printed once)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (username: string, o: { role: string; password?: string; dataDir?: string }) => {
      const { runUsersCommand } = await import('../security/index.js');
      const password = pw(o);
      await runUsersCommand(
        dataDirOf(o.dataDir),
        { action: 'add', username, role: o.role, ...(password ? { password } : {}) },
        { print },
      );
    });
  users
    .command('passwd')
    .argument('<username>')
    .option('--password <pw>', 'new password (env VIGIL_PASSWORD; default: generated and printed once)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (username: string, o: { password?: string; dataDir?: string }) => {
      const { runUsersCommand } = await import('../security/index.js');
      const password = pw(o);
      await runUsersCommand(
        dataDirOf(o.dataDir),
        { action: 'passwd', username, ...(password ? { password } : {}) },
        { print },
      );
    });
  users
    .command('remove')
    .argument('<username>')
    .option('--data-dir <dir>', 'data directory')
    .action(async (username: string, o: { dataDir?: string }) => {
      const { runUsersCommand } = await import('../security/index.js');
      await runUsersCommand(dataDirOf(o.dataDir), { action: 'remove', username }, { print });
    });

  const bench = program.command('bench').description('benchmarks');
  bench
    .command('nab')
    .description('score the default detector on the Numenta Anomaly Benchmark')
    .requiredOption('--data <dir>', 'NAB folder holding data/ and labels/')
    .option('--out <dir>', 'write one result CSV per data file here')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { data: string; out?: string; json?: boolean }) => {
      const { runNabBench } = await import('../bench/nab/index.js');
      await runNabBench({
        data: opts.data,
        ...(opts.out !== undefined ? { out: opts.out } : {}),
        json: opts.json === true,
        print: (line: string) => process.stdout.write(`${line}\n`),
      });
    });

  registerAlertingCommands(program);
  return program;
}

/**
 * Runs the CLI. A user error (bad configuration, bad option, server unreachable, port taken)
 * prints `vigil: <message>` and exits 1; only a bug shows a stack trace.
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildCli().parseAsync([...argv]);
  } catch (err) {
    if (isUserError(err)) {
      process.stderr.write(`vigil: ${(err as Error).message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

function isUserError(err: unknown): boolean {
  if (err instanceof ConfigError || err instanceof RangeError) return true;
  if (err instanceof CliError || err instanceof InsecureListenError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (
    ['ReplayError', 'StoreUnavailableError', 'WalCorruptionError'].includes(err.name) ||
    code === 'EADDRINUSE' ||
    code === 'EACCES' ||
    code === 'EADDRNOTAVAIL'
  );
}

export { loadConfig };
