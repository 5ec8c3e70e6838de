/**
 * Classifies SQLite failures: those caused by the environment (lock, disk, permissions) become
 * {@link StoreUnavailableError} (HTTP 503, retry later); everything else is a bug and passes through.
 */
import { StoreUnavailableError } from '../types.js';

/** What to do after an environmental failure. */
export interface SqliteFailure {
  readonly error: StoreUnavailableError;
  /** The connection may be broken (I/O error, file moved): reopen it before the next operation. */
  readonly reopen: boolean;
}

const CAUSES: ReadonlyArray<readonly [prefix: string, cause: string, reopen: boolean]> = [
  ['SQLITE_BUSY', 'the database is locked by another connection (busy timeout expired)', false],
  ['SQLITE_LOCKED', 'a table is locked', false],
  ['SQLITE_FULL', 'the disk is full', false],
  ['SQLITE_IOERR', 'an I/O error occurred', true],
  ['SQLITE_READONLY', 'the database is read-only', true],
  ['SQLITE_CANTOPEN', 'the database file cannot be opened', true],
  ['SQLITE_PROTOCOL', 'a locking protocol error occurred', false],
];

/**
 * Maps a thrown value to an unavailability, or null when it is not environmental.
 * @param operation what was attempted, e.g. `commit`, used in the message.
 */
export function classifySqliteError(operation: string, error: unknown): SqliteFailure | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  for (const [prefix, cause, reopen] of CAUSES) {
    if (code === prefix || code.startsWith(`${prefix}_`)) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        error: new StoreUnavailableError(`SQLite store cannot ${operation}: ${cause} (${code}: ${detail})`, {
          cause: error,
        }),
        reopen,
      };
    }
  }
  return null;
}
