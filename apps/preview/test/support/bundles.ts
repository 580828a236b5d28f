import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { previewRoot } from '../../previewRoot.cjs';
import { DEFAULT_OUT_DIR } from '../../src/client/paths.js';
import { CHROMIUM_PATH, missingBrowserMessage } from '../../src/e2e/chromium.js';
import { compiledScript } from './compiled.js';

/** Where the tests' bundles go (built when stale, reused across files and runs). */
export const TEST_BUILD_DIR = path.join(previewRoot, '.test-build');
export const SAMPLE_COMPONENTS_DIR = path.join(previewRoot, 'test-fixtures', 'lwc');
export const SAMPLE_ROOT = 'c/previewSample';
export const BUILD_TIMEOUT_MS = 300_000;

export const bundleDir = (name: string): string => path.join(TEST_BUILD_DIR, name);

/**
 * The LWC compiler is ESM-only and jest runs CommonJS, so bundles are built by the compiled build CLI
 * in a child process (compiled first when its sources are newer than dist).
 */
function runBuildCli(args: string[]): void {
  const cli = compiledScript('client/buildCli.js');
  execFileSync(process.execPath, [cli, ...args], {
    cwd: previewRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A build of the sample component (cold builds take tens of seconds: give beforeAll room). */
export function sampleBundle(shadow: 'synthetic' | 'native'): string {
  const outDir = bundleDir(`sample-${shadow}`);
  runBuildCli([
    '--components',
    SAMPLE_COMPONENTS_DIR,
    '--root',
    SAMPLE_ROOT,
    '--shadow',
    shadow,
    '--out',
    outDir,
  ]);
  return outDir;
}

/**
 * The real force-app app, the very bundle `npm start` serves (dist/public): `npm test` runs after
 * `npm run build`, so this is normally fresh and costs nothing.
 */
export function appBundle(): string {
  runBuildCli([]);
  return DEFAULT_OUT_DIR;
}

/** Never a silent skip: without the browser the suite fails and says what to install. */
export function requireChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const required =
    process.env.SYNC_DOCTOR_REQUIRE_BROWSER === '1' ? ' (SYNC_DOCTOR_REQUIRE_BROWSER=1)' : '';
  throw new Error(missingBrowserMessage() + required);
}
