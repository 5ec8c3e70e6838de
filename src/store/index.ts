/**
 * Storage for one Vigil node: the contracts (`types.ts`) and the embedded implementations
 * (append-only file log, SQLite store, in-process event bus).
 */
import { join } from 'node:path';
import { MemoryEventBus, type MemoryEventBusOptions } from './memory/index.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';
import type { EventBus, IngestLog, Store } from './types.js';
import { FileIngestLog, type FileIngestLogOptions } from './wal/index.js';

export * from './memory/index.js';
export * from './sqlite/index.js';
export * from './types.js';
export * from './wal/index.js';

export interface EmbeddedStorageOptions {
  readonly log?: FileIngestLogOptions;
  readonly sqlite?: SqliteStoreOptions;
  readonly bus?: MemoryEventBusOptions;
}

/** The three storage seams of a single-node Vigil, opened together. */
export interface EmbeddedStorage {
  readonly log: IngestLog;
  readonly store: Store;
  readonly bus: EventBus;
  /** Closes bus, then log (flushing it), then store. */
  close(): Promise<void>;
}

/**
 * Opens the embedded storage under `dataDir` (created when missing): the ingest log in
 * `dataDir/wal/`, the SQLite database `dataDir/vigil.db` (WAL checkpoints every 250 ms on a worker
 * thread unless `options.sqlite` says otherwise), and an in-process event bus.
 * @throws {WalCorruptionError} when a sealed log segment is corrupt.
 * @throws {StoreUnavailableError} when the database cannot be opened (locked, read-only, disk full).
 * @example
 * const { log, store, bus, close } = openEmbeddedStorage('./data');
 * log.lastSeq(); // 0 on a fresh directory
 * await close();
 */
export function openEmbeddedStorage(dataDir: string, options: EmbeddedStorageOptions = {}): EmbeddedStorage {
  const store = SqliteStore.open(dataDir, { backgroundCheckpointMs: 250, ...options.sqlite });
  let log: FileIngestLog;
  try {
    log = FileIngestLog.open(join(dataDir, 'wal'), options.log);
  } catch (error) {
    store.close();
    throw error;
  }
  const bus = new MemoryEventBus(options.bus);
  return {
    log,
    store,
    bus,
    async close() {
      await bus.close();
      await log.close();
      store.close();
    },
  };
}
