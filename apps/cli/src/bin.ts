#!/usr/bin/env node
import { Interrupted } from './deadline.js';
import { EXIT, errorJson, type OutputStream } from './io.js';
import { interrupted } from './junitFile.js';
import { main, wantsJson } from './main.js';

const argv = process.argv.slice(2);
/** Whether anything went to stdout yet: an interruption then adds no second JSON document. */
let stdoutWritten = false;
/**
 * The exit code once SIGINT, SIGTERM or SIGHUP came: the check then still winds down while the Salesforce
 * CLI's exit is awaited, and what it finds (sf stopped, say) is not printed after the
 * interruption's own message and JSON.
 */
let interruptedWith: number | undefined;
/**
 * The run's AbortController: a signal aborts it, as the check's --deadline does. Every Salesforce
 * request and the Salesforce CLI (sf, for --target-org) watch it through @sync-doctor/salesforce:
 * the requests' sockets are closed, and sf's process group is killed and its exit awaited, so a
 * cancelled pipeline leaves nothing running behind it.
 */
const cancel = new AbortController();
/** How long a cancelled check may take to wind down (sf's exit is awaited for 2 s at most). */
const WIND_DOWN_MS = 5000;
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
// the exit code is the shell's usual 128 + the signal's number. The Salesforce CLI runs in a process
// group and session of its own, which neither the terminal's Ctrl-C nor its hang-up reaches: this
// process stops it (the abort below). SIGHUP (the terminal or the ssh session closed, a CI runner
// or a supervisor hanging up) is met as SIGTERM is, terminal or not, so a cron job or pipeline
// still gets the --json error and the --junit report. (Node resets every signal to its default at
// start, so under nohup SIGHUP ended the process without a word all the same.)
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const)
  process.on(signal, () => {
    // A second signal while the first waits for the Salesforce CLI: end now.
    if (interruptedWith !== undefined) process.exit(interruptedWith);
    const reason = new Interrupted(signal, 128 + number);
    const { message } = reason;
    process.stderr.write(`${process.stderr.isTTY ? '\r\u001b[K' : ''}sync-doctor: ${message}\n`);
    // `timeout 300 sync-doctor check --json > out.json`: the file holds an error object, as for
    // every other failure, not nothing. Running again may well finish.
    if (wantsJson(argv) && !stdoutWritten)
      process.stdout.write(errorJson({ errorCode: 'INTERRUPTED', message, signal }, true));
    // --junit: the report says so, rather than being missing (or a previous run's).
    interrupted(signal);
    interruptedWith = reason.exitCode;
    process.exitCode = interruptedWith;
    // The check stops what it runs and returns (below); should a step not watch the signal, the
    // process ends all the same.
    cancel.abort(reason);
    setTimeout(() => process.exit(interruptedWith), WIND_DOWN_MS).unref();
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
  cancel,
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
