/** Parent side of the baseline HTTP server ({@link ./baseline-server.ts}). */
import { benchScript, type Child, forkChild } from '../child.js';

/** A running baseline server. */
export interface BaselineServer {
  readonly url: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the baseline server in its own process.
 * @throws {Error} when it does not listen within 20 s
 */
export async function startBaselineServer(): Promise<BaselineServer> {
  const child: Child = forkChild(benchScript('servers/baseline-server'));
  const { url } = await child.request<{ url: string }>({ type: 'listen' }, 'listening', 20_000);
  return { url, pid: child.process.pid, stop: () => child.stop() };
}
