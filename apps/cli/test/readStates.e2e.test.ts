/**
 * --json carries whether Login History and HubSpot's connected app were read, as it does the
 * frozen state: an admin without Manage Users cannot read other users' logins, one without
 * Customize Application cannot read connected apps, and a pipeline reading --json must be able to
 * tell "no login failures" or "no connected-app finding" from "not read". The CLI as a child
 * process against the simulator, as in frozen.e2e.test.ts.
 */
import {
  startOrgSimulator,
  type FixtureChange,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import { checkArgs, cli, NO_MANAGE_USERS } from './cliProcess.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

/** The same admin without Customize Application: connected apps are then out of its reach. */
const NO_CUSTOMIZE_APPLICATION: FixtureChange = {
  op: 'setSystemPermission',
  profile: 'System Administrator',
  permission: 'PermissionsCustomizeApplication',
  value: false,
};

let sim: OrgSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function checkJson(changes: FixtureChange[]) {
  sim ??= await startOrgSimulator({ fixture: 'healthy', port: 0, changes });
  const run = await cli([...checkArgs(sim), '--json']);
  expect(run.stderr).not.toMatch(/Could not diagnose/);
  const json = JSON.parse(run.stdout);
  // Read or not, each state is as the schema a pipeline pins describes it.
  expectValidCheckJson(json);
  return json;
}

describe("check --json: the collector's Login History and connected-app read states", () => {
  it('an admin without Manage Users: loginHistory says not read and why, beside frozen', async () => {
    const json = await checkJson([NO_MANAGE_USERS]);
    expect(json.loginHistory).toEqual({
      read: false,
      cause: 'needs-manage-users',
      message:
        'Login History not read: reading another user\'s logins needs the "Manage Users" or "Monitor Login History" permission.',
    });
    // No logins read, so no login summary either: only loginHistory tells why.
    expect(json.logins).toBeUndefined();
    expect(json.frozen).toMatchObject({ read: false, cause: 'needs-manage-users' });
    expect(json.connectedApps).toMatchObject({ read: true });
  });

  it('an admin without Customize Application: connectedApps says not read and why', async () => {
    const json = await checkJson([NO_CUSTOMIZE_APPLICATION]);
    expect(json.connectedApps).toEqual({
      read: false,
      cause: 'needs-permissions',
      message:
        'HubSpot\'s connected app not read: reading connected apps needs "Customize Application" and either "Modify All Data" or "Manage Connected Apps".',
    });
    expect(json.loginHistory).toMatchObject({ read: true });
  });

  it('when both are read, both say read (with what was read), so read: false is meaningful', async () => {
    const json = await checkJson([]);
    expect(json.loginHistory).toEqual({ read: true, attempts: expect.any(Number) });
    expect(json.connectedApps).toEqual({
      read: true,
      apps: expect.any(Number),
      access: expect.any(Number),
    });
    // The keys sit beside the diagnosis's own and hubspotReported/frozen, as the help says.
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['verdict', 'findings', 'hubspotReported', 'frozen']),
    );
  });
});
