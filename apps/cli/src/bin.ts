#!/usr/bin/env node
import { stopChildren } from './children.js';
import { EXIT, errorJson, type OutputStream } from './io.js';
import { interrupted } from './junitFile.js';
import { main, wantsJson } from './main.js';

const argv = process.argv.slice(2);
/** Whether anything went to stdout yet: an interruption then adds no second JSON document. */
let stdoutWritten = false;
/**
 * The exit code once SIGINT or SIGTERM came: the check then still winds down while the Salesforce
 * CLI's exit is awaited, and what it finds (sf stopped, say) is not printed after the
 * interruption's own message and JSON.
 */
let interruptedWith: number | undefined;
const stdout: OutputStream = {
  write: (chunk: string) => {
    if (interruptedWith !== undefined) return true;
    stdoutWritten = true;
    return process.stdout.write(chunk);
  },
  get isTTY() {
    return process.stdout.isTTY;
  },
  get columns() {
    return process.stdout.columns;
  },
};

// A reader that stops early (`check --json | head`, a pager quit) closes the pipe: the rest of the
// output is not wanted, and the exit code still says what the diagnosis found. Any other failure
// to write stdout (a full disk: ENOSPC) leaves the report or the JSON cut short where a pipeline
// expects it whole: that is exit 2, said in one line. Without a listener Node throws either as an
// uncaught exception: a stack trace, and exit 1, which reads as findings.
let stdoutFailed: NodeJS.ErrnoException | undefined;
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    if (stream === process.stdout) stdoutFailed ??= error;
  });

// Ctrl-C (or a pipeline cancelled with SIGTERM) mid-run: Node's default would end the process with
// the spinner's line left on the terminal and the prompt written after it. The line is cleared and
// the exit code is the shell's usual 128 + the signal's number.
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
] as const)
  process.once(signal, () => {
    // A second signal while the first waits for the Salesforce CLI: end now.
    if (interruptedWith !== undefined) process.exit(interruptedWith);
    const message = `interrupted (${signal}) before the check finished; the org was only read, nothing in it changed.`;
    process.stderr.write(`${process.stderr.isTTY ? '\r\u001b[K' : ''}sync-doctor: ${message}\n`);
    // `timeout 300 sync-doctor check --json > out.json`: the file holds an error object, as for
    // every other failure, not nothing. Running again may well finish.
    if (wantsJson(argv) && !stdoutWritten)
      process.stdout.write(errorJson({ errorCode: 'INTERRUPTED', message, signal }, true));
    // --junit: the report says so, rather than being missing (or a previous run's).
    interrupted(signal);
    interruptedWith = 128 + number;
    process.exitCode = interruptedWith;
    // The Salesforce CLI (sf, for --target-org) is a process of its own: stopped and its exit
    // awaited (briefly), so a cancelled pipeline leaves no sf behind.
    void stopChildren().finally(() => process.exit(interruptedWith));
  });

const stderr: OutputStream = {
  write: (chunk: string) => (interruptedWith === undefined ? process.stderr.write(chunk) : true),
  get isTTY() {
    return process.stderr.isTTY;
  },
  get columns() {
    return process.stderr.columns;
  },
};

const code = await main(argv, {
  stdout,
  stderr,
  env: process.env,
  cwd: process.cwd(),
});
// HTTP keep-alive sockets to Salesforce may hold the event loop for seconds after the answer is
// printed, so the process ends itself, but only once stdout and stderr have taken everything:
// pipes are asynchronous on macOS (and wherever a tool left the descriptor non-blocking), and
// `check --json | jq` on a large org would otherwise get a cut JSON document.
const drained = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));
await drained(process.stdout);
if (stdoutFailed)
  process.stderr.write(
    `sync-doctor: could not write the output to stdout (${stdoutFailed.code ?? stdoutFailed.message}), so it is incomplete: check the file or disk it goes to, and run again.\n`,
  );
const exitCode = interruptedWith ?? (stdoutFailed ? EXIT.couldNotDiagnose : code);
process.exitCode = exitCode;
await drained(process.stderr);
setTimeout(() => process.exit(interruptedWith ?? exitCode), 50).unref();
