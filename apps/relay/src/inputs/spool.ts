import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { chmod, mkdir, mkdtemp, open as openFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HttpError } from '../errors.js';

/**
 * Temporary files for request bodies that must be read in full before they are trusted (a signed
 * upload: its HMAC covers the whole body, and nothing of it is parsed before that matches).
 * Each body gets its own file, named with 128 random bits, created exclusively (`wx+`, never
 * through an existing file or link) with mode 0600 in a 0700 directory, and removed when the
 * request ends whatever its outcome.
 */

const FILE_PREFIX = 'upload-';

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
}): Spool {
  const { dataDir, maxBytes, open = openFile } = options;
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
    privateDir = await mkdtemp(join(tmpdir(), 'sync-doctor-spool-'));
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
    const path = join(await dir(), `${FILE_PREFIX}${randomBytes(16).toString('hex')}.csv`);
    let handle: SpoolFile;
    try {
      handle = await open(path, 'wx+', 0o600);
    } catch (error) {
      throw unavailable(error);
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

  return {
    dir,
    write,
    spooledBytes: () => spooled,
    close: async () => {
      if (privateDir) await rm(privateDir, { recursive: true, force: true });
    },
  };
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
