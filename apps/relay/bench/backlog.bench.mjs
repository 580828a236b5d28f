// A portal's backlog after a Salesforce outage: BENCH_BACKLOG changes (default 2,000) are stored
// while the outbox is stopped, then the built relay (SQLite) delivers them into the org simulator
// over a JWT connection. Reports how many API calls that took (what the org's daily limit counts)
// and how long, from the outbox's start until every delivery was recorded, and checks that the
// org received every change once, in order. `npm run build -w apps/relay` first.
// Usage: node bench/backlog.bench.mjs [runs]   (writes artifacts/bench/relay-backlog.json)
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOrgSimulator } from '@sync-doctor/org-simulator';
import { STATUS_EVENT } from '@sync-doctor/core';
import { buildApp, loadConfig, signPayload } from '../dist/index.js';

const changes = Number(process.env.BENCH_BACKLOG ?? 2000);
const runs = Number(process.argv[2] ?? 3);
const ADMIN = 'bench-admin-token-0123456789';
const clientId = '3MVG9relay.bench.consumer.key';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

async function run() {
  const sim = await startOrgSimulator({
    fixture: 'read-only-contacts',
    jwtPublicKey: publicKey,
    clientId,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-backlog-bench-'));
  const app = await buildApp(
    loadConfig(
      {
        RELAY_ADMIN_TOKEN: ADMIN,
        RELAY_RATE_LIMIT_IP: '100000000',
        RELAY_RATE_LIMIT_PORTAL: '100000000',
        RELAY_OUTBOX_POLL_MS: '20',
        RELAY_ALLOW_PRIVATE_TARGETS: 'true',
        RELAY_ACCESS_WATCH: 'off',
      },
      { dataDir, databaseUrl: null, logEnabled: false, maxEventLoopDelayMs: 0 },
    ),
  );
  try {
    await app.ready();
    const portalId = '8100001';
    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: {
        id: portalId,
        salesforce: {
          kind: 'jwt',
          clientId,
          username: sim.adminUser.Username,
          loginUrl: sim.url,
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      },
    });
    if (created.statusCode !== 201)
      throw new Error(`portal: ${created.statusCode} ${created.body}`);
    const secret = created.json().signingSecret;
    // The outage: changes pile up, nothing is sent.
    await app.outbox.stop();
    for (let n = 1; n <= changes; n++) {
      const payload = JSON.stringify({
        reason: 'UNKNOWN_ERROR',
        title: `${portalId}#${n}`,
        occurredAt: new Date(Date.UTC(2026, 10, 28, 12, 0, 0, n)).toISOString(),
        eventId: `bench-${n}`,
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const answer = await app.inject({
        method: 'POST',
        url: `/v1/portals/${portalId}/suspensions`,
        payload,
        headers: {
          'content-type': 'application/json',
          'x-sync-doctor-timestamp': String(timestamp),
          'x-sync-doctor-signature': signPayload(secret, timestamp, payload),
        },
      });
      if (answer.statusCode !== 202) throw new Error(`signal ${n}: ${answer.statusCode}`);
    }
    sim.resetRequests();
    const started = process.hrtime.bigint();
    app.outbox.start();
    for (;;) {
      const counts = await app.store.countDeliveries();
      if (counts.delivered === changes) break;
      if (counts.failed > 0) throw new Error(`${counts.failed} deliveries failed`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const titles = sim.publishedEvents
      .filter((e) => e.sobjectType === STATUS_EVENT.name)
      .map((e) => e.payload[STATUS_EVENT.fields.title]);
    const inOrder =
      titles.length === changes && titles.every((title, i) => title === `${portalId}#${i + 1}`);
    if (!inOrder) throw new Error(`the org received ${titles.length} events, not all in order`);
    const apiCalls = sim.requests.filter((r) => r.path.startsWith('/services/data/')).length;
    const composites = sim.requests.filter((r) => /\/composite(\?|$)/.test(r.path)).length;
    const logins = sim.requests.filter((r) => r.path.startsWith('/services/oauth2/token')).length;
    return { seconds, apiCalls, composites, logins };
  } finally {
    await app.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [];
for (let i = 0; i < runs; i++) {
  const result = await run();
  results.push(result);
  console.log(
    `run ${i + 1}: ${changes} changes in ${result.seconds.toFixed(2)} s, ${result.apiCalls} API calls (${result.composites} composite), ${result.logins} log-in(s)`,
  );
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = {
  changes,
  runs: results,
  medianSeconds: median(results.map((r) => r.seconds)),
  medianApiCalls: median(results.map((r) => r.apiCalls)),
};
console.log(
  `median: ${summary.medianSeconds.toFixed(2)} s, ${summary.medianApiCalls} API calls for ${changes} changes`,
);
const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../artifacts/bench/relay-backlog.json',
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
