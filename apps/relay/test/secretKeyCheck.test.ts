import { randomBytes } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { POSTGRES_URL, createPortal, postgresSchema, tempDir, testConfig } from './helpers.js';

// A store opened with another key than the one that sealed its secrets would fail every signed
// webhook and every delivery, one 500 at a time; the relay refuses to start instead, in one line.
describe('a secret key that does not open the store', () => {
  test('stops a relay on a SQLite directory restored with another secret.key, in one line, exit 2', async () => {
    assertBuilt();
    const original = tempDir();
    const restored = tempDir();
    try {
      const app = await buildApp(
        testConfig(original.path, { secretKey: Buffer.from(randomBytes(32)) }),
      );
      await createPortal(app, '6060');
      await app.close();
      copyFileSync(join(original.path, 'relay.sqlite'), join(restored.path, 'relay.sqlite'));
      // The wrong key file restored beside it (one without any is a configuration error:
      // secretKeyMissing.test.ts).
      writeFileSync(join(restored.path, 'secret.key'), randomBytes(32).toString('base64') + '\n');
      // A relay that starts anyway is stopped hard: it must not outlive the test.
      const run = runRelayBin(
        { PORT: '0', RELAY_DATA_DIR: restored.path },
        { killSignal: 'SIGKILL' },
      );
      // 2, as a configuration error: systemd (RestartPreventExitStatus=2) does not restart it
      // every 5 s for good, since only another key (or the right secret.key) can fix it.
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /^sync-doctor-relay failed to start: the secret key does not open the secrets in the store \(portal 6060's signing secret\).*secret\.key.*\n$/,
      );
      expect(run.stderr).not.toContain('    at ');
    } finally {
      original.remove();
      restored.remove();
    }
  });

  test('stops an instance started with another RELAY_SECRET_KEY than its PostgreSQL peers', async () => {
    const { schema, drop } = await postgresSchema();
    const dir = tempDir();
    const shared = { databaseUrl: POSTGRES_URL, databaseSchema: schema };
    try {
      const key = randomBytes(32);
      const keyed = await buildApp(testConfig(dir.path, { ...shared, secretKey: key }));
      await createPortal(keyed, '7071');
      await keyed.close();
      // An app that starts anyway is closed, so its connections cannot hold the schema's drop.
      const attempt = await buildApp(
        testConfig(dir.path, { ...shared, secretKey: randomBytes(32) }),
      ).then(
        async (app) => {
          await app.close();
          return 'started';
        },
        (error: unknown) => error,
      );
      expect(attempt).toMatchObject({ code: 'SECRET_KEY_MISMATCH' });
      // The key the store was written with opens it.
      const again = await buildApp(testConfig(dir.path, { ...shared, secretKey: key }));
      await again.close();
    } finally {
      dir.remove();
      await drop();
    }
  });
});
