/**
 * How a failed start ends. Exit 2: only a change of configuration or deployment can fix it (a
 * setting, the key, the data directory's owner, the relay's version), so a supervisor must not
 * restart it (the systemd unit's RestartPreventExitStatus=2), and `systemctl status` shows the one
 * line instead of a restart every 5 s for good. Exit 1: it may pass by itself (the database not up
 * yet, the port or the data directory still held by a relay that is stopping, a disk that fills
 * and empties, an address not yet assigned), or it is a bug.
 */
const EXIT_NEEDS_CONFIGURATION = 2;
const EXIT_MAY_PASS = 1;

/**
 * The data directory cannot be used by this process: not a directory, not writable or readable by
 * its user, on a read-only file system. What the OS or SQLite said stays in the message, with the
 * setting to look at and the user the relay runs as.
 */
class DataDirUnusableError extends Error {
  readonly code = 'DATA_DIR_UNUSABLE';
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    const uid = process.getuid?.();
    super(
      `the data directory ${dataDir} (RELAY_DATA_DIR) cannot be used: ${String((cause as Error)?.message ?? cause)}; ` +
        `it must be a directory the relay's user${uid === undefined ? '' : ` (uid ${uid})`} can read and write, or one it can create`,
      { cause },
    );
    this.name = 'DataDirUnusableError';
  }
}

/** File-system errors a retry cannot fix: permissions, a read-only mount, a file where a directory is expected. */
const PERMANENT_FS_CODES = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
  'ELOOP',
  'ENAMETOOLONG',
]);

/** SQLite's primary result codes of the same kind: SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH. */
const PERMANENT_SQLITE_CODES = new Set([3, 8, 14, 23]);

/**
 * `error` as a DataDirUnusableError when it is one of the failures above, met while setting up
 * `dataDir` (creating it, its secret.key, its lock, its store); undefined otherwise (a full disk,
 * a lock held by another relay), to be thrown as it is.
 */
export function dataDirUnusable(dataDir: string, error: unknown): DataDirUnusableError | undefined {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  const permanent =
    (typeof code === 'string' && PERMANENT_FS_CODES.has(code)) ||
    (code === 'ERR_SQLITE_ERROR' &&
      typeof errcode === 'number' &&
      PERMANENT_SQLITE_CODES.has(errcode & 0xff));
  return permanent ? new DataDirUnusableError(dataDir, error) : undefined;
}

/**
 * Start failures only a change of configuration can fix, by their `code` (on PostgreSQL a store
 * migrated by a newer relay comes as the cause of DATABASE_UNAVAILABLE, which names the database).
 * Not here, so retried: DATABASE_UNAVAILABLE itself (refused, timed out, or refused by the
 * database's own settings, which its administrator may fix without touching the relay), the data
 * directory held by another relay, a port in use (EADDRINUSE: the previous relay still draining)
 * or an address not assigned yet (EADDRNOTAVAIL).
 */
const NEEDS_CONFIGURATION = new Set([
  'SECRET_KEY_MISMATCH',
  'SCHEMA_TOO_NEW',
  'DATA_DIR_UNUSABLE',
  // listen on a port below 1024 without the right to: PORT, or the service's capabilities.
  'LISTEN_NOT_PERMITTED',
]);

export function startExitCode(error: unknown): number {
  for (let seen = error, depth = 0; seen && depth < 5; depth++) {
    const code = (seen as { code?: unknown }).code;
    if (typeof code === 'string' && NEEDS_CONFIGURATION.has(code)) return EXIT_NEEDS_CONFIGURATION;
    seen = (seen as { cause?: unknown }).cause;
  }
  return EXIT_MAY_PASS;
}
