import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pg from 'pg';
import {
  CONNECT_TIMEOUT_MS,
  keepPinging,
  LISTEN_PING_MS,
  LISTEN_PING_TIMEOUT_MS,
} from './store/postgres.js';

/**
 * One instance runs the detector (and one the mailbox readers), however many share the database.
 * SQLite: the file belongs to one process, so it leads. PostgreSQL: a session-level advisory lock
 * on a connection of its own; whoever holds it leads until that connection ends, and the others
 * try again every `retryMs`. `mode` 'on' / 'off' (RELAY_SIGNALS_LEADER=1 / 0) skips the lock.
 *
 * That session is pinged as the LISTEN connection is (keepPinging: SELECT 1 every 15 s, 10 s to
 * answer). A session that died without a word (a NAT or firewall forgetting it, a half-open socket
 * after a failover) raises nothing until TCP keepalive gives up (~11 minutes), while the server,
 * once it notices, releases the lock and another instance leads: two instances would run the
 * detector, the mailbox readers and the access watch side by side. A ping not answered in time
 * ends this instance's lead at once (onLose), drops the session, and tries the lock again on a new
 * connection.
 */
export interface Leadership {
  readonly isLeader: boolean;
  stop(): Promise<void>;
}

interface LeadershipOptions {
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
  /** How often the lock's session is pinged (15 s, as the LISTEN connection; 0: never). */
  pingMs?: number | undefined;
  /** How long a ping may take before the session is taken for lost (10 s). */
  pingTimeoutMs?: number | undefined;
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

/**
 * The server's TCP keepalive for the lock's session: probe after 30 s of silence, every 10 s, 3
 * times. The server frees the lock only when it notices the session gone, and by default it leaves
 * that to the operating system (about two hours on Linux): a leader whose connection died silently
 * stops within 25 s (the ping), but nobody could take the lead before the server noticed. With these
 * the lock is free about a minute after the old leader's last word. Session settings any user may
 * change; ignored on a Unix socket, where a dead peer is noticed at once.
 */
export const LOCK_SESSION_KEEPALIVES = { idle: 30, interval: 10, count: 3 } as const;

async function askServerToNoticeSilence(c: pg.Client, options: LeadershipOptions): Promise<void> {
  const { idle, interval, count } = LOCK_SESSION_KEEPALIVES;
  try {
    await c.query(
      `SET tcp_keepalives_idle = ${idle}; SET tcp_keepalives_interval = ${interval}; SET tcp_keepalives_count = ${count}`,
    );
  } catch (error) {
    // Not fatal: the lead still ends on the ping; only the next leader may wait longer.
    options.log.warn(
      { err: { message: (error as Error).message }, role: options.role },
      "could not set the leader lock session's TCP keepalive: a dead leader's lock may be held until the server's own keepalive gives up",
    );
  }
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
  const ping = {
    intervalMs: options.pingMs ?? LISTEN_PING_MS,
    timeoutMs: options.pingTimeoutMs ?? LISTEN_PING_TIMEOUT_MS,
  };
  let client: pg.Client | null = null;
  let stopPinging: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  /** The session is gone (ended, or a ping not answered): stop leading, then try again. */
  const lose = (c: pg.Client, retry: () => void): void => {
    if (client !== c) return;
    client = null;
    stopPinging?.();
    stopPinging = null;
    // A silent session never answers a goodbye: with the ping in flight, end() destroys the
    // socket. On the server the session (and the lock) lasts until the server notices.
    void c.end().catch(() => undefined);
    void become(false).finally(retry);
  };

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
        c.on('end', () => lose(c, schedule));
        await c.connect();
        if (stopped) {
          await c.end().catch(() => undefined);
          return;
        }
        client = c;
        // From now on, leading or not: a lock query sent into a silent session would otherwise
        // wait for good, and this instance would never try again.
        stopPinging = keepPinging(c, ping, (error) => {
          options.log.warn(
            { err: { message: error.message }, role: options.role },
            'the leader lock session did not answer: giving up the lead, trying again on a new connection',
          );
          // Straight away (a new connection may take the lock at once), then every retryMs.
          lose(c, () => {
            if (!stopped && !timer) void attempt();
          });
        });
        // After the ping starts: a session that dies while this runs is noticed all the same.
        await askServerToNoticeSilence(c, options);
        // Lost meanwhile: lose() has already arranged the next attempt.
        if (client !== c) return;
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
      stopPinging?.();
      stopPinging = null;
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
      // The lock's session is pinged as the store's LISTEN connection is (config.listenPing).
      pingMs: app.config.listenPing?.intervalMs,
      pingTimeoutMs: app.config.listenPing?.timeoutMs,
    });
  });
  app.addHook('preClose', async () => {
    await leadership?.stop();
    await onLose();
  });
}
