import { accessSync, constants } from 'node:fs';
import { dirname, join, posix, win32 } from 'node:path';
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

/** Whether `path` is a program there (the file system; a test's stand-in). */
type ExecutableCheck = (path: string) => boolean;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A drive's path (C:\…) or a share's (\\server\share…): one that does not depend on the current directory. */
const WINDOWS_ABSOLUTE = /^(?:[a-z]:[\\/]|[\\/]{2}[^\\/])/i;

/**
 * The first `sf` on PATH, as the CLI would start it. On Windows that is the one
 * @sync-doctor/salesforce starts by its full path (sfOnWindowsPath): sf.cmd, else sf.exe, in
 * PATH's drive or share paths alone. An empty or relative entry (the current directory, or one
 * below it, which cmd.exe would search for a bare name before PATH) is passed over, and so is one
 * with a `%`, as there.
 */
export function sfOnPath(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  exists: ExecutableCheck = executable,
): string | undefined {
  if (platform === 'win32') {
    // Windows' own environment is case-insensitive; a copy of it is not.
    const key = Object.keys(env).find((name) => name.toLowerCase() === 'path');
    for (const entry of (key === undefined ? '' : (env[key] ?? '')).split(win32.delimiter)) {
      // cmd.exe reads a PATH entry with its quotes ("C:\Program Files\sf\bin") without them.
      const dir = entry.replace(/"/g, '');
      if (!WINDOWS_ABSOLUTE.test(dir) || dir.includes('%')) continue;
      for (const name of ['sf.cmd', 'sf.exe']) {
        const candidate = win32.join(dir, name);
        if (exists(candidate)) return candidate;
      }
    }
    return undefined;
  }
  const path = env.PATH ?? env.Path ?? '';
  for (const dir of path.split(posix.delimiter)) {
    if (!dir) continue;
    const candidate = posix.join(dir, 'sf');
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/** A node_modules/.bin/sf in `start` or a directory above it. */
function sfInNodeModules(start: string): string | undefined {
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
  exists: ExecutableCheck = executable,
): SfCommand {
  const found = sfOnPath(env, platform, exists);
  if (found)
    return IN_NODE_MODULES_BIN.test((platform === 'win32' ? win32 : posix).dirname(found))
      ? 'npx sf'
      : 'sf';
  return places.some((place) => sfInNodeModules(place)) ? 'npx sf' : 'sf';
}
