// npm run bench:instructions -w apps/relay: what one request costs the server, counted in CPU
// instructions (user space) by valgrind's callgrind, for the relay's GET state and signed
// ingestion and for bare Fastify routes beside them.
// Why beside the throughput bench: on this kind of shared 2-core machine req/s swing up to 2x
// within minutes, so a change worth 10% cannot be seen there. Instruction counts do not depend on
// what else the machine does.
// They leave out the kernel (socket writes cost bare and relay alike) and the load generator.
// Each server runs under callgrind with counting off; autocannon warms it up, then counting is
// switched on for windows of requests: the first two are shown but not used, and the cost of a
// request is the mean of the next four.
// Why a long warm-up and windows left out: callgrind counts every thread, V8's GC and background
// compilers included, and V8 takes long to settle under callgrind. Two effects, both measured on
// 29 Nov 2026. The bare POST kept getting cheaper for ~50,000 requests (counted at 125k per
// request after 32,000 requests in all, 97k after 56,000). And for the first 12,000-16,000
// requests after counting is switched on, every scenario counts more than afterwards even after a
// long warm-up (bare GET 61k, 70k, 51k, 51k in windows of 8,000 after 16,000 and again after
// 32,000): hence the two windows left out.
// Why a mean of a fixed number of windows: a route that allocates (GET state) swings between
// windows with a major GC and windows without (~93k and ~135k the same afternoon). The earlier
// rule, "until two windows in a row agree within 5%", kept whichever pair agreed first: 95k one
// run, 134k the next (both GC-free or both GC-heavy). The mean keeps the GCs in, as steady load
// does; the spread of the windows is reported beside it.
// Ingestion runs with the outbox off: under callgrind the server is ~50x slower while the
// stand-in Salesforce still answers in 50 ms, so deliveries would take a share of the work they
// never take at full speed. Writes artifacts/bench/relay-instructions.json, and a bar chart of it
// (relay-instructions.svg) with the budget each relay route would need to meet its target.
//   BENCH_INSTR_REQUESTS (8000 per window), BENCH_INSTR_WARMUP (16000 requests before the first
//   window), BENCH_INSTR_LEFT_OUT (2 windows counted but not used), BENCH_INSTR_WINDOWS (4 used),
//   BENCH_INSTR_PARALLEL (1 scenario at a time).
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { instructionsChart } from './charts.js';
import { signedSuspensionRequests } from './signedRequests.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const COUNTED = Number(process.env.BENCH_INSTR_REQUESTS ?? 8000);
const WARMUP = Number(process.env.BENCH_INSTR_WARMUP ?? 16000);
const LEFT_OUT = Math.max(0, Number(process.env.BENCH_INSTR_LEFT_OUT ?? 2));
const WINDOWS = Math.max(1, Number(process.env.BENCH_INSTR_WINDOWS ?? 4));
const ADMIN = 'Bearer bench-admin-token-0123456789';

function hasValgrind() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
if (!hasValgrind()) {
  console.error(
    'bench:instructions needs valgrind (apt-get install valgrind); nothing was measured.',
  );
  process.exit(1);
}

/** server.mjs under callgrind, counting nothing until told to. */
async function startCounted(kind, env) {
  const outDir = mkdtempSync(join(tmpdir(), 'relay-callgrind-'));
  const child = fork(join(here, 'server.mjs'), [kind], {
    execPath: 'valgrind',
    execArgv: [
      '-q',
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${outDir}/out.%p`,
      process.execPath,
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_UNDER_CALLGRIND: '1', ...env },
  });
  const { url } = await new Promise((resolvePromise, reject) => {
    child.once('message', resolvePromise);
    child.once('exit', (code) =>
      reject(new Error(`${kind} server under callgrind exited with ${code}`)),
    );
  });
  // fork's pid is valgrind's, which execs node in place: the same process.
  const control = (...args) =>
    execFileSync('callgrind_control', [...args, String(child.pid)], { stdio: 'ignore' });
  const seen = new Set();
  return {
    url,
    /** Instructions spent on `work`. */
    async count(work) {
      control('-z');
      control('-i', 'on');
      await work();
      control('-d');
      control('-i', 'off');
      let total = 0;
      for (const file of readdirSync(outDir)) {
        if (seen.has(file)) continue;
        seen.add(file);
        const totals = /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'));
        if (totals) total += Number(totals[1]);
      }
      return total;
    },
    async close() {
      await new Promise((done) => {
        child.once('exit', done);
        child.send('close');
      });
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

const load = (options, amount) =>
  autocannon({ ...options, amount, connections: 10 }).then((result) => {
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(
        `${result.non2xx} non-2xx answers and ${result.errors} errors: fix them first`,
      );
  });

async function portalWithSecret(url, id) {
  const created = await fetch(`${url}/v1/admin/portals`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  }).then((r) => r.json());
  return created.signingSecret;
}

const scenarios = {
  bareGet: {
    label: 'bare Fastify GET hello',
    kind: 'bare',
    options: async (url) => ({ url: `${url}/hello` }),
  },
  // The same body, schema and signing headers as ingestion, answered without checking or storing:
  // what any validated JSON POST costs before the relay does its own work.
  barePost: {
    label: 'bare Fastify POST, same schema',
    kind: 'bare-post',
    options: async (url) => ({
      url,
      requests: signedSuspensionRequests('/event', 'not-checked', 'instr'),
    }),
  },
  state: {
    label: 'relay GET state',
    kind: 'relay',
    options: async (url) => {
      await portalWithSecret(url, '7654321');
      await fetch(`${url}/v1/portals/7654321/clear`, {
        method: 'POST',
        headers: { authorization: ADMIN, 'content-type': 'application/json' },
        body: '{}',
      });
      return { url: `${url}/v1/portals/7654321/state`, headers: { authorization: ADMIN } };
    },
  },
  ingestion: {
    label: 'relay signed ingestion',
    kind: 'relay',
    env: { BENCH_OUTBOX: 'off' },
    options: async (url) => ({
      url,
      requests: signedSuspensionRequests(
        '/v1/portals/1234567/suspensions',
        await portalWithSecret(url, '1234567'),
        'instr',
      ),
    }),
  },
};

async function measure([key, scenario]) {
  const server = await startCounted(scenario.kind, scenario.env ?? {});
  try {
    const options = await scenario.options(server.url);
    await load(options, WARMUP);
    // Windows shown as they come (a scenario takes minutes).
    const countWindow = async () =>
      Math.round((await server.count(() => load(options, COUNTED))) / COUNTED);
    const show = (n, count, note = '') =>
      console.log(
        `  ${scenario.label.padEnd(32)} window ${n}: ${(count / 1000).toFixed(1)}k instructions/request${note}`,
      );
    const leftOut = [];
    for (let i = 0; i < LEFT_OUT; i++) {
      leftOut.push(await countWindow());
      show(i + 1, leftOut.at(-1), ' (left out)');
    }
    const windows = [];
    for (let i = 0; i < WINDOWS; i++) {
      windows.push(await countWindow());
      show(LEFT_OUT + i + 1, windows.at(-1));
    }
    const perRequest = Math.round(windows.reduce((sum, count) => sum + count, 0) / windows.length);
    const spread =
      Math.round(((Math.max(...windows) - Math.min(...windows)) / perRequest) * 1000) / 1000;
    console.log(
      `  ${scenario.label.padEnd(32)} ${(perRequest / 1000).toFixed(1).padStart(7)}k instructions/request (mean of ${windows.length} windows, ${(Math.min(...windows) / 1000).toFixed(1)}-${(Math.max(...windows) / 1000).toFixed(1)}k)`,
    );
    windowsOf[key] = { leftOut, windows, spread };
    return [key, perRequest];
  } finally {
    await server.close();
  }
}

console.log(
  `relay instructions bench: callgrind, ${WARMUP} requests to warm up, then windows of ${COUNTED} (the first ${LEFT_OUT} left out, the mean of the next ${WINDOWS} kept), 10 connections`,
);
// BENCH_INSTR_PARALLEL scenarios at a time (default 1; 2 takes half the time). The count of one
// request barely depends on what else runs, but not at all is too strong: a server slowed by a
// neighbour reads more requests per turn of its event loop and shares that turn's costs among
// them, and GC and JIT land differently. Seen on 29 Nov 2026: two at a time counted the same code
// at 86-91k (bare GET) and 146-158k (GET state) across runs; one at a time, 86k and 145k.
const PARALLEL = Math.max(1, Number(process.env.BENCH_INSTR_PARALLEL ?? 1));
const entries = Object.entries(scenarios);
const perRequest = {};
/** Each scenario's window counts (those left out, those used; the value is the mean of the used ones) and their spread (max - min over the mean). */
const windowsOf = {};
for (let i = 0; i < entries.length; i += PARALLEL)
  Object.assign(
    perRequest,
    Object.fromEntries(await Promise.all(entries.slice(i, i + PARALLEL).map(measure))),
  );

const ratio = (relay, bare) => Math.round((perRequest[bare] / perRequest[relay]) * 1000) / 1000;
const report = {
  metrics: [
    ...Object.entries(scenarios).map(([key, s]) => ({
      metric: `${key}.instructionsPerRequest`,
      value: perRequest[key],
      unit: `instructions (${s.label})`,
    })),
    // Bare's cost over the relay's: what the throughput ratio would be if time followed instructions.
    { metric: 'state.bareOverRelay', value: ratio('state', 'bareGet'), unit: 'ratio', target: 0.7 },
    {
      metric: 'ingestion.bareOverRelay',
      value: ratio('ingestion', 'bareGet'),
      unit: 'ratio',
      target: 0.3,
    },
    { metric: 'ingestion.barePostOverRelay', value: ratio('ingestion', 'barePost'), unit: 'ratio' },
  ],
  at: new Date().toISOString(),
  node: process.version,
  requestsPerWindow: COUNTED,
  warmup: WARMUP,
  windowsLeftOut: LEFT_OUT,
  windowsUsed: WINDOWS,
  windows: windowsOf,
};
for (const m of report.metrics.slice(-3))
  console.log(
    `  ${m.metric.padEnd(32)} ${m.value}${m.target ? ` (throughput target ${m.target})` : ''}`,
  );
const out = join(repoRoot, 'artifacts', 'bench', 'relay-instructions.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
const labels = Object.fromEntries(Object.entries(scenarios).map(([key, s]) => [key, s.label]));
writeFileSync(
  out.replace(/\.json$/, '.svg'),
  instructionsChart(perRequest, labels, { state: 0.7, ingestion: 0.3 }),
);
console.log(`written ${out} and relay-instructions.svg beside it`);
