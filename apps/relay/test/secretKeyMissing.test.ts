import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { createPortal, tempDir, testConfig } from './helpers.js';

/**
 * A SQLite data directory whose store was written with `key` (given as RELAY_SECRET_KEY would be,
 * so no secret.key is beside it): what a restore of the database file alone leaves, or a store
 * written with a RELAY_SECRET_KEY that is now unset.
 */
async function storeWithoutKeyFile(key: Buffer, portal?: string) {
  const dir = tempDir();
  const app = await buildApp(testConfig(dir.path, { secretKey: key }));
  if (portal) await createPortal(app, portal);
  await app.close();
  expect(existsSync(join(dir.path, 'relay.sqlite'))).toBe(true);
  expect(existsSync(join(dir.path, 'secret.key'))).toBe(false);
  return dir;
}

// With SQLite and no RELAY_SECRET_KEY, the key is generated into a data directory that has none.
// Next to a store, a new key opens none of its secrets: it is refused, and nothing is written.
describe('a SQLite store without its secret.key', () => {
  const refusal = (dataDir: string): string => {
    try {
      loadConfig({ RELAY_DATA_DIR: dataDir });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`a key was accepted for ${dataDir}`);
  };

  test.each([
    ['with a portal', '8080'],
    // Without portals the start-up key check has nothing to open: the store would adopt the new key.
    ['without portals yet', undefined],
  ])(
    '%s is a configuration error saying what to restore, and no key is generated',
    async (_, portal) => {
      const key = randomBytes(32);
      const dir = await storeWithoutKeyFile(key, portal);
      try {
        const message = refusal(dir.path);
        expect(message).toContain(
          `${dir.path} holds a relay store (relay.sqlite) but no secret.key`,
        );
        expect(message).toContain('restore the secret.key that was beside the store');
        expect(message).toContain('sync-doctor-relay backup copies both');
        expect(message).toContain('set RELAY_SECRET_KEY to the key the store was written with');
        expect(message).not.toContain('\n');
        expect(existsSync(join(dir.path, 'secret.key'))).toBe(false);

        // Either remedy starts it with the key it was written with.
        expect(
          loadConfig({ RELAY_DATA_DIR: dir.path, RELAY_SECRET_KEY: key.toString('base64') })
            .secretKey,
        ).toEqual(key);
        expect(existsSync(join(dir.path, 'secret.key'))).toBe(false);
        writeFileSync(join(dir.path, 'secret.key'), key.toString('base64') + '\n', { mode: 0o600 });
        expect(loadConfig({ RELAY_DATA_DIR: dir.path }).secretKey).toEqual(key);
      } finally {
        dir.remove();
      }
    },
  );

  test('a new data directory still gets a generated key, kept across starts', () => {
    const dir = tempDir();
    try {
      const first = loadConfig({ RELAY_DATA_DIR: join(dir.path, 'new') }).secretKey;
      expect(first).toHaveLength(32);
      expect(readFileSync(join(dir.path, 'new', 'secret.key'), 'utf8').trim()).toBe(
        first.toString('base64'),
      );
      expect(loadConfig({ RELAY_DATA_DIR: join(dir.path, 'new') }).secretKey).toEqual(first);
    } finally {
      dir.remove();
    }
  });

  test('the binary refuses it in one line with exit 2 (not restarted by systemd), writing no key', async () => {
    assertBuilt();
    const dir = await storeWithoutKeyFile(randomBytes(32), '8081');
    try {
      // A relay that starts anyway is stopped hard: it must not outlive the test.
      const run = runRelayBin({ PORT: '0', RELAY_DATA_DIR: dir.path }, { killSignal: 'SIGKILL' });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /^configuration error: .* holds a relay store \(relay\.sqlite\) but no secret\.key[^\n]*RELAY_SECRET_KEY[^\n]*\n$/,
      );
      expect(run.stdout).toBe('');
      expect(existsSync(join(dir.path, 'secret.key'))).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
