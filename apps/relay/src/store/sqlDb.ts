/**
 * The little SQL both stores share. Queries are written once with PostgreSQL's `$1` placeholders;
 * the SQLite adapter rewrites them to SQLite's numbered `?1` form.
 */
export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * PostgreSQL only: the schema every connection works in (its search_path), or null for the
   * database's default. NOTIFY channels are database-wide, so the store scopes its channel by it.
   */
  readonly schema?: string | null;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  transaction<T>(work: (tx: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: LISTEN on a channel with a dedicated connection; resolves to an unlisten.
   * `gap` hears when that connection is lost (notifications stop) and when LISTEN is set up again
   * after a loss (what was notified meanwhile never arrives: read it from the tables).
   */
  listen?(
    channel: string,
    onPayload: (payload: string) => void,
    gap?: ListenGapListener,
  ): Promise<() => Promise<void>>;
  /**
   * PostgreSQL only: why a LISTEN is not receiving right now (its connection was lost and is being
   * set up again), or null. Changes other instances store meanwhile do not reach live streams.
   */
  listenProblem?(): string | null;
  /**
   * SQLite only: why writes fail (the disk is full, or failed a write) since a write failed so,
   * or null when none did or one has succeeded since. Asked by /health: while a failure is
   * remembered it tries a write that changes nothing a reader sees, and forgets the failure once
   * that commits, so the relay is ready again by itself when space returns.
   */
  writeProblem?(): Promise<string | null>;
  /**
   * SQLite only: why writes wait right now (another connection has held the file's write lock for
   * a while), or null. Answered without touching the connection, so /health reports it at once
   * instead of queueing behind the write that waits.
   */
  writeLockProblem?(): string | null;
  /**
   * PostgreSQL only: the write conflicts (deadlocks, serialization failures) this process met so
   * far. SQLite's single writer waits instead and never meets one.
   */
  conflicts?(): ConflictCounts;
}

/** Told when a LISTEN loses its connection, and when it listens again after such a loss. */
export interface ListenGapListener {
  lost(): void;
  resumed(): void;
}

/**
 * PostgreSQL's text types cannot hold U+0000 (`invalid byte sequence for encoding "UTF8": 0x00`),
 * SQLite's can. Both adapters pass every parameter list through this, so the two stores keep the
 * same text: U+0000 becomes U+FFFD (the replacement character). Other values, Buffers included,
 * pass unchanged. The list itself is returned when no string holds a NUL (the usual case on the
 * hot path): one `indexOf` per string parameter, no allocation.
 */
export function withoutNul(params: unknown[]): unknown[] {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === 'string' && value.indexOf('\u0000') !== -1)
      return params.map(replaceNulIn);
  }
  return params;
}

function replaceNulIn(value: unknown): unknown {
  return typeof value === 'string' ? replaceNul(value) : value;
}

/** The text as the store keeps it: U+0000 replaced by U+FFFD. */
export function replaceNul(text: string): string {
  return text.indexOf('\u0000') === -1 ? text : text.replaceAll('\u0000', '\uFFFD');
}

/**
 * The database could not be reached or dropped the connection (PostgreSQL restarting, failing
 * over, the network): not the request's fault nor a bug, so the API answers 503 and the sender
 * retries. The message is the driver's (for the log and the admin), never sent to a client.
 */
export class DatabaseConnectionError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(cause: unknown) {
    super(String((cause as Error)?.message ?? cause), { cause });
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: shutting down, crashed, starting up, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** The error as DatabaseConnectionError when it says the connection failed, else unchanged. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseConnectionError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = String((error as Error)?.message ?? '');
  if (
    (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) ||
    // node-postgres says these without a code.
    /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
      message,
    )
  )
    return new DatabaseConnectionError(error);
  return error;
}

const SQLITE_BUSY = 5;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;

/** SQLite's primary result code of a failed statement (node:sqlite's `errcode`), else null. */
function sqlitePrimaryCode(error: unknown): number | null {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' ? errcode & 0xff : null;
}

/**
 * A write the store's disk refused: `full` (SQLite's SQLITE_FULL, PostgreSQL's disk_full 53100,
 * ENOSPC or EDQUOT) or `io` (SQLite's SQLITE_IOERR and its extended codes, PostgreSQL's io_error
 * 58030); null for any other error. Not the request's fault and nothing of it was stored, so the
 * API answers 503 and the sender retries; the store's own file is then still consistent (SQLite
 * rolls the transaction back).
 */
export function storageFailure(error: unknown): 'full' | 'io' | null {
  const primary = sqlitePrimaryCode(error);
  if (primary !== null) {
    if (primary === SQLITE_FULL) return 'full';
    if (primary === SQLITE_IOERR) return 'io';
    return null;
  }
  const { code } = (error ?? {}) as { code?: unknown };
  if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code === '58030') return 'io';
  return null;
}

/**
 * SQLite's SQLITE_BUSY: another connection to the store file (an sqlite3 session that writes, a
 * tool forcing a checkpoint) held the write lock for longer than the relay waits (sqlite.ts). The
 * relay is the file's only writer otherwise (lockDataDir). The write was not made; made again once
 * the lock is free, it completes.
 */
export const storeBusy = (error: unknown): boolean => sqlitePrimaryCode(error) === SQLITE_BUSY;

/** PostgreSQL's SQLSTATE of a failed statement (pg sets it as `code`). */
const sqlState = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * PostgreSQL gave the transaction up because another one held rows it needed: deadlock_detected
 * (40P01), serialization_failure (40001) or lock_not_available (55P03). That transaction was
 * rolled back; the same request made again completes. SQLite's single writer waits instead (busy
 * timeout) and never answers these; another connection to its file can outlast that wait
 * (storeBusy).
 */
export function writeConflict(error: unknown): boolean {
  return retriableConflict(error) || sqlState(error) === '55P03';
}

/**
 * A write conflict the relay runs its transaction again for, at once (postgres.ts): a deadlock or
 * a serialization failure, which PostgreSQL ends by rolling back one side so that the other goes
 * on. Not lock_not_available: it comes from a lock_timeout set on the relay's role, a bound on
 * waiting that running the transaction again would multiply.
 */
export function retriableConflict(error: unknown): boolean {
  const code = sqlState(error);
  return code === '40P01' || code === '40001';
}

/** Write conflicts of this process so far (relay_database_conflicts_total). */
export interface ConflictCounts {
  /** Transactions (or single statements) rolled back and run again. */
  retried: number;
  /** Rolled back on their last attempt: the caller got the error (503 DATABASE_CONFLICT). */
  gaveUp: number;
}

/**
 * Logs a background loop's failures (outbox and alert rounds poll every few hundred ms). While the
 * database is away every round fails the same way: that is logged when it starts, then at most
 * once a minute with how many rounds failed, and once when a round succeeds again, instead of a
 * stack trace per round. Other errors are logged every time, as before.
 */
export function roundFailureLogger(
  log: {
    error(object: object, message: string): void;
    info(object: object, message: string): void;
  },
  message: string,
  intervalMs = 60_000,
): { failed(error: unknown): void; succeeded(): void } {
  let since = 0;
  let lastLoggedAt = 0;
  let failures = 0;
  return {
    failed(error) {
      if (!(error instanceof DatabaseConnectionError)) {
        log.error({ err: error }, message);
        return;
      }
      failures++;
      const now = Date.now();
      if (since === 0) since = now;
      if (now - lastLoggedAt < intervalMs) return;
      lastLoggedAt = now;
      log.error(
        {
          error: error.message,
          failedRounds: failures,
          since: new Date(since).toISOString(),
        },
        `${message}: the database does not answer (logged once a minute while it lasts)`,
      );
    },
    succeeded() {
      if (since === 0) return;
      log.info(
        { failedRounds: failures, since: new Date(since).toISOString() },
        `${message.replace(/ failed$/, '')}: the database answers again`,
      );
      since = 0;
      lastLoggedAt = 0;
      failures = 0;
    },
  };
}
