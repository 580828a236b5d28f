/**
 * An inactive-owner group in HubSpot's exported sync errors (INACTIVE_OWNER_OR_USER), through the
 * CLI against the simulator: the advice names the inactive owner Salesforce names, and the group's
 * "Now:" says whether the integration user has "Update Records with Inactive Owners" (read with
 * the other system permissions, never required), or that the org does not offer it.
 */
import type { RelayedStatus, RelayedSyncErrors } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '@sync-doctor/salesforce';
import { checkArgs, cli } from './cliProcess.js';
import { relayedStatus } from './support.js';
import {
  firstGroupOf,
  flat,
  relaySyncErrors,
  reportedOf,
  requestsOf,
} from './syncErrorsSupport.js';
import { expectValidCheckJson } from './checkJsonValidator.js';
const COLUMN = 'PermissionsUpdateWithInactiveOwner';
const OWNER = '0055g00000AbCdEAAZ';

// The export of a suspended sync (its cause another group's): the owner group is one of its rows.
const status: RelayedStatus = relayedStatus({
  reason: 'FIELD_PERMISSIONS_MISSING',
  title: 'Salesforce field permissions missing',
});

const ownerErrors: RelayedSyncErrors = {
  receivedAt: '2026-11-28T09:00:00.000Z',
  rows: 12,
  groups: [
    {
      reason: null,
      errorType: 'Inactive owner',
      object: 'contact',
      field: null,
      count: 12,
      example: `INACTIVE_OWNER_OR_USER: operation performed with inactive user [${OWNER}] as owner of contact`,
    },
  ],
  groupsLeftOut: 0,
};

/** The export with, besides, a field HubSpot could not write that no default maps (read again). */
const withDepartment: RelayedSyncErrors = {
  ...ownerErrors,
  rows: 20,
  groups: [
    {
      reason: 'FIELD_PERMISSIONS_MISSING',
      errorType: 'Salesforce field permission',
      object: 'Contact',
      field: 'Department',
      count: 8,
      example: 'Unable to update field',
    },
    ...ownerErrors.groups,
  ],
};

const relay = (sim: OrgSimulator, errors: RelayedSyncErrors = ownerErrors) =>
  relaySyncErrors(sim, status, errors);

/** As an admin would in Setup: a permission set granting only the permission, assigned to the user. */
async function grantInactiveOwnerUpdates(sim: OrgSimulator) {
  const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  const created = (await conn.request({
    method: 'POST',
    url: '/services/data/v62.0/sobjects/PermissionSet',
    body: JSON.stringify({
      Name: 'HubSpot_Inactive_Owners',
      Label: 'HubSpot Inactive Owners',
      [COLUMN]: true,
    }),
    headers: { 'content-type': 'application/json' },
  })) as { id: string };
  await conn.request({
    method: 'POST',
    url: '/services/data/v62.0/sobjects/PermissionSetAssignment',
    body: JSON.stringify({ AssigneeId: sim.integrationUser.Id, PermissionSetId: created.id }),
    headers: { 'content-type': 'application/json' },
  });
}

const withPortal = (sim: OrgSimulator) => [...checkArgs(sim), '--portal', status.portalId];
const groupOf = firstGroupOf;

describe('check: an inactive-owner group HubSpot exported sync errors for', () => {
  let sim: OrgSimulator;
  afterEach(async () => {
    await sim.close();
  });

  it('names the owner, says the integration user lacks "Update Records with Inactive Owners", then ok once a set granting it is assigned', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    await relay(sim);
    const text = await cli(withPortal(sim));
    const reported = reportedOf(text.stdout);
    // The owner Salesforce names, in the group's line, as Salesforce wrote it.
    expect(reported).toContain(`contact (owner ${OWNER}): Inactive owner, 12 rows`);
    expect(reported).toContain(
      'Records that must keep their owner need the integration user to have "Update Records with Inactive Owners": turn on Setup > User Interface >',
    );
    expect(reported).toContain(
      'Now: the integration user lacks "Update Records with Inactive Owners". Once a group is fixed',
    );
    // Read with the other system permissions: the documented 3 requests with --portal.
    expect(requestsOf(text.stdout)).toBe(3);

    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as Record<string, unknown>;
    expectValidCheckJson(document);
    expect(document.sideGrants).toEqual([
      { kind: 'systemPermission', name: COLUMN, by: [], granted: false },
    ]);
    const group = groupOf(document);
    expect(group).toMatchObject({ kind: 'owner', now: { ok: false } });
    expect(reported).toContain(flat((group.now as { text: string }).text));
    // Never required: no finding names it.
    expect(json.stdout).not.toMatch(/"subject":\s*"PermissionsUpdateWithInactiveOwner"/);

    await grantInactiveOwnerUpdates(sim);
    const granted = await cli([...withPortal(sim), '--json']);
    const after = JSON.parse(granted.stdout) as Record<string, unknown>;
    expectValidCheckJson(after);
    expect(after.sideGrants).toEqual([
      {
        kind: 'systemPermission',
        name: COLUMN,
        by: ['Permission set: HubSpot Inactive Owners'],
        granted: true,
      },
    ]);
    expect(groupOf(after).now).toEqual({
      ok: true,
      text: 'Now: the integration user has "Update Records with Inactive Owners" (Permission set: HubSpot Inactive Owners); resync these records. A record HubSpot creates still needs an active owner.',
    });
    expect((after.findings as unknown[]).length).toBe((document.findings as unknown[]).length);
    const okText = await cli(withPortal(sim));
    expect(reportedOf(okText.stdout)).toContain(
      'Now: the integration user has "Update Records with Inactive Owners" (Permission set: HubSpot Inactive Owners)',
    );
    expect(okText.stdout).not.toContain('lacks "Update Records with Inactive Owners"');
  }, 90_000);

  it('an org with the User Interface setting off: "this org does not offer" it, in one more request', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0, inactiveOwnerPermissions: false });
    await relay(sim);
    const text = await cli(withPortal(sim));
    expect(reportedOf(text.stdout)).toContain(
      'Now: this org does not offer "Update Records with Inactive Owners": its User Interface setting is off (or the edition lacks it).',
    );
    expect(text.stdout).not.toContain('lacks "Update Records with Inactive Owners"');
    // The assignments query asked again without the column.
    expect(requestsOf(text.stdout)).toBe(4);
    // Absent from most orgs, and said by the line that needs it: not listed on every run's footer.
    expect(text.stdout).not.toContain('absent in this org');

    const json = await cli([...withPortal(sim), '--json']);
    const document = JSON.parse(json.stdout) as Record<string, unknown>;
    expectValidCheckJson(document);
    expect(document.sideGrants).toEqual([
      { kind: 'systemPermission', name: COLUMN, by: [], absent: true },
    ]);
    expect(groupOf(document).now).toMatchObject({ ok: false });
    expect(json.code).toBe(text.code);

    // An export naming a field the first read did not read: the second read does not ask the
    // absent column again (4 + 3 requests; 3 + 3 in an org with the setting on).
    await relay(sim, withDepartment);
    const twice = await cli(withPortal(sim));
    expect(twice.stderr).toContain('reading what HubSpot failed to write');
    expect(requestsOf(twice.stdout)).toBe(7);
    expect(reportedOf(twice.stdout)).toContain(
      'Now: this org does not offer "Update Records with Inactive Owners"',
    );
  }, 90_000);
});
