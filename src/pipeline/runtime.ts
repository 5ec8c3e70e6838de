/**
 * The running core: owns the ingest log, the pipeline and the store, and keeps them in step.
 *
 * Request path (synchronous, nothing awaited): append the record to the ingest log (durable
 * against `kill -9` once this returns) → apply it to the pipeline → answer. Off the request
 * path: derived rows are committed every `flushIntervalMs`; every `checkpointIntervalMs` a
 * checkpoint begins right after a successful commit. The rows the store still holds in memory
 * (`Store.beginSync`) and the series states are then written in slices of a few milliseconds each
 * between requests (see `SeriesRegistry.beginCheckpoint`), then it completes and the log is
 * truncated behind it.
 * At start the last checkpoint is restored and the log tail after it is replayed.
 */
import type { Logger } from 'pino';
import type { ActionRefusal } from '../alerting/alert-manager.js';
import { type Config, publicUrlOf } from '../config/index.js';
import type { DetectorFactory } from '../engine/index.js';
import type { IngestItem } from '../ingest/items.js';
import { decodeItems, type EncodedItems, encodeItems } from '../ingest/log-codec.js';
import type { Alert, PointRecord } from '../model/types.js';
import {
  type Checkpoint,
  type EventBus,
  type IngestLog,
  type Store,
  StoreUnavailableError,
} from '../store/types.js';
import {
  type AlertActionBody,
  type FeedbackBody,
  type IngestAnswer,
  type IngestBody,
  type MaintenanceBody,
  Pipeline,
  type SilenceBody,
} from './pipeline.js';

/** Storage the runtime works on. */
export interface RuntimeStorage {
  readonly log: IngestLog;
  readonly store: Store;
  readonly bus: EventBus;
}

/**
 * Series per checkpoint slice (one store transaction): ~100 × (snapshot + JSON + row) takes a few
 * milliseconds, so a slice never holds a request up for long.
 */
const SLICE_SERIES = 100;
/** Longest run of checkpoint slices between two turns of the event loop, ms. */
const SLICE_BUDGET_MS = 4;

/** A checkpoint being written in slices. */
interface RunningCheckpoint {
  readonly meta: Omit<Checkpoint, 'series'>;
  /** `performance.now()` when it began, ms. */
  readonly startedAt: number;
}

/**
 * Log record kind of an ingest request in the compact form (`ingest/log-codec.ts`); records of
 * kind `ingest` (plain {@link IngestBody}, older logs) are still replayed.
 */
export const COMPACT_INGEST_KIND = 'ingest.c';

/** Body of a {@link COMPACT_INGEST_KIND} record. */
interface CompactIngestBody {
  readonly items: EncodedItems;
  readonly key?: string;
  readonly answer: IngestAnswer;
}

/** Result of an ingest submission. */
export interface IngestOutcome {
  readonly seq: number;
  /** True when the idempotency key was seen before: nothing was applied again. */
  readonly duplicate: boolean;
  readonly answer: IngestAnswer;
}

export class Runtime {
  readonly pipeline: Pipeline;
  private flushTimer: NodeJS.Timeout | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private notifyTimer: NodeJS.Timeout | null = null;
  private storeError: string | null = null;
  private running: RunningCheckpoint | null = null;
  private sliceTimer: NodeJS.Immediate | null = null;
  private lastFailureAt = 0;
  private stopped = false;
  /** Live point listeners (set by the WebSocket hub). */
  pointListener: ((point: PointRecord) => void) | null = null;

  constructor(
    private readonly config: Config,
    readonly storage: RuntimeStorage,
    detectorFactory: DetectorFactory,
    private readonly logger: Logger,
  ) {
    this.pipeline = new Pipeline({
      detectorFactory,
      sensitivity: config.detection.sensitivity,
      rateWindowMs: config.detection.rateWindowMs,
      alerting: config.alerting,
      receivers: config.alerting.receivers,
      routing: config.alerting.routing,
      inhibit: config.alerting.inhibit,
      maintenance: config.alerting.maintenance,
      silenceReminderMs: config.alerting.silenceReminderMs,
      noData: config.alerting.noData,
      publicUrl: publicUrlOf(config),
      publish: (event) => storage.bus.publish(event),
      onPoint: (point) => this.pointListener?.(point),
      onItemError: (err, item) =>
        this.logger.error({ err, item }, 'ingest item could not be applied; skipped'),
    });
  }

  /** Why the store cannot write right now, or null when it can. */
  get storeFailure(): string | null {
    return this.storeError;
  }

  /**
   * Restores the last checkpoint, replays the log after it, writes the result, and starts the
   * flush, checkpoint and retention timers.
   * @returns how many log records were replayed
   */
  start(): number {
    const started = performance.now();
    const checkpoint = this.storage.store.loadCheckpoint();
    const fresh = checkpoint ? this.pipeline.restore(checkpoint) : 0;
    if (fresh > 0)
      this.logger.warn({ series: fresh }, 'detector state of an older version: these series warm up again');
    let replayed = 0;
    this.pipeline.replay(() => {
      for (const entry of this.storage.log.readAfter(this.pipeline.lastAppliedSeq)) {
        if (entry.kind === COMPACT_INGEST_KIND) {
          const { items, ...rest } = entry.body as CompactIngestBody;
          this.pipeline.applyIngest(entry.seq, entry.receivedAt, { ...rest, items: decodeItems(items) });
        } else this.pipeline.applyRecord(entry.seq, entry.kind, entry.receivedAt, entry.body);
        replayed++;
      }
    });
    if (this.pipeline.watchesNoData) {
      try {
        const now = Date.now();
        this.pipeline.applyRestart(this.storage.log.append('restart', now, {}), now);
      } catch (err) {
        this.logger.warn({ err }, 'could not log the restart (no-data deadlines run from before it)');
      }
    }
    this.flush();
    this.checkpoint(Date.now());
    this.logger.info(
      {
        checkpointSeq: checkpoint?.throughSeq ?? 0,
        replayed,
        series: this.pipeline.series.size,
        ms: Math.round(performance.now() - started),
      },
      'state recovered',
    );
    const s = this.config.storage;
    this.flushTimer = setInterval(() => this.flushTick(), s.flushIntervalMs);
    this.checkpointTimer = setInterval(() => this.beginCheckpoint(Date.now()), s.checkpointIntervalMs);
    this.pruneTimer = setInterval(() => this.prune(), 60_000);
    this.notifyTimer = setInterval(() => this.notifyTick(Date.now()), 1000);
    for (const t of [this.flushTimer, this.checkpointTimer, this.pruneTimer, this.notifyTimer]) t.unref();
    return replayed;
  }

  private assertWritable(): void {
    if (this.stopped) throw new StoreUnavailableError('Vigil is shutting down');
    if (this.storeError !== null) {
      throw new StoreUnavailableError(
        `the store cannot write (${this.storeError}); retrying in the background`,
      );
    }
  }

  /**
   * Logs and applies normalized items. Once this returns, the items survive a crash.
   * @param key idempotency key of the request: a key seen before applies nothing and returns the first answer
   * @throws {StoreUnavailableError} when the log or the store cannot write
   */
  ingest(
    items: readonly IngestItem[],
    answer: IngestAnswer,
    key: string | undefined,
    now: number,
  ): IngestOutcome {
    if (key !== undefined) {
      const seen = this.pipeline.answered(key);
      if (seen) return { seq: seen.seq, duplicate: true, answer: seen };
    }
    this.assertWritable();
    const body: IngestBody = key === undefined ? { items, answer } : { items, answer, key };
    const logged: CompactIngestBody = { ...body, items: encodeItems(items) };
    const seq = this.storage.log.append(COMPACT_INGEST_KIND, now, logged);
    this.pipeline.applyIngest(seq, now, body);
    return { seq, duplicate: false, answer };
  }

  /**
   * Logs and applies an acknowledge/resolve.
   * @throws {StoreUnavailableError} when the log cannot write
   */
  alertAction(body: AlertActionBody, now: number): Alert | ActionRefusal {
    if (!this.pipeline.alerts.openAlert(body.alertId)) {
      return this.storage.store.getAlert(body.alertId) ? 'already_resolved' : 'not_found';
    }
    this.assertWritable();
    const seq = this.storage.log.append('alert_action', now, body);
    return this.pipeline.applyAction(seq, now, body);
  }

  /**
   * Logs and applies a silence change (create/replace, or expire now).
   * @throws {StoreUnavailableError} when the log cannot write
   */
  silence(body: SilenceBody, now: number): void {
    this.assertWritable();
    const seq = this.storage.log.append('silence', now, body);
    this.pipeline.applySilence(seq, now, body);
  }

  /**
   * Logs and applies a maintenance-window change (create/replace or delete an API window).
   * @throws {StoreUnavailableError} when the log cannot write
   */
  maintenance(body: MaintenanceBody, now: number): void {
    this.assertWritable();
    const seq = this.storage.log.append('maintenance', now, body);
    this.pipeline.applyMaintenance(seq, now, body);
  }

  /**
   * Logs and applies a "not an anomaly" feedback (or its revocation).
   * @throws {StoreUnavailableError} when the log cannot write
   */
  feedback(body: FeedbackBody, now: number): void {
    this.assertWritable();
    const seq = this.storage.log.append('feedback', now, body);
    this.pipeline.applyFeedback(seq, now, body);
  }

  /**
   * Appends and applies a `tick` record when a notification group is due (group wait,
   * interval or repeat elapsed, a silence started or ended), so time-driven notifications are
   * decided from the log like everything else. Nothing is written while nothing is due.
   * @returns whether a tick was applied
   */
  notifyTick(now: number): boolean {
    const due = this.pipeline.nextNotificationAt();
    if (due === null || due > now || this.stopped || this.storeError !== null) return false;
    try {
      const seq = this.storage.log.append('tick', now, {});
      this.pipeline.applyTick(seq, now);
      return true;
    } catch (err) {
      this.logger.warn({ err }, 'notification tick not logged');
      return false;
    }
  }

  /** Timer-driven flush: while the store fails, retries at most once a second (a locked database blocks for its busy timeout). */
  private flushTick(): void {
    if (this.storeError !== null && Date.now() - this.lastFailureAt < 1000) return;
    this.flush();
  }

  /** Commits pending rows; on failure keeps them for the next try and marks the store failing. */
  flush(): boolean {
    const batch = this.pipeline.takeBatch();
    try {
      this.storage.store.commit(batch);
      if (this.storeError !== null) this.logger.info('store writable again');
      this.storeError = null;
      return true;
    } catch (err) {
      this.pipeline.returnBatch(batch);
      const message = err instanceof Error ? err.message : String(err);
      if (this.storeError === null)
        this.logger.error({ err }, 'store commit failed; ingest paused until it recovers');
      this.storeError = message;
      this.lastFailureAt = Date.now();
      return false;
    }
  }

  /**
   * Saves a complete checkpoint now (synchronously) and truncates the log behind it: finishes a
   * sliced checkpoint that is running, then checkpoints what changed since.
   * @returns whether the checkpoint was saved
   */
  checkpoint(now: number): boolean {
    if (this.running !== null && !this.continueCheckpoint(Number.POSITIVE_INFINITY)) return false;
    return this.beginCheckpoint(now, true);
  }

  /**
   * Commits and begins a checkpoint at the last applied record: the rows the store holds in
   * memory and the series states are then written in slices between requests (or all at once
   * with `complete`), then it completes. Does nothing while one is running.
   * @returns false when the checkpoint could not begin (or, with `complete`, not complete)
   */
  private beginCheckpoint(takenAt: number, complete = false): boolean {
    if (this.running !== null) return false;
    if (!this.flush()) return false;
    // Rows through this record that the store holds in memory: written by the first slices.
    this.storage.store.beginSync();
    this.pipeline.series.beginCheckpoint();
    // Its series are now pending in the registry: the pipeline's checkpoint holds none of them.
    const { series: _none, ...meta } = this.pipeline.checkpoint(takenAt);
    this.running = { meta, startedAt: performance.now() };
    if (complete) return this.continueCheckpoint(Number.POSITIVE_INFINITY);
    this.scheduleSlices();
    return true;
  }

  private scheduleSlices(): void {
    if (this.sliceTimer !== null || this.stopped) return;
    this.sliceTimer = setImmediate(() => {
      this.sliceTimer = null;
      if (this.running !== null && !this.continueCheckpoint(SLICE_BUDGET_MS) && this.running !== null)
        this.scheduleSlices();
    });
  }

  /**
   * Writes slices of the running checkpoint for about `budgetMs`, and completes it when none is
   * left. On a failure the checkpoint is abandoned (its series are saved by the next one).
   * @returns true when the checkpoint completed
   */
  private continueCheckpoint(budgetMs: number): boolean {
    const running = this.running;
    if (running === null) return false;
    const series = this.pipeline.series;
    const started = performance.now();
    try {
      while (!this.storage.store.syncSlice(SLICE_SERIES)) {
        if (performance.now() - started >= budgetMs) return false;
      }
      for (;;) {
        const slice = series.checkpointSlice(SLICE_SERIES);
        if (slice.length === 0) break;
        this.storage.store.saveSeriesStates(running.meta.throughSeq, slice);
        if (performance.now() - started >= budgetMs) return false;
      }
      this.storage.store.finishCheckpoint(running.meta);
    } catch (err) {
      series.endCheckpoint(false);
      this.running = null;
      this.logger.error({ err }, 'checkpoint failed');
      return false;
    }
    series.endCheckpoint(true);
    this.running = null;
    this.logger.debug(
      { throughSeq: running.meta.throughSeq, ms: Math.round(performance.now() - running.startedAt) },
      'checkpoint saved',
    );
    try {
      this.storage.log.truncateThrough(running.meta.throughSeq);
    } catch (err) {
      this.logger.warn({ err }, 'ingest log truncation failed');
    }
    return true;
  }

  /** Deletes rows past the configured retention (events measured from the wall clock now). */
  private prune(): void {
    try {
      this.storage.store.prune({
        pointsMs: this.config.storage.pointsRetentionMs,
        logsPerService: this.config.storage.logsPerService,
        eventsMs: this.config.storage.eventsRetentionMs,
        nowMs: Date.now(),
      });
    } catch (err) {
      this.logger.warn({ err }, 'retention pruning failed');
    }
  }

  /** Stops accepting, flushes, checkpoints and closes the log, store and bus (in that order). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of [this.flushTimer, this.checkpointTimer, this.pruneTimer, this.notifyTimer])
      if (t) clearInterval(t);
    if (this.sliceTimer !== null) clearImmediate(this.sliceTimer);
    this.sliceTimer = null;
    this.checkpoint(Date.now());
    await this.storage.log.flush();
    await this.storage.log.close();
    this.storage.store.close();
    await this.storage.bus.close();
  }
}
