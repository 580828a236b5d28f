// npm run bench -w apps/relay (after the build): how fast the relay reads a Sync Health "Export
// errors" CSV (POST /v1/portals/:portalId/sync-errors), and how long it holds its event loop
// meanwhile. A generated export (BENCH_SYNC_ROWS rows, 100,000 by default: a big portal's, as
// issue 5 asks) with a realistic mix: field permissions on a few dozen fields, objects access,
// picklists, duplicates naming another record, required fields, validation rules, locked rows
// and API limits; messages quoted (commas, doubled quotes), some Danish, every row its own record
// id and date. Each scenario runs in its own process (so its peak RSS is its own):
//   parser-*   readSyncErrors alone (decode, parse, count, classify), from a buffer in 64 KiB
//              chunks: UTF-8, Windows-1252 with ';' (Danish Excel) and UTF-16LE with tabs.
//   route-*    the built relay listening on loopback (SQLite), the upload streamed over HTTP in
//              64 KiB chunks, by the admin token (parsed as it arrives) and signed (spooled and
//              hashed, then parsed). Meanwhile a GET /health every 10 ms: its worst latency, and
//              the event loop's delay (perf_hooks.monitorEventLoopDelay), say how long other
//              requests wait behind an upload.
// MB/s and rows/s are over wall time (the median of BENCH_SYNC_REPEAT runs, 5), with the CPU time
// beside. Writes artifacts/bench/relay-sync-errors.json ({ metrics } for scripts/bench-report.mjs).
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const ROWS = Number(process.env.BENCH_SYNC_ROWS ?? 100_000);
const REPEAT = Number(process.env.BENCH_SYNC_REPEAT ?? 5);
const CHUNK = 64 * 1024;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const PORTAL = '9900001';

/** The same export every run: a linear congruential generator picks the mix. */
export function exportRows(total, seed = 42) {
  let state = seed;
  const next = (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state >>> 8) % n;
  };
  const objects = ['Contact', 'Lead', 'Account', 'Opportunity'];
  const fields = [
    'Industry',
    'Phone',
    'MobilePhone',
    'Title',
    'LeadSource',
    'Rating',
    'AnnualRevenue',
    'NumberOfEmployees',
    'Website',
    'Description',
    'MailingCity',
    'MailingCountry',
    'Department',
    'Custom_Score__c',
    'Region__c',
    'Segment__c',
    'Lifecycle_Stage__c',
    'Persona__c',
    'Partner_Tier__c',
    'Churn_Risk__c',
    'NPS__c',
    'Renewal_Date__c',
    'Owner_Region__c',
    'Product_Interest__c',
  ];
  const picklistValues = ['Varm, meget', 'Hot "A"', 'Tier 4', 'Nordics', 'Prospect?', 'Ødelagt'];
  const kinds = [
    // [weight, row]
    [
      30,
      (object, field) => [
        'Salesforce field permission',
        object,
        field,
        `INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      ],
    ],
    [
      12,
      (object) => [
        'Insufficient access or missing Salesforce record',
        object,
        '',
        'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: insufficient access rights on cross-reference id: 005' +
          String(100000000000 + next(900000000000)),
      ],
    ],
    [
      18,
      (object, field) => [
        'Picklist',
        object,
        field,
        `bad value for restricted picklist field: ${picklistValues[next(picklistValues.length)]}`,
      ],
    ],
    [
      15,
      (object) => [
        'Duplicate',
        object,
        'Email',
        `DUPLICATES_DETECTED: Use one of these records? Duplicate value found: Email duplicates value on record with id: 003${String(1e11 + next(9e11))}`,
      ],
    ],
    [
      8,
      (object, field) => [
        'Required field missing',
        object,
        field,
        `REQUIRED_FIELD_MISSING: Required fields are missing: [${field}]`,
      ],
    ],
    [
      7,
      (object) => [
        'Validation rule',
        object,
        '',
        `FIELD_CUSTOM_VALIDATION_EXCEPTION: ${object} must have a region before it can be synced, "Nordics" or "DACH"`,
      ],
    ],
    [
      4,
      (object) => [
        'Fejl i felttilladelse',
        object,
        'Branche',
        'Ingen tilladelse til Salesforce-feltet Branche; kontakt din administrator',
      ],
    ],
    [
      4,
      (object) => [
        'Record locked',
        object,
        '',
        'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 1 records',
      ],
    ],
    [
      2,
      () => [
        'API limit',
        '',
        '',
        'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. Your org has used its daily API calls',
      ],
    ],
  ];
  const weights = kinds.reduce((sum, [weight]) => sum + weight, 0);
  const rows = [];
  for (let i = 0; i < total; i++) {
    let pick = next(weights);
    let kind = kinds[0][1];
    for (const [weight, make] of kinds) {
      if (pick < weight) {
        kind = make;
        break;
      }
      pick -= weight;
    }
    const object = objects[next(objects.length)];
    const field = fields[next(fields.length)];
    const [errorType, rowObject, rowField, message] = kind(object, field);
    const recordId = String(10_000_000 + i * 7);
    const date = `2026-11-${String(1 + next(28)).padStart(2, '0')} ${String(next(24)).padStart(2, '0')}:${String(next(60)).padStart(2, '0')}`;
    rows.push([errorType, rowObject, rowField, recordId, message, date]);
  }
  return rows;
}

export function exportCsv(total, delimiter = ',') {
  const header = ['Error type', 'Object', 'Field', 'Record ID', 'Error message', 'Date'];
  const special = new RegExp(`["\\r\\n${delimiter}]`);
  const cell = (value) => (special.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return (
    [header, ...exportRows(total)].map((row) => row.map(cell).join(delimiter)).join('\r\n') + '\r\n'
  );
}

const SCENARIOS = {
  'parser-utf8': () => Buffer.from(exportCsv(ROWS), 'utf8'),
  'parser-windows1252': () => Buffer.from(exportCsv(ROWS, ';'), 'latin1'),
  'parser-utf16le': () =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(exportCsv(ROWS, '\t'), 'utf16le')]),
  'route-admin': () => Buffer.from(exportCsv(ROWS), 'utf8'),
  'route-signed': () => Buffer.from(exportCsv(ROWS), 'utf8'),
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The body in 64 KiB chunks, each after a turn of the event loop, as a socket or a file gives them. */
async function* chunksOf(body) {
  for (let at = 0; at < body.length; at += CHUNK) {
    await new Promise((done) => setImmediate(done));
    yield body.subarray(at, at + CHUNK);
  }
}

/** One HTTP request on loopback; the body streamed in 64 KiB chunks. */
function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const parts = [];
      res.on('data', (part) => parts.push(part));
      res.on('end', () =>
        resolvePromise({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!body) return void req.end();
    let at = 0;
    const write = () => {
      while (at < body.length) {
        const part = body.subarray(at, at + CHUNK);
        at += CHUNK;
        if (!req.write(part)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

/** Runs `work` REPEAT times (after one warm-up) with the event loop watched; the medians. */
async function timedRuns(work, probe) {
  const runs = [];
  await work();
  for (let i = 0; i < REPEAT; i++) {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let probing = true;
    let probeMax = 0;
    const probes = probe
      ? (async () => {
          while (probing) {
            const start = performance.now();
            await probe();
            probeMax = Math.max(probeMax, performance.now() - start);
            await new Promise((done) => setTimeout(done, 10));
          }
        })()
      : Promise.resolve();
    histogram.enable();
    const cpu = process.cpuUsage();
    const start = performance.now();
    await work();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    histogram.disable();
    probing = false;
    await probes;
    runs.push({
      ms,
      cpuMs: (used.user + used.system) / 1000,
      maxDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      probeMaxMs: probeMax,
    });
  }
  return runs;
}

async function child(name, bodyFile) {
  // The export was generated by the parent and written to a file, so this process's peak RSS is
  // the body (a Buffer) and the reading, not the generator's garbage.
  const body = readFileSync(bodyFile);
  const baselineRssMb = round(process.memoryUsage().rss / 2 ** 20);
  let runs;
  let check;
  if (name.startsWith('parser-')) {
    const { readSyncErrors } = await import('../dist/inputs/syncErrors.js');
    runs = await timedRuns(async () => {
      check = await readSyncErrors(chunksOf(body));
    });
    check = { rows: check.rows, encoding: check.encoding, findings: check.findings.length };
  } else {
    const { buildApp, loadConfig } = await import('../dist/index.js');
    const { signPayload } = await import('../dist/crypto/signature.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-bench-sync-'));
    const config = loadConfig(
      {
        RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
        RELAY_RATE_LIMIT_IP: '100000000',
        RELAY_RATE_LIMIT_PORTAL: '100000000',
      },
      { dataDir, databaseUrl: null, logEnabled: false },
    );
    const app = await buildApp(config);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${app.server.address().port}`;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const created = await send(`${base}/v1/admin/portals`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ id: PORTAL, name: 'Bench portal' })),
    });
    if (created.status >= 300) throw new Error(`creating the portal: ${created.body}`);
    const secret = JSON.parse(created.body).signingSecret;
    const upload = async () => {
      const headers = { 'content-type': 'text/csv', 'content-length': String(body.length) };
      if (name === 'route-admin') Object.assign(headers, admin);
      else {
        const timestamp = String(Math.floor(Date.now() / 1000));
        headers['x-sync-doctor-timestamp'] = timestamp;
        headers['x-sync-doctor-signature'] = signPayload(secret, timestamp, body);
      }
      const response = await send(`${base}/v1/portals/${PORTAL}/sync-errors`, {
        method: 'POST',
        headers,
        body,
      });
      if (response.status !== 201)
        throw new Error(`upload answered ${response.status}: ${response.body}`);
      const { report } = JSON.parse(response.body);
      check = { rows: report.rows, encoding: report.encoding, findings: report.findings.length };
    };
    runs = await timedRuns(upload, () => send(`${base}/health`));
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (check.rows !== ROWS) throw new Error(`${name}: ${check.rows} rows counted, not ${ROWS}`);
  const ms = median(runs.map((run) => run.ms));
  const result = {
    scenario: name,
    bytes: body.length,
    rows: ROWS,
    encoding: check.encoding,
    findings: check.findings,
    medianMs: round(ms),
    medianCpuMs: round(median(runs.map((run) => run.cpuMs))),
    mbPerSecond: round(body.length / 1e6 / (ms / 1000), 2),
    rowsPerSecond: Math.round(ROWS / (ms / 1000)),
    maxEventLoopDelayMs: round(Math.max(...runs.map((run) => run.maxDelayMs))),
    medianP99EventLoopDelayMs: round(median(runs.map((run) => run.p99DelayMs))),
    maxHealthLatencyMs: name.startsWith('route-')
      ? round(Math.max(...runs.map((run) => run.probeMaxMs)))
      : undefined,
    // Peak resident memory of this scenario's process, the generated export (in memory) included.
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    // RSS with the body loaded, before the first run.
    baselineRssMb,
    bodyMb: round(body.length / 1e6),
    runs: runs.map((run) => ({
      ms: round(run.ms),
      cpuMs: round(run.cpuMs),
      maxDelayMs: round(run.maxDelayMs),
    })),
  };
  process.send(result);
}

async function main() {
  const results = [];
  const scratch = mkdtempSync(join(tmpdir(), 'relay-bench-sync-body-'));
  const only = process.env.BENCH_SYNC_ONLY?.split(',');
  for (const name of Object.keys(SCENARIOS)) {
    if (only && !only.includes(name)) continue;
    const bodyFile = join(scratch, `${name}.csv`);
    writeFileSync(bodyFile, SCENARIOS[name]());
    const load = loadavg()[0];
    const result = await new Promise((resolvePromise, reject) => {
      const worker = fork(fileURLToPath(import.meta.url), ['child', name, bodyFile], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let answer;
      worker.once('message', (message) => (answer = message));
      worker.once('exit', (code) =>
        code === 0 && answer ? resolvePromise(answer) : reject(new Error(`${name} exited ${code}`)),
      );
    });
    rmSync(bodyFile, { force: true });
    result.loadAverageBefore = round(load, 2);
    results.push(result);
    console.log(
      `${name}: ${result.bodyMb} MB, ${result.rows} rows in ${result.medianMs} ms (CPU ${result.medianCpuMs} ms): ` +
        `${result.mbPerSecond} MB/s, ${result.rowsPerSecond} rows/s; event loop delay max ${result.maxEventLoopDelayMs} ms` +
        (result.maxHealthLatencyMs !== undefined
          ? `, GET /health worst ${result.maxHealthLatencyMs} ms`
          : '') +
        `; peak RSS ${result.peakRssMb} MB (${result.baselineRssMb} MB with the body loaded; load ${result.loadAverageBefore})`,
    );
  }
  rmSync(scratch, { recursive: true, force: true });
  const metrics = results.flatMap((r) => [
    { metric: `${r.scenario}.mbPerSecond`, value: r.mbPerSecond, unit: 'MB/s' },
    { metric: `${r.scenario}.rowsPerSecond`, value: r.rowsPerSecond, unit: 'rows/s' },
    { metric: `${r.scenario}.peakRss`, value: r.peakRssMb, unit: 'MB' },
    { metric: `${r.scenario}.maxEventLoopDelay`, value: r.maxEventLoopDelayMs, unit: 'ms' },
    ...(r.maxHealthLatencyMs !== undefined
      ? [{ metric: `${r.scenario}.maxHealthLatency`, value: r.maxHealthLatencyMs, unit: 'ms' }]
      : []),
  ]);
  const report = {
    benchmark: 'relay-sync-errors',
    at: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    rows: ROWS,
    repeat: REPEAT,
    chunkBytes: CHUNK,
    metrics,
    scenarios: results,
  };
  const out = join(repoRoot, 'artifacts', 'bench', 'relay-sync-errors.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`written ${out}`);
}

// Run as a script (a bench, or one of its scenarios); imported, it only lends its export generator.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'child') await child(process.argv[3], process.argv[4]);
  else await main();
}
