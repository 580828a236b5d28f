import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import type { SqlDb } from '../src/store/sqlDb.js';
import { assertBuilt, runRelayBin, startChildRelay } from './childRelay.js';
import { ADMIN_TOKEN, POSTGRES_URL, postgresSchema, tempDir } from './helpers.js';
import { OLDER_SCHEMA_STORES } from './olderSchema.js';

// `sync-doctor-relay migrations`: before an upgrade, the operator learns whether starting the new
// build migrates the store (after which older relays refuse it, so a rollback needs a backup).
// The command must read the store as it is, on both kinds, and change nothing in it.
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
const OLDER = LATEST - 2;

const storeVersions = async (db: SqlDb): Promise<number[]> =>
  (
    await db.query<{ version: unknown }>('SELECT version FROM schema_migrations ORDER BY version')
  ).map((row) => Number(row.version));

beforeAll(assertBuilt);

describe.each(OLDER_SCHEMA_STORES)('migrations on a %s store', (kind, make) => {
  let store: Awaited<ReturnType<typeof make>>;
  let env: Record<string, string> = {};
  beforeEach(async () => {
    store = await make();
  });
  afterEach(() => store.cleanup());
  // The command's settings for the store a test made: its PostgreSQL schema, or the directory of
  // its SQLite file.
  const useStoreOf = async (db: SqlDb) => {
    if (kind === 'postgres') {
      const [row] = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
      env = { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: row!.schema };
    } else {
      const [row] = await db.query<{ file: string }>(
        "SELECT file FROM pragma_database_list WHERE name = 'main'",
      );
      env = { RELAY_DATA_DIR: join(row!.file, '..') };
    }
  };

  it('lists what an older store still needs, and applies none of it', async () => {
    const db = await store.openAt(OLDER);
    await useStoreOf(db);
    await db.close();
    const filesBefore = kind === 'sqlite' ? readdirSync(env.RELAY_DATA_DIR!).sort() : [];

    const run = runRelayBin(env, { args: ['migrations'] });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      kind === 'sqlite'
        ? /^store: SQLite, \/.*relay\.sqlite$/
        : /^store: PostgreSQL, database test on 127\.0\.0\.1:5432, schema relay_test_/,
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^schema version ${OLDER} \\(last migration applied 20\\d\\d-.*Z\\); this build \\(\\d+\\.\\d+\\.\\d+\\) knows up to ${LATEST}$`,
      ),
    );
    expect(lines[2]).toBe('starting this build applies 2 migrations:');
    expect(lines.slice(3, 5)).toEqual(
      MIGRATIONS.filter((m) => m.version > OLDER).map((m) => `  ${m.version}  ${m.name}`),
    );
    expect(lines[5]).toContain('older relays refuse to start on this store: back it up first');
    expect(lines[5]).toContain(kind === 'sqlite' ? 'sync-doctor-relay backup DIR' : 'pg_dump');

    const json = runRelayBin(env, { args: ['migrations', '--json'] });
    expect(json.status).toBe(0);
    const status = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({
      store: kind,
      schemaVersion: OLDER,
      buildSchemaVersion: LATEST,
      canStart: true,
      pending: MIGRATIONS.filter((m) => m.version > OLDER).map(({ version, name }) => ({
        version,
        name,
      })),
    });
    expect(Date.parse(String(status.lastAppliedAt))).toBeGreaterThan(Date.now() - 60_000);

    // On SQLite no file made beside the store (a -wal or -shm left by whoever ran the command, root
    // say, would be one the relay's user cannot write); looked at before the store is opened again
    // below, as closing that connection would remove them. And nothing applied.
    if (kind === 'sqlite') expect(readdirSync(env.RELAY_DATA_DIR!).sort()).toEqual(filesBefore);
    const again = await store.openRaw();
    expect(await storeVersions(again)).toEqual(
      MIGRATIONS.filter((m) => m.version <= OLDER).map((m) => m.version),
    );
    await again.close();
  });

  it('says a store this build migrated is up to date', async () => {
    const db = await store.openRaw();
    await migrate(db, store.lock);
    await useStoreOf(db);
    await db.close();
    const run = runRelayBin(env, { args: ['migrations'] });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`schema version ${LATEST} `);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'up to date: starting this build applies no migration',
    );
  });

  it('exits 2 on a store a newer relay migrated, as the relay would refuse to start', async () => {
    const db = await store.openRaw();
    await migrate(db, store.lock);
    await db.execute(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
      [LATEST + 1, 'from a newer relay', Date.now()],
    );
    await useStoreOf(db);
    await db.close();
    const run = runRelayBin(env, { args: ['migrations'] });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`schema version ${LATEST + 1} `);
    expect(run.stdout).toContain(`knows up to ${LATEST}`);
    expect(run.stdout).toContain(
      'a newer relay migrated this store: this build refuses to start on it',
    );
    const json = JSON.parse(runRelayBin(env, { args: ['migrations', '--json'] }).stdout);
    expect(json).toMatchObject({ schemaVersion: LATEST + 1, canStart: false, pending: [] });
  });
});

describe('migrations where there is no store yet', () => {
  it('on SQLite: says so, and makes no data directory', () => {
    const dir = tempDir();
    try {
      const dataDir = join(dir.path, 'not-yet');
      const run = runRelayBin({ RELAY_DATA_DIR: dataDir }, { args: ['migrations'] });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(
        `store: SQLite, ${dataDir}/relay.sqlite\nno store yet: starting this build creates it at schema version ${LATEST}\n`,
      );
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('on PostgreSQL: says so, and creates no schema (a starting relay would)', async () => {
    const { schema, drop } = await postgresSchema();
    try {
      const run = runRelayBin(
        { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema },
        { args: ['migrations', '--json'] },
      );
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        store: 'postgres',
        schemaVersion: null,
        canStart: true,
        pending: MIGRATIONS.map(({ version, name }) => ({ version, name })),
      });
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      await client.end();
      expect(found.rowCount).toBe(0);
    } finally {
      await drop();
    }
  });
});

it('reads the store of a running SQLite relay, which goes on serving', async () => {
  const dir = tempDir();
  const relay = await startChildRelay({ RELAY_ADMIN_TOKEN: ADMIN_TOKEN, RELAY_DATA_DIR: dir.path });
  try {
    const run = runRelayBin({ RELAY_DATA_DIR: dir.path }, { args: ['migrations', '--json'] });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: LATEST, pending: [] });
    const health = await fetch(`${relay.url}/health`);
    expect(health.status).toBe(200);
  } finally {
    await relay.kill('SIGTERM');
    dir.remove();
  }
});

describe('migrations given bad settings or an unreachable store', () => {
  it.each([
    [['--bogus'], {}, 'migrations: usage: sync-doctor-relay migrations [--json]'],
    [['--json', '--json'], {}, 'migrations: usage: sync-doctor-relay migrations [--json]'],
    [
      [],
      { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: 'Bad-Schema' },
      'migrations: configuration error: DATABASE_SCHEMA must be a lower-case SQL identifier',
    ],
    [
      [],
      { DATABASE_URL: 'mysql://root@127.0.0.1/test' },
      'migrations: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL, got a mysql:// URL',
    ],
  ])('%j with %j: exit 2, one line', (args, env, message) => {
    const run = runRelayBin(env, { args: ['migrations', ...args] });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${message}\n`);
  });

  it('a database that refuses the connection: exit 1 (it may pass), and no password shown', () => {
    const run = runRelayBin(
      { DATABASE_URL: 'postgres://postgres:hunter2-secret@127.0.0.1:1/test' },
      { args: ['migrations'] },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^migrations: the store could not be read: .*ECONNREFUSED.*\n$/);
    expect(run.stderr).not.toContain('hunter2');
  });
});
