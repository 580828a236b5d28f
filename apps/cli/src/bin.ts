#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`check --json | head`, a pager quit) closes the pipe: the rest of the
// output is not wanted, and the exit code still says what the diagnosis found. Without a listener
// Node throws the EPIPE as an uncaught exception: a stack trace, and exit 1, which reads as findings.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
// HTTP keep-alive sockets to Salesforce may hold the event loop for seconds after the answer is
// printed, so the process ends itself, but only once stdout and stderr have taken everything:
// pipes are asynchronous on macOS (and wherever a tool left the descriptor non-blocking), and
// `check --json | jq` on a large org would otherwise get a cut JSON document.
const drained = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
setTimeout(() => process.exit(code), 50).unref();
