import pg from 'pg';
import { createStore } from '../src/store/index.js';
import type { RelayStore } from '../src/store/types.js';
import { POSTGRES_URL, postgresSchema, waitFor } from './helpers.js';

/**
 * A PostgreSQL store in a schema of its own, and a connection of the test's own that holds one
 * outbox row locked in an open transaction: a store call that needs the row waits at that point
 * of its transaction, so a test can run another call (another instance's) in between, as a race
 * would, and then let the first go on.
 */
export interface RowHolder {
  store: RelayStore;
  /** Locks the outbox row (BEGIN ... FOR UPDATE) until release(). */
  hold(outboxId: number): Promise<void>;
  /** Resolves once a statement of the store waits for the held row; fails after 10 s. */
  waitedFor(label: string): Promise<void>;
  /** Commits the holding transaction, so the waiting statement goes on. */
  release(): Promise<void>;
  close(): Promise<void>;
}

export async function openRowHolder(): Promise<RowHolder> {
  const { schema, drop } = await postgresSchema();
  const store = await createStore({
    dataDir: '/nonexistent',
    databaseUrl: POSTGRES_URL,
    databaseSchema: schema,
  });
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const holder = rows[0]!.pid;
  return {
    store,
    async hold(outboxId) {
      await client.query('BEGIN');
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
    },
    async close() {
      await client.end();
      await store.close();
      await drop();
    },
  };
}
