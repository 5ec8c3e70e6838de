import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { classifySqliteError } from '../../src/store/sqlite/errors.js';
import { StoreUnavailableError } from '../../src/store/types.js';

const sqliteError = (code: string) => new Database.SqliteError(`failure ${code}`, code);

describe('classifySqliteError', () => {
  it.each([
    ['SQLITE_BUSY', /locked by another connection/, false],
    ['SQLITE_BUSY_SNAPSHOT', /locked by another connection/, false],
    ['SQLITE_FULL', /disk is full/, false],
    ['SQLITE_IOERR_WRITE', /I\/O error/, true],
    ['SQLITE_READONLY_DBMOVED', /read-only/, true],
    ['SQLITE_CANTOPEN', /cannot be opened/, true],
  ] as const)('maps %s to StoreUnavailableError naming the cause', (code, cause, reopen) => {
    const failure = classifySqliteError('commit', sqliteError(code));
    expect(failure?.error).toBeInstanceOf(StoreUnavailableError);
    expect(failure?.error.message).toMatch(cause);
    expect(failure?.error.message).toContain(code);
    expect(failure?.error.message).toMatch(/^SQLite store cannot commit: /);
    expect(failure?.reopen).toBe(reopen);
  });

  it('lets bugs through', () => {
    expect(classifySqliteError('commit', sqliteError('SQLITE_CONSTRAINT_PRIMARYKEY'))).toBeNull();
    expect(classifySqliteError('commit', sqliteError('SQLITE_ERROR'))).toBeNull();
    expect(classifySqliteError('commit', new TypeError('bad binding'))).toBeNull();
    expect(classifySqliteError('commit', 'a string')).toBeNull();
  });
});
