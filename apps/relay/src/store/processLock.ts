import type { DatabaseSync } from 'node:sqlite';

// `node:sqlite` exists only with the `node:` prefix. Loading it through process.getBuiltinModule
// keeps these modules loadable by tools whose resolvers predate prefix-only builtins, and makes the
// error clear on a Node without it. (Jest 30 resolves it too; this is belt and braces.)
export function loadSqlite(): typeof import('node:sqlite') {
  const sqlite = process.getBuiltinModule?.('node:sqlite') as
    typeof import('node:sqlite') | undefined;
  if (!sqlite) throw new Error('node:sqlite is not available: the relay needs Node 24 or later');
  return sqlite;
}

/**
 * Takes a lock for this process alone, held until the returned connection closes: a small SQLite
 * file written once in EXCLUSIVE locking mode, so SQLite keeps its exclusive lock on it. That is
 * the operating system's (fcntl) lock, which holds across containers sharing a volume and goes
 * with the process however it dies (SIGKILL included). The file records the holder's pid and start
 * for whoever finds it free later. Throws SQLite's error (errcode SQLITE_BUSY) when another process
 * holds it.
 */
export function holdProcessLock(path: string): DatabaseSync {
  const { DatabaseSync } = loadSqlite();
  // No busy timeout: a lock another process holds fails at once.
  const lock = new DatabaseSync(path, { timeout: 0 });
  try {
    lock.exec('PRAGMA locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    lock.exec('BEGIN IMMEDIATE');
    lock.exec('DELETE FROM holder');
    lock
      .prepare('INSERT INTO holder (pid, since) VALUES (?, ?)')
      .run(process.pid, new Date().toISOString());
    lock.exec('COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    throw error;
  }
}
