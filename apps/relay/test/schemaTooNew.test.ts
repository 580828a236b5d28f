import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import { openPostgres, postgresMigrationLock } from '../src/store/postgres.js';
import { openSqlite } from '../src/store/sqlite.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { OLDER_SCHEMA_STORES } from './olderSchema.js';
import { POSTGRES_URL, postgresSchema, tempDir } from './helpers.js';

// A rollback: a newer relay migrated the store, then this (older) one is started on it. It does
// not know the newer migrations, so what it writes may break what they set up (migration 7, for
// one, changed the key `ON CONFLICT` names: a relay before it fails every signal on a store
// after it). It must refuse at start, saying which versions, not start and look healthy.
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

describe.each(OLDER_SCHEMA_STORES)('a %s store migrated by a newer relay', (_kind, make) => {
  it('is refused at start with both schema versions named, and left as it is', async () => {
    const store = await make();
    try {
      const raw = await store.openRaw();
      await migrate(raw, store.lock);
      await raw.execute(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [LATEST + 1, 'from a newer relay', Date.now()],
      );
      await raw.close();

      const error = await store.openStore().then(
        async (opened) => {
          await opened.close();
          return null;
        },
        (e: unknown) => e as Error,
      );
      expect(error?.message).toContain(`schema version ${LATEST + 1}`);
      expect(error?.message).toContain(`knows up to ${LATEST}`);

      // Left untouched: the newer relay it belongs to still opens it.
      const again = await store.openRaw();
      const versions = await again.query<{ version: unknown }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      await again.close();
      expect(versions.map((row) => Number(row.version))).toEqual([
        ...MIGRATIONS.map((m) => m.version),
        LATEST + 1,
      ]);
    } finally {
      await store.cleanup();
    }
  });
});

// Exit 2, as a configuration error: restarting the same relay on the same store cannot fix it
// (systemd's RestartPreventExitStatus=2 stops instead of restarting it every 5 s for good).
test.each(['sqlite', 'postgres'])(
  'the binary says so in one line and exits 2 (%s)',
  async (kind) => {
    assertBuilt();
    const dir = tempDir();
    const pg = kind === 'postgres' ? await postgresSchema() : null;
    try {
      const raw = pg ? await openPostgres(POSTGRES_URL, pg.schema) : openSqlite(dir.path);
      await migrate(raw, pg ? postgresMigrationLock : undefined);
      await raw.execute(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [LATEST + 1, 'from a newer relay', Date.now()],
      );
      await raw.close();
      // The store was made here without a secret.key, which the relay now refuses before
      // anything else (exit 2); the key given keeps this test on the schema check.
      const run = runRelayBin(
        {
          RELAY_DATA_DIR: dir.path,
          PORT: '0',
          RELAY_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
          ...(pg ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: pg.schema } : {}),
        },
        { timeout: 30_000 },
      );
      expect(run.status).toBe(2);
      const stderr = run.stderr.trim().split('\n');
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toContain(`schema version ${LATEST + 1}`);
    } finally {
      dir.remove();
      await pg?.drop();
    }
  },
);
