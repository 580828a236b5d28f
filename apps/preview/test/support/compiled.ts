import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { previewRoot, repoRoot } from '../../previewRoot.cjs';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The path of a compiled script of the preview (`client/buildCli.js`, `start.js`), compiled first
 * when its sources are newer than dist: the scripts are ESM with top-level await (and the LWC
 * compiler is ESM-only), so the tests run them as `npm start` does, in a child process.
 */
export function compiledScript(relative: string): string {
  const script = path.join(previewRoot, 'dist', relative);
  if (!existsSync(script) || statSync(script).mtimeMs < newest(path.join(previewRoot, 'src'))) {
    execFileSync(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
      ],
      { cwd: previewRoot, stdio: 'inherit' },
    );
  }
  return script;
}
