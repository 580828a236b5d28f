/**
 * `npm start` (and `npm run build -w apps/preview`) rebuild the browser bundle only when an input
 * really changed. Every `npm run build` rewrites force-app's syncDoctorCore.js with the same text
 * (apps/salesforce-package's build), so a check by modification time rebuilt the bundle, about 30 s,
 * on every `npm start`: what counts is the inputs' content.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { previewRoot } from '../previewRoot.cjs';
import {
  BUILD_TIMEOUT_MS,
  SAMPLE_COMPONENTS_DIR,
  SAMPLE_ROOT,
  TEST_BUILD_DIR,
} from './support/bundles.js';
import { compiledScript } from './support/compiled.js';

// Under the preview's folder: the LWC compiler looks for its configuration (package.json) upwards.
const workDir = path.join(TEST_BUILD_DIR, `freshness-${process.pid}`);
const componentsDir = path.join(workDir, 'lwc');
const outDir = path.join(workDir, 'out');
const sampleScript = path.join(componentsDir, 'previewSample', 'previewSample.js');

/** The build CLI as `npm run build -w apps/preview` runs it. */
function build(): string {
  return execFileSync(
    process.execPath,
    [
      compiledScript('client/buildCli.js'),
      '--components',
      componentsDir,
      '--root',
      SAMPLE_ROOT,
      '--out',
      outDir,
    ],
    { cwd: previewRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
}

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  cpSync(SAMPLE_COMPONENTS_DIR, componentsDir, { recursive: true });
  expect(build()).toMatch(/^preview: built /);
}, BUILD_TIMEOUT_MS);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

it(
  'does not rebuild when a component file is rewritten with the same content',
  () => {
    const later = new Date(Date.now() + 60_000);
    writeFileSync(sampleScript, readFileSync(sampleScript));
    utimesSync(sampleScript, later, later);
    expect(build()).toMatch(/^preview: .* is up to date/);
  },
  BUILD_TIMEOUT_MS,
);

it(
  "rebuilds when a component's content changes, once",
  () => {
    writeFileSync(
      sampleScript,
      `${readFileSync(sampleScript, 'utf8')}\n// freshness-marker-${process.pid}\n`,
    );
    expect(build()).toMatch(/^preview: built /);
    expect(build()).toMatch(/^preview: .* is up to date/);
  },
  BUILD_TIMEOUT_MS,
);
