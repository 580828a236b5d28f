import type { SqlDb } from '../src/store/sqlDb.js';
import { createStore } from '../src/store/index.js';
import { MIGRATIONS, migrate, SchemaTooNewError } from '../src/store/migrations.js';
import { openPostgres, postgresMigrationLock } from '../src/store/postgres.js';
import { openSqlite } from '../src/store/sqlite.js';
import { SqlRelayStore } from '../src/store/sqlStore.js';
import { POSTGRES_URL, postgresSchema, tempDir } from './helpers.js';

/** One store of either kind, to be migrated by hand to an older schema and then opened as today. */
interface OlderSchemaStore extends OlderSchemaPlace {
  /** The raw database as a relay of schema `version` left it: every migration up to it run. */
  openAt: (version: number) => Promise<SqlDb>;
  /** A relay that knows up to `version` does not start on the store (SchemaTooNewError), and leaves it. */
  expectRefusedBy: (version: number) => Promise<void>;
}

interface OlderSchemaPlace {
  /** The raw database, for `migrate(db, lock, MIGRATIONS.filter(...))` to an older version. */
  openRaw: () => Promise<SqlDb>;
  /** PostgreSQL's migration lock (SQLite needs none). */
  lock?: (tx: SqlDb) => Promise<void>;
  /** The same database opened as the relay opens it now (every migration run). */
  openStore: () => ReturnType<typeof createStore>;
  cleanup: () => Promise<void>;
}

/** What every migration test does with its place: migrate it to an older version, or try to. */
function older(place: OlderSchemaPlace): OlderSchemaStore {
  const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);
  return {
    ...place,
    openAt: async (version) => {
      const db = await place.openRaw();
      expect(await migrate(db, place.lock, upTo(version))).toBe(version);
      return db;
    },
    expectRefusedBy: async (version) => {
      const db = await place.openRaw();
      try {
        await expect(migrate(db, place.lock, upTo(version))).rejects.toBeInstanceOf(
          SchemaTooNewError,
        );
      } finally {
        await db.close();
      }
    },
  };
}

/** A portal as an older relay stored it: no Salesforce connection, placeholder secret and hash. */
export async function createOldPortal(db: SqlDb, id: string): Promise<void> {
  await new SqlRelayStore(db).createPortal({
    id,
    name: null,
    signingSecretSealed: 's',
    inboundTokenHash: `h-${id}`,
    salesforceSealed: null,
  });
}

/** For describe.each: a migration test runs on both stores, each in a place of its own. */
export const OLDER_SCHEMA_STORES: [string, () => Promise<OlderSchemaStore>][] = [
  [
    'sqlite',
    async () => {
      const dir = tempDir();
      return older({
        openRaw: async () => openSqlite(dir.path),
        openStore: () => createStore({ dataDir: dir.path }),
        cleanup: async () => dir.remove(),
      });
    },
  ],
  [
    'postgres',
    async () => {
      // A schema of its own (relay_test_<pid>_<random>), dropped after: parallel runs do not meet.
      const { schema, drop } = await postgresSchema();
      return older({
        openRaw: () => openPostgres(POSTGRES_URL, schema),
        lock: postgresMigrationLock,
        openStore: () =>
          createStore({
            dataDir: '/nonexistent',
            databaseUrl: POSTGRES_URL,
            databaseSchema: schema,
          }),
        cleanup: drop,
      });
    },
  ],
];
