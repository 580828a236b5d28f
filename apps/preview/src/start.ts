// `npm start`: build the browser bundle if needed, then run the org simulator, the relay and the
// preview together, and print where to look and how to send a demo suspension.
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { FIXTURE_NAMES, FIXTURE_SIZES, isFixtureName } from '@sync-doctor/org-simulator';
import { ensurePreviewBundle } from './client/build.js';
import { DEFAULT_FIXTURE, startPreviewStack } from './demo/previewStack.js';
import { dataStorageFull, startBanner } from './demo/startBanner.js';
import { isPreviewVariant, PREVIEW_VARIANT_NAMES } from './demo/variants.js';

const HELP = `sync-doctor preview: the Sync Doctor app on a demo org, at http://127.0.0.1:3000/

Usage: npm start [-- --fixture NAME] [--size SIZE] [--variant NAME]... [--port N] [--host H]
                 [--data-dir DIR] [--log]

  --fixture   demo org (default ${DEFAULT_FIXTURE}): ${FIXTURE_NAMES.join(', ')}
  --size      ${FIXTURE_SIZES.join(' or ')} (large: hundreds of objects and mapped fields)
  --variant   a state laid over the demo org, repeatable: ${PREVIEW_VARIANT_NAMES.join(', ')}
  --port      port (default $PORT or 3000)
  --host      interface (default 127.0.0.1)
  --data-dir  keep the relay's SQLite store there (default: a temporary one)
  --log       print the relay's request log
`;

function usageError(message: string): never {
  console.error(`${message}\n(npm start -- --help lists the options)`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        fixture: { type: 'string' },
        size: { type: 'string' },
        variant: { type: 'string', multiple: true },
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // node's message, without its advice on positionals and without a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    // `--port --log` is "argument is ambiguous" to node; to the user it is a missing value.
    const missing =
      /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(message);
    usageError(
      missing
        ? `${missing[1]} needs a value`
        : message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '.'),
    );
  }
}

const { values } = parseOptions();

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const fixture = values.fixture ?? DEFAULT_FIXTURE;
if (!isFixtureName(fixture)) {
  console.error(`Unknown fixture "${fixture}". One of: ${FIXTURE_NAMES.join(', ')}`);
  process.exit(2);
}
const size = values.size ?? 'default';
if (!(FIXTURE_SIZES as readonly string[]).includes(size))
  usageError(`Unknown size "${size}". One of: ${FIXTURE_SIZES.join(', ')}`);
const variants = values.variant ?? [];
for (const variant of variants) {
  if (!isPreviewVariant(variant))
    usageError(`Unknown variant "${variant}". One of: ${PREVIEW_VARIANT_NAMES.join(', ')}`);
}
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  usageError('--port (or PORT) must be a port number');
const host = values.host ?? '127.0.0.1';

/** A port taken (a second `npm start`) said in one line with what to do, not as a stack trace. */
function listenError(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return `${where} is already in use (another \`npm start\`?): stop that, or choose another port: PORT=4000 npm start, or npm start -- --port 4000`;
  if (code === 'EACCES')
    return `${where} may not be opened by this user (ports below 1024 need root): choose another port: PORT=4000 npm start, or npm start -- --port 4000`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `--host ${host} is not an address of this machine: leave it out (127.0.0.1) or give one of its addresses`;
  return null;
}

// Tried before the browser bundle's build (half a minute when it has to run), so a port already
// taken is said at once; the relay listens on it right after.
if (port !== 0) {
  await new Promise<void>((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => {
      const message = listenError(error);
      if (message) usageError(message);
      resolve(); // anything else: the relay's own listen reports it
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

const bundle = await ensurePreviewBundle();
if (bundle.built)
  console.log(`Built the browser bundle in ${(bundle.milliseconds / 1000).toFixed(1)} s.`);

const stack = await startPreviewStack({
  fixture,
  size: size as (typeof FIXTURE_SIZES)[number],
  variants: variants.filter(isPreviewVariant),
  port,
  host,
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  log: values.log ?? false,
}).catch((error: unknown) => {
  const message = listenError(error);
  if (message) usageError(message);
  throw error;
});

// The lines are for the demo org it starts on: the stack's portal is that org's until a switch.
console.log(
  startBanner({
    url: stack.url,
    fixture,
    size,
    variants,
    portalId: stack.portalId,
    signingSecret: stack.signingSecret,
    org: {
      instanceUrl: stack.sim.url,
      accessToken: stack.sim.accessToken,
      integrationUsername: stack.sim.integrationUser.Username,
      dataStorageFull: dataStorageFull(stack.sim),
    },
  }),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
