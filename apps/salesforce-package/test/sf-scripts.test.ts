// The sf:* scripts, run against a fake `sf` (and `npm`) on PATH that record their arguments and
// answer like the real CLI, so the commands, their order and the failure messages are checked
// without an org.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from './lib/paths.js';

const FAKE = `#!${process.execPath}
// Fake CLI: records its argv, then answers as told by FAKE_* variables.
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const tool = path.basename(process.argv[1]);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify([tool, ...args]) + '\\n');
const line = args.join(' ');
const failOn = process.env.FAKE_FAIL_ON;
if (failOn && (tool + ' ' + line).includes(failOn)) {
  process.stdout.write(JSON.stringify({ status: 1, name: 'FakeFailure', message: 'told to fail on ' + failOn }));
  process.exit(1);
}
if (line.startsWith('org display') && process.env.FAKE_UNAUTHORISED) {
  process.stdout.write(JSON.stringify({ status: 1, name: 'NamedOrgNotFoundError', message: 'No authorization information found for ' + args[3] + '.' }));
  process.exit(1);
}
if (line.startsWith('org assign permset')) {
  const failures = process.env.FAKE_ALREADY_ASSIGNED ? [{ name: 'Sync_Doctor_Admin', message: 'Duplicate PermissionSetAssignment: Assignee=005' }] : [];
  process.stdout.write(JSON.stringify({ status: failures.length ? 1 : 0, result: { successes: [], failures } }));
  process.exit(failures.length ? 1 : 0);
}
if (line.startsWith('package version create')) {
  process.stdout.write(JSON.stringify({ status: 0, result: { Status: 'Success', SubscriberPackageVersionId: '04t000000000001AAA' } }));
}
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[][];
}

let bin: string;
let log: string;

beforeEach(() => {
  bin = mkdtempSync(path.join(tmpdir(), 'sync-doctor-fake-sf-'));
  log = path.join(bin, 'calls.log');
  for (const tool of ['sf', 'npm']) {
    writeFileSync(path.join(bin, tool), FAKE);
    chmodSync(path.join(bin, tool), 0o755);
  }
});

afterEach(() => rmSync(bin, { recursive: true, force: true }));

function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  withSf = true,
): Run {
  if (!withSf) rmSync(path.join(bin, 'sf'));
  const result = spawnSync(
    process.execPath,
    [path.join(WORKSPACE_ROOT, 'scripts', script), ...args],
    {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      // Only the fake tools and the system's basics: a real sf or npm on this machine stays out.
      env: {
        PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`,
        FAKE_LOG: log,
        HOME: bin,
        ...env,
      },
    },
  );
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[])
    : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const commands = (run: Run): string[] => run.calls.map((call) => call.slice(0, 4).join(' '));

describe('sf:deploy', () => {
  it('checks the org, regenerates the core module, deploys the source and assigns Sync_Doctor_Admin', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'my-org']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(commands(run)).toEqual([
      'sf org display --target-org',
      'npm run build',
      'sf project deploy start',
      'sf org assign permset',
    ]);
    expect(run.calls[2]).toEqual([
      'sf',
      'project',
      'deploy',
      'start',
      '--source-dir',
      'force-app',
      '--target-org',
      'my-org',
      '--wait',
      '30',
    ]);
    expect(run.calls[3]).toEqual([
      'sf',
      'org',
      'assign',
      'permset',
      '--name',
      'Sync_Doctor_Admin',
      '--target-org',
      'my-org',
      '--json',
    ]);
    expect(run.stdout).toContain(
      '$ sf project deploy start --source-dir force-app --target-org my-org --wait 30',
    );
    expect(run.stdout).toContain('lightning/app/c__Sync_Doctor');
  });

  it('passes a test level and a dry run through, and assigns nothing on a dry run', () => {
    const run = runScript('sf-deploy.mjs', [
      '--target-org',
      'prod',
      '--test-level',
      'RunLocalTests',
      '--dry-run',
      '--skip-build',
    ]);
    expect(run.status).toBe(0);
    expect(commands(run)).toEqual(['sf org display --target-org', 'sf project deploy start']);
    expect(run.calls[1]).toEqual(
      expect.arrayContaining(['--test-level', 'RunLocalTests', '--dry-run']),
    );
    expect(run.stdout).toContain('Validation passed');
  });

  it('lists --wait in its usage and passes it through', () => {
    // sf:deploy takes --wait (a RunLocalTests deploy of a large org can outlast the 30 minutes):
    // the usage must say so, as the package README's table does.
    const help = runScript('sf-deploy.mjs', ['--help']);
    expect(help.stdout).toMatch(/^\s+--wait\s+minutes to wait for the deploy \(default 30\)$/m);
    const run = runScript('sf-deploy.mjs', [
      '--target-org',
      'prod',
      '--skip-build',
      '--wait',
      '90',
    ]);
    expect(run.status).toBe(0);
    expect(run.calls[1]).toEqual(expect.arrayContaining(['--wait', '90']));
  });

  it('accepts a permission set that is already assigned', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'my-org', '--skip-build'], {
      FAKE_ALREADY_ASSIGNED: '1',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Sync_Doctor_Admin was already assigned');
  });

  it('explains a missing --target-org with the usage', () => {
    const run = runScript('sf-deploy.mjs', []);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Missing --target-org');
    expect(run.stderr).toContain('Usage: npm run sf:deploy');
    expect(run.calls).toEqual([]);
  });

  it.each([
    ['sf-deploy.mjs', 'npm run sf:deploy'],
    ['sf-package-version.mjs', 'npm run sf:package:version'],
    ['sf-install.mjs', 'npm run sf:install'],
  ])('%s --help prints its usage and exits 0, calling nothing', (script, usage) => {
    for (const flag of ['--help', '-h']) {
      const run = runScript(script, [flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Usage: ${usage}`);
      expect(run.calls).toEqual([]);
    }
  });

  it('refuses an unknown option', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'x', '--force']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--force'/);
  });

  it('says how to install sf when it is not on PATH', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'my-org'], {}, false);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The Salesforce CLI (sf) is not on your PATH');
    expect(run.stderr).toContain('npm install --global @salesforce/cli');
    expect(run.calls).toEqual([]);
  });

  it('says how to log in when the org is not authorised, and deploys nothing', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'my-org'], { FAKE_UNAUTHORISED: '1' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('not authorised for "my-org"');
    expect(run.stderr).toContain('NamedOrgNotFoundError');
    // The admin runs it in a shell, where only the repository's CLI is there: through npx.
    expect(run.stderr).toContain('Log in first: npx sf org login web --alias my-org');
    expect(commands(run)).toEqual(['sf org display --target-org']);
  });

  it('stops when the core module cannot be regenerated', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'my-org'], {
      FAKE_FAIL_ON: 'npm run build',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run build failed');
    expect(commands(run)).toEqual(['sf org display --target-org', 'npm run build']);
  });

  it('assigns nothing when the deploy fails', () => {
    const run = runScript('sf-deploy.mjs', ['--target-org', 'my-org', '--skip-build'], {
      FAKE_FAIL_ON: 'project deploy',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('sf project deploy start failed (exit code 1)');
    expect(commands(run)).not.toContain('sf org assign permset');
  });
});

describe('sf:package:version', () => {
  it('creates the package once, then a version with code coverage, and prints how to install it', () => {
    const run = runScript('sf-package-version.mjs', ['--target-dev-hub', 'hub']);
    expect(run.status).toBe(0);
    expect(commands(run)).toEqual([
      'sf org display --target-org',
      'npm run build',
      'sf package create --name',
      'sf package version create',
    ]);
    expect(run.calls[2]).toEqual(
      expect.arrayContaining([
        '--package-type',
        'Unlocked',
        '--path',
        'force-app',
        '--no-namespace',
      ]),
    );
    expect(run.calls[3]).toEqual(
      expect.arrayContaining([
        '--package',
        'Sync Doctor',
        '--code-coverage',
        '--installation-key-bypass',
        '--wait',
        '60',
        '--target-dev-hub',
        'hub',
      ]),
    );
    expect(run.stdout).toContain(
      "$ sf package version create --package 'Sync Doctor' --code-coverage",
    );
    expect(run.stdout).toContain('--package 04t000000000001AAA');
  });

  it('tells a dev hub login apart from an org login', () => {
    const run = runScript('sf-package-version.mjs', ['--target-dev-hub', 'hub'], {
      FAKE_UNAUTHORISED: '1',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Log in first: npx sf org login web --set-default-dev-hub --alias hub',
    );
  });

  it('reports a failed version creation', () => {
    const run = runScript('sf-package-version.mjs', ['--target-dev-hub', 'hub', '--skip-build'], {
      FAKE_FAIL_ON: 'version create',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'sf package version create failed (exit code 1). FakeFailure: told to fail on version create',
    );
  });
});

describe('sf:install', () => {
  it('installs the version for admins and assigns Sync_Doctor_Admin', () => {
    const run = runScript('sf-install.mjs', [
      '--target-org',
      'my-org',
      '--package',
      '04t000000000001AAA',
    ]);
    expect(run.status).toBe(0);
    expect(commands(run)).toEqual([
      'sf org display --target-org',
      'sf package install --package',
      'sf org assign permset',
    ]);
    expect(run.calls[1]).toEqual(
      expect.arrayContaining([
        '04t000000000001AAA',
        '--target-org',
        'my-org',
        '--security-type',
        'AdminsOnly',
        '--no-prompt',
      ]),
    );
  });

  it('refuses something that is not a package version', () => {
    const run = runScript('sf-install.mjs', [
      '--target-org',
      'my-org',
      '--package',
      '0Ho000000000001',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is not a package version id');
    expect(run.calls).toEqual([]);
  });

  it('needs both options', () => {
    const run = runScript('sf-install.mjs', ['--package', '04t000000000001AAA']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Missing --target-org');
  });
});

describe('printed command hints', () => {
  // What an admin is told to type runs in their shell, where only the repository's CLI is there
  // (node_modules/.bin): `npx sf ...`. A bare `sf ...` is "command not found" after `npm ci`. The
  // "$ sf ..." lines are the trace of what the script itself runs, not hints.
  const bareSfHints = (run: Run): string[] =>
    `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((line) => !line.startsWith('$ '))
      .flatMap((line) => [...line.matchAll(/(?<!npx )(?<![\w-])sf [a-z][\w-]*(?: [\w-]+)?/g)])
      .map((match) => match[0]);

  it('say npx sf, in the usage texts, the Done and Promote lines and the login hints', () => {
    const runs = {
      deployHelp: runScript('sf-deploy.mjs', ['--help']),
      installHelp: runScript('sf-install.mjs', ['--help']),
      versionHelp: runScript('sf-package-version.mjs', ['--help']),
      deployUsage: runScript('sf-deploy.mjs', []),
      deploy: runScript('sf-deploy.mjs', ['--target-org', 'my-org']),
      install: runScript('sf-install.mjs', [
        '--target-org',
        'my-org',
        '--package',
        '04t000000000001AAA',
      ]),
      version: runScript('sf-package-version.mjs', ['--target-dev-hub', 'hub']),
      deployLogin: runScript('sf-deploy.mjs', ['--target-org', 'my-org'], {
        FAKE_UNAUTHORISED: '1',
      }),
      versionLogin: runScript('sf-package-version.mjs', ['--target-dev-hub', 'hub'], {
        FAKE_UNAUTHORISED: '1',
      }),
    };
    expect(
      Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, bareSfHints(run)])),
    ).toEqual(Object.fromEntries(Object.keys(runs).map((name) => [name, []])));
    for (const name of ['deployHelp', 'installHelp', 'deployUsage'] as const)
      expect(`${runs[name].stdout}${runs[name].stderr}`).toContain(
        '(npx sf org login web --alias ALIAS)',
      );
    expect(runs.versionHelp.stdout).toContain(
      '(npx sf org login web --set-default-dev-hub --alias HUB)',
    );
    expect(runs.deploy.stdout).toContain(
      'Open the app: npx sf org open --target-org my-org --path /lightning/app/c__Sync_Doctor',
    );
    expect(runs.install.stdout).toContain(
      'Open the app: npx sf org open --target-org my-org --path /lightning/app/c__Sync_Doctor',
    );
    expect(runs.version.stdout).toContain(
      'Promote it for production: npx sf package version promote --package 04t000000000001AAA --target-dev-hub hub',
    );
    expect(runs.deployLogin.stderr).toContain('Log in first: npx sf org login web --alias my-org');
    // The trace of what ran is still the CLI's own name.
    expect(runs.deploy.stdout).toContain('$ sf project deploy start');
  });
});
