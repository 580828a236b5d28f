import {
  chmodSync,
  copyFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { SECRET_KEY_FILE, SQLITE_STORE_FILE } from './store/sqlite.js';

/** A backup the operator asked for cannot be made as asked (exit 2, one line). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  destination: string;
  bytes: number;
  /** Whether the generated secret.key went with it (without it the portals' secrets are lost). */
  withKey: boolean;
  milliseconds: number;
  /**
   * The mode an existing destination directory had, when backup made it private (0700); null when
   * backup created the directory, or it was private already.
   */
  tightenedFrom: number | null;
}

/**
 * Copies a SQLite data directory into `destination`, which must not exist or be empty, so that a
 * relay started on `destination` has everything: a consistent copy of the store and, when the key
 * was generated into the data directory, `secret.key`. Without that key the portals' signing
 * secrets and Salesforce keys in the store cannot be decrypted: a copy of the database file alone
 * restores the history but no portal can sign or deliver again.
 *
 * Safe while the relay runs: `VACUUM INTO` reads the store in one read transaction (in WAL mode a
 * reader never blocks the relay's writes, nor they it), so the copy is the store as of one moment,
 * with what was committed then and nothing half-written. The online-backup API copies in steps
 * and starts over whenever another process writes, which a relay under load always does. The
 * copy is written under a temporary name and renamed once the key is beside it, so an
 * interrupted backup leaves no file that looks complete. The data directory's lock (relay.lock) is not taken and not copied.
 */
export function backupDataDir(dataDir: string, destination: string): BackupResult {
  const started = Date.now();
  const store = join(dataDir, SQLITE_STORE_FILE);
  if (!existsSync(store))
    throw new BackupError(`no relay store in ${dataDir} (no ${SQLITE_STORE_FILE})`);
  if (existsSync(destination) && readdirSync(destination).length > 0)
    throw new BackupError(`${destination} is not empty: back up into a new directory`);
  // The copy holds every portal's history, hashed tokens and sealed secrets: for the relay's user
  // alone, as the data directory is (0700, files 0600), whatever the umask or the mode of a
  // directory made beforehand (mkdir -p under umask 022 gives 0755, and VACUUM INTO a 0644 file).
  const existed = existsSync(destination);
  mkdirSync(destination, { recursive: true, mode: 0o700 });
  const mode = statSync(destination).mode & 0o777;
  let tightenedFrom: number | null = null;
  if (mode !== 0o700) {
    try {
      chmodSync(destination, 0o700);
    } catch (error) {
      throw new BackupError(
        `${destination} could not be made private (chmod 700: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); back up into a directory of the relay's user`,
      );
    }
    if (existed) tightenedFrom = mode;
  }

  const sqlite = process.getBuiltinModule?.('node:sqlite') as typeof import('node:sqlite');
  const partial = join(destination, `${SQLITE_STORE_FILE}.partial`);
  const source = new sqlite.DatabaseSync(store, { timeout: 5000 });
  try {
    // Made empty and 0600 first: VACUUM INTO takes an empty file, and keeps its mode.
    closeSync(openSync(partial, 'wx', 0o600));
    source.prepare('VACUUM INTO ?').run(partial);
    chmodSync(partial, 0o600);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`the store could not be copied: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  const copy = new sqlite.DatabaseSync(partial, { readOnly: true });
  try {
    const check = copy.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    if (check.integrity_check !== 'ok')
      throw new BackupError(`the copy failed its integrity check: ${check.integrity_check}`);
  } finally {
    copy.close();
  }
  // The key before the store is renamed into place: a copy whose key could not follow (or a
  // backup interrupted between the two) must not look whole, as a store without its key restores
  // no portal's secrets.
  const key = join(dataDir, SECRET_KEY_FILE);
  const withKey = existsSync(key);
  if (withKey) {
    try {
      copyFileSync(key, join(destination, SECRET_KEY_FILE));
      chmodSync(join(destination, SECRET_KEY_FILE), 0o600);
    } catch (error) {
      rmSync(partial, { force: true });
      throw new BackupError(
        `${key} could not be copied (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); without it the copy's portal secrets cannot be read, so no copy was made`,
      );
    }
  }
  renameSync(partial, join(destination, SQLITE_STORE_FILE));
  return {
    destination,
    bytes: statSync(join(destination, SQLITE_STORE_FILE)).size,
    withKey,
    milliseconds: Date.now() - started,
    tightenedFrom,
  };
}
