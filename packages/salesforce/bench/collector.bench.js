// Bench: HTTP requests and wall time of collectSnapshot against the naive reader (one call per
// object, per permission set, per describe), on the org simulator's default and large fixtures,
// with no added latency and with 50 ms per request (closer to a real org across the internet,
// where each round trip costs tens of milliseconds). Writes artifacts/bench/collector.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAccess } from '@sync-doctor/core';
import { startOrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot, connect } from '@sync-doctor/salesforce';
import { naiveCollect } from './naiveCollect.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FIXTURE = 'read-only-contacts';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(run) {
  const times = [];
  let requests = 0;
  let result;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
    requests = result.requests;
  }
  return { requests, medianMs: median(times), result };
}

const rows = [];
for (const size of ['default', 'large']) {
  for (const latencyMs of [0, 50]) {
    const sim = await startOrgSimulator({ fixture: FIXTURE, size, port: 0 });
    try {
      if (latencyMs > 0)
        sim.injectFault({
          path: /.*/,
          fault: 'SLOW',
          delayMs: latencyMs,
          times: Number.MAX_SAFE_INTEGER,
        });
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const user = sim.integrationUser.Username;
      await collectSnapshot(conn, { user }); // warm-up (JIT, simulator caches)
      const smart = await measure(() => collectSnapshot(conn, { user }));
      const naive = await measure(() => naiveCollect(conn, { user }));
      const verdict = evaluateAccess(smart.result.snapshot).verdict;
      rows.push({
        size,
        latencyMs,
        reader: 'collectSnapshot',
        requests: smart.requests,
        rounds: smart.result.rounds,
        medianMs: smart.medianMs,
        verdict,
      });
      rows.push({
        size,
        latencyMs,
        reader: 'naive',
        requests: naive.requests,
        rounds: naive.requests,
        medianMs: naive.medianMs,
        verdict: '',
      });
    } finally {
      await sim.close();
    }
  }
}

const header = ['fixture size', 'latency', 'reader', 'HTTP requests', 'round trips', 'median ms'];
const table = rows.map((r) => [
  r.size,
  `${r.latencyMs} ms`,
  r.reader,
  String(r.requests),
  String(r.rounds),
  r.medianMs.toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`collector bench: ${FIXTURE}, ${RUNS} runs each (median)`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));

const metrics = rows
  .map((r) => [
    {
      metric: `${r.size}.${r.latencyMs}ms.${r.reader}.requests`,
      value: r.requests,
      unit: 'requests',
      ...(r.reader === 'collectSnapshot' && r.size === 'default' ? { target: 3 } : {}),
    },
    {
      metric: `${r.size}.${r.latencyMs}ms.${r.reader}.median`,
      value: Number(r.medianMs.toFixed(2)),
      unit: 'ms',
    },
  ])
  .flat();
const outDir = join(root, 'artifacts', 'bench');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'collector.json'),
  JSON.stringify({ fixture: FIXTURE, runs: RUNS, metrics, rows }, null, 2),
);
console.log(`\nwritten: artifacts/bench/collector.json`);
