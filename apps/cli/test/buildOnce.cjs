// Jest globalSetup: the end-to-end tests run `node dist/bin.js`, which imports the built packages.
// Under `npm test` turbo builds first; run alone (`npm test -w apps/cli`), a stale or missing dist
// is rebuilt here, workspace by workspace in dependency order, only when its sources are newer.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const WORKSPACES = [
  ['packages/core', 'dist/index.js'],
  ['packages/org-simulator', 'dist/index.js'],
  ['packages/salesforce', 'dist/index.js'],
  ['apps/cli', 'dist/bin.js'],
];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

module.exports = async function buildOnce() {
  for (const [workspace, output] of WORKSPACES) {
    const dir = join(root, workspace);
    const built = join(dir, output);
    if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(dir, 'src'))) continue;
    execFileSync('npm', ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' });
  }
};
