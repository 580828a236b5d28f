#!/usr/bin/env node
// Runs the LWC tests with sfdx-lwc-jest's own jest (29), never the root's jest 30.
//
// Why not the `sfdx-lwc-jest` bin: it reads sfdx-project.json from the current directory (so it
// must run at the repo root, while `npm run -w` runs here), and it prepends its own `--config=`
// whenever the root has no jest.config.*, which clashes with ours ("argv.config.match is not a
// function"). So we do what its bin does (spawn the jest it depends on) from the repo root, with
// jest.lwc.config.cjs, which extends sfdx-lwc-jest's own config.
'use strict';

const path = require('node:path');
const { spawn } = require('node:child_process');

const repoRoot = path.resolve(__dirname, '../../..');
const lwcJestDir = path.dirname(require.resolve('@salesforce/sfdx-lwc-jest/package.json'));
// Resolve jest the way sfdx-lwc-jest does (from its own folder), so a hoisted jest 30 cannot win.
const jestPackageJson = require.resolve('jest/package.json', { paths: [lwcJestDir] });
const { version, bin } = require(jestPackageJson);
if (!version.startsWith('29.')) {
  console.error(
    `run-lwc-jest: sfdx-lwc-jest resolved jest ${version} (${jestPackageJson}); it needs jest 29.`,
  );
  process.exit(1);
}
const jestBin = path.resolve(
  path.dirname(jestPackageJson),
  typeof bin === 'string' ? bin : bin.jest,
);
const config = path.join(__dirname, '..', 'jest.lwc.config.cjs');

const child = spawn(process.execPath, [jestBin, '--config', config, ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: process.env,
});
child.on('close', (code, signal) => process.exit(signal ? 1 : code));
