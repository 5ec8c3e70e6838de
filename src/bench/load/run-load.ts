/**
 * Parent side of the load generator: one long-lived child process ({@link ./cannon.ts}) per bench run.
 */
import { benchScript, type Child, forkChild } from '../child.js';
import type { CannonResult, CannonRun } from './cannon.js';

export type { CannonResult, CannonRun };

/** A load-generator child process. */
export class LoadGenerator {
  private readonly child: Child = forkChild(benchScript('load/cannon'));

  /**
   * Runs one bounded load and returns what it measured.
   * @throws {Error} when the child fails or does not answer within the duration + 60 s
   */
  run(spec: Omit<CannonRun, 'type'>): Promise<CannonResult> {
    return this.child.request<CannonResult>(
      { type: 'run', ...spec },
      'result',
      spec.durationS * 1000 + 60_000,
    );
  }

  close(): Promise<void> {
    return this.child.stop();
  }
}
