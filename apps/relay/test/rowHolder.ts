import pg from 'pg';
import { createStore } from '../src/store/index.js';
import type { RelayStore } from '../src/store/types.js';
import { POSTGRES_URL, postgresSchema, waitFor } from './helpers.js';

/**
 * A connection of the test's own that holds outbox rows locked in an open transaction, as another
 * instance or an operator's psql session would: a store call that needs one waits at that point
 * of its transaction, so a test can run another call in between, as a race would, and then let
 * the first go on.
 */
export interface RowHolder {
  /** Locks the outbox row (FOR UPDATE), in the transaction begun by the first hold. */
  hold(outboxId: number): Promise<void>;
  /** Resolves once a statement of the store waits for a held row; fails after 10 s. */
  waitedFor(label: string): Promise<void>;
  /** Commits the holding transaction, so the waiting statement goes on. */
  release(): Promise<void>;
  close(): Promise<void>;
}

/** A row holder on the outbox of a PostgreSQL schema. */
export async function holdRowsOf(schema: string): Promise<RowHolder> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const holder = rows[0]!.pid;
  let open = false;
  return {
    async hold(outboxId) {
      if (!open) await client.query('BEGIN');
      open = true;
      await client.query(`SELECT id FROM ${schema}.outbox WHERE id = $1 FOR UPDATE`, [outboxId]);
    },
    async waitedFor(label) {
      await waitFor(
        async () =>
          (
            await client.query(
              `SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
              [holder],
            )
          ).rowCount! > 0,
        10_000,
        label,
      );
    },
    async release() {
      await client.query('COMMIT');
      open = false;
    },
    close: () => client.end(),
  };
}

export type StoreRowHolder = RowHolder & { store: RelayStore };

/** A PostgreSQL store in a schema of its own, and a row holder on its outbox. */
export async function openRowHolder(): Promise<StoreRowHolder> {
  const { schema, drop } = await postgresSchema();
  const store = await createStore({
    dataDir: '/nonexistent',
    databaseUrl: POSTGRES_URL,
    databaseSchema: schema,
  });
  const rows = await holdRowsOf(schema);
  return {
    ...rows,
    store,
    async close() {
      await rows.close();
      await store.close();
      await drop();
    },
  };
}
