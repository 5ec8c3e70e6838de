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
  /** Registry bookkeeping: the flush and checkpoint epochs in which it last changed. */
  changedIn: number;
  unsavedIn: number;
}

/** What a checkpoint keeps of one series. */
export interface SeriesCheckpoint {
  readonly info: Omit<SeriesInfo, 'samples'>;
  readonly detector: DetectorSnapshot;
}

/** One series' entry of a checkpoint: id and what is saved of it. */
export type SeriesCheckpointEntry = readonly [string, SeriesCheckpoint];

/**
 * Series by id, with the set changed since the last flush and since the last checkpoint.
 *
 * Checkpoints can be taken in slices ({@link beginCheckpoint}, {@link checkpointSlice}): the
 * series changed since the previous checkpoint are saved a slice at a time while ingest goes on,
 * and a series about to change before its slice was taken is copied first (copy on write, in
 * {@link resolve}), so every entry reflects the state at the checkpoint's log position.
 */
export class SeriesRegistry {
  private readonly byId = new Map<string, LiveSeries>();
  /** Live series by their key string, so the id hash is computed once per series, not per point. */
  private readonly byKey = new Map<string, LiveSeries>();
  /**
   * Live series without labels by service, endpoint and metric: three lookups of the strings as
   * they come (no key string to build and hash per point).
   */
  private readonly byName = new Map<string, Map<string, Map<string, LiveSeries>>>();
  /** Changed since the last {@link drainChanged} (each once: `changedIn` is the current epoch). */
  private changed: LiveSeries[] = [];
  private changedEpoch = 1;
  /**
   * Changed since the last {@link drainCheckpoint} or {@link beginCheckpoint}. A series whose
   * `unsavedIn` is the current epoch is in it.
   */
  private readonly unsaved = new Set<string>();
  private unsavedEpoch = 1;
  /** Series of the running sliced checkpoint whose entry is not taken yet. */
  private readonly pending = new Set<string>();
  /** Entries of pending series copied before they changed, by id. */
  private readonly copies = new Map<string, SeriesCheckpoint>();
  /** Ids whose entries the running checkpoint has handed out (unsaved again if it is abandoned). */
  private handedOut: string[] = [];
  private running = false;

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
    let named: Map<string, LiveSeries> | undefined;
    let key = '';
    let cached: LiveSeries | undefined;
    if (isEmpty(labels)) {
      let byEndpoint = this.byName.get(service);
      if (byEndpoint === undefined) {
        byEndpoint = new Map();
        this.byName.set(service, byEndpoint);
      }
      named = byEndpoint.get(endpoint);
      if (named === undefined) {
        named = new Map();
        byEndpoint.set(endpoint, named);
      }
      cached = named.get(metric);
    } else {
      key = keyString(service, endpoint, metric, labels);
      cached = this.byKey.get(key);
    }
    if (cached) {
      if (this.pending.size > 0) this.copyOnWrite(cached);
      return cached;
    }
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
        changedIn: 0,
        unsavedIn: 0,
      };
      this.byId.set(id, s);
    }
    if (named !== undefined) named.set(metric, s);
    else this.byKey.set(key, s);
    if (this.pending.size > 0) this.copyOnWrite(s);
    return s;
  }

  /** Takes the checkpoint entry of a pending series before the caller changes it. */
  private copyOnWrite(s: LiveSeries): void {
    if (!this.pending.delete(s.id)) return;
    this.copies.set(s.id, checkpointEntry(s));
  }

  /** Whether a sliced checkpoint is running. */
  get checkpointRunning(): boolean {
    return this.running;
  }

  /**
   * Starts a sliced checkpoint at the current state: the series changed since the last
   * checkpoint become pending (and are no longer unsaved).
   * @returns how many series the checkpoint holds
   * @throws {Error} when one is already running
   */
  beginCheckpoint(): number {
    if (this.running) throw new Error('a checkpoint is already running');
    this.running = true;
    for (const id of this.unsaved) this.pending.add(id);
    this.unsaved.clear();
    this.unsavedEpoch++;
    this.handedOut = [];
    return this.pending.size;
  }

  /**
   * The next entries of the running checkpoint, at most `max` (copies first, which frees their
   * memory). An empty slice means every entry was handed out.
   */
  checkpointSlice(max: number): SeriesCheckpointEntry[] {
    const out: SeriesCheckpointEntry[] = [];
    for (const [id, entry] of this.copies) {
      if (out.length >= max) return out;
      this.copies.delete(id);
      out.push([id, entry]);
      this.handedOut.push(id);
    }
    for (const id of this.pending) {
      if (out.length >= max) return out;
      this.pending.delete(id);
      const s = this.byId.get(id);
      if (s) {
        out.push([id, checkpointEntry(s)]);
        this.handedOut.push(id);
      }
    }
    return out;
  }

  /** Ends the running checkpoint: saved, or (`saved` false) abandoned, its series unsaved again. */
  endCheckpoint(saved: boolean): void {
    if (!saved) {
      for (const id of this.handedOut) this.unsaved.add(id);
      for (const id of this.copies.keys()) this.unsaved.add(id);
      for (const id of this.pending) this.unsaved.add(id);
    }
    this.pending.clear();
    this.copies.clear();
    this.handedOut = [];
    this.running = false;
  }

  /** Marks a series as changed (for the next flush and checkpoint). */
  touch(s: LiveSeries): void {
    if (s.changedIn !== this.changedEpoch) {
      s.changedIn = this.changedEpoch;
      this.changed.push(s);
    }
    if (s.unsavedIn !== this.unsavedEpoch) {
      s.unsavedIn = this.unsavedEpoch;
      this.unsaved.add(s.id);
    }
  }

  /** Catalog records of the series changed since the last call. */
  drainChanged(): SeriesInfo[] {
    const out = this.changed.map(toInfo);
    this.changed = [];
    this.changedEpoch++;
    return out;
  }

  /** Checkpoint entries of the series changed since the last call. */
  drainCheckpoint(): Map<string, SeriesCheckpoint> {
    const out = new Map<string, SeriesCheckpoint>();
    for (const id of this.unsaved) {
      const s = this.byId.get(id);
      if (s) out.set(id, checkpointEntry(s));
    }
    this.unsaved.clear();
    this.unsavedEpoch++;
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
        changedIn: 0,
        unsavedIn: 0,
      });
    }
    return fresh;
  }

  values(): IterableIterator<LiveSeries> {
    return this.byId.values();
  }
}

function isEmpty(labels: Labels): boolean {
  for (const _ in labels) return false;
  return true;
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

/** What a checkpoint saves of a live series. */
function checkpointEntry(s: LiveSeries): SeriesCheckpoint {
  const { samples: _samples, ...info } = toInfo(s);
  return { info, detector: s.detector.snapshot() };
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
