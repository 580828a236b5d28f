import pg from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import {
  asUnavailable,
  retriableConflict,
  withoutNul,
  type ConflictCounts,
  type ListenGapListener,
  type SqlDb,
} from './sqlDb.js';

// BIGINT (oid 20) arrives as a string by default; our BIGINTs are epoch milliseconds and ids,
// well inside Number's exact range. Set per pool, not globally, so embedders are not affected.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * How many times in all a transaction (or a statement outside one) is run when PostgreSQL rolls it
 * back for a deadlock or a serialization failure, and the mean wait before the second attempt
 * (doubled before each later one). Three attempts within about 50 ms: a conflict between the
 * relay's own sessions ends at once, and one that outlasts them (another session that keeps
 * taking the rows) is the operator's to see in relay_database_conflicts_total.
 */
export const CONFLICT_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 10;

/** How long after losing its connection a LISTEN tries to connect again. */
const LISTEN_RETRY_MS = 500;

/**
 * How often a LISTEN connection is asked a query (SELECT 1), and how long it has to answer before
 * it is taken for lost. A connection that died without a word (a NAT, firewall or load balancer
 * forgetting it after its idle timeout, a partition, a failover leaving the socket half-open)
 * raises no error until TCP keepalive gives up, hours later; meanwhile every live stream of the
 * instance hears nothing and /health says all is well. The ping also keeps the connection from
 * going idle long enough for a middlebox to forget it. The signals leader's lock session
 * (leadership.ts) is pinged the same way, so an instance whose lock session died stops leading.
 */
export const LISTEN_PING_MS = 15_000;
export const LISTEN_PING_TIMEOUT_MS = 10_000;

interface ListenPingOptions {
  /** How often a LISTEN connection is pinged (tests shorten it; 0: never). */
  listenPingMs?: number | undefined;
  /** How long a ping may take before the LISTEN connection is taken for lost. */
  listenPingTimeoutMs?: number | undefined;
}

/**
 * How the query went within `ms`: answered, failed (its error), or still pending ('late'). The
 * timer never keeps the process alive and is cleared as soon as the query settles. An answer that
 * arrived while the event loop was blocked past the deadline (a long synchronous task) still
 * counts: the verdict waits for the I/O already received (setImmediate runs after the poll phase).
 */
function within(query: Promise<unknown>, ms: number): Promise<'answered' | 'late' | Error> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => setImmediate(() => resolve('late')), ms);
    timer.unref();
    query.then(
      () => {
        clearTimeout(timer);
        resolve('answered');
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Pings a connection that is held for long (the LISTEN connection, the signals leader's lock
 * session): SELECT 1 every `intervalMs`, each to be answered within `timeoutMs`. `onLost` is
 * called once, with why, when a ping fails or is not answered in time, and no ping follows; the
 * caller drops the connection. A ping answered late while the event loop was blocked still counts
 * (see {@link within}). Returns `stop`, after which nothing more is sent and a ping in flight is
 * ignored. `intervalMs` <= 0: never pings.
 */
export function keepPinging(
  client: { query(sql: string): Promise<unknown> },
  { intervalMs, timeoutMs }: { intervalMs: number; timeoutMs: number },
  onLost: (error: Error) => void,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const ping = (): void => {
    timer = null;
    if (stopped) return;
    void within(client.query('SELECT 1'), timeoutMs).then((outcome) => {
      if (stopped) return;
      if (outcome === 'answered') return schedule();
      stopped = true;
      onLost(
        outcome === 'late'
          ? new Error(`it did not answer a ping within ${timeoutMs / 1000} s`)
          : outcome,
      );
    });
  };
  const schedule = (): void => {
    if (stopped || timer || intervalMs <= 0) return;
    timer = setTimeout(ping, intervalMs);
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

class PostgresDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  /** LISTENs whose connection was lost and is not back yet (their channel: the error). */
  private readonly lostListens = new Map<object, string>();
  private readonly pingMs: number;
  private readonly pingTimeoutMs: number;
  private readonly conflictCounts: ConflictCounts = { retried: 0, gaveUp: 0 };
  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string | null,
    private readonly client?: pg.PoolClient,
    { listenPingMs, listenPingTimeoutMs }: ListenPingOptions = {},
  ) {
    this.pingMs = listenPingMs ?? LISTEN_PING_MS;
    this.pingTimeoutMs = listenPingTimeoutMs ?? LISTEN_PING_TIMEOUT_MS;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.runningConflictsAgain(() => this.statement(sql, params))).rows as T[];
  }

  async execute(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.runningConflictsAgain(() => this.statement(sql, params))).rowCount ?? 0;
  }

  /**
   * PostgreSQL rolled back a deadlock's or a serialization failure's loser so that the other side
   * goes on: its work, run again, usually goes through, and the caller (a request, a round of the
   * outbox) never hears of it; without this, each conflict reached it (503 DATABASE_CONFLICT). Every
   * transaction callback of the stores only reads and writes through `tx` (and fills caches keyed
   * by committed rows, see SqlStoreBase.lastComputed), so running it again is safe. The wait before
   * each new attempt is short and random: two sessions that met once do not meet again in step.
   */
  private async runningConflictsAgain<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        // A statement of a transaction is run again with its whole transaction (transaction()).
        if (this.client || !retriableConflict(error)) throw error;
        if (n >= CONFLICT_ATTEMPTS) {
          this.conflictCounts.gaveUp++;
          throw error;
        }
        this.conflictCounts.retried++;
        await delay(CONFLICT_BACKOFF_MS * 2 ** (n - 1) * (0.5 + Math.random()));
      }
    }
  }

  conflicts(): ConflictCounts {
    return { ...this.conflictCounts };
  }

  private async statement(sql: string, params: unknown[]): Promise<pg.QueryResult> {
    try {
      return await (this.client ?? this.pool).query(sql, withoutNul(params));
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async transaction<T>(work: (tx: SqlDb) => Promise<T>): Promise<T> {
    // Nested: part of the caller's transaction, run again with it.
    if (this.client) return work(this);
    return this.runningConflictsAgain(() => this.transactionOnce(work));
  }

  private async transactionOnce<T>(work: (tx: SqlDb) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw asUnavailable(error);
    });
    // The connection dropping between two statements emits 'error' on the checked-out client (the
    // pool handles idle ones only): unhandled, it would end the process. The next statement fails
    // instead, so the transaction rolls back and its caller sees the error.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresDb(this.pool, this.schema, client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asUnavailable(error);
    } finally {
      client.off('error', ignore);
      client.release();
    }
  }

  async listen(
    channel: string,
    onPayload: (payload: string) => void,
    gap?: ListenGapListener,
  ): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    // A connection of its own: LISTEN holds it for the life of the process. A checked-out client
    // is not covered by the pool's 'error' handler: without one of its own, the database
    // restarting, failing over or dropping the connection emitted an unhandled 'error' and the
    // relay exited. The connection is dropped instead and LISTEN set up again once the database
    // answers (meanwhile /health says it is unavailable).
    let client: pg.PoolClient | null = null;
    let stopped = false;
    const key = {};
    let timer: NodeJS.Timeout | null = null;
    /** The connection was lost and LISTEN is not set up again yet. */
    let down = false;
    const tell = (what: keyof ListenGapListener): void => {
      try {
        gap?.[what]();
      } catch {
        // a listener's failure must not stop LISTEN from coming back
      }
    };
    /** Stops pinging the current connection (none while it is lost, nor once stopped). */
    let stopPinging: (() => void) | null = null;
    // Each connection goes back to the pool once, whoever lets go of it first (a failure, stop).
    const released = new WeakSet<pg.PoolClient>();
    const release = (c: pg.PoolClient, error?: Error | boolean): void => {
      if (released.has(c)) return;
      released.add(c);
      c.release(error);
    };
    const connect = async (): Promise<void> => {
      const c = await this.pool.connect();
      let lost = false;
      /** The connection failed (an 'error', a ping not answered): drop it and connect again. */
      const drop = (error: Error): void => {
        if (lost) return;
        lost = true;
        if (client === c) {
          client = null;
          stopPinging?.();
          stopPinging = null;
        }
        // With a ping in flight this destroys the socket (a connection that went silent would
        // never answer a goodbye).
        release(c, error);
        // Stopped: nothing is lost, and nothing comes back.
        if (stopped) return;
        this.lostListens.set(
          key,
          `LISTEN ${channel} lost its connection (${error.message}); reconnecting`,
        );
        if (!down) {
          down = true;
          tell('lost');
        }
        schedule();
      };
      c.on('error', drop);
      // A SELECT 1 on the LISTEN connection itself (keepPinging, from when LISTEN is set up): the
      // notifications come back on the same socket from the same backend (which holds the
      // LISTEN), so an answer proves the path they take is alive, without adding to the
      // database's shared notification queue as a self-NOTIFY would (and without the other
      // instances, which LISTEN too, hearing it).
      c.on('notification', (message) => {
        if (message.channel === channel && message.payload) onPayload(message.payload);
      });
      try {
        await c.query(`LISTEN ${channel}`);
      } catch (error) {
        lost = true;
        release(c, error as Error);
        throw error;
      }
      if (stopped) {
        release(c, true);
        return;
      }
      client = c;
      stopPinging = keepPinging(
        c,
        { intervalMs: this.pingMs, timeoutMs: this.pingTimeoutMs },
        drop,
      );
      this.lostListens.delete(key);
      // Listening again: changes committed from now on are notified; those committed while the
      // connection was away are not, and the listener reads them from the tables.
      if (down) {
        down = false;
        tell('resumed');
      }
    };
    const schedule = (): void => {
      if (stopped || timer) return;
      timer = setTimeout(() => {
        timer = null;
        connect().catch(() => schedule());
      }, LISTEN_RETRY_MS);
      timer.unref();
    };
    await connect();
    return async () => {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      stopPinging?.();
      stopPinging = null;
      this.lostListens.delete(key);
      const c = client;
      client = null;
      if (!c) return;
      // Queued behind a ping in flight. A connection that went silent never answers: it is
      // dropped after the ping's deadline instead of holding up the close for good.
      const unlisten = await within(c.query(`UNLISTEN ${channel}`), this.pingTimeoutMs);
      release(c, unlisten === 'answered' ? undefined : true);
    };
  }

  listenProblem(): string | null {
    return this.lostListens.values().next().value ?? null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * How long a new connection may take to be set up before it fails (DATABASE_UNAVAILABLE). Without
 * it node-postgres waits forever: a database host that drops packets (a firewall, a wrong security
 * group) hung the start, and at run time every request, instead of a clear error or a 503.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The relay's sessions' application_name unless DATABASE_URL sets one. */
export const RELAY_APPLICATION_NAME = 'sync-doctor-relay';

export async function openPostgres(
  connectionString: string,
  schema: string | null,
  {
    connectTimeoutMs = CONNECT_TIMEOUT_MS,
    ...ping
  }: { connectTimeoutMs?: number | undefined } & ListenPingOptions = {},
): Promise<SqlDb> {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: connectTimeoutMs,
    // TCP keepalive on pooled connections, so a peer that vanished is noticed on an idle one too.
    // Probes start after a minute of silence, not after Linux's default two hours: well within
    // the idle timeouts of NATs and load balancers (AWS NLB 350 s, Azure 4 min), so they do not
    // forget a quiet connection either.
    keepAlive: true,
    keepAliveInitialDelayMillis: 60_000,
    types,
    // Names the relay's sessions in pg_stat_activity: the alert sweep waits only for open
    // transactions of its own application (AlertStore.outboxHorizon). An application_name in
    // DATABASE_URL takes precedence; every instance must then use the same.
    application_name: RELAY_APPLICATION_NAME,
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
  return new PostgresDb(pool, schema, undefined, ping);
}

/** Serialises migrations of several instances starting together. */
export async function postgresMigrationLock(tx: SqlDb): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(7318004)');
}
