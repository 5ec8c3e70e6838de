/**
 * Advisory lock on a log directory so that two processes never append to the same segments.
 *
 * A `LOCK` file holds the owner's pid. It is created exclusively (`O_EXCL`); when it exists, the
 * recorded process is probed with signal 0: a live process keeps the lock, a dead one (crash,
 * `kill -9`) is taken over. The same process may open the directory again (tests, restarts in
 * place). Limits: pids are only meaningful within one host and pid namespace; a directory shared
 * between containers or hosts is not protected.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process holds the directory. */
export class DirLockedError extends Error {
  override readonly name = 'DirLockedError';
}

/** Name of the lock file inside the directory. */
export const LOCK_FILE = 'LOCK';

/**
 * Takes the lock on `dir`.
 * @returns a function releasing it (removes the file if it still names this process).
 * @throws {DirLockedError} when a live process other than this one holds it.
 */
export function lockDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const mine = String(process.pid);
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, mine);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new DirLockedError(`${dir} is in use by process ${owner} (lock file ${path})`);
    }
    writeFileSync(path, mine);
  }
  return () => {
    try {
      if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
    } catch (error) {
      // Already removed (directory deleted): nothing is held any more.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
}

/** Whether `pid` is a running process; a zombie (killed, not yet reaped; Linux `/proc`) is not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true; // no /proc (not Linux): trust the signal probe
  }
  // Format: `pid (comm) state …`; comm may contain spaces and parentheses.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
