// What a message may repeat of a value given on the command line: the rule of
// @sync-doctor/salesforce (its `secrets` entry point, which loads neither jsforce nor the rest of
// the package), so what the CLI says of a value agrees with what the package says of it.
import { describeGiven, scrubSecrets, showable } from '@sync-doctor/salesforce/secrets';
import type { UsageOf } from './args.js';
import { CHECK_JSON_SCHEMA_VERSION } from './checkJsonSchema.js';

export { describeGiven, showable };

/** What the CLI reads and writes, so tests can run commands in-process with fake streams. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * The run's AbortController: bin.ts aborts it on SIGINT, SIGTERM or SIGHUP (reason: Interrupted), and
   * `check` at its --deadline (DeadlineExceeded). Every Salesforce request and the Salesforce CLI
   * watch its signal, so either stops them. Without it, `check` makes one of its own.
   */
  cancel?: AbortController;
}

/**
 * The width to render for: the terminal's columns (process.stdout.columns), 80 when stdout is not
 * a terminal (a pipe or a file has no width), kept between 40 and `max` so a very wide terminal
 * does not stretch lines past reading.
 */
export function outputWidth(stream: OutputStream, max = 140): number {
  const columns = stream.columns && stream.columns > 0 ? stream.columns : 80;
  return Math.min(Math.max(columns, 40), max);
}

/**
 * Exit codes: 1 is reserved for "findings" (or HubSpot's suspension), so bad usage is 2 like "could
 * not diagnose"; 3 is a diagnosis that could not make every check (commands/check/exit.ts). A failure
 * that passes by itself (the network, a timeout, Salesforce down or out of API requests) is 75,
 * sysexits' EX_TEMPFAIL ("temporary failure; user is invited to retry"), so a pipeline retries
 * that (GitLab's `retry: exit_codes: 75`) and still stops at a command or credentials to fix (2).
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  couldNotDiagnose: 2,
  usage: 2,
  /** Diagnosed, nothing fails, but not every check could be made: the run cannot vouch for the org. */
  unchecked: 3,
  retryLater: 75,
} as const;

/**
 * The JSON --json prints on stdout for every failure: `{ "schemaVersion": 1, "error": { errorCode,
 * ..., retryable } }` (checkJsonSchema.ts).
 * `retryable` says whether the same command may succeed later (exit 75) or someone must act (2).
 */
export function errorJson<E extends { errorCode: string; message: string }>(
  error: E,
  retryable: boolean,
): string {
  return `${JSON.stringify({ schemaVersion: CHECK_JSON_SCHEMA_VERSION, error: { ...error, retryable } }, null, 2)}\n`;
}

/**
 * Text that echoes the command line without a Salesforce session id, a bearer header or a PEM
 * private key in it: what a command line may hold by mistake (the token given to --instance-url or
 * without its flag, the key's text to --key-file). The package's `scrubSecrets`.
 */
export function hideSecrets(text: string): string {
  return scrubSecrets(text);
}

/**
 * A message from below (Salesforce, the package) without the values given on the command line
 * that may be secrets: `--user "$SF_TOKEN"` in a pipeline makes 'No user with username <the token>'.
 */
export function withoutGiven(text: string, given: readonly (string | undefined)[]): string {
  let shown = text;
  for (const value of given)
    if (value && value.length >= 8 && !showable(value)) {
      shown = shown
        .split(`'${value}'`)
        .join(describeGiven(value))
        .split(value)
        .join(describeGiven(value));
    }
  return hideSecrets(shown);
}

/**
 * A mistake in the command line: printed as one line plus the synopsis of `usage`'s command and
 * where its whole help is (args.ts usageBrief), exit 2. The message often
 * quotes what was given, so a secret in the wrong place is left out of it (stderr, --json, --junit
 * and CI logs alike).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: UsageOf,
  ) {
    super(hideSecrets(message));
    this.name = 'UsageError';
  }
}
