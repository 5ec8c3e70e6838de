import type { Detector, DetectorFactory, DetectorOptions, DetectorSnapshot } from '../types.js';
import {
  DEFAULT_KIND,
  DEFAULT_VERSION,
  type DefaultState,
  migrateStateV2,
  RobustHoltWinters,
} from './detector.js';

export { DEFAULT_KIND, DEFAULT_VERSION, RobustHoltWinters, tailScore } from './detector.js';

/**
 * Factory of the default detector ({@link RobustHoltWinters}).
 *
 * @example
 * const d = defaultDetectorFactory.create({ sensitivity: 0.5 });
 * d.update({ t: 0, v: 1 }).anomalous // false (warm-up)
 */
export const defaultDetectorFactory: DetectorFactory = Object.freeze({
  kind: DEFAULT_KIND,
  create(options?: DetectorOptions): Detector {
    return new RobustHoltWinters(options);
  },
  /**
   * Restores the current layout, and migrates layout version 2 (before the daily episode
   * memory) with an empty episode memory.
   * @throws {Error} when the snapshot's kind, version or state layout is not this detector's.
   */
  restore(snapshot: DetectorSnapshot, options?: DetectorOptions): Detector {
    const v2 = snapshot.version === 2;
    if (snapshot.kind !== DEFAULT_KIND || (snapshot.version !== DEFAULT_VERSION && !v2)) {
      throw new Error(
        `cannot restore ${snapshot.kind} v${snapshot.version} with ${DEFAULT_KIND} v${DEFAULT_VERSION}`,
      );
    }
    const state = snapshot.state as DefaultState | null;
    if (state === null || typeof state !== 'object') throw new Error(`invalid ${DEFAULT_KIND} state`);
    return new RobustHoltWinters(options, v2 ? migrateStateV2(state) : state);
  },
});
