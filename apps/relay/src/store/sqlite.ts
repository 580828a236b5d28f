import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { dataDirUnusable } from '../startErrors.js';
import { holdProcessLock, loadSqlite } from './processLock.js';
import { storageFailure, storeBusy, withoutNul, type SqlDb } from './sqlDb.js';

interface PendingUnit {
  work: (tx: SqlDb) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * node:sqlite is synchronous and has one connection, so a transaction that awaits must not
 * interleave with other work on the same connection: every use goes through one queue.
 */
class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private batch: PendingUnit[] | null = null;
  private readonly statements = new Map<string, StatementSync>();
  /** COMMITs issued so far (group commit is tested by it: many transactions, few commits). */
  commits = 0;
  /**
   * The last write the disk refused (storageFailure), kept until a write commits after it: what
   * makes /health unready while every write fails (a full disk), though SELECT 1 still answers.
   * `seq` tells a failure met while a probe ran from the one the probe was made for.
   */
  private writeFailure: {
    kind: 'full' | 'io';
    since: number;
    message: string;
    seq: number;
  } | null = null;
  private writeFailures = 0;
  /**
   * How long a write waits for the file's write lock when another connection holds it (an
   * sqlite3 session that writes), counted from the first refusal of a run of them: once one write
   * has waited this long, the writes after it try once and fail (503 DATABASE_BUSY) until the lock
   * is free, instead of each waiting again while requests pile up behind them.
   */
  lockWaitMs = 5_000;
  /** How long the lock may be held before /health reports it: a short wait is no outage. */
  lockReportMs = 1_000;
  /** When a write first found the lock held, until a BEGIN gets it again. */
  private lockHeldSince: number | null = null;

  /** `lock`: the data directory's lock (lockDataDir), released when the store closes. */
  constructor(
    private readonly database: DatabaseSync,
    private readonly lock?: DatabaseSync,
  ) {}

  private prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql.replace(/\$(\d+)/g, '?$1'));
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Transaction control statements, prepared once (exec would parse them for every unit). */
  private readonly controls = new Map<string, StatementSync>();
  private control(sql: string): StatementSync {
    let statement = this.controls.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql);
      this.controls.set(sql, statement);
    }
    return statement;
  }

  private exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The connection as seen inside a transaction (made once: every unit of every batch uses it). */
  private readonly inTransaction: SqlDb = this.direct();

  private direct(): SqlDb {
    return {
      dialect: 'sqlite',
      query: async <T>(sql: string, params: unknown[] = []) =>
        this.prepare(sql).all(...(withoutNul(params) as never[])) as T[],
      execute: async (sql: string, params: unknown[] = []) =>
        Number(this.prepare(sql).run(...(withoutNul(params) as never[])).changes),
      transaction: (work) => work(this.direct()),
      close: async () => undefined,
    };
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.exclusive(() => this.prepare(sql).all(...(withoutNul(params) as never[])) as T[]);
  }

  /**
   * A write outside a transaction joins the next group commit (below) instead of paying a commit
   * of its own: the outbox's completions and lease updates then share one COMMIT with the
   * signals stored at the same moment. Still atomic (its own SAVEPOINT) and still resolved only
   * after the COMMIT.
   */
  execute(sql: string, params: unknown[] = []): Promise<number> {
    return this.transaction(async (tx) => tx.execute(sql, params));
  }

  /**
   * Group commit: transactions that queue up while another runs share the next BEGIN ... COMMIT,
   * each inside its own SAVEPOINT (so one failing rolls back alone). Each caller's promise settles
   * only after the COMMIT, so "stored" still means durable; under concurrent load the relay pays
   * one commit for many signals instead of one each.
   */
  transaction<T>(work: (tx: SqlDb) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const unit: PendingUnit = {
        work: work as PendingUnit['work'],
        resolve: resolve as PendingUnit['resolve'],
        reject,
      };
      if (this.batch) {
        this.batch.push(unit);
        return;
      }
      this.batch = [unit];
      // Wait one turn of the event loop before closing the batch: requests arrive in separate
      // I/O callbacks with the microtask queue drained in between, so starting at once would
      // commit every request alone. setImmediate runs after the poll phase, by which time every
      // request read in that phase has reached this point and joined the batch.
      void this.exclusive(() =>
        new Promise<void>((ready) => setImmediate(ready)).then(() => this.runBatch()),
      );
    });
  }

  private async runBatch(): Promise<void> {
    const units = this.batch ?? [];
    this.batch = null;
    const settled: (() => void)[] = [];
    try {
      await this.begin();
    } catch (error) {
      this.noteWriteFailure(error);
      for (const unit of units) unit.reject(error);
      return;
    }
    for (const unit of units) {
      this.control('SAVEPOINT unit').run();
      try {
        const result = await unit.work(this.inTransaction);
        this.control('RELEASE unit').run();
        settled.push(() => unit.resolve(result));
      } catch (error) {
        this.noteWriteFailure(error);
        this.control('ROLLBACK TO unit').run();
        this.control('RELEASE unit').run();
        settled.push(() => unit.reject(error));
      }
    }
    try {
      this.control('COMMIT').run();
      this.commits++;
    } catch (error) {
      this.noteWriteFailure(error);
      if (this.database.isTransaction) this.database.exec('ROLLBACK');
      for (const unit of units) unit.reject(error);
      return;
    }
    for (const settle of settled) settle();
  }

  /**
   * BEGIN IMMEDIATE, which takes the write lock up front. Only this process opens the file for the
   * relay (lockDataDir, below), but an operator's sqlite3 session may write to it. node:sqlite
   * waits for a lock synchronously, and the whole process with it: the connection's own busy
   * timeout is kept short (LOCK_SLICE_MS) and the rest of the wait is spent here between tries,
   * so liveness, metrics and everything that needs no write still answer meanwhile.
   */
  private async begin(): Promise<void> {
    for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
      try {
        this.control('BEGIN IMMEDIATE').run();
        this.lockHeldSince = null;
        return;
      } catch (error) {
        if (!storeBusy(error)) throw error;
        const since = (this.lockHeldSince ??= Date.now());
        if (Date.now() - since + pause > this.lockWaitMs) throw error;
        await new Promise((resume) => setTimeout(resume, pause));
      }
    }
  }

  writeLockProblem(): string | null {
    const since = this.lockHeldSince;
    if (since === null || Date.now() - since < this.lockReportMs) return null;
    // No write may come after the last one gave up: an empty transaction finds out whether the lock
    // is free again, so the relay turns ready by itself once it is. Unless one is queued already
    // (a batch forming): then that one finds out, and polls do not pile up probes.
    if (!this.batch) void this.transaction(async () => undefined).catch(() => undefined);
    return (
      `the store cannot write: another connection to its file has held the write lock since ` +
      `${new Date(since).toISOString()} (an sqlite3 session without -readonly?); writes wait up ` +
      `to ${this.lockWaitMs / 1000} s for it, then answer 503 DATABASE_BUSY`
    );
  }

  private noteWriteFailure(error: unknown): void {
    const kind = storageFailure(error);
    if (!kind) return;
    this.writeFailure = {
      kind,
      // The first of a run of failures: how long writes have failed.
      since: this.writeFailure?.since ?? Date.now(),
      message: String((error as Error)?.message ?? error).slice(0, 200),
      seq: ++this.writeFailures,
    };
  }

  async writeProblem(): Promise<string | null> {
    const failure = this.writeFailure;
    if (!failure) return null;
    // A write no reader sees, but one that needs room as the failed writes did: a table made and
    // dropped in one transaction takes a page (a new one unless the store has a free one: it
    // grows by one page at most) and appends its pages to the WAL; merely changing a page in
    // place (user_version) committed where every insert failed. Any failure is noted above.
    await this.transaction(async (tx) => {
      await tx.execute('CREATE TABLE relay_write_probe (x BLOB)');
      await tx.execute('DROP TABLE relay_write_probe');
    }).then(
      () => {
        // Unless a write failed again meanwhile.
        if (this.writeFailure?.seq === failure.seq) this.writeFailure = null;
      },
      () => undefined,
    );
    const now = this.writeFailure;
    if (!now) return null;
    const why = now.kind === 'full' ? 'its disk is full' : 'its disk failed a write';
    return `the store cannot write (${why}) since ${new Date(now.since).toISOString()}: ${now.message}`;
  }

  async close(): Promise<void> {
    await this.exclusive(() => {
      if (this.database.isOpen) this.database.close();
      if (this.lock?.isOpen) this.lock.close();
    });
  }
}

/** Another process holds the data directory (its relay.lock): the store refuses to open. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `the data directory ${dataDir} is already in use by another relay (its relay.lock is locked). ` +
        'A SQLite store belongs to one process; to run several instances, set DATABASE_URL to a PostgreSQL database.',
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Takes the data directory for this process alone. Each relay process keeps caches (statuses, the
 * last computed status of each portal) that are only right while nobody else writes the store: a
 * second process on the same directory must not start. The lock is a small SQLite file of its own,
 * `relay.lock`, written once in EXCLUSIVE locking mode so SQLite keeps its exclusive lock on it
 * until the connection closes: the operating system's (fcntl) lock, which holds across containers
 * sharing the volume and goes with the process however it dies (SIGKILL included).
 * Why not EXCLUSIVE locking mode on the store itself: measured, it made every statement dearer
 * (signed ingestion ~20% fewer requests a second), and it would shut out `sqlite3` and backup tools.
 */
function lockDataDir(dataDir: string): DatabaseSync {
  try {
    return holdProcessLock(join(dataDir, LOCK_FILE));
  } catch (error) {
    if (storeBusy(error)) throw new DataDirInUseError(dataDir);
    throw error;
  }
}

const LOCK_FILE = 'relay.lock';

/**
 * The connection's busy timeout: the longest one try for a lock blocks the process (SQLite's busy
 * handler sleeps synchronously). Writes wait longer than this in SqliteDb.begin, between tries.
 */
const LOCK_SLICE_MS = 50;

/** The store's file in the data directory (the backup and `migrations` commands read it too). */
export const SQLITE_STORE_FILE = 'relay.sqlite';

/** The key generated beside a store that has no RELAY_SECRET_KEY (config.ts); backups carry it. */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * Opens (and creates) the store in `dataDir`. A directory this process cannot use (not writable,
 * not a directory, on a read-only mount) is a DataDirUnusableError (exit 2: the start fails the same
 * way until its owner or RELAY_DATA_DIR is changed); one held by another relay a DataDirInUseError.
 */
export function openSqlite(
  dataDir: string,
  fileName = SQLITE_STORE_FILE,
  log: PrivacyLog = SILENT,
): SqlDb {
  try {
    return openSqliteIn(dataDir, fileName, log);
  } catch (error) {
    throw dataDirUnusable(dataDir, error) ?? error;
  }
}

/** Where openSqlite says what it made private (info) and what it could not (warn). */
export interface PrivacyLog {
  info(message: string): void;
  warn(message: string): void;
}
const SILENT: PrivacyLog = { info: () => undefined, warn: () => undefined };

/**
 * The data directory holds every portal's history, kept e-mails and sealed secrets (and, with
 * SQLite and no RELAY_SECRET_KEY, the key to them): it is made 0700, and the files in it 0600, at
 * every start, whatever the umask or the mode of a directory made beforehand (mkdir -p under umask
 * 022 gives 0755, and SQLite then makes relay.sqlite, -wal and -shm 0644). A file SQLite
 * creates is made private just after it is opened, before any request (inside a 0700 directory).
 * Only what the relay's user owns is changed. Where chmod fails, or the mount ignores it (SMB,
 * some NFS or FAT volumes), the start goes on with a warning naming the path and its mode:
 * refusing would turn a hardening into an outage on mounts whose modes the relay cannot set,
 * and the files are no more readable than they were before this check.
 * `checked`: the paths an earlier call looked at, skipped, so each is judged (and warned of) once
 * per start; returned with the paths this call looked at.
 */
function makePrivate(
  dataDir: string,
  fileName: string,
  log: PrivacyLog,
  checked = new Set<string>(),
): Set<string> {
  const uid = process.getuid?.();
  if (uid === undefined) return checked; // Windows: no POSIX modes to set
  const tighten = (path: string, wanted: number): void => {
    if (checked.has(path)) return;
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      return; // not there (yet)
    }
    checked.add(path);
    const was = stat.mode & 0o777;
    if ((was & 0o077) === 0) return;
    const octal = (mode: number) => `0${mode.toString(8)}`;
    if (stat.uid !== uid) {
      log.warn(
        `${path} is readable by other users (mode ${octal(was)}) and owned by uid ${stat.uid}, not the relay's (${uid}): left as it is; make it ${octal(wanted)} (it holds portal histories and sealed secrets)`,
      );
      return;
    }
    try {
      chmodSync(path, wanted);
    } catch (error) {
      log.warn(
        `${path} could not be made private (chmod ${octal(wanted)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it stays ${octal(was)}, readable by other local users`,
      );
      return;
    }
    const now = statSync(path).mode & 0o777;
    if (now & 0o077)
      log.warn(
        `${path} stays mode ${octal(now)} after chmod ${octal(wanted)} (a mount that ignores modes?): readable by other local users`,
      );
    else log.info(`made ${path} private: mode ${octal(now)} instead of ${octal(was)}`);
  };
  tighten(dataDir, 0o700);
  for (const name of [
    fileName,
    `${fileName}-wal`,
    `${fileName}-shm`,
    LOCK_FILE,
    `${LOCK_FILE}-journal`,
    SECRET_KEY_FILE,
  ])
    tighten(join(dataDir, name), 0o600);
  return checked;
}

function openSqliteIn(dataDir: string, fileName: string, log: PrivacyLog): SqlDb {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const checked = makePrivate(dataDir, fileName, log);
  const { DatabaseSync } = loadSqlite();
  const lock = lockDataDir(dataDir);
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(join(dataDir, fileName), { timeout: LOCK_SLICE_MS });
    database.exec('PRAGMA journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode (only an OS crash may lose the last commits).
    database.exec('PRAGMA synchronous = NORMAL');
    database.exec('PRAGMA foreign_keys = ON');
    // Checkpoint the WAL into the database file every ~40 MB instead of every ~4 MB: pages written
    // again and again (the status row, the outbox indexes) are copied back once per checkpoint, so
    // fewer checkpoints mean fewer page writes and fsyncs. Durability is the WAL's either way.
    database.exec('PRAGMA wal_autocheckpoint = 10000');
    // The files SQLite just made, not there at the first look (the store, -wal, -shm, the lock);
    // SQLite gives a -wal or -shm it makes later the mode of the store file, 0600 from here on.
    makePrivate(dataDir, fileName, log, checked);
  } catch (error) {
    lock.close();
    throw error;
  }
  return new SqliteDb(database, lock);
}
