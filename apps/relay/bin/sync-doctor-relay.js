#!/usr/bin/env node
// The command npm links as `sync-doctor-relay`. Committed (not built) so that `npm ci` links it before
// `dist/` exists: npm skips a bin whose file is missing, and npx would then look for a package of
// that name on the registry. The implementation is dist/bin.js (src/bin.ts).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'sync-doctor-relay is not built yet: run `npm run build` at the repository root first.\n',
  );
  process.exit(2);
}
await import(built.href);
