/** The append-only file implementation of {@link IngestLog}. */
export { DirLockedError } from './dir-lock.js';
export {
  FileIngestLog,
  type FileIngestLogOptions,
  type FsyncMode,
  WalCorruptionError,
  type WalRecoveryReport,
} from './file-ingest-log.js';
