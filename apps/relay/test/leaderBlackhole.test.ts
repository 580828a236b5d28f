import { createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { startLeadership } from '../src/leadership.js';

// The detector, the mailbox readers and the access watch lead through a PostgreSQL session of
// their own (an advisory lock). Its connection had no connect timeout: a database host that
// accepts and never answers (a firewall dropping packets) held the attempt for good, and with it
// the relay's start (the attempt runs in onReady, before listen) and every later retry.
describe('the leader lock on a database host that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let url: string;
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `postgres://postgres:pw@127.0.0.1:${(server.address() as { port: number }).port}/x`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up the attempt after the connect timeout, not leading', async () => {
    const attempt = startLeadership({
      role: 'access-watch',
      mode: 'auto',
      databaseUrl: url,
      databaseSchema: null,
      log: pino({ level: 'silent' }),
      onAcquire: () => undefined,
      onLose: () => undefined,
      connectTimeoutMs: 200,
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      attempt,
      new Promise<'still waiting'>((resolve) => {
        timer = setTimeout(() => resolve('still waiting'), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(outcome).not.toBe('still waiting');
    const leadership = outcome as Awaited<typeof attempt>;
    expect(leadership.isLeader).toBe(false);
    await leadership.stop();
  });
});
