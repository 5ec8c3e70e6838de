/** The embedded SQLite implementation of {@link Store}. */
export { DEFAULT_LIMIT, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
