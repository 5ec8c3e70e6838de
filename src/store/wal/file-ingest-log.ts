/**
 * {@link IngestLog} as an append-only, segmented file log in one directory.
 *
 * Design after the Prometheus TSDB write-ahead log (Fabian Reinartz, 2017, "Writing a Time
 * Series Database from Scratch", fabxc.org blog) and Kafka's log segments (Jay Kreps, 2013, "The
 * Log: What every software engineer should know about real-time data's unifying abstraction",
 * LinkedIn Engineering blog): records are
 * framed with a length and CRC-32 (see `frame.ts`), written with positional `fs.writeSync`
 * into the newest segment, and a segment is sealed once it would exceed `segmentBytes`.
 *
 * Durability by `fsync` option (the record always reaches the OS page cache before `append`
 * returns, so it survives `kill -9` of the process in every mode):
 * - `'always'`: `fdatasync` before `append` returns. Survives power loss; slowest (one disk
 *   flush per record, typically 0.1–10 ms).
 * - `'interval'` (default): `fdatasync` at most `fsyncIntervalMs` (default 100 ms) after an
 *   append, run on the libuv thread pool (`fs.fdatasync`) so the event loop goes on serving
 *   requests meanwhile. A power loss can lose the records of the last interval.
 * - `'never'`: the OS writes pages back when it chooses (Linux: about 30 s). A power loss can
 *   lose more, and may leave a torn record that recovery then drops.
 *
 * Recovery on open: every segment is read and its CRCs and seq continuity checked; a torn or
 * corrupt tail of the newest segment is truncated (reported in {@link FileIngestLog.recovery});
 * corruption inside a sealed segment throws, because it is not the result of a crash.
 *
 * One process at a time may open a directory: a `LOCK` file with the owner's pid guards it
 * (see `dir-lock.ts`); a crashed owner's lock is taken over.
 */
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { IngestLog, LogEntry } from '../types.js';
import { StoreUnavailableError } from '../types.js';
import { lockDir } from './dir-lock.js';
import { encodeRecord } from './frame.js';
import { listSegments, readSegment, type SegmentInfo, segmentName } from './segment.js';

/** How hard `append` works to make a record survive a power loss. See the module comment. */
export type FsyncMode = 'always' | 'interval' | 'never';

export interface FileIngestLogOptions {
  /** Default `'interval'`. */
  readonly fsync?: FsyncMode;
  /** Longest delay between an append and its `fdatasync` in `'interval'` mode, ms. Default 100. */
  readonly fsyncIntervalMs?: number;
  /** A segment is sealed once the next record would take it past this size, bytes. Default 64 MiB. */
  readonly segmentBytes?: number;
}

/** What recovery found when the log was opened. */
export interface WalRecoveryReport {
  /** Segment files found. */
  readonly segments: number;
  readonly lastSeq: number;
  /** Bytes cut from the newest segment (torn or corrupt tail), 0 when clean. */
  readonly truncatedBytes: number;
  /** Why bytes were cut, or null. */
  readonly reason: string | null;
}

/** The directory holds a sealed segment that is not a valid sequence of records. */
export class WalCorruptionError extends Error {
  override readonly name = 'WalCorruptionError';
}

interface Segment extends SegmentInfo {
  /** Size in bytes (of valid records). */
  size: number;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export class FileIngestLog implements IngestLog {
  /** What recovery found on open. */
  readonly recovery: WalRecoveryReport;
  private readonly segments: Segment[];
  private fd: number | null;
  private nextSeq: number;
  private closed = false;
  private dirty = false;
  /** Wall time of the first append not yet synced, Unix ms. */
  private dirtySince = 0;
  private syncTimer: NodeJS.Timeout | null = null;
  private syncError: unknown = null;
  /** The background `fdatasync` in progress ('interval' mode), settled when it ends. */
  private syncing: Promise<void> | null = null;
  private readonly fsyncMode: FsyncMode;
  private readonly fsyncIntervalMs: number;
  private readonly segmentBytes: number;
  private readonly unlock: () => void;

  private constructor(
    private readonly dir: string,
    options: FileIngestLogOptions,
  ) {
    this.fsyncMode = options.fsync ?? 'interval';
    this.fsyncIntervalMs = options.fsyncIntervalMs ?? 100;
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    mkdirSync(dir, { recursive: true });
    this.unlock = lockDir(dir);
    try {
      const { segments, recovery } = recover(dir);
      this.segments = segments;
      this.recovery = recovery;
      this.nextSeq = recovery.lastSeq + 1;
      if (this.segments.length === 0) {
        this.segments.push({ firstSeq: 1, path: join(dir, segmentName(1)), size: 0 });
        this.fd = openSync(this.active.path, 'wx+');
        this.syncDir();
      } else {
        this.fd = openSync(this.active.path, 'r+');
      }
    } catch (error) {
      this.unlock();
      throw error;
    }
  }

  /**
   * Opens (creating when missing) the log in `dir` and recovers it.
   * @throws {WalCorruptionError} when a sealed segment is corrupt.
   * @throws {DirLockedError} when another live process has the directory open.
   * @throws the `fs` error when the directory cannot be created or read.
   * @example
   * const log = FileIngestLog.open('/var/lib/vigil/wal', { fsync: 'interval' });
   * const seq = log.append('ingest', Date.now(), { metrics: [] }); // 1 on a fresh log
   */
  static open(dir: string, options: FileIngestLogOptions = {}): FileIngestLog {
    return new FileIngestLog(dir, options);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /**
   * Appends one record (see {@link IngestLog.append}); durability per the `fsync` option.
   * A failed append leaves no bytes behind and does not consume a seq.
   * @param kind 1..255 UTF-8 bytes, e.g. `ingest`.
   * @param receivedAt wall time of receipt, Unix ms.
   * @param body JSON-serializable; `undefined` is stored as `null`.
   * @returns the record's seq.
   * @throws {StoreUnavailableError} on a write or sync failure (ENOSPC, EIO, EBADF) or after `close`.
   * @throws {RangeError} when `kind` is empty or too long, or the record exceeds 64 MiB.
   * @throws {TypeError} when `body` cannot be serialized (cycle, BigInt).
   */
  append(kind: string, receivedAt: number, body: unknown): number {
    if (this.closed) throw new StoreUnavailableError('ingest log is closed');
    const seq = this.nextSeq;
    const record = encodeRecord(seq, kind, receivedAt, body);
    if (this.syncError !== null) this.syncNow('append');
    if (this.active.size > 0 && this.active.size + record.length > this.segmentBytes) this.roll();
    const fd = this.writableFd();
    const start = this.active.size;
    try {
      let written = 0;
      while (written < record.length) {
        const n = writeSync(fd, record, written, record.length - written, start + written);
        if (n <= 0) throw new Error(`write returned ${n}`);
        written += n;
      }
      if (this.fsyncMode === 'always') fdatasyncSync(fd);
    } catch (error) {
      this.undoPartialWrite(fd, start);
      throw unavailable(`cannot append to ingest log ${this.active.path}`, error);
    }
    this.active.size = start + record.length;
    this.nextSeq = seq + 1;
    if (this.fsyncMode === 'interval') this.scheduleSync();
    return seq;
  }

  /**
   * Records with seq > `afterSeq`, in order, read lazily segment by segment (1 MiB chunks).
   * Records appended while iterating are included (also in segments created meanwhile); segments
   * deleted by `truncateThrough` before the iteration reaches them are skipped. Records at or
   * before `afterSeq` are CRC-checked but their bodies are not parsed.
   * @throws {WalCorruptionError} when a record on disk no longer verifies.
   */
  *readAfter(afterSeq: number): Iterable<LogEntry> {
    let previousFirstSeq = 0;
    for (;;) {
      // Looked up afresh after each segment, so segments created while iterating are read too.
      const segment = this.segments.find(
        (s, i) =>
          s.firstSeq > previousFirstSeq && (this.segments[i + 1]?.firstSeq ?? Infinity) - 1 > afterSeq,
      );
      if (segment === undefined) return;
      previousFirstSeq = segment.firstSeq;
      // Only whole appended records are read: up to the segment's current size, asked again at the end.
      const iterator = readSegment(segment, () => segment.size, afterSeq);
      for (;;) {
        const step = iterator.next();
        if (step.done) {
          if (step.value.problem !== null) {
            throw new WalCorruptionError(
              `${segment.path} at byte ${step.value.goodEnd}: ${step.value.problem}`,
            );
          }
          break;
        }
        if (step.value.entry.seq > afterSeq) yield step.value.entry;
      }
    }
  }

  lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Deletes every segment whose records all have seq ≤ `seq`. When `seq` covers the whole log,
   * the newest segment is sealed first so that it can go too (an empty segment named after the
   * next seq keeps `lastSeq` across a restart).
   * @throws {StoreUnavailableError} when a file cannot be created or deleted.
   */
  truncateThrough(seq: number): void {
    if (this.closed) throw new StoreUnavailableError('ingest log is closed');
    if (seq >= this.lastSeq() && this.active.size > 0) this.roll();
    while (this.segments.length > 1 && this.segments[1]!.firstSeq - 1 <= seq) {
      const oldest = this.segments[0]!;
      try {
        unlinkSync(oldest.path);
      } catch (error) {
        throw unavailable(`cannot delete ingest log segment ${oldest.path}`, error);
      }
      this.segments.shift();
    }
  }

  sizeBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.size;
    return total;
  }

  /** Makes every appended record durable (`fdatasync`), unless `fsync` is `'never'`. */
  async flush(): Promise<void> {
    if (this.closed || this.fsyncMode === 'never') return;
    if (this.syncing !== null) await this.syncing;
    this.syncNow('flush');
  }

  /**
   * Flushes and releases the file. The log is closed even when the final flush fails.
   * @throws {StoreUnavailableError} when the final `fdatasync` fails (records may not be durable).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.syncing !== null) await this.syncing;
      await this.flush();
    } finally {
      this.closed = true;
      if (this.syncTimer !== null) clearTimeout(this.syncTimer);
      this.syncTimer = null;
      if (this.fd !== null) closeSync(this.fd);
      this.fd = null;
      this.unlock();
    }
  }

  /** The descriptor of the active segment, reopened after an earlier failure. */
  private writableFd(): number {
    if (this.fd !== null) return this.fd;
    try {
      const fd = openSync(this.active.path, 'r+');
      ftruncateSync(fd, this.active.size);
      this.fd = fd;
      return fd;
    } catch (error) {
      throw unavailable(`cannot reopen ingest log segment ${this.active.path}`, error);
    }
  }

  /** Cuts a failed write back to the last good record; on failure reopens before the next write. */
  private undoPartialWrite(fd: number, goodEnd: number): void {
    try {
      ftruncateSync(fd, goodEnd);
    } catch (error) {
      // The descriptor itself is unusable (EBADF, EIO): drop it; `writableFd` reopens the file
      // and truncates it to `goodEnd` before the next write. An EBADF number is not ours any more
      // (another open may reuse it), so it is not closed.
      this.fd = null;
      if ((error as NodeJS.ErrnoException).code === 'EBADF') return;
      try {
        closeSync(fd);
      } catch (closeError) {
        // The descriptor is released even when close reports an error (POSIX close(2)); keep the
        // first error, which the caller reports.
        void closeError;
      }
    }
  }

  /** Seals the active segment and starts a new one named after the next seq. */
  private roll(): void {
    const path = join(this.dir, segmentName(this.nextSeq));
    let fd: number;
    try {
      fd = openSync(path, 'wx+');
    } catch (error) {
      throw unavailable(`cannot create ingest log segment ${path}`, error);
    }
    const old = this.fd;
    if (old !== null) {
      try {
        if (this.fsyncMode !== 'never') fdatasyncSync(old);
        closeSync(old);
      } catch (error) {
        closeSync(fd);
        unlinkSync(path);
        throw unavailable(`cannot seal ingest log segment ${this.active.path}`, error);
      }
    }
    this.segments.push({ firstSeq: this.nextSeq, path, size: 0 });
    this.fd = fd;
    this.dirty = false;
    try {
      this.syncDir();
    } catch (error) {
      throw unavailable(`cannot sync ingest log directory ${this.dir}`, error);
    }
  }

  /**
   * Arranges an `fdatasync` at most `fsyncIntervalMs` after the first unsynced append: by a timer
   * when the event loop is free, or started by the append that finds the deadline passed (a long
   * synchronous run of appends never starves the timer of its guarantee).
   */
  private scheduleSync(): void {
    const now = Date.now();
    if (!this.dirty) this.dirtySince = now;
    this.dirty = true;
    if (now - this.dirtySince >= this.fsyncIntervalMs) {
      // Overdue (the timer is late, or a synchronous run of appends): start the sync now, on the
      // thread pool when none is running there already, else inline.
      if (this.syncing === null) this.syncInBackground();
      else this.syncQuietly();
      return;
    }
    if (this.syncTimer !== null) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.syncInBackground();
    }, this.fsyncIntervalMs);
    this.syncTimer.unref();
  }

  /**
   * `fdatasync` on the thread pool. Appends made meanwhile mark the log dirty again and schedule
   * the next one; a failure is kept in `syncError` (thrown by the next append or flush). A sync
   * of a descriptor replaced meanwhile (segment rolled, which syncs it itself) is not reported.
   */
  private syncInBackground(): void {
    if (this.closed || (!this.dirty && this.syncError === null)) return;
    if (this.syncing !== null) {
      void this.syncing.then(() => this.syncInBackground());
      return;
    }
    const fd = this.fd;
    if (fd === null) {
      this.syncQuietly();
      return;
    }
    this.dirty = false;
    this.syncing = new Promise((resolve) => {
      fdatasync(fd, (error) => {
        this.syncing = null;
        if (this.fd === fd) {
          if (error) {
            this.syncError = error;
            this.dirty = true;
          } else if (!this.dirty) this.syncError = null;
        }
        resolve();
      });
    });
  }

  /** Syncs after a successful append; a failure is kept in `syncError` and thrown by the next append or flush. */
  private syncQuietly(): void {
    try {
      this.syncNow('interval');
    } catch (error) {
      this.syncError = error;
    }
  }

  /** `fdatasync` of the active segment. @throws {StoreUnavailableError} when it fails. */
  private syncNow(why: string): void {
    if (!this.dirty && this.syncError === null) return;
    const fd = this.writableFd();
    try {
      fdatasyncSync(fd);
      this.dirty = false;
      this.syncError = null;
    } catch (error) {
      this.syncError = error;
      throw unavailable(`fdatasync of ingest log ${this.active.path} failed (${why})`, error);
    }
  }

  /** Makes a created or deleted segment's directory entry durable. */
  private syncDir(): void {
    if (this.fsyncMode === 'never') return;
    const fd = openSync(this.dir, 'r');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Reads every segment; truncates a bad tail of the newest; throws on a bad sealed segment. */
function recover(dir: string): { segments: Segment[]; recovery: WalRecoveryReport } {
  const infos = listSegments(dir);
  const segments: Segment[] = [];
  let lastSeq = 0;
  let truncatedBytes = 0;
  let reason: string | null = null;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    const isLast = i === infos.length - 1;
    if (i > 0 && info.firstSeq !== lastSeq + 1) {
      throw new WalCorruptionError(`${info.path} starts at seq ${info.firstSeq}, expected ${lastSeq + 1}`);
    }
    lastSeq = info.firstSeq - 1;
    const iterator = readSegment(info);
    let step = iterator.next();
    while (!step.done) {
      lastSeq = step.value.entry.seq;
      step = iterator.next();
    }
    const tail = step.value;
    if (tail.problem !== null) {
      if (!isLast) {
        throw new WalCorruptionError(`sealed segment ${info.path} at byte ${tail.goodEnd}: ${tail.problem}`);
      }
      const fd = openSync(info.path, 'r+');
      try {
        ftruncateSync(fd, tail.goodEnd);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      truncatedBytes = tail.badBytes;
      reason = tail.problem;
    }
    segments.push({ ...info, size: tail.goodEnd });
  }
  return { segments, recovery: { segments: infos.length, lastSeq, truncatedBytes, reason } };
}

function unavailable(what: string, error: unknown): StoreUnavailableError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`${what}: ${code ?? 'error'} (${detail})`, { cause: error });
}
