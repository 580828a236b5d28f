/**
 * `sync-doctor check` without --user against the org simulator, as a child process: it must check
 * HubSpot's integration user, not the admin it signed in as. --target-org runs through a stand-in
 * `sf` on PATH that hands out the simulator's admin session; --jwt signs in as the admin.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js');

let sim: OrgSimulator;
let dir: string;
let keyFile: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
  };
  delete env.FORCE_COLOR;
  return new Promise((done) => {
    execFile(NODE, [BIN, ...args], { cwd: ROOT, env, timeout: 25_000 }, (error, stdout, stderr) => {
      done({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      });
    });
  });
}

const targetOrg = ['check', '--target-org', 'acme'];
const jwt = () => [
  'check',
  '--jwt',
  '--client-id',
  '3MVG9test',
  '--key-file',
  keyFile,
  '--username',
  'admin@acme.example',
  '--login-url',
  sim.url,
];
const userId = (username: string) =>
  String(sim.records('User').find((u) => u.Username === username)!.Id);
const dropTokensOf = (...usernames: string[]) => {
  const ids = new Set(usernames.map(userId));
  for (const token of sim.records('OauthToken').filter((t) => ids.has(String(t.UserId))))
    sim.org.delete(String(token.Id));
};

beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-finder-'));
  const sf = join(dir, 'sf');
  const display = {
    status: 0,
    result: { accessToken: sim.accessToken, instanceUrl: sim.url, username: 'admin@acme.example' },
  };
  writeFileSync(sf, `#!/bin/sh\necho '${JSON.stringify(display)}'\n`);
  chmodSync(sf, 0o755);
  keyFile = join(dir, 'server.key');
  writeFileSync(
    keyFile,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sim.close();
});
afterEach(() => {
  sim.useFixture('read-only-contacts');
  sim.resetRequests();
});

describe('check without --user finds the integration user', () => {
  it('--target-org: checks the user with the most evidence, says why and lists the others', async () => {
    const run = await cli(targetOrg);
    // The admin signed in can edit Contact; the integration user cannot, hence exit 1.
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "sync-doctor: checking hubspot.integration@acme.example (HubSpot Integration) as HubSpot's integration user: it holds an OAuth token of HubSpot's connected app and is assigned the 'HubSpot Integration Permissions' permission set (directly or through a permission set group).",
    );
    expect(run.stderr).toContain(
      'sync-doctor: also found, with less evidence: sam.sales@acme.example (Sam Sales; HubSpot OAuth token), old.hubspot@acme.example (Old HubSpot Connector; inactive; HubSpot OAuth token). Pass --user to check one of them instead.',
    );
    expect(run.stdout).toMatch(/Contact\s+✓\s+✗\s+✗/);
    // One composite to find the user and the collection's 4 requests in one round: limits, the
    // snapshot, one composite of Login History, HubSpot's connected app and the frozen flag, and the
    // relayed status of every portal, which no longer finds a free query slot there.
    expect(run.stdout).toContain('5 API requests to read the org');
    expect(run.stderr).toContain("sync-doctor: reading hubspot.integration@acme.example's access");
  });

  it('--quiet: the steps go, the lines saying whom it checked and who else was found stay', async () => {
    const run = await cli([...targetOrg, '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        /^sync-doctor: checking hubspot\.integration@acme\.example \(HubSpot Integration\) as HubSpot's integration user/,
      ),
      expect.stringMatching(/^sync-doctor: also found, with less evidence: /),
    ]);
  });

  it('--jwt --json: stdout is the diagnosis of the integration user alone; the choice is on stderr', async () => {
    dropTokensOf('sam.sales@acme.example', 'old.hubspot@acme.example');
    const run = await cli([...jwt(), '--json']);
    expect(run.code).toBe(1);
    const diagnosis = JSON.parse(run.stdout);
    expect(diagnosis.user).toMatchObject({ username: 'hubspot.integration@acme.example' });
    expect(diagnosis.verdict).toBe('blocked');
    expect(run.stderr).toContain(
      'sync-doctor: checking hubspot.integration@acme.example (HubSpot Integration)',
    );
    expect(run.stderr).not.toContain('also found');
  });

  it('--instance-url with a session id: the integration user is found the same way', async () => {
    const run = await cli(['check', '--instance-url', sim.url, '--access-token', sim.accessToken]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "sync-doctor: checking hubspot.integration@acme.example (HubSpot Integration) as HubSpot's integration user",
    );
    expect(run.stdout).toMatch(/Contact\s+✓\s+✗\s+✗/);
  });

  it('signed in without Customize Application: no token counts, and stderr says the tokens could not be read', async () => {
    // Object Reference, OauthToken, "Special Access Rules": such a user sees only its own tokens,
    // with no error. The admin here lacks the permission and holds a HubSpot token itself.
    const admin = sim.adminUser.Id;
    const held = new Set(
      sim
        .records('PermissionSetAssignment')
        .filter((a) => String(a.AssigneeId) === admin)
        .map((a) => String(a.PermissionSetId)),
    );
    for (const set of sim.records('PermissionSet').filter((p) => held.has(String(p.Id))))
      sim.org.update(String(set.Id), { PermissionsCustomizeApplication: false });
    sim.org.insert('OauthToken', {
      AppName: 'HubSpot',
      UserId: admin,
      LastUsedDate: new Date().toISOString(),
      UseCount: 1,
      AppMenuItemId: null,
    });
    const run = await cli(['check', '--instance-url', sim.url, '--access-token', sim.accessToken]);
    expect(run.stderr).toContain(
      "sync-doctor: checking hubspot.integration@acme.example (HubSpot Integration) as HubSpot's integration user: it is assigned the 'HubSpot Integration Permissions' permission set (directly or through a permission set group).",
    );
    expect(run.stderr).toContain(
      "sync-doctor: could not read the OAuth tokens (seeing other users' tokens needs Customize Application; without it Salesforce shows only your own, so none counted): CUSTOMIZE_APPLICATION_REQUIRED: ",
    );
    expect(run.stderr).not.toContain('also found');
  });

  it('an inactive only candidate is still checked, and named as inactive', async () => {
    sim.useFixture('inactive-user');
    dropTokensOf('sam.sales@acme.example', 'old.hubspot@acme.example');
    const run = await cli([...targetOrg, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).user).toMatchObject({
      username: 'hubspot.integration@acme.example',
      isActive: false,
    });
    expect(run.stderr).toContain(
      'checking hubspot.integration@acme.example (HubSpot Integration), an inactive user, as',
    );
  });

  it("HubSpot's set held only through a muted permission set group still counts: the integration user is checked, not a tie", async () => {
    // muted-group exited 2 (a tie of three OAuth token holders) before the group holders counted.
    sim.useFixture('muted-group');
    const run = await cli([...targetOrg, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).user).toMatchObject({
      username: 'hubspot.integration@acme.example',
    });
    expect(run.stderr).toContain(
      "it holds an OAuth token of HubSpot's connected app and is assigned the 'HubSpot Integration Permissions' permission set (directly or through a permission set group).",
    );
  });

  it('a tie: exit 2, the tied users listed and --user asked for', async () => {
    const orgId = String(sim.records('Organization')[0]!.Id);
    sim.org.insert('Sync_Doctor_Settings__c', {
      Name: 'Default',
      SetupOwnerId: orgId,
      Integration_User_Id__c: userId('sam.sales@acme.example'),
    });
    const run = await cli(targetOrg);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Could not diagnose: INTEGRATION_USER_AMBIGUOUS');
    expect(run.stderr).toContain("2 users are equally likely to be HubSpot's integration user:");
    expect(run.stderr).toContain(
      '  hubspot.integration@acme.example (HubSpot Integration; HubSpot OAuth token, HubSpot Integration Permissions)',
    );
    expect(run.stderr).toContain(
      '  sam.sales@acme.example (Sam Sales; HubSpot OAuth token, saved in Sync Doctor)',
    );
    expect(run.stderr).toContain('With less evidence: old.hubspot@acme.example');
    expect(run.stderr).toContain('For example: --user hubspot.integration@acme.example');
    // Nothing was collected for a guessed user.
    expect(
      sim.requests.filter(
        (r) => r.path.startsWith('/services/data/') && r.path !== '/services/data',
      ),
    ).toHaveLength(1);
  });

  it('a tie with --json: the candidates on stdout as the error', async () => {
    const orgId = String(sim.records('Organization')[0]!.Id);
    sim.org.insert('Sync_Doctor_Settings__c', {
      Name: 'Default',
      SetupOwnerId: orgId,
      Integration_User_Id__c: userId('sam.sales@acme.example'),
    });
    const run = await cli([...jwt(), '--json']);
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.errorCode).toBe('INTEGRATION_USER_AMBIGUOUS');
    // Running again finds the same tie: --user is needed, not a retry.
    expect(error.retryable).toBe(false);
    expect(error.candidates.map((c: { username: string }) => c.username)).toEqual([
      'hubspot.integration@acme.example',
      'sam.sales@acme.example',
      'old.hubspot@acme.example',
    ]);
  });

  it('nobody: exit 2, INTEGRATION_USER_NOT_FOUND and --user asked for', async () => {
    sim.useFixture('missing-permission-set');
    dropTokensOf(
      'hubspot.integration@acme.example',
      'sam.sales@acme.example',
      'old.hubspot@acme.example',
    );
    const run = await cli(targetOrg);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Could not diagnose: INTEGRATION_USER_NOT_FOUND');
    expect(run.stderr).toContain('Found no HubSpot integration user in this org');
    expect(run.stderr).toContain(
      'Pass --user with the username of the Salesforce user HubSpot connects as.',
    );
  });

  it("--user still wins, and --demo keeps the fixture's integration user without looking", async () => {
    const named = await cli([...targetOrg, '--user', 'admin@acme.example', '--json']);
    expect(JSON.parse(named.stdout).user.username).toBe('admin@acme.example');
    expect(named.stderr).not.toContain("as HubSpot's integration user");
    const demo = await cli(['check', '--demo', 'healthy', '--json']);
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.stdout).user.username).toBe('hubspot.integration@acme.example');
    expect(demo.stderr).not.toContain("looking for HubSpot's integration user");
  });
});
