import { existsSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { loadSqlite } from './processLock.js';

/**
 * Opens a relay's SQLite file to read it and nothing else, for the commands that inspect a store
 * (`migrations`, `backup --check`), perhaps beside a running relay and perhaps as another user.
 *
 * Read-only is not enough: a read-only connection to a WAL store creates -wal and -shm and cannot
 * remove them, owned by whoever runs the command (root, say), which the relay's user then cannot
 * write. Without a -wal file no relay has the store open (a relay removes it when it closes), and
 * a backup never has one, so the file alone is the whole store and may be read as immutable,
 * which opens nothing beside it. With one, a relay runs (or died): its WAL holds the newest
 * commits, and the -shm it needs to read them exists already.
 */
export function openSqliteReadOnly(file: string): DatabaseSync {
  const url = pathToFileURL(file);
  if (!existsSync(`${file}-wal`)) url.searchParams.set('immutable', '1');
  return new (loadSqlite().DatabaseSync)(url, { readOnly: true, timeout: 5000 });
}
