// One server per bench phase, in its own process so autocannon (in the parent) does not share
// its event loop. argv[2]: 'bare' (a Fastify hello route) or 'relay' (the built relay, SQLite).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';

const kind = process.argv[2];
let app;
if (kind === 'bare') {
  app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
} else {
  const { buildApp, loadConfig } = await import('../dist/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  // Delivery stays on (a no-op publisher) so the outbox competes for the store as in production.
  const publisher = { async publish() { return { id: 'a0X', created: false }; } };
  const config = loadConfig(
    { RELAY_ADMIN_TOKEN: 'bench-admin-token-0123456789', RELAY_RATE_LIMIT_IP: '100000000', RELAY_RATE_LIMIT_PORTAL: '100000000', RELAY_OUTBOX: process.env.BENCH_OUTBOX ?? 'on' },
    // Logging off (the bare route logs nothing either); load shedding off so it measures, not sheds.
    { dataDir, databaseUrl: null, logEnabled: false, publisher, maxEventLoopDelayMs: 0 },
  );
  app = await buildApp(config);
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ url: `http://127.0.0.1:${app.server.address().port}` });
process.on('message', async (message) => {
  if (message === 'close') {
    await app.close();
    process.exit(0);
  }
});
