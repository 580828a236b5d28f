import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS } from '../store/postgres.js';

/**
 * One instance runs the detector (and one the mailbox readers), however many share the database.
 * SQLite: the file belongs to one process, so it leads. PostgreSQL: a session-level advisory lock
 * on a connection of its own; whoever holds it leads until that connection ends, and the others
 * try again every `retryMs`. `mode` 'on' / 'off' (RELAY_SIGNALS_LEADER=1 / 0) skips the lock.
 */
export interface Leadership {
  readonly isLeader: boolean;
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  role: string;
  mode: 'auto' | 'on' | 'off';
  databaseUrl: string | null;
  databaseSchema: string | null;
  log: FastifyBaseLogger;
  onAcquire: () => void | Promise<void>;
  onLose: () => void | Promise<void>;
  retryMs?: number;
  /** How long connecting for the lock may take (10 s, as the store's pool; tests shorten it). */
  connectTimeoutMs?: number;
}

/** A stable 63-bit key per role and schema, so two relays in two schemas of one server both lead. */
function lockKey(role: string, schema: string | null): string {
  return BigInt.asIntN(
    64,
    BigInt(
      `0x${createHash('sha256')
        .update(`sync-doctor-relay:${schema ?? 'public'}:${role}`)
        .digest('hex')
        .slice(0, 16)}`,
    ),
  ).toString();
}

export async function startLeadership(options: LeadershipOptions): Promise<Leadership> {
  let leader = false;
  let stopped = false;
  const become = async (value: boolean) => {
    if (leader === value) return;
    leader = value;
    options.log.info(
      { role: options.role, leader: value },
      value ? 'took the lead' : 'gave up the lead',
    );
    await (value ? options.onAcquire() : options.onLose());
  };

  if (options.mode === 'off') return { isLeader: false, stop: async () => undefined };
  if (options.mode === 'on' || !options.databaseUrl) {
    await become(true);
    return {
      get isLeader() {
        return leader;
      },
      async stop() {
        stopped = true;
        await become(false);
      },
    };
  }

  const key = lockKey(options.role, options.databaseSchema);
  const retryMs = options.retryMs ?? 30_000;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;

  const attempt = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    try {
      if (!client) {
        // As the store's pool (postgres.ts): a host that never answers fails the attempt after
        // the connect timeout instead of holding it (and, in onReady, the relay's start) for
        // good; TCP keepalive notices a peer gone silent while this session holds the lock.
        const c = new pg.Client({
          connectionString: options.databaseUrl!,
          connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
          keepAlive: true,
          keepAliveInitialDelayMillis: 60_000,
        });
        c.on('error', () => undefined);
        // The connection ending is how leadership ends (crash, network, failover).
        c.on('end', () => {
          if (client === c) client = null;
          void become(false).finally(() => schedule());
        });
        await c.connect();
        client = c;
      }
      const rows = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS ok',
        [key],
      );
      if (rows.rows[0]?.ok) await become(true);
    } catch (error) {
      options.log.warn({ err: error, role: options.role }, 'could not try the leader lock');
    }
    if (!leader) schedule();
  };
  const schedule = () => {
    if (stopped || timer || leader) return;
    timer = setTimeout(() => void attempt(), retryMs);
    timer.unref();
  };
  await attempt();

  return {
    get isLeader() {
      return leader;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await become(false);
      const c = client;
      client = null;
      // Ending the session releases the advisory lock.
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * A plugin's background work (detector, mailbox readers, access watch) on the one instance that
 * leads `role`: `onAcquire` once the app is ready and this instance takes the lead, `onLose` when
 * it loses it. On close, before the store closes, the lead is given up and `onLose` runs, so work
 * in flight finishes (or records its outcome) while it still can.
 */
export function leadWhileRunning(
  app: FastifyInstance,
  role: string,
  log: FastifyBaseLogger,
  onAcquire: () => void | Promise<void>,
  onLose: () => void | Promise<void>,
): void {
  let leadership: Leadership | null = null;
  app.addHook('onReady', async () => {
    leadership = await startLeadership({
      role,
      mode: app.config.signals.leader,
      databaseUrl: app.config.databaseUrl,
      databaseSchema: app.config.databaseSchema,
      log,
      onAcquire,
      onLose,
    });
  });
  app.addHook('preClose', async () => {
    await leadership?.stop();
    await onLose();
  });
}
