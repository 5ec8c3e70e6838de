/**
 * The in-memory catalog of live series: identity, bookkeeping and the detector of each.
 */
import type { Detector, DetectorFactory, DetectorOptions, DetectorSnapshot } from '../engine/index.js';
import { seriesId } from '../ingest/series-id.js';
import type { Labels, SeriesInfo, SeriesKind } from '../model/types.js';

/** A live series. Mutable bookkeeping; `detector` holds the learned state. */
export interface LiveSeries {
  readonly id: string;
  readonly kind: SeriesKind;
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
  firstSeen: number;
  lastSeen: number;
  lastValue: number;
  warmup: number;
  detector: Detector;
}

/** What a checkpoint keeps of one series. */
interface SeriesCheckpoint {
  readonly info: Omit<SeriesInfo, 'samples'>;
  readonly detector: DetectorSnapshot;
}

/** Series by id, with the set changed since the last flush and since the last checkpoint. */
export class SeriesRegistry {
  private readonly byId = new Map<string, LiveSeries>();
  /** Live series by their key string, so the id hash is computed once per series, not per point. */
  private readonly byKey = new Map<string, LiveSeries>();
  /** Changed since the last {@link drainChanged}. */
  private readonly changed = new Set<string>();
  /** Changed since the last {@link drainCheckpoint}. */
  private readonly unsaved = new Set<string>();

  constructor(
    private readonly factory: DetectorFactory,
    private readonly detectorOptions: DetectorOptions,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): LiveSeries | undefined {
    return this.byId.get(id);
  }

  /** The series of this key, created (with a fresh detector) when new. */
  resolve(
    kind: SeriesKind,
    service: string,
    endpoint: string,
    metric: string,
    labels: Labels,
    t: number,
  ): LiveSeries {
    const key = keyString(service, endpoint, metric, labels);
    const cached = this.byKey.get(key);
    if (cached) return cached;
    const id = seriesId({ service, endpoint, metric, labels });
    let s = this.byId.get(id);
    if (!s) {
      s = {
        id,
        kind,
        service,
        endpoint,
        metric,
        labels,
        firstSeen: t,
        lastSeen: t,
        lastValue: 0,
        warmup: 0,
        detector: this.factory.create(this.detectorOptions),
      };
      this.byId.set(id, s);
    }
    this.byKey.set(key, s);
    return s;
  }

  /** Marks a series as changed (for the next flush and checkpoint). */
  touch(s: LiveSeries): void {
    this.changed.add(s.id);
    this.unsaved.add(s.id);
  }

  /** Catalog records of the series changed since the last call. */
  drainChanged(): SeriesInfo[] {
    const out: SeriesInfo[] = [];
    for (const id of this.changed) {
      const s = this.byId.get(id);
      if (s) out.push(toInfo(s));
    }
    this.changed.clear();
    return out;
  }

  /** Checkpoint entries of the series changed since the last call. */
  drainCheckpoint(): Map<string, SeriesCheckpoint> {
    const out = new Map<string, SeriesCheckpoint>();
    for (const id of this.unsaved) {
      const s = this.byId.get(id);
      if (s) {
        const { samples: _samples, ...info } = toInfo(s);
        out.set(id, { info, detector: s.detector.snapshot() });
      }
    }
    this.unsaved.clear();
    return out;
  }

  /**
   * Rebuilds series from checkpoint entries. A detector snapshot this version cannot read (an
   * older state layout after an upgrade) starts a fresh detector for that series.
   * @returns how many series started a fresh detector
   */
  restore(entries: ReadonlyMap<string, unknown>): number {
    let fresh = 0;
    for (const [id, raw] of entries) {
      const cp = raw as SeriesCheckpoint;
      const { info } = cp;
      let detector: Detector;
      try {
        detector = this.factory.restore(cp.detector, this.detectorOptions);
      } catch {
        detector = this.factory.create(this.detectorOptions);
        fresh++;
      }
      this.byId.set(id, {
        id,
        kind: info.kind,
        service: info.service,
        endpoint: info.endpoint,
        metric: info.metric,
        labels: info.labels,
        firstSeen: info.firstSeen,
        lastSeen: info.lastSeen,
        lastValue: info.lastValue,
        warmup: fresh > 0 && detector.samples === 0 ? 0 : info.warmup,
        detector,
      });
    }
    return fresh;
  }

  values(): IterableIterator<LiveSeries> {
    return this.byId.values();
  }
}

/** A string naming a series key uniquely (NUL cannot occur in names; labels sorted). */
function keyString(service: string, endpoint: string, metric: string, labels: Labels): string {
  let k = `${service}\u0000${endpoint}\u0000${metric}`;
  const names = Object.keys(labels);
  if (names.length > 0) {
    names.sort();
    for (const n of names) k += `\u0000${n}=${labels[n]}`;
  }
  return k;
}

/** The catalog record of a live series. */
export function toInfo(s: LiveSeries): SeriesInfo {
  return {
    id: s.id,
    kind: s.kind,
    service: s.service,
    endpoint: s.endpoint,
    metric: s.metric,
    labels: s.labels,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    samples: s.detector.samples,
    warmup: s.warmup,
    lastValue: s.lastValue,
  };
}
