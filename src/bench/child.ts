/**
 * Child processes of the benchmark: every load generator, baseline server and in-process
 * measurement runs in its own `node` process, talking to the bench over IPC.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Every process the bench started, killed when the bench exits (even on Ctrl-C). */
const started = new Set<ChildProcess>();

/** Registers a process to be killed when the bench exits. */
export function track(proc: ChildProcess): ChildProcess {
  started.add(proc);
  proc.once('exit', () => started.delete(proc));
  return proc;
}

process.once('exit', () => {
  for (const p of started) p.kill('SIGKILL');
});

/**
 * Path of a compiled bench module (`dist/bench/<rel>.js`), whether the caller runs from
 * `dist/` (compiled) or `src/` (Vitest).
 */
export function benchScript(rel: string): string {
  const distBench = here.includes(`${join('dist', 'bench')}`)
    ? here
    : join(here, '..', '..', 'dist', 'bench');
  return join(distBench, `${rel}.js`);
}

/** The repository root (the folder holding `bin/` and `dist/`). */
export function repoRoot(): string {
  return join(dirname(benchScript('main')), '..', '..');
}

/** A forked child with request/response messaging. */
export interface Child {
  readonly process: ChildProcess;
  /** Sends `msg` and resolves with the next message whose `type` is `replyType`. */
  request<T>(msg: object, replyType: string, timeoutMs: number): Promise<T>;
  /** Asks the child to exit (SIGTERM), waits up to 3 s, then kills it. */
  stop(): Promise<void>;
}

/**
 * Forks `node <script>` with IPC.
 * @param execArgv node flags, e.g. `['--expose-gc']`
 * @throws {Error} (from `request`) when the child exits, reports `{type:'error'}` or times out
 */
export function forkChild(script: string, args: string[] = [], execArgv: string[] = []): Child {
  const proc = track(fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  let exited = false;
  proc.on('exit', () => {
    exited = true;
  });
  return {
    process: proc,
    request<T>(msg: object, replyType: string, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (exited) {
          reject(new Error(`child ${script} has exited`));
          return;
        }
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`child ${script} did not answer ${replyType} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (m: { type?: string; message?: string }) => {
          if (m.type === 'error') {
            cleanup();
            reject(new Error(`child ${script}: ${m.message ?? 'error'}`));
          } else if (m.type === replyType) {
            cleanup();
            resolve(m as T);
          }
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`child ${script} exited (code ${code}) before answering ${replyType}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          proc.off('message', onMessage);
          proc.off('exit', onExit);
        };
        proc.on('message', onMessage);
        proc.on('exit', onExit);
        proc.send(msg);
      });
    },
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await done;
      clearTimeout(timer);
    },
  };
}

/**
 * In a child: answers each incoming message with `handler`'s result (or `{type:'error'}`).
 * Exits when the parent disconnects.
 */
export function serveParent(
  handler: (msg: { type: string } & Record<string, unknown>) => Promise<object>,
): void {
  process.on('message', (msg: { type: string } & Record<string, unknown>) => {
    handler(msg).then(
      (reply) => process.send?.(reply),
      (err: unknown) =>
        process.send?.({
          type: 'error',
          message: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
