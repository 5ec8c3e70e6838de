/**
 * `vigil start` as a real child process (`node bin/vigil.js start --no-agent` on a port of the
 * OS's choosing, a temporary or given data directory): for crash tests (SIGKILL, SIGTERM,
 * restart on the same directory) and the dashboard's end-to-end tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** A running `vigil start` child. */
export interface VigilProcess {
  readonly child: ChildProcess;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The `--config` file it was started with, if any. */
  readonly configFile: string | undefined;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends SIGTERM and waits for exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * Starts `node bin/vigil.js start --port <port> --data-dir <dir> --no-agent` and resolves once
 * it prints its URL.
 * @param opts.port - port to listen on; 0 (default) lets the OS choose.
 * @param opts.dataDir - data directory; default a fresh temporary one.
 * @param opts.configFile - JSON config file passed as `--config`.
 * @param opts.env - extra environment variables; they override the defaults, which turn
 *   authentication off (`VIGIL_AUTH=0`), log warnings only, and allow receivers on 127.0.0.1.
 * @throws Error when the process exits or prints no URL within `timeoutMs` (default 20 s).
 */
export async function startVigilProcess(
  opts: {
    port?: number;
    dataDir?: string;
    configFile?: string | undefined;
    timeoutMs?: number;
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<VigilProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-process-'));
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'vigil.js'),
      'start',
      '--port',
      String(opts.port ?? 0),
      '--data-dir',
      dataDir,
      '--no-agent',
      ...(opts.configFile === undefined ? [] : ['--config', opts.configFile]),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        VIGIL_LOG_LEVEL: 'warn',
        VIGIL_AUTH: '0',
        VIGIL_ALLOW_PRIVATE_RECEIVERS: '1',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString('utf8');
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString('utf8');
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a process that did not start behind
      rej(new Error(`vigil printed no URL within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /Vigil (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rej(new Error(`vigil exited with ${code ?? signal}:\n${out}`));
    });
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    dataDir,
    configFile: opts.configFile,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * {@link startVigilProcess} on `dataDir` with `configFile`, registering in `cleanups` a SIGKILL
 * of the child if it still runs, so a failing test never leaks it.
 * @throws (rejects) as {@link startVigilProcess}.
 */
export function spawnVigil(
  dataDir: string,
  configFile: string,
  cleanups: Array<() => void | Promise<void>>,
): Promise<VigilProcess> {
  const started = startVigilProcess({ dataDir, configFile });
  cleanups.push(async () => {
    const vigil = await started.catch(() => null);
    if (vigil && vigil.child.exitCode === null && vigil.child.signalCode === null) {
      const exited = new Promise((res) => vigil.child.once('exit', res));
      vigil.child.kill('SIGKILL');
      await exited;
    }
  });
  return started;
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
