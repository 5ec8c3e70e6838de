import { FingerprintDetector, type FingerprintDetectorOptions, type FingerprintVerdict } from './detector.js';
import { type Fingerprint, type FingerprinterOptions, ServiceFingerprinter } from './fingerprint.js';
import type { HalfSpaceStructure } from './half-space-trees.js';

/** A closed fingerprint with its verdict. */
export interface ScoredFingerprint {
  readonly fingerprint: Fingerprint;
  readonly verdict: FingerprintVerdict;
}

/** Options of {@link FingerprintMonitor}. */
export interface FingerprintMonitorOptions {
  readonly fingerprints?: FingerprinterOptions;
  readonly detector?: FingerprintDetectorOptions;
}

/**
 * The pipeline stage in one object: a {@link ServiceFingerprinter} feeding one
 * {@link FingerprintDetector} per service (created on first fingerprint, all sharing one
 * Half-Space Trees structure). Cost per request O(1); per closed window one detector update.
 * Memory: per service one open window and one detector (≈ 330 KB); services are bounded
 * by `fingerprints.maxServices` (the detector of an evicted service is dropped too).
 *
 * @example
 * ```ts
 * const m = new FingerprintMonitor();
 * m.observeRequest('api', 'GET /', t, 12.5, false); // [] until a window closes, then [{ fingerprint, verdict }]
 * ```
 */
export class FingerprintMonitor {
  readonly fingerprinter: ServiceFingerprinter;
  private readonly detectorOptions: FingerprintDetectorOptions;
  private readonly structure: HalfSpaceStructure;
  private readonly detectors = new Map<string, FingerprintDetector>();
  private readonly maxServices: number;

  constructor(options: FingerprintMonitorOptions = {}) {
    this.fingerprinter = new ServiceFingerprinter(options.fingerprints);
    this.detectorOptions = options.detector ?? {};
    this.structure = FingerprintDetector.structureFor(this.detectorOptions);
    this.maxServices = options.fingerprints?.maxServices ?? 10_000;
  }

  /** Records one request; returns the fingerprints it closed, scored. Throws as {@link ServiceFingerprinter.observeRequest}. */
  observeRequest(
    service: string,
    endpoint: string,
    t: number,
    latencyMs: number | null,
    isError: boolean,
  ): ScoredFingerprint[] {
    return this.score(this.fingerprinter.observeRequest(service, endpoint, t, latencyMs, isError));
  }

  /** Advances event time without a request (see {@link ServiceFingerprinter.advance}). */
  advance(t: number): ScoredFingerprint[] {
    return this.score(this.fingerprinter.advance(t));
  }

  /** The detector of `service`, if it has one. */
  detector(service: string): FingerprintDetector | undefined {
    return this.detectors.get(service);
  }

  /** Services with a detector, sorted. */
  services(): string[] {
    return [...this.detectors.keys()].sort();
  }

  /** JSON snapshots of every service's detector (open windows are not included: they refill within one window). */
  snapshotDetectors(): Record<string, { kind: string; version: number; state: unknown }> {
    const out: Record<string, { kind: string; version: number; state: unknown }> = {};
    for (const service of this.services()) out[service] = this.detectors.get(service)!.snapshot();
    return out;
  }

  /** Installs a detector restored from a snapshot (e.g. at start-up). @throws {Error} as {@link FingerprintDetector.restore}. */
  restoreDetector(service: string, snapshot: { kind: string; version: number; state: unknown }): void {
    this.detectors.set(
      service,
      FingerprintDetector.restore(service, snapshot, this.detectorOptions, this.structure),
    );
  }

  private score(closed: Fingerprint[]): ScoredFingerprint[] {
    return closed.map((fingerprint) => {
      let d = this.detectors.get(fingerprint.service);
      if (d === undefined) {
        if (this.detectors.size >= this.maxServices) {
          const first = this.detectors.keys().next().value;
          if (first !== undefined) this.detectors.delete(first);
        }
        d = new FingerprintDetector(fingerprint.service, this.detectorOptions, undefined, this.structure);
        this.detectors.set(fingerprint.service, d);
      }
      return { fingerprint, verdict: d.update(fingerprint) };
    });
  }
}
