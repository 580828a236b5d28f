import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { MIGRATIONS, newestVersion, type Migration } from './store/migrations.js';
import { CONNECT_TIMEOUT_MS } from './store/postgres.js';
import { openSqliteReadOnly } from './store/readOnlySqlite.js';
import { SQLITE_STORE_FILE } from './store/sqlite.js';
import type { StoreSettings } from './config.js';
import { RELAY_VERSION } from './version.js';

/**
 * `sync-doctor-relay migrations`: before an upgrade, what starting this build would do to the
 * store. A relay migrates its store at start, and once it has, older relays refuse to start on it
 * (SchemaTooNewError): rolling back then means restoring a backup. This says beforehand whether the
 * backup is needed, without changing anything, on a store a relay may be running on.
 */
export interface MigrationStatus {
  store: 'sqlite' | 'postgres';
  /** The SQLite file, or the database, host and schema (never the URL: it may hold a password). */
  location: string;
  /** The store's schema version; null when there is no store yet. */
  schemaVersion: number | null;
  /** When the newest migration in the store was applied (ms since the epoch). */
  lastAppliedAt: number | null;
  /** The newest migration this build knows. */
  buildSchemaVersion: number;
  /** What starting this build applies, oldest first. */
  pending: { version: number; name: string }[];
  /** False when a newer relay migrated the store: this build refuses to start on it. */
  canStart: boolean;
}

export interface StoredVersion {
  location: string;
  version: number | null;
  appliedAt: number | null;
}

/** The status of a store read as `stored`, for a build that knows `migrations`. */
export function judgeMigrations(
  store: MigrationStatus['store'],
  stored: StoredVersion,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationStatus {
  const buildSchemaVersion = newestVersion(migrations);
  const from = stored.version ?? 0;
  return {
    store,
    location: stored.location,
    schemaVersion: stored.version,
    lastAppliedAt: stored.appliedAt,
    buildSchemaVersion,
    pending: migrations
      .filter((m) => m.version > from)
      .map(({ version, name }) => ({ version, name })),
    canStart: from <= buildSchemaVersion,
  };
}

/** Reads the store the settings name, changing nothing in it. */
export async function readMigrationStatus(settings: StoreSettings): Promise<MigrationStatus> {
  return settings.databaseUrl
    ? judgeMigrations(
        'postgres',
        await postgresVersion(settings.databaseUrl, settings.databaseSchema),
      )
    : judgeMigrations('sqlite', sqliteVersion(settings.dataDir));
}

function sqliteVersion(dataDir: string): StoredVersion {
  const file = join(dataDir, SQLITE_STORE_FILE);
  if (!existsSync(file)) return { location: file, version: null, appliedAt: null };
  const db = openSqliteReadOnly(file);
  try {
    return { location: file, ...sqliteSchemaVersion(db) };
  } finally {
    db.close();
  }
}

/** The schema version of an open SQLite store: 0 when it has no migrations table. */
export function sqliteSchemaVersion(db: DatabaseSync): Omit<StoredVersion, 'location'> {
  const table = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!table) return { version: 0, appliedAt: null };
  const row = db
    .prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version DESC LIMIT 1')
    .get() as { version: number; applied_at: number } | undefined;
  return { version: row?.version ?? 0, appliedAt: row?.applied_at ?? null };
}

async function postgresVersion(url: string, schema: string | null): Promise<StoredVersion> {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1)) || '(default)';
  const where = `database ${database} on ${parsed.hostname || parsed.searchParams.get('host') || 'localhost'}:${parsed.port || 5432}`;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'sync-doctor-relay migrations',
    // Read-only by the server's word, and no CREATE SCHEMA as a starting relay does: a schema
    // that does not exist yet is a store not made yet.
    options: `-c default_transaction_read_only=on${schema ? ` -c search_path=${schema}` : ''}`,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query<{ schema: string }>(
      `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = to_regclass('schema_migrations')`,
    );
    const inSchema = found.rows[0]?.schema;
    if (!inSchema)
      return { location: `${where}, schema ${schema ?? 'public'}`, version: null, appliedAt: null };
    const newest = await client.query<{ version: number; applied_at: string }>(
      'SELECT version, applied_at FROM schema_migrations ORDER BY version DESC LIMIT 1',
    );
    const row = newest.rows[0];
    return {
      location: `${where}, schema ${inSchema}`,
      version: row ? Number(row.version) : 0,
      appliedAt: row ? Number(row.applied_at) : null,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The report an operator reads, and the exit code: 0 this build can start, 2 it cannot. */
export function describeMigrationStatus(status: MigrationStatus): {
  text: string;
  exitCode: number;
} {
  const lines = [
    `store: ${status.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${status.location}`,
  ];
  const report = (exitCode: number) => ({ text: lines.join('\n') + '\n', exitCode });
  const build = `this build (${RELAY_VERSION}) knows up to ${status.buildSchemaVersion}`;
  if (status.schemaVersion === null) {
    lines.push(
      `no store yet: starting this build creates it at schema version ${status.buildSchemaVersion}`,
    );
    return report(0);
  }
  const applied =
    status.lastAppliedAt === null
      ? ''
      : ` (last migration applied ${new Date(status.lastAppliedAt).toISOString()})`;
  lines.push(`schema version ${status.schemaVersion}${applied}; ${build}`);
  if (!status.canStart) {
    lines.push(
      'a newer relay migrated this store: this build refuses to start on it; run the newer relay, ' +
        'or restore a backup taken before that upgrade',
    );
    return report(2);
  }
  if (status.pending.length === 0) {
    lines.push('up to date: starting this build applies no migration');
    return report(0);
  }
  const count = status.pending.length;
  lines.push(`starting this build applies ${count} migration${count === 1 ? '' : 's'}:`);
  for (const m of status.pending) lines.push(`  ${m.version}  ${m.name}`);
  lines.push(
    status.store === 'sqlite'
      ? 'after that, older relays refuse to start on this store: back it up first ' +
          '(sync-doctor-relay backup DIR)'
      : 'after that, older relays refuse to start on this store: back it up first (pg_dump, and ' +
          'keep RELAY_SECRET_KEY with it), and upgrade every instance together',
  );
  return report(0);
}

/** `--json`: the status as data, for a deployment pipeline to decide on. */
export function migrationStatusJson(status: MigrationStatus): string {
  return (
    JSON.stringify({
      ...status,
      lastAppliedAt:
        status.lastAppliedAt === null ? null : new Date(status.lastAppliedAt).toISOString(),
      relayVersion: RELAY_VERSION,
    }) + '\n'
  );
}
