import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openSqlite } from '../src/store/sqlite.js';
import { tempDir, testConfig } from './helpers.js';

// The data directory holds the store (kept e-mails, sync-error reports, every portal's history),
// and, with SQLite and no RELAY_SECRET_KEY, the key to its secrets. Created with the default
// umask it was 0755, and relay.sqlite in it 0644: readable by every local user wherever the relay
// ran outside the systemd unit (whose UMask is 0077). A directory the relay creates is now its own.
describe('a data directory the relay creates', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const mode = (path: string) => statSync(path).mode & 0o777;
  /** The mode of `dataDir` once a relay built on it is ready (closed after). */
  const modeOnceReady = async (dataDir: string): Promise<number> => {
    const app = await buildApp(testConfig(dataDir));
    try {
      await app.ready();
      return mode(dataDir);
    } finally {
      await app.close();
    }
  };

  test('for its generated secret.key is readable by the relay only', () => {
    const dataDir = join(dir.path, 'keyed', 'data');
    loadConfig({ RELAY_DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe(0o700);
  });

  test('for its SQLite store is readable by the relay only', async () => {
    const dataDir = join(dir.path, 'store', 'data');
    expect(await modeOnceReady(dataDir)).toBe(0o700);
  });

  // Made private at every start, not only when created: under umask 022 a directory made by
  // hand (or by an older relay, or a volume mount) was 0755 and SQLite made relay.sqlite, -wal and
  // -shm 0644 in it, readable by every local user.
  test('one that already exists is made 0700, and the store files in it 0600, at start', async () => {
    const dataDir = join(dir.path, 'given');
    const umask = process.umask(0o022);
    try {
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      writeFileSync(join(dataDir, 'secret.key'), 'not read: the test passes its key\n', {
        mode: 0o644,
      });
      const app = await buildApp(testConfig(dataDir));
      try {
        await app.ready();
        // Written to, so -wal and -shm are there.
        await app.store.schemaVersion();
        expect(mode(dataDir)).toBe(0o700);
        const files = readdirSync(dataDir).filter((name) => statSync(join(dataDir, name)).isFile());
        expect(files).toEqual(
          expect.arrayContaining([
            'relay.sqlite',
            'relay.sqlite-wal',
            'relay.sqlite-shm',
            'relay.lock',
            'secret.key',
          ]),
        );
        expect(Object.fromEntries(files.map((name) => [name, mode(join(dataDir, name))]))).toEqual(
          Object.fromEntries(files.map((name) => [name, 0o600])),
        );
      } finally {
        await app.close();
      }
      // Files an earlier relay (or a restore) left readable are tightened on the next start.
      chmodSync(dataDir, 0o755);
      for (const name of ['relay.sqlite', 'relay.lock']) chmodSync(join(dataDir, name), 0o644);
      const told: string[] = [];
      const db = openSqlite(dataDir, 'relay.sqlite', {
        info: (message) => told.push(message),
        warn: (message) => told.push(`WARN ${message}`),
      });
      await db.close();
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'relay.sqlite'))).toBe(0o600);
      expect(mode(join(dataDir, 'relay.lock'))).toBe(0o600);
      expect(told).toEqual([
        `made ${dataDir} private: mode 0700 instead of 0755`,
        `made ${join(dataDir, 'relay.sqlite')} private: mode 0600 instead of 0644`,
        `made ${join(dataDir, 'relay.lock')} private: mode 0600 instead of 0644`,
      ]);
    } finally {
      process.umask(umask);
    }
  });

  // Another user's files (a directory shared with a backup job, say) are not the relay's to
  // change: it says what it found and leaves them. The relay is made to run as another uid here,
  // so the branch is tested whoever runs the suite.
  test('files another user owns are left as they are, with a warning naming the owner', async () => {
    const dataDir = join(dir.path, 'theirs');
    const made = openSqlite(dataDir, 'relay.sqlite');
    await made.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'relay.sqlite'), 0o644);
    const owner = statSync(dataDir).uid;
    const relayUid = owner + 1;
    const getuid = jest.spyOn(process, 'getuid').mockReturnValue(relayUid);
    const warned: string[] = [];
    try {
      const db = openSqlite(dataDir, 'relay.sqlite', {
        info: (message) => warned.push(`INFO ${message}`),
        warn: (message) => warned.push(message),
      });
      await db.close();
    } finally {
      getuid.mockRestore();
    }
    expect(mode(dataDir)).toBe(0o755);
    expect(mode(join(dataDir, 'relay.sqlite'))).toBe(0o644);
    const notOurs = (path: string, was: string, wanted: string) =>
      `${path} is readable by other users (mode ${was}) and owned by uid ${owner}, not the ` +
      `relay's (${relayUid}): left as it is; make it ${wanted} (it holds portal histories and ` +
      `sealed secrets)`;
    // The -wal and -shm are the ones SQLite made with the store's mode. Each is said once: the
    // look after SQLite opens the store skips what the look before it saw. Nothing is made
    // private, so no info line.
    expect(warned).toEqual([
      notOurs(dataDir, '0755', '0700'),
      ...['relay.sqlite', 'relay.sqlite-wal', 'relay.sqlite-shm'].map((name) =>
        notOurs(join(dataDir, name), '0644', '0600'),
      ),
    ]);
  });
});
