import type { SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseUnavailableError } from '../src/store/index.js';
import { SchemaTooNewError } from '../src/store/migrations.js';
import { DataDirInUseError } from '../src/store/sqlite.js';
import { startExitCode } from '../src/startErrors.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { tempDir } from './helpers.js';

// A start that fails the same way until someone changes a setting, the key, the data directory's
// owner or the relay's version exits 2, like a malformed setting: the systemd unit
// (RestartPreventExitStatus=2) stops and shows the one line, instead of restarting the relay every
// 5 s for good. What may pass by itself (the database not up yet, the port still held by a relay
// that is stopping) exits 1 and is retried: configErrors.test.ts, store.singleProcess.test.ts.

const KEY = Buffer.alloc(32, 5).toString('base64');

/** Run as a user without root's rights (nobody) when the tests run as root, who may write anywhere. */
const unprivileged: Pick<SpawnSyncOptions, 'uid' | 'gid'> =
  process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function start(env: Record<string, string>, options: Pick<SpawnSyncOptions, 'uid' | 'gid'> = {}) {
  assertBuilt();
  // A relay that starts anyway is stopped hard: it must not outlive the test. Its TMPDIR is its own
  // (its user's), removed after it.
  return runRelayBin(
    { HOST: '127.0.0.1', PORT: '0', ...env },
    { killSignal: 'SIGKILL', ...options },
  );
}

describe('a data directory the relay cannot use', () => {
  const dir = tempDir();
  beforeAll(() => chmodSync(dir.path, 0o755));
  afterAll(() => dir.remove());

  test.each([
    ['generated into it (no RELAY_SECRET_KEY)', {}],
    ['given in RELAY_SECRET_KEY', { RELAY_SECRET_KEY: KEY }],
  ])('a file in its place, with the key %s: one line naming RELAY_DATA_DIR, exit 2', (_, env) => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'not a directory\n');
    for (const dataDir of [file, join(file, 'data')]) {
      const run = start({ RELAY_DATA_DIR: dataDir, ...env });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        new RegExp(
          `^sync-doctor-relay failed to start: the data directory ${dataDir} \\(RELAY_DATA_DIR\\) cannot be used: E(EXIST|NOTDIR)[^\\n]*\\n$`,
        ),
      );
    }
  });

  test.each([
    ['generated into it (no RELAY_SECRET_KEY)', {}],
    ['given in RELAY_SECRET_KEY', { RELAY_SECRET_KEY: KEY }],
  ])('one its user may not write, with the key %s: one line, exit 2', (_, env) => {
    const readOnly = join(dir.path, `read-only-${Object.keys(env).length}`);
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    for (const dataDir of [readOnly, join(readOnly, 'data')]) {
      const run = start({ RELAY_DATA_DIR: dataDir, ...env }, unprivileged);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        new RegExp(
          `^sync-doctor-relay failed to start: the data directory ${dataDir} \\(RELAY_DATA_DIR\\) cannot be used: [^\\n]*the relay's user \\(uid \\d+\\)[^\\n]*\\n$`,
        ),
      );
    }
  });
});

test('a port below the unprivileged ones, without the right to it: one line naming PORT, exit 2', () => {
  const dir = tempDir();
  try {
    chmodSync(dir.path, 0o777);
    const firstUnprivileged = Number(
      readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim(),
    );
    // This test needs a port the relay's user may not bind (Linux's default makes it 1-1023).
    expect(firstUnprivileged).toBeGreaterThan(1);
    const port = String(firstUnprivileged - 1);
    const run = start({ RELAY_DATA_DIR: join(dir.path, 'data'), PORT: port }, unprivileged);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `sync-doctor-relay failed to start: cannot listen on 127.0.0.1:${port} (HOST, PORT): listen EACCES: permission denied 127.0.0.1:${port}\n`,
    );
  } finally {
    dir.remove();
  }
});

describe('startExitCode', () => {
  test('2 for what only configuration fixes, on PostgreSQL too; 1 for what may pass and for bugs', () => {
    const mismatch = Object.assign(new Error('the secret key does not open'), {
      code: 'SECRET_KEY_MISMATCH',
    });
    const tooNew = new SchemaTooNewError(99, 20);
    const url = 'postgres://relay:pw@db/relay';
    expect(startExitCode(mismatch)).toBe(2);
    expect(startExitCode(tooNew)).toBe(2);
    // createStore names the database around it (DATABASE_UNAVAILABLE): still not worth a retry.
    expect(startExitCode(new DatabaseUnavailableError(url, tooNew))).toBe(2);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(startExitCode(new DatabaseUnavailableError(url, refused))).toBe(1);
    expect(startExitCode(new DataDirInUseError('/var/lib/relay'))).toBe(1);
    expect(startExitCode(Object.assign(new Error('in use'), { code: 'EADDRINUSE' }))).toBe(1);
    expect(startExitCode(new TypeError('a bug'))).toBe(1);
    expect(startExitCode(undefined)).toBe(1);
  });
});
