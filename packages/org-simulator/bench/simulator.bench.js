// Bench: how fast the org simulator loads its fixtures and answers, so tests and the demo stay quick.
// Loads the default and large fixtures, pages the large org's 8,000+ field permissions of the
// integration user over HTTP, and times simple queries. Writes artifacts/bench/org-simulator.json
// at the repo root (metrics format of scripts/bench-report.mjs). Target: large fixture < 2000 ms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadFixture, startOrgSimulator } from '../dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function time(fn, runs = RUNS) {
  await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return Number(median(samples).toFixed(1));
}

const loadDefaultMs = await time(() => loadFixture('read-only-contacts'));
const loadLargeMs = await time(() => loadFixture('read-only-contacts', 'large'));

const sim = await startOrgSimulator({ fixture: 'healthy', size: 'large' });
const headers = { Authorization: `Bearer ${sim.accessToken}` };
const soql = `SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${sim.integrationUser.Id}')`;
let rows = 0;
let pages = 0;
const pagedQueryMs = await time(async () => {
  let url = `${sim.url}/services/data/v64.0/query?q=${encodeURIComponent(soql)}`;
  rows = 0;
  pages = 0;
  for (;;) {
    const page = await (await fetch(url, { headers })).json();
    rows += page.records.length;
    pages++;
    if (page.done) break;
    url = `${sim.url}${page.nextRecordsUrl}`;
  }
});
const SMALL = 200;
const smallQueryMs = await time(async () => {
  for (let i = 0; i < SMALL; i++) {
    await (
      await fetch(
        `${sim.url}/services/data/v64.0/query?q=${encodeURIComponent("SELECT Id, Name FROM Profile WHERE Name = 'Standard User'")}`,
        { headers },
      )
    ).json();
  }
}, 3);
await sim.close();

const result = {
  metrics: [
    { metric: 'load default fixture', value: loadDefaultMs, unit: 'ms' },
    {
      metric: 'load large fixture (60k field permissions)',
      value: loadLargeMs,
      unit: 'ms',
      target: 2000,
    },
    {
      metric: `page ${rows} field permissions (${pages} requests)`,
      value: pagedQueryMs,
      unit: 'ms',
    },
    {
      metric: 'small query round trip',
      value: Number((smallQueryMs / SMALL).toFixed(2)),
      unit: 'ms',
    },
  ],
  at: new Date().toISOString(),
  node: process.version,
};
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'artifacts', 'bench', 'org-simulator.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
for (const m of result.metrics)
  console.log(`${m.metric}: ${m.value} ${m.unit}${m.target ? ` (target < ${m.target})` : ''}`);
console.log(`wrote ${out}`);
if (loadLargeMs >= 2000) process.exitCode = 1;
