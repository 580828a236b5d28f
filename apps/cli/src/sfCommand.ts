import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { SfCommand } from '@sync-doctor/salesforce';

/**
 * How the advice should spell the Salesforce CLI, so a command it suggests works when pasted.
 * The repository's README installs `sf` as a dev dependency and has people type `npx sf …`: npm
 * links it into node_modules/.bin, which is on PATH only inside npm scripts and `npx` (as when
 * `npx sync-doctor` runs this CLI), never in the user's shell. So: `npx sf` when the `sf` this
 * process would start lives in a node_modules/.bin, or when no `sf` is on PATH but one is in a
 * node_modules/.bin above the working directory or the CLI; plain `sf` for an installed CLI.
 * @sync-doctor/salesforce spells its own messages with it (connect's `sfCommand`).
 */
export type { SfCommand } from '@sync-doctor/salesforce';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const NAMES: Record<string, string[]> = { win32: ['sf.cmd', 'sf.exe', 'sf'] };

/** The first `sf` on PATH, as the CLI would start it. */
export function sfOnPath(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const path = env.PATH ?? env.Path ?? '';
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const name of NAMES[platform] ?? ['sf']) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A node_modules/.bin/sf in `start` or a directory above it. */
export function sfInNodeModules(start: string): string | undefined {
  let dir = start;
  for (;;) {
    for (const name of ['sf', 'sf.cmd']) {
      const candidate = join(dir, 'node_modules', '.bin', name);
      if (executable(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const IN_NODE_MODULES_BIN = /[\\/]node_modules[\\/]\.bin$/;

export function sfCommand(
  env: Record<string, string | undefined>,
  places: string[],
  platform: NodeJS.Platform = process.platform,
): SfCommand {
  const found = sfOnPath(env, platform);
  if (found) return IN_NODE_MODULES_BIN.test(dirname(found)) ? 'npx sf' : 'sf';
  return places.some((place) => sfInNodeModules(place)) ? 'npx sf' : 'sf';
}
