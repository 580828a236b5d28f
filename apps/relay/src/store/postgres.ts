import pg from 'pg';
import { withoutNul, type SqlDb } from './sqlDb.js';

// BIGINT (oid 20) arrives as a string by default; our BIGINTs are epoch milliseconds and ids,
// well inside Number's exact range. Set per pool, not globally, so embedders are not affected.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

class PostgresDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  constructor(
    private readonly pool: pg.Pool,
    private readonly client?: pg.PoolClient,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await (this.client ?? this.pool).query(sql, withoutNul(params));
    return result.rows as T[];
  }

  async execute(sql: string, params: unknown[] = []): Promise<number> {
    const result = await (this.client ?? this.pool).query(sql, withoutNul(params));
    return result.rowCount ?? 0;
  }

  async transaction<T>(work: (tx: SqlDb) => Promise<T>): Promise<T> {
    if (this.client) return work(this);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresDb(this.pool, client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(
    channel: string,
    onPayload: (payload: string) => void,
  ): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    // A connection of its own: LISTEN holds it for the life of the process.
    const client = await this.pool.connect();
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload) onPayload(message.payload);
    });
    await client.query(`LISTEN ${channel}`);
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
      client.release();
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function openPostgres(
  connectionString: string,
  schema: string | null,
): Promise<SqlDb> {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    types,
    // Every connection of the pool works in the configured schema.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      // IF NOT EXISTS is not safe against a concurrent CREATE: two instances starting together
      // can both pass the check, and the second fails on the catalog's unique key. The schema
      // exists either way.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P06') {
        await pool.end();
        throw error;
      }
    }
  }
  return new PostgresDb(pool);
}

/** Serialises migrations of several instances starting together. */
export async function postgresMigrationLock(tx: SqlDb): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(7318004)');
}
