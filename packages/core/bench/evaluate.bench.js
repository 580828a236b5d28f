// Bench: evaluateAccess on a large synthetic org, compared with JSON.parse of the same snapshot text.
// 200 assignments, 5,000 object permissions, 100,000 field permissions. Target: ratio <= 1 (the
// diagnosis costs no more than reading the snapshot). Writes artifacts/bench/core.json at the repo root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { evaluateAccess, validateSnapshot } from '../dist/index.js';
import { buildSnapshot } from './synthetic.js';

const WARMUP = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Runs the measured functions in turn, round after round, so that load from other processes on a
// shared machine hits all of them alike; returns the median time of each.
function timeInterleaved(fns) {
  for (let i = 0; i < WARMUP; i++) for (const fn of fns) fn();
  const samples = fns.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    fns.forEach((fn, k) => {
      const start = performance.now();
      fn();
      samples[k].push(performance.now() - start);
    });
  }
  return samples.map(median);
}

const text = JSON.stringify(buildSnapshot());
const snapshot = JSON.parse(text);
const validation = validateSnapshot(snapshot);
if (!validation.ok)
  throw new Error(`synthetic snapshot invalid at ${validation.path}: ${validation.message}`);
const sanity = evaluateAccess(snapshot);
const [parseMs, evaluateMs, validateMs] = timeInterleaved([
  () => JSON.parse(text),
  () => evaluateAccess(snapshot),
  () => validateSnapshot(snapshot),
]);
const ratio = evaluateMs / parseMs;

const result = {
  bench: 'core.evaluateAccess',
  at: new Date().toISOString(),
  node: process.version,
  snapshot: {
    bytes: text.length,
    assignments: snapshot.assignments.length,
    objectPermissions: snapshot.objectPermissions.length,
    fieldPermissions: snapshot.fieldPermissions.length,
  },
  runs: RUNS,
  jsonParseMs: Number(parseMs.toFixed(2)),
  evaluateAccessMs: Number(evaluateMs.toFixed(2)),
  validateSnapshotMs: Number(validateMs.toFixed(2)),
  ratio: Number(ratio.toFixed(3)),
  target: 1,
  pass: ratio <= 1,
  findings: sanity.findings.length,
  verdict: sanity.verdict,
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'artifacts', 'bench', 'core.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

console.log(
  `evaluateAccess: ${result.evaluateAccessMs} ms (median of ${RUNS}) on ${(text.length / 1e6).toFixed(1)} MB; ` +
    `JSON.parse: ${result.jsonParseMs} ms; ratio ${result.ratio} (target <= 1) ${result.pass ? 'PASS' : 'FAIL'}; ` +
    `validateSnapshot: ${result.validateSnapshotMs} ms; verdict ${result.verdict} with ${result.findings} findings`,
);
console.log(`wrote ${out}`);
if (!result.pass) process.exitCode = 1;
