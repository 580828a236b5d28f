import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { chmod, lstat, mkdir, mkdtemp, open as openFile, readdir, rm } from 'node:fs/promises';
import type { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HttpError } from '../errors.js';
import { holdProcessLock, loadSqlite } from '../store/processLock.js';

/**
 * Temporary files for request bodies that must be read in full before they are trusted (a signed
 * upload: its HMAC covers the whole body, and nothing of it is parsed before that matches).
 * Each body gets its own file, named with 128 random bits, created exclusively (`wx+`, never
 * through an existing file or link) with mode 0600 in a 0700 directory, and removed when the
 * request ends whatever its outcome.
 */

const FILE_PREFIX = 'upload-';
/** The private directories of relays without a data directory of their own (PostgreSQL), under os.tmpdir(). */
export const PRIVATE_DIR_PREFIX = 'sync-doctor-spool-';
/**
 * In each private directory: a small SQLite file its relay holds an exclusive lock on for as long
 * as it runs (an fcntl lock, as the data directory's relay.lock: it holds across containers sharing
 * the volume and goes with the process however it dies, SIGKILL included).
 */
const OWNER_LOCK = 'owner.lock';
/**
 * A private directory nobody touched for this long and whose owner's lock is free is a dead
 * relay's: its signed uploads had to arrive whole within 10 minutes (SIGNED_UPLOAD in
 * uploadPace.ts). One with no lock at all (a relay before the lock, still running, idle) waits a day.
 */
const LEFTOVER_AGE_MS = 10 * 60_000;
const UNLOCKED_LEFTOVER_AGE_MS = 24 * 60 * 60_000;

/** A dead relay's private spool directory, removed (what the sweep logs). */
export interface SweptDir {
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
  /** The pid and start of the relay that held it, from its lock, when it had one. */
  readonly owner: { pid: number; since: string } | null;
  readonly untouchedMinutes: number;
}

/** Where the sweep says what it removed (info) and what it could not (warn). */
export interface SpoolLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** The spool could not take the body: the disk is full or not writable, or too much is spooled. */
export class SpoolUnavailableError extends Error {
  constructor(
    readonly code: 'SPOOL_UNAVAILABLE' | 'SPOOL_BUSY',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'SpoolUnavailableError';
  }
}

export interface SpooledBody {
  /** Bytes written. */
  readonly bytes: number;
  /** The body, read back from the start (one read per call). */
  read(): AsyncIterable<Buffer>;
  /** Closes and deletes the file and frees its share of the budget; safe to call twice. */
  remove(): Promise<void>;
}

/** What the spool does with a file it opened: the part of fs/promises' FileHandle it uses. */
export type SpoolFile = Pick<FileHandle, 'write' | 'close' | 'createReadStream'>;

/**
 * A part of the spool some uploads share (a portal's, a client address's, every upload from a
 * sender not yet proven): together their files hold at most `bytes`; past it the upload is a
 * SpoolUnavailableError SPOOL_BUSY saying `busy`.
 */
export interface SpoolShare {
  readonly key: string;
  readonly bytes: number;
  readonly busy: string;
}

export interface WriteOptions {
  /**
   * The shares this upload counts against (besides the whole spool's maxBytes), so one portal's,
   * one address's or the unproven senders' uploads cannot take the budget every other needs.
   */
  shares?: readonly SpoolShare[];
  /**
   * The whole body must have arrived within this many milliseconds (a 408 REQUEST_TIMEOUT after),
   * however it keeps the pace: an upload not yet verified holds its share of the budget no longer.
   */
  deadlineMs?: number;
}

export interface Spool {
  /** The directory files go to (created on first use). */
  readonly dir: () => Promise<string>;
  /**
   * Writes `source` to a new file, showing every chunk to `onChunk` first (a size limit, an HMAC:
   * a throw there stops the write, removes the file and is rethrown as is). A failing disk is a
   * SpoolUnavailableError. The file is gone unless this resolves; then the caller must `remove`.
   */
  write(
    source: AsyncIterable<Buffer>,
    onChunk: (chunk: Buffer) => void,
    options?: WriteOptions,
  ): Promise<SpooledBody>;
  /** Bytes spooled right now, over all requests. */
  readonly spooledBytes: () => number;
  /**
   * Private spools only: the sweep of dead relays' private directories run at creation (and again
   * every 10 minutes while the spool is open); resolves to what it removed. Never rejects.
   */
  readonly swept: Promise<SweptDir[]>;
  /** Runs the sweep again now (what the timer does); resolves to what it removed. */
  sweep(): Promise<SweptDir[]>;
  /** Removes the spool directory when it was a private temporary one. */
  close(): Promise<void>;
}

/**
 * `dataDir`: a directory only this process uses (the SQLite relay's data directory is locked by
 * it): files go to `<dataDir>/spool`, and leftovers of a relay that was killed mid-upload are
 * swept on start. Without one, a private directory is made under os.tmpdir() and removed on close.
 * `maxBytes`: the most bytes spooled at once over all requests (so concurrent uploads cannot fill
 * the disk the store writes to); past it an upload is refused with SPOOL_BUSY.
 * `open`: how a file is opened (fs/promises' `open`); a test passes one whose writes fail the way a
 * full disk makes them fail, which no test can arrange for real without root.
 */
export function createSpool(options: {
  dataDir: string | null;
  maxBytes: number;
  open?: (path: string, flags: string, mode: number) => Promise<SpoolFile>;
  /** Where private directories go (os.tmpdir() unless set: tests give their own). */
  tmpDir?: string;
  /** Where the sweep of dead relays' private directories is logged (nowhere unless set). */
  log?: SpoolLog;
  /** How long a dead relay's private directory must be untouched before it is swept (tests shorten it). */
  leftoverAgeMs?: number;
}): Spool {
  const {
    dataDir,
    maxBytes,
    open = openFile,
    tmpDir = tmpdir(),
    log,
    leftoverAgeMs = LEFTOVER_AGE_MS,
  } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
    throw new RangeError(`the spool's maxBytes must be a positive integer, got ${maxBytes}`);
  let spooled = 0;
  /** Bytes held by the files of each share (SpoolShare.key). */
  const held = new Map<string, number>();
  const hold = (shares: readonly SpoolShare[], bytes: number) => {
    for (const { key } of shares) {
      const now = (held.get(key) ?? 0) + bytes;
      if (now > 0) held.set(key, now);
      else held.delete(key);
    }
  };
  let ready: Promise<string> | null = null;
  let privateDir: string | null = null;
  let ownerLock: DatabaseSync | null = null;

  const prepare = async (): Promise<string> => {
    if (dataDir) {
      const dir = join(dataDir, 'spool');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      // A relay killed mid-upload leaves its file behind: nobody else writes here.
      for (const name of await readdir(dir))
        if (name.startsWith(FILE_PREFIX)) await rm(join(dir, name), { force: true });
      return dir;
    }
    privateDir = await mkdtemp(join(tmpDir, PRIVATE_DIR_PREFIX));
    // Another relay sharing this tmp directory must see it is not a leftover: held until close,
    // or until the process dies. Without the lock (no node:sqlite lock on this file system) the
    // spool still works; the directory then counts as unlocked, swept only after a day unused.
    try {
      ownerLock = holdOwnerLock(privateDir);
    } catch (error) {
      log?.warn(
        { dir: privateDir, err: { message: String((error as Error)?.message ?? error) } },
        'spool: could not lock the private spool directory; another relay sweeps it only after a day unused',
      );
    }
    return privateDir;
  };
  const dir = () => {
    // Retried on the next upload when it failed (a directory made writable again).
    ready ??= prepare().catch((error: unknown) => {
      ready = null;
      throw unavailable(error);
    });
    return ready;
  };

  async function write(
    source: AsyncIterable<Buffer>,
    onChunk: (chunk: Buffer) => void,
    { shares = [], deadlineMs }: WriteOptions = {},
  ): Promise<SpooledBody> {
    const started = Date.now();
    let path = '';
    let handle: SpoolFile | undefined;
    for (let attempt = 1; !handle; attempt++) {
      path = join(await dir(), `${FILE_PREFIX}${randomBytes(16).toString('hex')}.csv`);
      try {
        handle = await open(path, 'wx+', 0o600);
      } catch (error) {
        // The directory is gone (a tmp cleaner such as systemd-tmpfiles removed it while the
        // relay was idle): made again, once.
        if ((error as { code?: unknown })?.code !== 'ENOENT' || attempt > 1)
          throw unavailable(error);
        releaseOwnerLock();
        ready = null;
      }
    }
    let bytes = 0;
    let removed: Promise<void> | null = null;
    const remove = () =>
      (removed ??= (async () => {
        spooled -= bytes;
        hold(shares, -bytes);
        await handle.close().catch(() => undefined);
        await rm(path, { force: true });
      })());
    // Leaving the loop early (a refusal) must not destroy a request stream, as for-await does: the
    // HTTP parser then stops reading the connection, and the answer's lingering close
    // (plugins/lingeringClose.ts) could not read the rest of the body before closing it.
    const chunks = (
      source instanceof Readable
        ? (source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>)
        : source
    )[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const deadline =
      deadlineMs === undefined
        ? null
        : new Promise<never>((_resolve, reject) => {
            timer = setTimeout(
              () =>
                reject(
                  new HttpError(
                    408,
                    'REQUEST_TIMEOUT',
                    `the request body was not received in time: a signed upload must arrive whole within ${Math.round(deadlineMs / 1000)} s (or send the admin token)`,
                  ),
                ),
              Math.max(0, started + deadlineMs - Date.now()),
            );
          });
    // Never left unhandled when the loop ends first.
    deadline?.catch(() => undefined);
    try {
      for (;;) {
        const next = await (deadline ? Promise.race([chunks.next(), deadline]) : chunks.next());
        if (next.done) break;
        const chunk = next.value;
        onChunk(chunk);
        if (spooled + chunk.length > maxBytes)
          throw new SpoolUnavailableError(
            'SPOOL_BUSY',
            'too many uploads are being checked at once; try again in a minute',
          );
        const full = shares.find(({ key, bytes }) => (held.get(key) ?? 0) + chunk.length > bytes);
        if (full) throw new SpoolUnavailableError('SPOOL_BUSY', full.busy);
        spooled += chunk.length;
        hold(shares, chunk.length);
        bytes += chunk.length;
        try {
          for (let at = 0; at < chunk.length;) {
            const { bytesWritten } = await handle.write(chunk, at, chunk.length - at);
            at += bytesWritten;
          }
        } catch (error) {
          throw unavailable(error);
        }
      }
    } catch (error) {
      // As for-await does on leaving early (a request stream is not destroyed: see above); not
      // awaited, since a read still pending when the deadline passed may never end.
      chunks.return?.().catch(() => undefined);
      await remove();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return {
      bytes,
      read: () => handle.createReadStream({ start: 0, autoClose: false }),
      remove,
    };
  }

  const releaseOwnerLock = () => {
    try {
      ownerLock?.close();
    } catch {
      // closed already
    }
    ownerLock = null;
  };

  const sweep = (): Promise<SweptDir[]> =>
    sweepLeftovers(tmpDir, () => privateDir, leftoverAgeMs, log).catch((error: unknown) => {
      log?.warn(
        { err: { message: String((error as Error)?.message ?? error) } },
        'spool: could not sweep the private spool directories of relays gone',
      );
      return [];
    });
  // A PostgreSQL relay's private directory is under the tmp directory other relays may share; a
  // relay killed mid-upload leaves its directory and file there, which nobody else removed.
  const swept = dataDir ? Promise.resolve([]) : sweep();
  let timer: NodeJS.Timeout | undefined;
  if (!dataDir) {
    timer = setInterval(() => void sweep(), leftoverAgeMs);
    timer.unref();
  }

  return {
    dir,
    write,
    spooledBytes: () => spooled,
    swept,
    sweep,
    close: async () => {
      clearInterval(timer);
      await swept;
      // The relay starts making the directory without waiting for it: closed before it exists,
      // the spool would find no privateDir yet, and the directory made after would outlive it,
      // locked until the process exits.
      await ready?.catch(() => undefined);
      releaseOwnerLock();
      if (privateDir) await rm(privateDir, { recursive: true, force: true });
    },
  };
}

/** Takes the private directory's owner lock for this process (see OWNER_LOCK). */
function holdOwnerLock(dir: string): DatabaseSync {
  return holdProcessLock(join(dir, OWNER_LOCK));
}

/**
 * Whether the relay that made `dir` is gone: 'gone' with what its lock says of it when nobody holds
 * the lock, 'held' when a live process does, 'none' when the directory has no lock.
 */
function ownerOf(
  dir: string,
): { state: 'gone'; pid: number; since: string } | { state: 'held' | 'none' } {
  const { DatabaseSync } = loadSqlite();
  const path = join(dir, OWNER_LOCK);
  let lock: DatabaseSync;
  try {
    // Only asked where the file exists.
    lock = new DatabaseSync(path, { timeout: 0 });
  } catch {
    return { state: 'none' };
  }
  try {
    // Fails (SQLITE_BUSY) while its owner holds its exclusive lock.
    lock.exec('BEGIN IMMEDIATE');
    const row = lock.prepare('SELECT pid, since FROM holder LIMIT 1').get() as
      { pid: number; since: string } | undefined;
    lock.exec('ROLLBACK');
    return { state: 'gone', pid: Number(row?.pid ?? 0), since: String(row?.since ?? '') };
  } catch {
    return { state: 'held' };
  } finally {
    lock.close();
  }
}

/**
 * Removes the private spool directories (PRIVATE_DIR_PREFIX) under `tmpDir` of relays gone: owned
 * by this user, not this relay's, untouched (the directory and every file in it) for `ageMs`, and
 * with an owner lock nobody holds (or, with none, untouched for a day). A live relay's directory
 * is never removed however old: it holds its lock.
 */
async function sweepLeftovers(
  tmpDir: string,
  own: () => string | null,
  ageMs: number,
  log: SpoolLog | undefined,
): Promise<SweptDir[]> {
  const uid = process.getuid?.();
  const removed: SweptDir[] = [];
  for (const name of await readdir(tmpDir)) {
    if (!name.startsWith(PRIVATE_DIR_PREFIX)) continue;
    const dir = join(tmpDir, name);
    if (dir === own()) continue;
    try {
      const stat = await lstat(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      let newest = stat.mtimeMs;
      let bytes = 0;
      let files = 0;
      let hasLock = false;
      for (const entry of await readdir(dir)) {
        const entryStat = await lstat(join(dir, entry));
        newest = Math.max(newest, entryStat.mtimeMs);
        if (entry === OWNER_LOCK) hasLock = true;
        if (entry.startsWith(FILE_PREFIX)) {
          files++;
          bytes += entryStat.size;
        }
      }
      const untouched = Date.now() - newest;
      if (untouched < ageMs) continue;
      const owner = hasLock ? ownerOf(dir) : { state: 'none' as const };
      if (owner.state === 'held') continue;
      if (owner.state === 'none' && untouched < Math.max(ageMs, UNLOCKED_LEFTOVER_AGE_MS)) continue;
      await rm(dir, { recursive: true, force: true });
      const swept: SweptDir = {
        dir,
        files,
        bytes,
        owner: owner.state === 'gone' ? { pid: owner.pid, since: owner.since } : null,
        untouchedMinutes: Math.floor(untouched / 60_000),
      };
      removed.push(swept);
      log?.info(
        swept,
        `spool: removed the private spool directory of a relay gone (${files} upload file${files === 1 ? '' : 's'}, ${bytes} bytes, untouched ${swept.untouchedMinutes} min)`,
      );
    } catch (error) {
      // Removed meanwhile by another relay's sweep, or not ours to read: left as it is.
      if ((error as { code?: unknown })?.code === 'ENOENT') continue;
      log?.warn(
        { dir, err: { message: String((error as Error)?.message ?? error) } },
        'spool: could not sweep a private spool directory',
      );
    }
  }
  return removed;
}

function unavailable(error: unknown): SpoolUnavailableError {
  const code = (error as { code?: unknown })?.code;
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'its disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'its spool directory is not writable'
        : 'it cannot write to its spool directory';
  return new SpoolUnavailableError(
    'SPOOL_UNAVAILABLE',
    `the relay cannot hold the upload while it checks the signature: ${why}; try again later, or send the admin token`,
    error,
  );
}
