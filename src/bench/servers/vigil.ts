/**
 * Vigil under test: started as its own process exactly as a user starts it
 * (`node bin/vigil.js start --port 0 --data-dir <tmp> --no-agent`, `VIGIL_LOG_LEVEL=warn`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, track } from '../child.js';

/** A running Vigil process. */
export interface VigilProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** SIGTERM (clean shutdown), waits up to 10 s, then SIGKILL; removes the data directory. */
  stop(): Promise<void>;
}

/**
 * Starts Vigil on a free loopback port with a fresh temporary data directory.
 * @param nodeArgs extra node flags, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`
 * @throws {Error} when it does not print its URL within 20 s or exits first
 */
export async function startVigilProcess(nodeArgs: readonly string[] = []): Promise<VigilProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const root = repoRoot();
  const proc = track(
    spawn(
      process.execPath,
      [
        ...nodeArgs,
        join(root, 'bin', 'vigil.js'),
        'start',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--no-agent',
      ],
      {
        cwd: root,
        env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', VIGIL_AUTH: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`Vigil did not start within 20 s; stdout: ${out}`)),
      20_000,
    );
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Vigil (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Vigil exited with code ${code} before listening; stdout: ${out}`));
    });
  });
  proc.stdout?.resume();
  return {
    url,
    dataDir,
    process: proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
