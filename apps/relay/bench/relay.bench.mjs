// npm run bench -w apps/relay: throughput and latency of the relay's GET state and of signed
// ingestion (a durable write: change + status + outbox in one transaction), each against a bare
// Fastify hello route measured in the same run, on loopback. Writes artifacts/bench/relay.json.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN = 'Bearer bench-admin-token-0123456789';
const TARGETS = { state: 0.7, ingestion: 0.3 };

function startServer(kind) {
  const child = fork(join(here, 'server.mjs'), [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolvePromise, reject) => {
    child.once('message', ({ url }) => resolvePromise({ url, close: () => new Promise((done) => { child.once('exit', done); child.send('close'); }) }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function measure(label, options) {
  // A short warm-up so JIT and SQLite caches are warm for every contender alike.
  await autocannon({ ...options, duration: 1, connections: CONNECTIONS });
  const result = await autocannon({ ...options, duration: DURATION, connections: CONNECTIONS });
  const summary = {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  console.log(`${label.padEnd(22)} ${String(summary.requestsPerSecond).padStart(8)} req/s   p50 ${summary.p50Ms} ms   p99 ${summary.p99Ms} ms   non-2xx ${summary.non2xx}`);
  return summary;
}

const bare = await startServer('bare');
const bareResult = await measure('bare Fastify hello', { url: `${bare.url}/hello` });
await bare.close();

const relay = await startServer('relay');
const created = await fetch(`${relay.url}/v1/admin/portals`, {
  method: 'POST',
  headers: { authorization: ADMIN, 'content-type': 'application/json' },
  body: JSON.stringify({ id: '1234567', salesforce: { kind: 'token', instanceUrl: 'https://bench.invalid', accessToken: 'bench-token-0000' } }),
}).then((r) => r.json());
const secret = created.signingSecret;

let sequence = 0;
const ingestion = await measure('relay signed ingestion', {
  url: relay.url,
  requests: [
    {
      method: 'POST',
      path: '/v1/portals/1234567/suspensions',
      setupRequest(request) {
        const body = JSON.stringify({ reason: 'API_LIMIT_EXCEEDED', title: 'Salesforce org API limit exceeded', occurredAt: new Date().toISOString(), eventId: `bench-${process.pid}-${sequence++}` });
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = 'v1=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
        return { ...request, body, headers: { 'content-type': 'application/json', 'x-sync-doctor-timestamp': timestamp, 'x-sync-doctor-signature': signature } };
      },
    },
  ],
});
// A typical portal: one suspension on record. The ingestion portal now carries a 50-entry
// history in its state (the most RelayedStatus holds), measured too for the worst case.
await fetch(`${relay.url}/v1/admin/portals`, { method: 'POST', headers: { authorization: ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ id: '7654321' }) });
await fetch(`${relay.url}/v1/portals/7654321/clear`, { method: 'POST', headers: { authorization: ADMIN, 'content-type': 'application/json' }, body: '{}' });
const state = await measure('relay GET state', { url: `${relay.url}/v1/portals/7654321/state`, headers: { authorization: ADMIN } });
const stateFullHistory = await measure('relay GET state (50 h)', { url: `${relay.url}/v1/portals/1234567/state`, headers: { authorization: ADMIN } });
await relay.close();

const ratio = (x) => Math.round((x.requestsPerSecond / bareResult.requestsPerSecond) * 1000) / 1000;
const report = {
  benchmark: 'relay',
  at: new Date().toISOString(),
  node: process.version,
  store: 'sqlite',
  outbox: process.env.BENCH_OUTBOX === 'off' ? 'off' : 'on (no-op publisher)',
  durationSeconds: DURATION,
  connections: CONNECTIONS,
  bare: bareResult,
  state,
  stateWithFullHistory: stateFullHistory,
  ingestion,
  ratios: { state: ratio(state), stateWithFullHistory: ratio(stateFullHistory), ingestion: ratio(ingestion) },
  targets: TARGETS,
  met: { state: ratio(state) >= TARGETS.state, ingestion: ratio(ingestion) >= TARGETS.ingestion },
};
console.log(`ratios: GET state ${report.ratios.state} (target >= ${TARGETS.state}), ingestion ${report.ratios.ingestion} (target >= ${TARGETS.ingestion})`);
const out = join(repoRoot, 'artifacts', 'bench', 'relay.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`written ${out}`);
