import { parseArgs } from 'node:util';
import { UsageError } from './io.js';
import { sfCommand } from './sfCommand.js';
import { wrapText } from './render/table.js';
import { suspensionLiftedClause } from '@sync-doctor/core';

/**
 * Exit 1's line: how a relayed suspension ends depends on its reason (the core's
 * suspensionLiftedClause, said generically here), not always "until it is cleared in HubSpot".
 */
const EXIT_ONE = wrapText(
  `findings at or above --fail-on, or HubSpot reports the sync suspended (or the relay suspects it): stderr and --json's "exit" say which. A suspension fails whatever Salesforce's side looks like: the sync is stopped ${suspensionLiftedClause()}`,
  84,
).join('\n       ');

const EXIT_CODES = `Exit codes:
  0    healthy: every check made, nothing at or above --fail-on, no suspension relayed
       (at-risk findings pass unless --fail-on warning; unmade checks pass with
       --allow-unchecked)
  1    ${EXIT_ONE}
  2    could not diagnose, and running again will not help until something is fixed: a usage
       mistake, a file, credentials or a session, your own user's rights, the integration user
  3    nothing fails, but not every check could be made (your user lacks e.g. Manage Users or
       Manage Connected Apps, or may not read HubSpot_Sync_Status__c, or the org lacks Sync
       Doctor's package, so a relayed suspension would go unseen): this run cannot vouch for
       the org. Check the rest by hand, run as an admin who can, or accept it with
       --allow-unchecked
  75   could not diagnose for now: the network, a timeout, Salesforce unavailable (5xx) or out of
       API requests, --deadline reached (TIMED_OUT); the same command may succeed later (retry
       it, e.g. GitLab retry:exit_codes). Out of API requests (reason API_LIMIT_EXCEEDED) is
       itself a HubSpot suspension cause and can last 24 h: page when it repeats
  129, 130, 143  interrupted: SIGHUP, Ctrl-C (SIGINT) or SIGTERM
When several apply, the first of 2, 1, 3 wins (a suspension with unmade checks is 1).`;

const MAIN_SYNOPSIS = `Usage: sync-doctor <command> [options]

Commands:
  check     Read the HubSpot integration user's access in a Salesforce org and judge it
  explain   Explain a suspension reason code, a HubSpot notification or a Salesforce error`;

export const MAIN_USAGE = `${MAIN_SYNOPSIS}

Options:
  -h, --help     Show help (also: sync-doctor <command> --help)
  -v, --version  Show the version

${EXIT_CODES}`;

const DEFAULT_TIMEOUT_SECONDS = 60;
/** Longer than any single REST request Sync Doctor makes should take; a typo like 6000 is refused. */
const MAX_TIMEOUT_SECONDS = 600;
/** Longer than a whole check should ever take; a typo like 6000 (seconds) is refused. */
const MAX_DEADLINE = '1h';
const MAX_DEADLINE_MS = 3_600_000;

// Within 80 columns: a usage error prints these lines to a terminal of any width.
const CHECK_SYNOPSIS = `Usage: sync-doctor check --target-org ALIAS [options]
       sync-doctor check --instance-url URL [--access-token TOKEN] [options]
       sync-doctor check --jwt --client-id ID --key-file FILE --username USER
       sync-doctor check --demo FIXTURE [options]`;

export const CHECK_USAGE = `${CHECK_SYNOPSIS}

How to reach the org (exactly one):
  --target-org ALIAS              an org the Salesforce CLI (sf) has authorised
  --instance-url URL --access-token TOKEN
                                  a session id; better from SYNC_DOCTOR_ACCESS_TOKEN (a flag's
                                  value shows in ps, shell history and echoed CI scripts)
  --jwt --client-id ID --key-file FILE --username USER [--login-url URL]
                                  OAuth 2.0 JWT bearer flow (login URL default
                                  https://login.salesforce.com)
  --demo FIXTURE                  a simulated org, e.g. read-only-contacts, healthy, api-disabled,
                                  restricted-ip, admin-approved-app, sync-stopped

Options:
  --user USERNAME       the HubSpot integration user (username or User id). Without it,
                        --demo checks the fixture's integration user, and --target-org,
                        --instance-url and --jwt look for it as the Sync Doctor package does:
                        users holding an OAuth token of HubSpot's connected app, the "HubSpot
                        Integration Permissions" permission set, or the choice saved in Sync
                        Doctor's settings. The user with the most of that evidence (then
                        the active one) is checked and named on stderr with the others
                        found; a tie, or nobody, exits 2 listing the candidates, so you
                        pass --user
  --requirements FILE   JSON (UTF-8, or UTF-16 with a byte order mark; at most 10 MB) with
                        extra requirements (objects, fields, permissionSets, systemPermissions)
                        merged into HubSpot's defaults; "replaceDefaults": true uses the file
                        alone. Either way, the fields and objects HubSpot's exported sync
                        errors (relayed on the status record) say it could not write are
                        checked too, for read and edit
  --portal ID           the HubSpot portal whose relayed suspension status to show, when the
                        org holds several (default: the only one, else the most recently updated)
  --json                print the diagnosis as JSON on stdout, with beside its keys
                        hubspotReported (HubSpot's relayed status, its exported sync errors in
                        status.syncErrors when relayed, each group with its kind, label,
                        advice, fields and objects; or null) and the read state
                        of the optional sections: frozen, loginHistory and connectedApps, each
                        { "read": true, ... } or { "read": false, "cause", "errorCode"?,
                        "message" } (null when not asked). Unread, no finding about that
                        section means "not checked", not "fine": the diagnosis's "unchecked"
                        lists those checks, each with how to make it by hand ("byHand"), and
                        is absent when all were made ("healthy" with it is partly checked).
                        "exit": { "code", "reason", "message" } says the exit and why (reason:
                        healthy, unchecked-allowed, findings, suspended or unchecked).
                        Every document, the error object too, starts with "schemaVersion": 1:
                        within a version keys are only added; one removed or changed takes a
                        new version
  --json-schema         print the JSON Schema (draft-07) of --json's output, and exit 0
  --report              print the plain-text report for a support ticket instead of tables
  --fail-on LEVEL       error (default) or warning: the lowest finding severity that exits 1
  --allow-unchecked     exit 0, not 3, when nothing fails but a check could not be made (a
                        deliberately restricted account); --json's "unchecked" still lists them
  --junit FILE          also write the diagnosis as a JUnit XML report to FILE, for CI test
                        views: a testsuite per area, a testcase per required object, field,
                        permission and limit, failing on errors (and warnings with --fail-on
                        warning) and on a suspension HubSpot reported; a check not made is
                        skipped; when the check cannot run, one failing testcase says why. The
                        directory must exist; FILE is replaced whole, never left half-written;
                        a symbolic link is followed, a device or a pipe (/dev/stdout) refused
  --timeout SECONDS     give up on a Salesforce request not fully answered (headers and body)
                        after this long (default ${DEFAULT_TIMEOUT_SECONDS})
  --deadline DURATION   give up on the whole check after this long, the Salesforce CLI (sf) and
                        every request included: 90s, 5m, 1m30s, 500ms or plain seconds (90), at
                        most ${MAX_DEADLINE}. It then stops what runs (requests, sf), exits 75 with
                        TIMED_OUT and says what had been read (in --json and --junit too).
                        Without it the check has no overall limit. --timeout still bounds each
                        request and sf call within it: whichever comes first ends the check
  -q, --quiet           no progress on stderr and no colour there; errors and the lines naming
                        the user checked stay. stdout (tables, --json, --report) is unchanged
  -h, --help            show this help

An option given twice is refused (exit 2) rather than the last one taken.
Sync Doctor never follows a redirect (the token would go with it): if the org answers with one,
it exits 2 naming the new address; after a My Domain change, pass the new URL to --instance-url.
With --json, every failure is also a JSON object on stdout:
{ "schemaVersion": 1, "error": { "errorCode": ..., "message": ..., "retryable": true | false } },
retryable being true exactly when the exit code is 75 (or 129/130/143).

${EXIT_CODES}`;

// Within 80 columns, as CHECK_SYNOPSIS.
const EXPLAIN_SYNOPSIS = `Usage: sync-doctor explain REASON_CODE
       sync-doctor explain "HubSpot notification text or Salesforce error text"`;

export const EXPLAIN_USAGE = `${EXPLAIN_SYNOPSIS}

Examples:
  sync-doctor explain OBJECT_PERMISSIONS_MISSING
  sync-doctor explain "Manglende objekttilladelser"
  sync-doctor explain "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded."

Options:
  --json       print the catalog entry as JSON
  -h, --help   show this help`;

/** Whose usage a usage error shows: the command line's, `check`'s or `explain`'s. */
export type UsageOf = 'main' | 'check' | 'explain';

/**
 * What a usage error prints under its one line: the command's synopsis and where the whole help
 * is, as git, npm and gh do. The whole help (some 70 lines for check) would push the error itself
 * off the screen.
 */
export function usageBrief(of: UsageOf): string {
  switch (of) {
    case 'check':
      return `${CHECK_SYNOPSIS}\nRun 'sync-doctor check --help' for all options.`;
    case 'explain':
      return `${EXPLAIN_SYNOPSIS}\nRun 'sync-doctor explain --help' for all options.`;
    default:
      return `${MAIN_SYNOPSIS}\n\nRun 'sync-doctor --help' for all options and the exit codes.`;
  }
}

export type CheckAuth =
  | { kind: 'sf-cli'; targetOrg: string }
  | { kind: 'token'; instanceUrl: string; accessToken: string }
  | { kind: 'jwt'; clientId: string; keyFile: string; username: string; loginUrl?: string }
  | { kind: 'demo'; fixture: string };

export interface CheckArgs {
  help: boolean;
  auth?: CheckAuth;
  user?: string;
  requirementsFile?: string;
  /** HubSpot portal id: whose relayed suspension status to show when the org holds several. */
  portal?: string;
  json: boolean;
  /** --json-schema: print the JSON Schema of --json's output instead of checking. */
  jsonSchema: boolean;
  report: boolean;
  /** --junit: where to write the JUnit XML report, as given (resolved against the cwd by the command). */
  junit?: string;
  failOn: 'error' | 'warning';
  /** --allow-unchecked: a check the reader could not make (the core's `unchecked`) does not exit 3. */
  allowUnchecked: boolean;
  /** --timeout: per Salesforce request (and Salesforce CLI call), in milliseconds. */
  timeoutMs: number;
  /** --deadline: the whole check's deadline, in milliseconds; undefined for none. */
  deadlineMs?: number;
  /** --quiet: no progress on stderr. */
  quiet: boolean;
}

export interface ExplainArgs {
  help: boolean;
  json: boolean;
  text: string;
}

/** node:util parseArgs, with its errors turned into one-line usage errors. */
function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  argv: string[],
  options: T,
  usage: UsageOf,
  allowPositionals: boolean,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals, tokens: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage((error as Error).message), usage);
  }
  // node:util keeps the last of an option given twice: `--target-org prod $EXTRA_ARGS` would then
  // check whichever org came last, without a word. The value is not repeated (it may be a token).
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || options?.[token.name]?.type !== 'string') continue;
    if (seen.has(token.name))
      throw new UsageError(`--${token.name} is given twice: give it once`, usage);
    seen.add(token.name);
  }
  return parsed;
}

/**
 * node:util's messages, made one line. A flag followed by another flag instead of its value
 * (`--demo --json`) is "argument is ambiguous" to node; to the user it is a missing value.
 */
function parseErrorMessage(message: string): string {
  const missingValue =
    /^Option '(-[\w-]+(?:, --[\w-]+)?)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(
      message,
    );
  if (missingValue) return `${missingValue[1]!.split(', ').pop()} needs a value`;
  // `--json=true`: a switch given a value is refused, not read as on or off.
  const switchValue = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
  if (switchValue)
    return `${switchValue[1]} is a switch and takes no value: give ${switchValue[1]} alone (not ${switchValue[1]}=...)`;
  return message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '.');
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
const PLAIN_SECONDS = new RegExp(`^${NUMBER}$`);
// Each unit once, largest first (1h30m, 1m30s): '1m1m' or '30s1m' is more likely a typo than a sum.
const WITH_UNITS = new RegExp(
  `^(?=.)(?:${NUMBER}h)?(?:${NUMBER}m(?!s))?(?:${NUMBER}s)?(?:${NUMBER}ms)?$`,
);
const PART = new RegExp(`(${NUMBER})(ms|s|m|h)`, 'g');

/**
 * A duration as a pipeline writes one: `90s`, `5m`, `1h`, `1m30s`, `500ms` (each unit at most once,
 * largest first), or a plain number of seconds (`90`, `0.5`, as --timeout takes). Milliseconds, or
 * undefined when the text is none of these.
 */
function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (PLAIN_SECONDS.test(value)) return Number(value) * 1000;
  if (!WITH_UNITS.test(value)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit!]!;
  return ms;
}

function parseTimeout(value: string | undefined, usage: UsageOf): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value.trim());
  if (
    value.trim() === '' ||
    !Number.isFinite(seconds) ||
    seconds <= 0 ||
    seconds > MAX_TIMEOUT_SECONDS
  ) {
    throw new UsageError(
      `--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, not '${value}'`,
      usage,
    );
  }
  // At least 1 ms: a value that rounds to 0 would be taken for no timeout at all (the default).
  return Math.max(1, Math.round(seconds * 1000));
}

function parseDeadline(value: string | undefined, usage: UsageOf): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0 || ms > MAX_DEADLINE_MS) {
    throw new UsageError(
      `--deadline takes a duration above 0 and at most ${MAX_DEADLINE}, such as 90s, 5m, 1m30s or plain seconds (90), not '${value}'`,
      usage,
    );
  }
  // At least 1 ms: a value that rounds to 0 would be taken for no deadline at all.
  return Math.max(1, Math.round(ms));
}

function nonEmpty(value: string | undefined, flag: string, usage: UsageOf): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(`${flag} needs a value`, usage);
  return value.trim();
}

/**
 * `places`: where to look for the repository's Salesforce CLI when no `sf` is on PATH, so advice
 * says `npx sf …` to whoever installed it as the README does (sfCommand.ts).
 */
export function parseCheckArgs(
  argv: string[],
  env: Record<string, string | undefined> = {},
  places: string[] = [],
): CheckArgs {
  const { values, positionals } = parse(
    argv,
    {
      'target-org': { type: 'string' },
      'instance-url': { type: 'string' },
      'access-token': { type: 'string' },
      jwt: { type: 'boolean' },
      'client-id': { type: 'string' },
      'key-file': { type: 'string' },
      username: { type: 'string' },
      'login-url': { type: 'string' },
      demo: { type: 'string' },
      user: { type: 'string' },
      requirements: { type: 'string' },
      portal: { type: 'string' },
      json: { type: 'boolean' },
      'json-schema': { type: 'boolean' },
      report: { type: 'boolean' },
      'fail-on': { type: 'string' },
      'allow-unchecked': { type: 'boolean' },
      junit: { type: 'string' },
      timeout: { type: 'string' },
      deadline: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
    'check',
    true,
  );
  const u = 'check';
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'`, u);
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning')
    throw new UsageError(`--fail-on must be 'error' or 'warning', not '${failOn}'`, u);
  const args: CheckArgs = {
    help: values.help === true,
    user: nonEmpty(values.user, '--user', u),
    requirementsFile: nonEmpty(values.requirements, '--requirements', u),
    portal: nonEmpty(values.portal, '--portal', u),
    json: values.json === true,
    jsonSchema: values['json-schema'] === true,
    report: values.report === true,
    junit: nonEmpty(values.junit, '--junit', u),
    failOn,
    allowUnchecked: values['allow-unchecked'] === true,
    timeoutMs: parseTimeout(values.timeout, u),
    deadlineMs: parseDeadline(values.deadline, u),
    quiet: values.quiet === true,
  };
  if (args.json && args.report) throw new UsageError('Choose one of --json and --report', u);
  // stdout carries the tables, --json or --report already; the report needs a file of its own.
  if (args.junit === '-')
    throw new UsageError('--junit needs a file name; it does not write to stdout (-)', u);
  if (args.portal !== undefined && !/^\d{1,20}$/.test(args.portal))
    throw new UsageError(`--portal takes a HubSpot portal id (digits), not '${args.portal}'`, u);
  if (args.help || args.jsonSchema) return args;

  const targetOrg = nonEmpty(values['target-org'], '--target-org', u);
  const instanceUrl = nonEmpty(values['instance-url'], '--instance-url', u);
  const demo = nonEmpty(values.demo, '--demo', u);
  const jwt = values.jwt === true;
  const modes = [
    targetOrg && '--target-org',
    instanceUrl && '--instance-url',
    jwt && '--jwt',
    demo && '--demo',
  ].filter(Boolean);
  if (modes.length === 0)
    throw new UsageError(
      'Say how to reach the org: --target-org, --instance-url with --access-token, --jwt, or --demo',
      u,
    );
  if (modes.length > 1)
    throw new UsageError(`Choose one way to reach the org, not ${modes.join(' and ')}`, u);

  const jwtFlags = (['client-id', 'key-file', 'username', 'login-url'] as const).filter(
    (f) => values[f] !== undefined,
  );
  if (!jwt && jwtFlags.length > 0) throw new UsageError(`--${jwtFlags[0]} only goes with --jwt`, u);
  if (!instanceUrl && values['access-token'] !== undefined)
    throw new UsageError('--access-token only goes with --instance-url', u);

  if (targetOrg) args.auth = { kind: 'sf-cli', targetOrg };
  else if (demo) args.auth = { kind: 'demo', fixture: demo };
  else if (instanceUrl) {
    const accessToken =
      nonEmpty(values['access-token'], '--access-token', u) ??
      nonEmpty(env.SYNC_DOCTOR_ACCESS_TOKEN, 'SYNC_DOCTOR_ACCESS_TOKEN', u);
    if (!accessToken)
      throw new UsageError('--instance-url needs --access-token (or SYNC_DOCTOR_ACCESS_TOKEN)', u);
    // A session id is printable ASCII with no space. A line break from a wrapped copy, a
    // 'Bearer ' prefix or a typographic character would make an HTTP header that Node refuses with
    // an error quoting the whole token, read as one of HubSpot's reasons; it is said here, unquoted.
    if (!/^[\x21-\x7e]+$/.test(accessToken)) {
      const from =
        values['access-token'] !== undefined ? '--access-token' : 'SYNC_DOCTOR_ACCESS_TOKEN';
      throw new UsageError(
        /^bearer\s/i.test(accessToken)
          ? `${from} takes the session id alone, without 'Bearer '`
          : `${from} holds a space, a line break or a character outside ASCII, which no session id has (it is not shown here): copy it again, in one line (${sfCommand(env, places)} org auth show-access-token)`,
        u,
      );
    }
    args.auth = { kind: 'token', instanceUrl, accessToken };
  } else {
    const clientId = nonEmpty(values['client-id'], '--client-id', u);
    const keyFile = nonEmpty(values['key-file'], '--key-file', u);
    // `--key-file="$JWT_KEY"` with the key's text: said without it, as the error would print it.
    if (keyFile && /-----BEGIN|[\r\n]/.test(keyFile))
      throw new UsageError(
        '--key-file takes the path of the private key file, not the key itself (not shown here): write the key to a file and pass its path',
        u,
      );
    const username = nonEmpty(values.username, '--username', u);
    const missing = [
      !clientId && '--client-id',
      !keyFile && '--key-file',
      !username && '--username',
    ].filter(Boolean);
    if (missing.length > 0) throw new UsageError(`--jwt needs ${missing.join(', ')}`, u);
    args.auth = {
      kind: 'jwt',
      clientId: clientId!,
      keyFile: keyFile!,
      username: username!,
      loginUrl: nonEmpty(values['login-url'], '--login-url', u),
    };
  }
  return args;
}

export function parseExplainArgs(argv: string[]): ExplainArgs {
  const { values, positionals } = parse(
    argv,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    'explain',
    true,
  );
  const text = positionals.join(' ').trim();
  if (values.help) return { help: true, json: values.json === true, text };
  if (!text) throw new UsageError('explain needs a reason code or the text to explain', 'explain');
  return { help: false, json: values.json === true, text };
}
