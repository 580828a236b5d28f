import { dataDirUnusable } from '../startErrors.js';
import { attachAccessStore } from './accessStore.js';
import { attachAlertStore } from './alertStore.js';
import { attachHubSpotStore } from './hubspotStore.js';
import { migrate } from './migrations.js';
import { openPostgres, postgresMigrationLock } from './postgres.js';
import { SqlRelayStore } from './sqlStore.js';
import { openSqlite, type PrivacyLog } from './sqlite.js';
import type { RelayStore } from './types.js';

export type * from './types.js';
export { DataDirInUseError } from './sqlite.js';

/**
 * PostgreSQL could not be reached or used at start. The message says it is the database, and
 * where (host, port, database: never the user's password), beside the driver's reason, since
 * "connect ECONNREFUSED 10.0.3.7:5433" alone does not tell an operator which setting to fix.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(databaseUrl: string, cause: unknown) {
    let where = '';
    try {
      const url = new URL(databaseUrl);
      where = ` at ${url.host || 'the default host'}${url.pathname.length > 1 ? url.pathname : ''}`;
    } catch {
      // checked at start (config.ts); nothing to add
    }
    super(
      `the PostgreSQL database${where} (DATABASE_URL) cannot be used: ${String((cause as Error)?.message ?? cause)}`,
      { cause },
    );
  }
}

export interface StoreOptions {
  /** PostgreSQL when set, else SQLite under dataDir. */
  databaseUrl?: string | null;
  databaseSchema?: string | null;
  dataDir: string;
  /** How long a PostgreSQL connection may take to be set up (tests shorten it). */
  connectTimeoutMs?: number;
  /**
   * How often the PostgreSQL LISTEN connection is pinged, and how long a ping may take before the
   * connection is taken for lost (15 s and 10 s; tests shorten them).
   */
  listenPingMs?: number | undefined;
  listenPingTimeoutMs?: number | undefined;
  /** SQLite: where making the data directory private is reported (info) or could not be (warn). */
  log?: PrivacyLog;
}

/** Opens the store the configuration asks for and brings its schema up to date. */
export async function createStore(options: StoreOptions): Promise<RelayStore> {
  if (options.databaseUrl) {
    let db: Awaited<ReturnType<typeof openPostgres>>;
    try {
      db = await openPostgres(options.databaseUrl, options.databaseSchema ?? null, {
        connectTimeoutMs: options.connectTimeoutMs,
        listenPingMs: options.listenPingMs,
        listenPingTimeoutMs: options.listenPingTimeoutMs,
      });
    } catch (error) {
      if (typeof (error as { code?: unknown })?.code !== 'string') throw error;
      throw new DatabaseUnavailableError(options.databaseUrl, error);
    }
    try {
      await migrate(db, postgresMigrationLock);
    } catch (error) {
      await db.close();
      // The driver's and the network's errors carry a code; anything else is a bug, kept whole.
      if (typeof (error as { code?: unknown })?.code !== 'string') throw error;
      throw new DatabaseUnavailableError(options.databaseUrl, error);
    }
    return attachAccessStore(
      attachHubSpotStore(attachAlertStore(new SqlRelayStore(db), db), db),
      db,
    );
  }
  const db = openSqlite(options.dataDir, undefined, options.log);
  try {
    await migrate(db);
  } catch (error) {
    // Frees the data directory's lock: a store that could not be brought up to date is not held.
    await db.close();
    // A relay.sqlite its user may read but not write (restored by another user) fails here.
    throw dataDirUnusable(options.dataDir, error) ?? error;
  }
  return attachAccessStore(attachHubSpotStore(attachAlertStore(new SqlRelayStore(db), db), db), db);
}
