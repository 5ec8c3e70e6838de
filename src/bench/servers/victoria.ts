/**
 * The peer: VictoriaMetrics (Debian's `victoria-metrics` package) started on a loopback port
 * with a temporary storage directory, stopped and cleaned up by the bench.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track } from '../child.js';

/** Where the Debian package installs the binary. */
export const VICTORIA_BIN = '/usr/bin/victoria-metrics';

/** A running VictoriaMetrics. */
export interface VictoriaProcess {
  readonly url: string;
  readonly version: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Why the peer cannot run here, or null when it can. */
export function victoriaUnavailable(bin = VICTORIA_BIN): string | null {
  return existsSync(bin)
    ? null
    : `${bin} is missing (install it with \`apt-get install -y victoria-metrics\`, Debian package)`;
}

/** A free loopback TCP port (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts VictoriaMetrics and waits for `/health`.
 * @throws {Error} when the binary is missing or it is not healthy within 20 s
 */
export async function startVictoria(bin = VICTORIA_BIN): Promise<VictoriaProcess> {
  const why = victoriaUnavailable(bin);
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'vm-bench-'));
  const port = await freePort();
  const proc = track(
    spawn(
      bin,
      [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${dir}`,
        '-retentionPeriod=1d',
        '-loggerLevel=ERROR',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`victoria-metrics exited with code ${proc.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet: retry until the deadline below
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error('victoria-metrics was not healthy within 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    version: packageVersion(),
    process: proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Version of the installed Debian package (the binary itself reports an empty version). */
function packageVersion(): string {
  try {
    return (
      // dpkg-query's own format syntax, not a JS template.
      execFileSync('dpkg-query', ['-W', `-f=${'$'}{Version}`, 'victoria-metrics'], {
        encoding: 'utf8',
      }).trim() || 'unknown'
    );
  } catch (err) {
    return `unknown (${(err as Error).message.split('\n')[0]})`;
  }
}
