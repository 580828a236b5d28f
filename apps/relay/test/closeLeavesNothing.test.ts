import { randomBytes } from 'node:crypto';
import { buildApp } from '../src/app.js';
import {
  ADMIN_TOKEN,
  POSTGRES_URL,
  postgresSchema,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import { signalsConfig } from './signalsHelpers.js';

// A graceful shutdown (SIGTERM, close-with-grace: app.close()) must leave nothing that keeps the
// process alive: a timer, a socket (the API's, PostgreSQL's pool, LISTEN and leader-lock sessions)
// or a server left open makes the relay hang until the orchestrator's SIGKILL, and jest print
// "Jest did not exit one second after the test run has completed". What keeps Node's event loop
// alive is what process.getActiveResourcesInfo() lists (unref'd timers are not in it).

/** The resources keeping the event loop alive, counted by type. */
function alive(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

describe.each(['sqlite', 'postgres'])('app.close() on %s', (kind) => {
  test('leaves nothing alive that was not before: listening, the signals leader, the access watch', async () => {
    const dir = tempDir();
    const { schema, drop } = await postgresSchema();
    try {
      // What jest itself has going (its timers, a file read in flight) settles first.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = alive();
      const app = await buildApp(
        testConfig(dir.path, {
          secretKey: randomBytes(32),
          ...(kind === 'postgres' ? { databaseUrl: POSTGRES_URL, databaseSchema: schema } : {}),
          signals: signalsConfig({ accessWatch: { enabled: true, intervalMs: 3_600_000 } }),
        }),
      );
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      // Real connections, kept alive by the client, as a balancer's probes and a scraper's are.
      for (const path of ['/health', '/metrics', '/v1/admin/portals']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        expect(response.status).toBe(200);
        await response.text();
      }
      expect(app.accessWatch?.running).toBe(true);
      expect(alive()).not.toEqual(before);
      await app.close();
      // Sockets report closed on the next turns of the loop: give them a moment. Nothing of any
      // kind more than before (jest's own timers may have come and gone meanwhile).
      const leftOver = (): string[] =>
        Object.entries(alive())
          .filter(([type, count]) => count > (before[type] ?? 0))
          .map(([type, count]) => `${type}: ${count} (before: ${before[type] ?? 0})`);
      await waitFor(() => leftOver().length === 0, 5_000, 'nothing left').catch(() => undefined);
      expect(leftOver()).toEqual([]);
    } finally {
      await drop();
      dir.remove();
    }
  });
});
