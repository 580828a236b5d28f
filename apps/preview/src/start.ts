// `npm start`: build the browser bundle if needed, then run the org simulator, the relay and the
// preview together, and print where to look and how to send a demo suspension.
import { parseArgs } from 'node:util';
import { FIXTURE_NAMES, isFixtureName } from '@sync-doctor/org-simulator';
import { ensurePreviewBundle } from './client/build.js';
import { demoSuspensionCurl } from './demo/curlLine.js';
import { DEFAULT_FIXTURE, startPreviewStack } from './demo/previewStack.js';

const HELP = `sync-doctor preview: the Sync Doctor app on a demo org, at http://127.0.0.1:3000/

Usage: npm start [-- --fixture NAME] [--port N] [--host H] [--data-dir DIR] [--log]

  --fixture   demo org (default ${DEFAULT_FIXTURE}): ${FIXTURE_NAMES.join(', ')}
  --port      port (default $PORT or 3000)
  --host      interface (default 127.0.0.1)
  --data-dir  keep the relay's SQLite store there (default: a temporary one)
  --log       print the relay's request log
`;

const { values } = parseArgs({
  options: {
    fixture: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    log: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const fixture = values.fixture ?? DEFAULT_FIXTURE;
if (!isFixtureName(fixture)) {
  console.error(`Unknown fixture "${fixture}". One of: ${FIXTURE_NAMES.join(', ')}`);
  process.exit(2);
}
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('--port (or PORT) must be a port number');
  process.exit(2);
}

const bundle = await ensurePreviewBundle();
if (bundle.built)
  console.log(`Built the browser bundle in ${(bundle.milliseconds / 1000).toFixed(1)} s.`);

const stack = await startPreviewStack({
  fixture,
  port,
  host: values.host ?? '127.0.0.1',
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  log: values.log ?? false,
});

console.log(`
Sync Doctor is running on the demo org "${fixture}": ${stack.url}/

Send a demo suspension from HubSpot's side (signed like a real webhook); it shows up live:

${demoSuspensionCurl(stack)}

Switch the demo org with the selector on the page, or: curl -X POST ${stack.url}/preview/fixture -H 'content-type: application/json' -d '{"fixture":"healthy"}'
Ctrl+C stops everything.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
