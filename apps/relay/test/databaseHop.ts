import { createServer, connect, type Server, type Socket } from 'node:net';
import { POSTGRES_URL } from './helpers.js';

/** The channel a relay without a schema (or in `public`) LISTENs on; see sqlStore's changesChannel. */
const RELAY_CHANNEL = 'sync_doctor_relay_changes';

export interface DatabaseHop {
  url: string;
  /** Drops every connection and stops accepting new ones, as a failover does. */
  cut: () => Promise<void>;
  /** Accepts connections again, on the same port. */
  restore: () => Promise<void>;
  close: () => Promise<void>;
  /** The local ports of the hop's connections to PostgreSQL (pg_stat_activity's client_port). */
  ports: () => number[];
  /**
   * While on, a connection that sends LISTEN is cut, so LISTEN cannot come back while every other
   * query goes through.
   */
  holdListen: (hold: boolean) => void;
  /**
   * Drops everything either way on the connections that sent LISTEN so far, without closing them:
   * the connection is dead and neither end is told, as when a NAT or a proxy forgets it.
   */
  silenceListen: () => void;
  /** Closes the connections that sent LISTEN so far, both ends (also silenced ones). */
  cutListen: () => void;
  /** Holds back what PostgreSQL sends on LISTEN connections (the notifications) until released. */
  holdNotifications: () => void;
  /** Whether the notifications held back so far include `text` (a change id). */
  holdsNotification: (text: string) => boolean;
  /** Hands the held notifications over, one write per connection, as one packet would. */
  releaseNotifications: () => void;
  /** The SELECT 1 sent on LISTEN connections so far (counted even when silenced). */
  pings: () => number;
  /**
   * Silences (as silenceListen) the connections that asked for an advisory lock so far: the
   * leader's lock sessions (leadership.ts). Returns the local ports of their connections to
   * PostgreSQL (pg_stat_activity's client_port), whose sessions, and locks, live on meanwhile.
   */
  silenceLeaderLocks: () => number[];
  /** What the connections that asked for an advisory lock have sent so far, as text. */
  leaderLockSessionText: () => string;
}

interface Connection {
  client: Socket;
  upstream: Socket;
  listening: boolean;
  /** Sent pg_try_advisory_lock: a signals leader's session. */
  locking: boolean;
  silent: boolean;
  /** What the client sent, as latin1 text (kept for the leader's session; capped). */
  sent: string;
}

/**
 * A TCP hop between a relay and PostgreSQL that can drop every connection, or act on the
 * connections that sent `LISTEN <channel>` only (see {@link DatabaseHop}).
 */
export async function databaseHop({
  channel = RELAY_CHANNEL,
}: { channel?: string } = {}): Promise<DatabaseHop> {
  const target = new URL(POSTGRES_URL);
  const sockets = new Set<Socket>();
  const connections = new Set<Connection>();
  const listens = () => [...connections].filter((connection) => connection.listening);
  let refusingListen = false;
  let holdingNotifications = false;
  let held: { client: Socket; chunk: Buffer }[] = [];
  let pings = 0;
  let server: Server;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        const connection: Connection = {
          client,
          upstream,
          listening: false,
          locking: false,
          silent: false,
          sent: '',
        };
        connections.add(connection);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => {
            sockets.delete(socket);
            // A silent connection's end is not passed on either: the other end is never told
            // (its PostgreSQL session, say, lives on until the hop is closed).
            if (connection.silent && !(client.destroyed && upstream.destroyed)) return;
            connections.delete(connection);
            client.destroy();
            upstream.destroy();
          });
        }
        // A simple-protocol query arrives whole in one chunk.
        client.on('data', (chunk: Buffer) => {
          // Counted even when dropped: a ping sent into a silent connection is in flight.
          if (connection.listening && chunk.includes('SELECT 1')) pings++;
          if (chunk.includes('pg_try_advisory_lock')) connection.locking = true;
          if (connection.sent.length < 64_000) connection.sent += chunk.toString('latin1');
          if (connection.silent) return;
          if (chunk.includes(`LISTEN ${channel}`)) {
            if (refusingListen) return void client.destroy();
            connection.listening = true;
          }
          upstream.write(chunk);
        });
        upstream.on('data', (chunk: Buffer) => {
          if (connection.silent) return;
          if (connection.listening && holdingNotifications) held.push({ client, chunk });
          else client.write(chunk);
        });
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  };
  await open();
  const url = new URL(POSTGRES_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut,
    restore: open,
    close: cut,
    ports: () =>
      [...connections].map(({ upstream }) => upstream.localPort).filter((port) => port != null),
    holdListen: (hold) => {
      refusingListen = hold;
    },
    silenceListen: () => {
      for (const connection of listens()) connection.silent = true;
    },
    cutListen: () => {
      for (const connection of listens()) {
        // Closed for both ends, silenced before or not.
        connection.silent = false;
        connection.client.destroy();
      }
    },
    holdNotifications: () => {
      holdingNotifications = true;
    },
    holdsNotification: (text) => held.some(({ chunk }) => chunk.includes(text)),
    releaseNotifications: () => {
      holdingNotifications = false;
      const byClient = new Map<Socket, Buffer[]>();
      for (const { client, chunk } of held)
        byClient.set(client, [...(byClient.get(client) ?? []), chunk]);
      held = [];
      for (const [client, chunks] of byClient) client.write(Buffer.concat(chunks));
    },
    pings: () => pings,
    silenceLeaderLocks: () => {
      const locking = [...connections].filter((connection) => connection.locking);
      for (const connection of locking) connection.silent = true;
      return locking.map(({ upstream }) => upstream.localPort).filter((port) => port != null);
    },
    leaderLockSessionText: () =>
      [...connections]
        .filter((connection) => connection.locking)
        .map((connection) => connection.sent)
        .join('\n'),
  };
}
