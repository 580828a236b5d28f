import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { BackupError } from './backup.js';
import {
  keyCandidates,
  openSealedValues,
  type KeyCandidate,
  type KeySource,
} from './backupCheckKeys.js';
import { judgeMigrations, sqliteSchemaVersion } from './migrationStatus.js';
import { MIGRATIONS, newestVersion } from './store/migrations.js';
import { UNDELIVERED_COUNT_SQL } from './store/outboxStore.js';
import { openSqliteReadOnly } from './store/readOnlySqlite.js';
import { SECRET_KEY_FILE, SQLITE_STORE_FILE } from './store/sqlite.js';

/**
 * `sync-doctor-relay backup --check DIR`: would a relay of this build, started on DIR, come back
 * whole? A backup is found wanting on the day it is restored: a copy damaged on its way to the
 * backup host, one taken by a newer relay before a rollback, a secret.key left behind or a
 * RELAY_SECRET_KEY that is not the one the store was written with (the relay then refuses to
 * start, or, for a key that opens some portals' secrets and not others, loses those). This runs
 * each part of a restore that can fail, reading the copy only, and says what it holds.
 */

/** From what size a store's check is announced before it starts. */
const PROGRESS_FROM_BYTES = 64e6;

export interface BackupCheck {
  directory: string;
  storeBytes: number;
  /** 'ok', or the first thing SQLite's integrity check found; null when the file did not open. */
  integrity: string | null;
  schemaVersion: number | null;
  lastAppliedAt: number | null;
  buildSchemaVersion: number;
  /** What this build applies when it starts on the copy. */
  pending: { version: number; name: string }[];
  key: {
    /** The key a relay started on the copy with this environment uses (RELAY_SECRET_KEY first). */
    source: KeySource | null;
    /** Sealed values in the store, by SEALED_COLUMNS id. */
    sealed: Record<string, number>;
    opened: number;
    /** The first values the key did not open: what (a SEALED_COLUMNS id) and whose, never the value. */
    notOpened: { kind: string; portalId: string }[];
    /** With RELAY_SECRET_KEY used: the backup's own secret.key opens every value. */
    backupKeyOpensAll: boolean;
  };
  contents: {
    portals: number;
    changes: number;
    /** When the newest change in the copy was received (ms): nothing after it is in it. */
    newestChangeAt: number | null;
    /** Changes not delivered into Salesforce when the copy was taken (pending, failed, waiting). */
    undelivered: number;
  } | null;
  /** Made so by `backup`: the directory 0700, its files 0600. */
  private: boolean;
  /** Each one is a reason the copy is not restorable by this build. */
  problems: string[];
  warnings: string[];
}

/**
 * Checks the backup in `directory`. Throws BackupError when there is no backup there to check,
 * ConfigError for a malformed RELAY_SECRET_KEY; everything else is a problem in the result.
 */
export function checkBackup(
  directory: string,
  env: { RELAY_SECRET_KEY?: string | undefined },
  progress: (message: string) => void = () => undefined,
): BackupCheck {
  const file = join(directory, SQLITE_STORE_FILE);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
    // A private copy of another user's would otherwise look empty ("no relay backup").
    if (isDirectory) accessSync(directory, constants.R_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(
      code === 'ENOENT'
        ? `${directory} does not exist`
        : `${directory} cannot be read (${code}): run the check as the backup's owner`,
    );
  }
  if (!isDirectory) throw new BackupError(`${directory} is not a directory`);
  if (!existsSync(file))
    throw new BackupError(
      existsSync(`${file}.partial`)
        ? `${directory} holds only ${SQLITE_STORE_FILE}.partial: a backup that did not finish, not a copy to restore`
        : `no relay backup in ${directory} (no ${SQLITE_STORE_FILE})`,
    );
  const keys = keyCandidates(directory, env);
  const check: BackupCheck = {
    directory,
    storeBytes: statSync(file).size,
    integrity: null,
    schemaVersion: null,
    lastAppliedAt: null,
    buildSchemaVersion: newestVersion(MIGRATIONS),
    pending: [],
    key: {
      source: keys[0]?.source ?? null,
      sealed: {},
      opened: 0,
      notOpened: [],
      backupKeyOpensAll: false,
    },
    contents: null,
    private: isPrivate(directory),
    problems: [],
    warnings: [],
  };
  if (!check.private)
    check.warnings.push(
      `${directory} is readable by other users: the copy holds every portal's history and sealed ` +
        `secrets; chmod 700 it and 600 its files (sync-doctor-relay backup makes them so)`,
    );
  let db: DatabaseSync;
  try {
    db = openSqliteReadOnly(file);
  } catch (error) {
    check.problems.push(`${file} does not open: ${(error as Error).message}`);
    return check;
  }
  // SQLite's integrity check reads every page and every index entry: about 15 s for a store of
  // 500 MB (2 million changes). Said first, so a long silence does not look like a hang.
  if (check.storeBytes >= PROGRESS_FROM_BYTES)
    progress(
      `checking ${(check.storeBytes / 1e6).toFixed(1)} MB: integrity, then every sealed secret`,
    );
  try {
    readStore(db, check, keys);
  } catch (error) {
    check.problems.push(`${file} could not be read: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  return check;
}

function readStore(db: DatabaseSync, check: BackupCheck, keys: KeyCandidate[]): void {
  // The first of SQLite's findings is enough to say the copy is damaged; reading on would only
  // meet the damage again. A page too damaged to walk fails the check itself ("database disk
  // image is malformed").
  try {
    const found = db.prepare('PRAGMA integrity_check(1)').get() as { integrity_check: string };
    check.integrity = found.integrity_check;
  } catch (error) {
    check.integrity = (error as Error).message;
  }
  if (check.integrity !== 'ok') {
    check.problems.push(`the copy is damaged (SQLite's integrity check: ${check.integrity})`);
    return;
  }
  const stored = sqliteSchemaVersion(db);
  const migrations = judgeMigrations('sqlite', { location: '', ...stored });
  check.schemaVersion = stored.version;
  check.lastAppliedAt = stored.appliedAt;
  check.pending = migrations.pending;
  if (stored.version === 0) {
    check.problems.push('it holds no relay schema: not a relay store');
    return;
  }
  if (!migrations.canStart) {
    check.problems.push(
      `a newer relay wrote it (schema ${stored.version}; this build knows up to ${check.buildSchemaVersion}): ` +
        'this build refuses to start on it; check and restore it with that relay, or restore an older backup',
    );
    return;
  }
  check.contents = readContents(db);
  openSealedValues(db, check, keys);
}

function readContents(db: DatabaseSync): NonNullable<BackupCheck['contents']> {
  const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
  const newest = db.prepare('SELECT received_at FROM changes ORDER BY id DESC LIMIT 1').get() as
    { received_at: number } | undefined;
  return {
    portals: count('SELECT COUNT(*) AS n FROM portals'),
    changes: count('SELECT COUNT(*) AS n FROM changes'),
    newestChangeAt: newest ? Number(newest.received_at) : null,
    undelivered: count(UNDELIVERED_COUNT_SQL),
  };
}

/** The directory 0700, the store and the key 0600 at most (group and others shut out). */
function isPrivate(directory: string): boolean {
  const shut = (path: string) => (statSync(path).mode & 0o077) === 0;
  if (!shut(directory)) return false;
  return [SQLITE_STORE_FILE, SECRET_KEY_FILE]
    .map((name) => join(directory, name))
    .every((path) => !existsSync(path) || shut(path));
}
