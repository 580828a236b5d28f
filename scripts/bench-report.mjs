// Collects what each workspace's bench wrote to artifacts/bench/<name>.json and prints one table,
// then writes artifacts/bench/summary.json (with the commit) so runs can be compared across commits.
// A bench file is either { metrics: [{ metric, value, unit?, target? }] } or any JSON object whose
// numeric leaves become rows (nested keys joined with dots).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'artifacts', 'bench');
if (!existsSync(dir)) {
  console.error(`No bench results in ${dir}: run the workspace benches first (npm run bench).`);
  process.exit(1);
}

function rowsOf(source, value, prefix = '') {
  if (Array.isArray(value?.metrics)) {
    return value.metrics.map((m) => ({
      source,
      metric: m.metric ?? m.name,
      value: m.value,
      unit: m.unit ?? '',
      target: m.target ?? '',
    }));
  }
  const rows = [];
  for (const [key, child] of Object.entries(value ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'number')
      rows.push({ source, metric: name, value: child, unit: '', target: '' });
    else if (child && typeof child === 'object') rows.push(...rowsOf(source, child, name));
  }
  return rows;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'summary.json')
  .sort();
const rows = files.flatMap((file) =>
  rowsOf(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8'))),
);
const fmt = (v) =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v);
const table = rows.map((r) => [r.source, r.metric, fmt(r.value), r.unit, fmt(r.target)]);
const header = ['bench', 'metric', 'value', 'unit', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));

let commit = null;
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  // not a git checkout: the summary just has no commit
}
writeFileSync(
  join(dir, 'summary.json'),
  JSON.stringify({ at: new Date().toISOString(), commit, rows }, null, 2),
);
console.log(`\nwritten: ${join('artifacts', 'bench', 'summary.json')}`);
