import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createSpool, PRIVATE_DIR_PREFIX, type Spool, type SpoolLog } from '../src/inputs/spool.js';
import { tempDir } from './helpers.js';

// A relay without a data directory (PostgreSQL) spools signed uploads in a private directory
// under os.tmpdir(). The reviewer SIGKILLed one mid-upload: its directory and 2 MB file outlived
// it, and no relay ever removed them. Several relays may share the tmp directory, so a sweep must
// tell a dead relay's directory from a live one's however idle: each relay holds a lock in its own
// directory for as long as it runs, and a directory is swept only when nobody holds its lock and
// nothing in it changed for the 10-minute upload limit (a day, without a lock).

const MINUTE = 60_000;

/** What a relay holds in its private directory, taken by another process (not this one). */
const HOLDER = `
const { DatabaseSync } = require('node:sqlite');
const lock = new DatabaseSync(process.argv[1] + '/owner.lock', { timeout: 0 });
lock.exec('PRAGMA locking_mode = EXCLUSIVE');
lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
lock.exec('BEGIN IMMEDIATE');
lock.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
lock.exec('COMMIT');
require('node:fs').writeFileSync(process.argv[1] + '/upload-' + 'a'.repeat(32) + '.csv', Buffer.alloc(2000, 'x'));
process.stdout.write('holding\\n');
setInterval(() => {}, 1000);
`;

describe('the private spool directories of relays gone', () => {
  const tmp = tempDir();
  const logged: { level: string; object: Record<string, unknown>; message: string }[] = [];
  const log: SpoolLog = {
    info: (object, message) => logged.push({ level: 'info', object: object as never, message }),
    warn: (object, message) => logged.push({ level: 'warn', object: object as never, message }),
  };
  const spools: Spool[] = [];
  const children: ChildProcess[] = [];
  const spool = () => {
    const made = createSpool({ dataDir: null, maxBytes: 1 << 20, tmpDir: tmp.path, log });
    spools.push(made);
    return made;
  };
  /** Sets the directory and everything in it to `minutes` ago. */
  const age = (dir: string, minutes: number) => {
    const then = new Date(Date.now() - minutes * MINUTE);
    for (const name of readdirSync(dir)) utimesSync(join(dir, name), then, then);
    utimesSync(dir, then, then);
  };
  /** A directory another process holds, as a live relay does; resolves once it holds it. */
  const heldByAnotherProcess = async (dir: string): Promise<ChildProcess> => {
    mkdirSync(dir);
    const child = spawn(process.execPath, ['-e', HOLDER, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    return child;
  };
  const dirOf = (name: string) => join(tmp.path, `${PRIVATE_DIR_PREFIX}${name}`);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const made of spools) await made.close();
    tmp.remove();
  });

  it("removes a dead relay's directory at start, and logs what it removed", async () => {
    const live = await heldByAnotherProcess(dirOf('killed'));
    age(dirOf('killed'), 11);
    // The relay is killed mid-upload: its lock goes with it, its directory and file stay.
    live.kill('SIGKILL');
    await new Promise((resolve) => live.once('exit', resolve));
    expect(existsSync(dirOf('killed'))).toBe(true);
    age(dirOf('killed'), 11);

    const swept = await spool().swept;
    expect(existsSync(dirOf('killed'))).toBe(false);
    expect(swept).toEqual([
      {
        dir: dirOf('killed'),
        files: 1,
        bytes: 2000,
        owner: { pid: live.pid, since: expect.any(String) },
        untouchedMinutes: 11,
      },
    ]);
    expect(logged).toContainEqual({
      level: 'info',
      object: swept[0],
      message:
        'spool: removed the private spool directory of a relay gone (1 upload file, 2000 bytes, untouched 11 min)',
    });
  });

  it("never removes a live relay's directory, however long it has been idle", async () => {
    // Another process's relay.
    await heldByAnotherProcess(dirOf('other-process'));
    age(dirOf('other-process'), 60 * 48);
    // One in this process, idle for two days.
    const idle = spool();
    const idleDir = await idle.dir();
    await idle.swept;
    writeFileSync(join(idleDir, 'upload-0.csv'), 'a,b\r\n');
    age(idleDir, 60 * 48);

    expect(await spool().sweep()).toEqual([]);
    expect(existsSync(dirOf('other-process'))).toBe(true);
    expect(existsSync(idleDir)).toBe(true);
    // ...which still takes uploads.
    const body = await idle.write(Readable.from([Buffer.from('x,y\r\n')]), () => undefined);
    expect(body.bytes).toBe(5);
    await body.remove();
  });

  it('leaves a directory whose owner is gone until it is untouched for the upload limit', async () => {
    const child = await heldByAnotherProcess(dirOf('just-killed'));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    age(dirOf('just-killed'), 9);
    expect(await spool().sweep()).toEqual([]);
    expect(existsSync(dirOf('just-killed'))).toBe(true);
    age(dirOf('just-killed'), 10);
    expect((await spool().sweep()).map((swept) => swept.dir)).toEqual([dirOf('just-killed')]);
  });

  it('gives a directory without a lock (a relay before the lock) a day', async () => {
    mkdirSync(dirOf('unlocked'));
    writeFileSync(join(dirOf('unlocked'), 'upload-1.csv'), 'a,b\r\n');
    age(dirOf('unlocked'), 60 * 23);
    expect(await spool().sweep()).toEqual([]);
    age(dirOf('unlocked'), 60 * 25);
    expect(await spool().sweep()).toEqual([
      expect.objectContaining({ dir: dirOf('unlocked'), files: 1, bytes: 5, owner: null }),
    ]);
  });

  it('touches nothing else in the tmp directory', async () => {
    mkdirSync(join(tmp.path, 'sync-doctor-other'));
    writeFileSync(join(tmp.path, `${PRIVATE_DIR_PREFIX}file`), 'not a directory');
    age(tmp.path, 60 * 48);
    await spool().sweep();
    expect(existsSync(join(tmp.path, 'sync-doctor-other'))).toBe(true);
    expect(existsSync(join(tmp.path, `${PRIVATE_DIR_PREFIX}file`))).toBe(true);
  });

  it('makes its directory again when a tmp cleaner removed it', async () => {
    const made = spool();
    const first = await made.dir();
    rmSync(first, { recursive: true, force: true });
    const body = await made.write(Readable.from([Buffer.from('x,y\r\n')]), () => undefined);
    expect(body.bytes).toBe(5);
    await body.remove();
    const again = await made.dir();
    expect(again).not.toBe(first);
    expect(readdirSync(again)).toContain('owner.lock');
  });
});
