/**
 * `vigil start` as a real child process, for crash tests: start on a data directory, SIGKILL,
 * SIGTERM, restart on the same directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** A running `vigil start` child. */
export interface VigilProcess {
  readonly child: ChildProcess;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
}

/**
 * Starts `bin/vigil.js start` (port 0, no agent, auth off, log level warn) on `dataDir` with
 * `configFile`; resolves once it prints its URL. Registers in `cleanups` a SIGKILL of the
 * child if it still runs, so a failing test never leaks it.
 * @throws (rejects) when the process exits before listening, or does not listen within 20 s.
 */
export function spawnVigil(
  dataDir: string,
  configFile: string,
  cleanups: Array<() => void | Promise<void>>,
): Promise<VigilProcess> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'vigil.js'),
      'start',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--no-agent',
      '--config',
      configFile,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', VIGIL_AUTH: '0' },
    },
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGKILL');
      await exited;
    }
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil did not start within 20 s:\n${out}`)), 20_000);
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /Vigil (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, output: () => out });
      }
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`vigil exited with ${code ?? signal}:\n${out}`));
    });
  });
}

/** SIGKILLs the process and waits until it is gone (asserting it died of the signal). */
export async function kill9(vigil: VigilProcess): Promise<void> {
  const exited = new Promise<void>((res) => vigil.child.once('exit', () => res()));
  expect(vigil.child.kill('SIGKILL')).toBe(true);
  await exited;
  expect(vigil.child.signalCode).toBe('SIGKILL');
}

/** SIGTERMs the process; resolves with its exit code (null when it died of a signal). */
export async function terminate(vigil: VigilProcess): Promise<number | null> {
  if (vigil.child.exitCode !== null || vigil.child.signalCode !== null) return vigil.child.exitCode;
  const exited = new Promise<number | null>((res) => vigil.child.once('exit', (code) => res(code)));
  vigil.child.kill('SIGTERM');
  return exited;
}
