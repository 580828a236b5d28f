import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
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

  test('one that already exists keeps the mode its owner gave it', async () => {
    const dataDir = join(dir.path, 'given');
    mkdirSync(dataDir, { mode: 0o750 });
    chmodSync(dataDir, 0o750);
    expect(await modeOnceReady(dataDir)).toBe(0o750);
  });
});
