#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
// HTTP keep-alive sockets to Salesforce may hold the event loop for seconds after the answer is
// printed; stdout and stderr are synchronous on Linux pipes and files, so leaving now loses nothing.
setTimeout(() => process.exit(code), 50).unref();
