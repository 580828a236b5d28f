/**
 * A PostgreSQL host that accepts connections and never answers (a firewall dropping packets, a
 * wrong security group): the relay must give up after its connect timeout with the error an
 * operator can act on, instead of waiting forever.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseUnavailableError, createStore } from '../src/store/index.js';
import { openPostgres } from '../src/store/postgres.js';
import { DatabaseConnectionError, asUnavailable } from '../src/store/sqlDb.js';

let server: Server;
let url: string;
const sockets = new Set<Socket>();
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'relay-blackhole-'));
  // Takes every connection and says nothing: PostgreSQL's server greeting never comes.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  url = `postgres://postgres:secret-password@127.0.0.1:${port}/relaydb`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a database host that never answers', () => {
  it('fails the start after the connect timeout, naming DATABASE_URL without its password', async () => {
    const start = createStore({ databaseUrl: url, dataDir, connectTimeoutMs: 300 });
    const error = await start.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('(DATABASE_URL) cannot be used');
    expect(message).toContain('/relaydb');
    expect(message).toMatch(/timeout/i);
    expect(message).not.toContain('secret-password');
  });

  it('fails a query at run time as the database being unavailable (a 503), not as a bug', async () => {
    const db = await openPostgres(url, null, { connectTimeoutMs: 300 });
    try {
      const error = await db.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).not.toBeNull();
      expect(asUnavailable(error)).toBeInstanceOf(DatabaseConnectionError);
    } finally {
      await db.close();
    }
  });
});
