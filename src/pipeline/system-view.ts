/**
 * The system-level view kept beside the per-series detectors: per-service fingerprints scored
 * by the multivariate detector, and the correlation of anomalies into groups across services.
 * Deterministic (fed from the ingest log in order); its state is part of the checkpoint.
 */
import {
  AnomalyCorrelator,
  type CorrelatableAnomaly,
  type CorrelationGroup,
  type Fingerprint,
  type FingerprinterState,
  FingerprintMonitor,
  type FingerprintVerdict,
  type ScoredFingerprint,
} from '../engine/index.js';

/** A scored fingerprint as kept for the API. */
export interface FingerprintPoint {
  readonly fingerprint: Fingerprint;
  readonly verdict: FingerprintVerdict;
}

interface SystemViewState {
  readonly detectors: Record<string, { kind: string; version: number; state: unknown }>;
  readonly correlator: unknown;
  readonly recent: ReadonlyArray<readonly [string, FingerprintPoint[]]>;
  /** Open fingerprint windows (absent in checkpoints from before they were kept). */
  readonly windows?: FingerprinterState;
}

/** Fingerprints kept per service for the API. */
const RECENT_PER_SERVICE = 360;

/** Fingerprint monitor + anomaly correlator. */
export class SystemView {
  private monitor: FingerprintMonitor;
  private correlator: AnomalyCorrelator;
  private readonly recent = new Map<string, FingerprintPoint[]>();

  /**
   * @param windowMs fingerprint window, ms (≥ 1000)
   * @param sensitivity the detection knob, 0..1
   */
  constructor(
    private readonly windowMs: number,
    private readonly sensitivity: number,
  ) {
    this.monitor = new FingerprintMonitor({ fingerprints: { windowMs }, detector: { sensitivity } });
    this.correlator = new AnomalyCorrelator({});
  }

  /** Feeds one request; returns the fingerprints it closed, scored. */
  observeRequest(
    service: string,
    endpoint: string,
    t: number,
    latencyMs: number | null,
    isError: boolean,
  ): ScoredFingerprint[] {
    const scored = this.monitor.observeRequest(service, endpoint, t, latencyMs, isError);
    for (const s of scored) {
      const list = this.recent.get(s.fingerprint.service) ?? [];
      list.push(s);
      if (list.length > RECENT_PER_SERVICE) list.shift();
      this.recent.set(s.fingerprint.service, list);
    }
    return scored;
  }

  /** Links an anomaly to a correlation group; returns the group id. */
  correlate(anomaly: CorrelatableAnomaly): string {
    return this.correlator.add(anomaly);
  }

  /** The id a correlation group id now resolves to (groups merge as links are found). */
  resolveGroup(groupId: string): string {
    return this.correlator.resolve(groupId);
  }

  /** Correlation groups, oldest first. */
  groups(): CorrelationGroup[] {
    return this.correlator.groups();
  }

  /** Recent scored fingerprints of one or every service, oldest first. */
  fingerprints(service?: string): Array<{ service: string; points: FingerprintPoint[] }> {
    const services = service === undefined ? [...this.recent.keys()].sort() : [service];
    return services.map((s) => ({ service: s, points: [...(this.recent.get(s) ?? [])] }));
  }

  get fingerprintWindowMs(): number {
    return this.windowMs;
  }

  /** Serializable state (the fingerprinter's open windows are not kept: they refill within one window). */
  snapshot(): SystemViewState {
    return {
      detectors: this.monitor.snapshotDetectors(),
      correlator: this.correlator.toJSON(),
      recent: [...this.recent.entries()],
      windows: this.monitor.fingerprinter.toState(),
    };
  }

  /** Restores a state made by {@link snapshot}; unreadable parts start fresh. */
  restore(state: unknown): void {
    const s = state as Partial<SystemViewState> | undefined;
    this.monitor = new FingerprintMonitor({
      fingerprints: { windowMs: this.windowMs },
      detector: { sensitivity: this.sensitivity },
    });
    this.recent.clear();
    if (!s) return;
    for (const [service, snap] of Object.entries(s.detectors ?? {})) {
      try {
        this.monitor.restoreDetector(service, snap);
      } catch {
        // An older state layout: this service's detector warms up again.
      }
    }
    try {
      this.correlator = AnomalyCorrelator.fromJSON({}, s.correlator as never);
    } catch {
      this.correlator = new AnomalyCorrelator({});
    }
    for (const [service, list] of s.recent ?? []) this.recent.set(service, [...list]);
    if (s.windows) {
      try {
        this.monitor.fingerprinter.restoreState(s.windows);
      } catch {
        // A malformed window state: the open windows start empty (they refill within one window).
      }
    }
  }
}
