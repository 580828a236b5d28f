/**
 * The exit codes as a gate (CI, a paging cron job: CI=true, no TTY, stdin /dev/null) reads them,
 * against the org simulator: never green on an org the run could not vouch for (3), nor while
 * HubSpot reports the sync suspended (1, whatever Salesforce's side looks like). Precedence:
 * 2 (bad input) over 1 over 3 over 0; --json's `exit` and stderr say why.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startOrgSimulator,
  type FixtureChange,
  type FixtureName,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import { relayedReasonTitle, type RelayedStatus } from '@sync-doctor/core';
import { connect, publishStatus } from '@sync-doctor/salesforce';
import { checkArgs, cli, NO_MANAGE_USERS } from './cliProcess.js';
import { parseJunit } from './junitXml.js';
import { relayedStatus } from './support.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

/** The checking admin without Manage Connected Apps nor Modify All Data: the connected app unread. */
const NO_CONNECTED_APPS: FixtureChange[] = [
  'PermissionsModifyAllData',
  'PermissionsManageConnectedApps',
  'PermissionsCustomizeApplication',
].map((permission) => ({
  op: 'setSystemPermission',
  profile: 'System Administrator',
  permission,
  value: false,
}));

let sim: OrgSimulator | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-exit-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function simulate(
  fixture: FixtureName,
  changes: FixtureChange[] = [],
  status?: RelayedStatus,
) {
  sim = await startOrgSimulator({ fixture, port: 0, changes });
  if (status) {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await publishStatus(conn, status);
  }
  return sim;
}

/** `check --json --junit`, as a pipeline runs it; the document validated against the schema. */
async function gate(s: OrgSimulator, extra: string[] = []) {
  const junit = join(dir, 'report.xml');
  const run = await cli([...checkArgs(s), '--json', '--junit', junit, ...extra]);
  const json = JSON.parse(run.stdout);
  expectValidCheckJson(json);
  return {
    ...run,
    json,
    junit: parseJunit(readFileSync(junit, 'utf8')),
    xml: readFileSync(junit, 'utf8'),
  };
}

describe('exit 3: nothing fails, but not everything could be checked', () => {
  it.each([
    ['sync-stopped', [NO_MANAGE_USERS]],
    ['restricted-ip', [NO_MANAGE_USERS]],
    ['admin-approved-app', NO_CONNECTED_APPS],
  ] as const)(
    '%s read by an admin who cannot see the cause: exit 3, not 0 (with --fail-on warning too)',
    async (fixture, changes) => {
      const s = await simulate(fixture, [...changes]);
      for (const extra of [[], ['--fail-on', 'warning']]) {
        const run = await gate(s, extra);
        expect(run.json.verdict).toBe('healthy');
        expect(run.json.unchecked.length).toBeGreaterThan(0);
        expect(run.json.exit).toMatchObject({ code: 3, reason: 'unchecked' });
        expect(run.code).toBe(3);
        expect(run.stderr).toContain(
          'sync-doctor: exit 3: Nothing fails in what was read, but not everything could be checked',
        );
        // The unread checks stay skipped in the report; the run's exit says 3.
        expect(run.xml).toMatch(/<testsuites [^>]*failures="0"[^>]*skipped="[1-9]/);
      }
    },
  );

  it('--allow-unchecked accepts a partial check for a deliberately restricted account: exit 0, said so', async () => {
    const s = await simulate('sync-stopped', [NO_MANAGE_USERS]);
    const run = await gate(s, ['--allow-unchecked']);
    expect(run.code).toBe(0);
    expect(run.json.exit).toMatchObject({ code: 0, reason: 'unchecked-allowed' });
    expect(run.json.unchecked.length).toBeGreaterThan(0);
    expect(run.stderr).toContain('accepted with --allow-unchecked');
  });

  it('findings win over unchecked: exit 1 (reason findings)', async () => {
    const s = await simulate('read-only-contacts', [NO_MANAGE_USERS]);
    const run = await gate(s);
    expect(run.json.unchecked.length).toBeGreaterThan(0);
    expect(run.code).toBe(1);
    expect(run.json.exit).toMatchObject({ code: 1, reason: 'findings' });
  });

  it('a usage mistake wins over everything: exit 2', async () => {
    const s = await simulate('sync-stopped', [NO_MANAGE_USERS]);
    const run = await cli([...checkArgs(s), '--json', '--allow-unchecked=yes']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.errorCode).toBe('BAD_USAGE');
  });
});

describe('exit 1: HubSpot reports the sync suspended, whatever Salesforce looks like', () => {
  it.each(['suspended', 'suspected'] as const)(
    'a healthy, fully checked org under a %s status: exit 1, the JUnit report fails on it',
    async (state) => {
      const s = await simulate('healthy', [], relayedStatus({ state }));
      const run = await gate(s);
      expect(run.json.verdict).toBe('healthy');
      expect(run.json.unchecked).toBeUndefined();
      expect(run.code).toBe(1);
      expect(run.json.exit).toMatchObject({ code: 1, reason: 'suspended' });
      const head =
        state === 'suspended'
          ? 'HubSpot reports the sync suspended'
          : 'the relay suspects HubSpot suspended the sync';
      expect(run.stderr).toContain(
        `sync-doctor: exit 1: ${head} (${relayedReasonTitle(relayedStatus()).title})`,
      );
      expect(run.stderr).toContain("whatever Salesforce's side looks like");
      expect(run.xml).toMatch(/<testsuites [^>]*failures="1"/);
      expect(run.xml).toContain(
        `<failure message="${state === 'suspended' ? 'HubSpot reports the sync suspended' : 'The relay suspects HubSpot suspended the sync'}: ${relayedReasonTitle(relayedStatus()).title}" type="OBJECT_PERMISSIONS_MISSING">`,
      );
    },
  );

  it('suspended and partly checked: exit 1, not 3', async () => {
    const s = await simulate('healthy', [NO_MANAGE_USERS], relayedStatus());
    const run = await gate(s, ['--allow-unchecked']);
    expect(run.code).toBe(1);
    expect(run.json.exit.reason).toBe('suspended');
    // The human output says it too, on stderr, whatever stdout holds.
    const human = await cli(checkArgs(s));
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('sync-doctor: exit 1: HubSpot reports the sync suspended');
  });

  it('a cleared status does not fail: exit 0, its testcase passes', async () => {
    const s = await simulate(
      'healthy',
      [],
      relayedStatus({ state: 'cleared', clearedAt: '2026-11-28T10:00:00.000Z' }),
    );
    const run = await gate(s);
    expect(run.code).toBe(0);
    expect(run.json.exit).toMatchObject({ code: 0, reason: 'healthy' });
    expect(run.stderr).not.toContain('sync-doctor: exit');
    expect(run.xml).toMatch(/<testsuites [^>]*failures="0"[^>]*skipped="0"/);
    expect(run.xml).toContain(
      '<testcase classname="HubSpot reported" name="sync not suspended" time="0">',
    );
  });
});

describe('exit 0', () => {
  it('healthy, every check made, nothing relayed: exit 0 with reason healthy', async () => {
    const s = await simulate('healthy');
    const run = await gate(s);
    expect(run.code).toBe(0);
    expect(run.json.exit).toEqual({
      code: 0,
      reason: 'healthy',
      message: 'Every check made; nothing at or above --fail-on; no suspension relayed.',
    });
    expect(run.junit).toBeDefined();
  });
});

describe('exit 2 for a switch given a value', () => {
  it.each(['--json=true', '--json=false'])(
    '%s is refused clearly, and the refusal is JSON on stdout',
    async (flag) => {
      const run = await cli(['check', '--demo', 'healthy', flag]);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).error).toMatchObject({
        errorCode: 'BAD_USAGE',
        message: '--json is a switch and takes no value: give --json alone (not --json=...)',
        retryable: false,
      });
    },
  );
});
