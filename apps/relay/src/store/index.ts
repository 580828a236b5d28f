import { migrate } from './migrations.js';
import { openPostgres, postgresMigrationLock } from './postgres.js';
import { attachSignalsStore } from './signalsStore.js';
import { SqlRelayStore } from './sqlStore.js';
import { openSqlite } from './sqlite.js';
import type { RelayStore } from './types.js';

export type * from './types.js';
export { PortalExistsError, PortalGoneError } from './types.js';
export { InvalidCursorError } from './sqlStore.js';
export { DataDirInUseError } from './sqlite.js';

export interface StoreOptions {
  /** PostgreSQL when set, else SQLite under dataDir. */
  databaseUrl?: string | null;
  databaseSchema?: string | null;
  dataDir: string;
}

/** Opens the store the configuration asks for and brings its schema up to date. */
export async function createStore(options: StoreOptions): Promise<RelayStore> {
  if (options.databaseUrl) {
    const db = await openPostgres(options.databaseUrl, options.databaseSchema ?? null);
    try {
      await migrate(db, postgresMigrationLock);
    } catch (error) {
      await db.close();
      throw error;
    }
    return attachSignalsStore(new SqlRelayStore(db), db);
  }
  const db = openSqlite(options.dataDir);
  await migrate(db);
  return attachSignalsStore(new SqlRelayStore(db), db);
}
