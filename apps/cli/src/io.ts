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
 * Exit codes: 1 is reserved for "findings", so bad usage is 2 like "could not diagnose". A failure
 * that passes by itself (the network, a timeout, Salesforce down or out of API requests) is 75,
 * sysexits' EX_TEMPFAIL ("temporary failure; user is invited to retry"), so a pipeline retries
 * that (GitLab's `retry: exit_codes: 75`) and still stops at a command or credentials to fix (2).
 */
export const EXIT = {
  ok: 0,
  findings: 1,
  couldNotDiagnose: 2,
  usage: 2,
  retryLater: 75,
} as const;

/**
 * The JSON --json prints on stdout for every failure: `{ "error": { errorCode, ..., retryable } }`.
 * `retryable` says whether the same command may succeed later (exit 75) or someone must act (2).
 */
export function errorJson<E extends { errorCode: string; message: string }>(
  error: E,
  retryable: boolean,
): string {
  return `${JSON.stringify({ error: { ...error, retryable } }, null, 2)}\n`;
}

/**
 * A Salesforce session id or OAuth access token (the org id, 00D and 12 or 15 characters, then '!'
 * and the secret), and a PEM private key: what a command line may hold by mistake (the token given
 * to --instance-url or without its flag, the key's text to --key-file).
 */
const SECRETS: [RegExp, string][] = [
  [/\b00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?![^\s'"]+/g, '[an access token, not shown]'],
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    '[a private key, not shown]',
  ],
];

/** Text that echoes the command line, with any access token or private key in it left out. */
export function hideSecrets(text: string): string {
  return SECRETS.reduce(
    (shown, [pattern, placeholder]) => shown.replace(pattern, placeholder),
    text,
  );
}

/** A run of 16+ letters and digits mixing both, or 24+ letters mixing cases: random, as tokens are. */
function randomLooking(run: string): boolean {
  return (
    (run.length >= 16 && /\d/.test(run) && /[A-Za-z]/.test(run)) ||
    (run.length >= 24 && /[a-z]/.test(run) && /[A-Z]/.test(run))
  );
}

/**
 * Whether a value given on the command line may be repeated in progress lines and errors: short,
 * printable ASCII, nothing of a session id ('!'), a key, a UUID (HubSpot's tokens) or a random
 * string. The rule of @sync-doctor/salesforce's secrets.ts (not exported there), so what the CLI
 * says of a value agrees with what the package says of it.
 */
export function showable(value: string): boolean {
  if (value.length === 0 || value.length > 120) return false;
  if (!/^[\x20-\x7e]+$/.test(value)) return false;
  if (value.includes('!') || /BEGIN|PRIVATE KEY/i.test(value)) return false;
  if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(value)) return false;
  return !(value.match(/[A-Za-z0-9]+/g) ?? []).some(randomLooking);
}

/** A given value for a message: quoted when showable, else described by its length only. */
export function describeGiven(value: string): string {
  return showable(value)
    ? `'${value}'`
    : `the value given (${value.length} characters, not shown: it may be a secret)`;
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
 * A mistake in the command line: printed as one line plus the usage, exit 2. The message often
 * quotes what was given, so a secret in the wrong place is left out of it (stderr, --json, --junit
 * and CI logs alike).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(hideSecrets(message));
    this.name = 'UsageError';
  }
}
