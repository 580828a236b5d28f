import type { SqlDb } from '../src/store/sqlDb.js';
import { createStore } from '../src/store/index.js';
import { openPostgres, postgresMigrationLock } from '../src/store/postgres.js';
import { openSqlite } from '../src/store/sqlite.js';
import { POSTGRES_URL, postgresSchema, tempDir } from './helpers.js';

/** One store of either kind, to be migrated by hand to an older schema and then opened as today. */
interface OlderSchemaStore {
  /** The raw database, for `migrate(db, lock, MIGRATIONS.filter(...))` to an older version. */
  openRaw: () => Promise<SqlDb>;
  /** PostgreSQL's migration lock (SQLite needs none). */
  lock?: (tx: SqlDb) => Promise<void>;
  /** The same database opened as the relay opens it now (every migration run). */
  openStore: () => ReturnType<typeof createStore>;
  cleanup: () => Promise<void>;
}

/** For describe.each: a migration test runs on both stores, each in a place of its own. */
export const OLDER_SCHEMA_STORES: [string, () => Promise<OlderSchemaStore>][] = [
  [
    'sqlite',
    async () => {
      const dir = tempDir();
      return {
        openRaw: async () => openSqlite(dir.path),
        openStore: () => createStore({ dataDir: dir.path }),
        cleanup: async () => dir.remove(),
      };
    },
  ],
  [
    'postgres',
    async () => {
      // A schema of its own (relay_test_<pid>_<random>), dropped after: parallel runs do not meet.
      const { schema, drop } = await postgresSchema();
      return {
        openRaw: () => openPostgres(POSTGRES_URL, schema),
        lock: postgresMigrationLock,
        openStore: () =>
          createStore({
            dataDir: '/nonexistent',
            databaseUrl: POSTGRES_URL,
            databaseSchema: schema,
          }),
        cleanup: drop,
      };
    },
  ],
];
