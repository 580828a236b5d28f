// Shared plumbing of the sf:* scripts: argument parsing, finding and running the Salesforce CLI
// (`sf`), and failures an admin can act on. Every command is printed before it runs.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const WORKSPACE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPO_ROOT = path.resolve(WORKSPACE_DIR, '..', '..');
export const PACKAGE_NAME = 'Sync Doctor';
const ADMIN_PERMISSION_SET = 'Sync_Doctor_Admin';
export const APP_PATH = '/lightning/app/c__Sync_Doctor';
/**
 * The Salesforce CLI as an admin types it in a shell: `npx sf`. The CLI these scripts run is the
 * repository's (node_modules/.bin, which npm puts on the scripts' PATH, not on the admin's shell's),
 * so a bare `sf` in a printed hint is "command not found" after `npm ci`.
 */
export const SF_IN_SHELL = 'npx sf';

const INSTALL_HINT =
  'Install the Salesforce CLI with `npm install --global @salesforce/cli` ' +
  '(or see https://developer.salesforce.com/tools/salesforcecli), then check `sf --version`.';

/** A failure whose message says what to do; exit code 2 for bad usage, 1 otherwise. */
export class ScriptError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Parses `--name value` options; unknown or missing ones are usage errors with the usage text, --help prints it. */
export function parseOptions(argv, { options, required, usage }) {
  // --help answers before anything is checked: a question, not a mistake.
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ScriptError(`${error.message}\n\n${usage}`, 2);
  }
  for (const name of required) {
    if (!values[name]) throw new ScriptError(`Missing --${name}.\n\n${usage}`, 2);
  }
  return values;
}

/** The absolute path of `sf` on PATH, or null. */
function findSf(env = process.env) {
  const names = process.platform === 'win32' ? ['sf.cmd', 'sf.exe', 'sf'] : ['sf'];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this PATH entry
      }
    }
  }
  return null;
}

export function requireSf() {
  const sf = findSf();
  if (!sf) throw new ScriptError(`The Salesforce CLI (sf) is not on your PATH. ${INSTALL_HINT}`);
  return sf;
}

function quote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * Runs a command from the repository root, printing it first. With `capture`, returns its stdout
 * (for --json answers) instead of streaming it. Throws a ScriptError when it fails.
 */
export function run(command, args, { capture = false, cwd = REPO_ROOT, what } = {}) {
  console.log(`$ ${[path.basename(command), ...args].map(quote).join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, SF_DISABLE_TELEMETRY: 'true' },
  });
  if (result.error) throw new ScriptError(`Could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const detail = capture ? describeSfFailure(result.stdout, result.stderr) : '';
    throw new ScriptError(
      `${what ?? path.basename(command)} failed (exit code ${result.status}).${detail ? ` ${detail}` : ''}`,
    );
  }
  return result.stdout ?? '';
}

/** The `name: message` of an sf --json error answer, or its stderr. */
function describeSfFailure(stdout = '', stderr = '') {
  try {
    const answer = JSON.parse(stdout);
    return [answer.name, answer.message].filter(Boolean).join(': ');
  } catch {
    return stderr.trim().split('\n').slice(-3).join(' ');
  }
}

/** Fails with the login command to run when the CLI does not know the org (or dev hub). */
export function requireAuthorised(sf, alias, { devHub = false } = {}) {
  const flag = devHub ? '--target-dev-hub' : '--target-org';
  console.log(`Checking that the Salesforce CLI is authorised for ${alias}...`);
  const result = spawnSync(sf, ['org', 'display', '--target-org', alias, '--json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.error)
    throw new ScriptError(`Could not start sf: ${result.error.message}. ${INSTALL_HINT}`);
  if (result.status !== 0) {
    const login = devHub
      ? `${SF_IN_SHELL} org login web --set-default-dev-hub --alias ${alias}`
      : `${SF_IN_SHELL} org login web --alias ${alias}  (add --instance-url https://test.salesforce.com for a sandbox)`;
    throw new ScriptError(
      `The Salesforce CLI is not authorised for "${alias}" (${describeSfFailure(result.stdout, result.stderr) || 'no answer'}).\n` +
        `Log in first: ${login}\nthen run this again with ${flag} ${alias}.`,
    );
  }
}

/** Regenerates the LWC module of @sync-doctor/core (the workspace build) so deploys ship the current core. */
export function regenerateCoreModule() {
  console.log('Regenerating the core module for the LWC (npm run build)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['run', 'build'], { cwd: WORKSPACE_DIR, what: 'npm run build' });
}

/** Assigns Sync_Doctor_Admin to the CLI's user of the org; an existing assignment is fine. */
export function assignAdminPermissionSet(sf, targetOrg) {
  console.log(`Assigning the ${ADMIN_PERMISSION_SET} permission set to you...`);
  const args = [
    'org',
    'assign',
    'permset',
    '--name',
    ADMIN_PERMISSION_SET,
    '--target-org',
    targetOrg,
    '--json',
  ];
  console.log(`$ sf ${args.map(quote).join(' ')}`);
  const result = spawnSync(sf, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  let answer = {};
  try {
    answer = JSON.parse(result.stdout);
  } catch {
    // handled below with stderr
  }
  const failures = answer?.result?.failures ?? answer?.data?.failures ?? [];
  if (result.status === 0 && failures.length === 0) return 'assigned';
  if (
    failures.length > 0 &&
    failures.every((failure) => /duplicate/i.test(failure.message ?? ''))
  ) {
    console.log(`${ADMIN_PERMISSION_SET} was already assigned.`);
    return 'already assigned';
  }
  throw new ScriptError(
    `Assigning ${ADMIN_PERMISSION_SET} failed: ${failures.map((failure) => failure.message).join('; ') || describeSfFailure(result.stdout, result.stderr)}`,
  );
}

export function readProject() {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'sfdx-project.json'), 'utf8'));
}

/** Runs a script body; prints a ScriptError's message (no stack) and exits with its code. */
export function main(body) {
  try {
    body(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ScriptError) {
      console.error(`\nsync-doctor: ${error.message}`);
      process.exit(error.exitCode);
    }
    throw error;
  }
}
