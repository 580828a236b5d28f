#!/usr/bin/env node
// The command npm links as `sync-doctor`. It is committed (not built) so that `npm ci` links it
// even before `dist/` exists; npm skips a bin whose file is missing, and `npx sync-doctor` would
// then look for a package of that name on the registry instead.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'sync-doctor is not built yet: run `npm run build` at the repository root first.\n',
  );
  process.exit(2);
}
await import(built.href);
