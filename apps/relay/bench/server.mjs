// One server per bench phase, in its own process so autocannon (in the parent) does not share
// its event loop. argv[2]: 'bare' (a Fastify hello route), 'bare-post' (a POST with
// the ingestion schema) or 'relay' (the built relay, SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';

const kind = process.argv[2];
let app;
// The relay's SQLite directory (about 40 MB after a run), removed when the server goes: each
// `npm run bench` used to leave three in the temp directory.
let dataDir;
const removeData = () => dataDir && rmSync(dataDir, { recursive: true, force: true });
if (kind === 'bare') {
  app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
} else if (kind === 'bare-post') {
  // The ingestion route's body schema, without its checks or its write (both benches).
  app = Fastify({ logger: false });
  const { SuspensionBody } = await import('../dist/routes/v1/schemas/signals.js');
  app.post('/event', { schema: { body: SuspensionBody } }, async (_request, reply) =>
    reply.code(202).send({ accepted: true }),
  );
} else {
  const { buildApp, loadConfig } = await import('../dist/index.js');
  dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  // Delivery stays on, so the outbox competes for the store and the event loop as in production,
  // with a publisher that answers after BENCH_PUBLISH_MS (default 50: a fast Salesforce composite
  // call; real ones take 100 to 300 ms). 0 answers at once: the outbox then delivers as fast as
  // signals arrive, which Salesforce never allows (a worst case, reported beside).
  // It sends batches as the real publisher does (publishStatuses: up to 200 changes of a portal in
  // one composite call, answering as late as one change), so the outbox does the work it does in
  // production while ingestion runs; BENCH_BATCH=off measures one change a call, as before.
  const publishMs = Number(process.env.BENCH_PUBLISH_MS ?? 50);
  const answer = () =>
    publishMs > 0 ? new Promise((resolve) => setTimeout(resolve, publishMs)) : Promise.resolve();
  const publisher = {
    async publish() {
      await answer();
      return { id: 'a0X', created: false };
    },
    ...(process.env.BENCH_BATCH === 'off'
      ? {}
      : {
          batchMax: 200,
          async publishBatch(_target, statuses) {
            await answer();
            return { id: 'a0X', created: false, eventIds: statuses.map((_, i) => `e${i}`) };
          },
        }),
  };
  const config = loadConfig(
    {
      RELAY_ADMIN_TOKEN: 'bench-admin-token-0123456789',
      RELAY_RATE_LIMIT_IP: '100000000',
      RELAY_RATE_LIMIT_PORTAL: '100000000',
      RELAY_OUTBOX: process.env.BENCH_OUTBOX ?? 'on',
    },
    // Logging off (the bare route logs nothing either). Load shedding as in production, so its
    // per-request check is measured; under callgrind (instructions.bench.mjs) the loop runs ~50x
    // slower and would trip the lag limit, so there a heap limit nobody reaches keeps the same
    // check in place without ever shedding.
    {
      dataDir,
      databaseUrl: null,
      logEnabled: false,
      publisher,
      ...(process.env.BENCH_UNDER_CALLGRIND
        ? { maxEventLoopDelayMs: 0, maxHeapUsedBytes: Number.MAX_SAFE_INTEGER }
        : {}),
    },
  );
  app = await buildApp(config);
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ url: `http://127.0.0.1:${app.server.address().port}` });
process.on('message', async (message) => {
  if (message === 'close') {
    await app.close();
    removeData();
    process.exit(0);
  }
});
// The bench that forked this server is gone (it failed, or was killed by a timeout): exit rather
// than linger, holding a port and the bench's output open.
process.on('disconnect', () => {
  removeData();
  process.exit(1);
});
