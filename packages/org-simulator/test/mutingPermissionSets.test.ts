import type { FixtureChange } from '../src/index.js';
import { startTestOrg } from './helpers.js';

interface Page {
  records: Array<Record<string, unknown>>;
}

// The muted-group fixture's group mutes Contact's Create and Edit through a muting permission set:
// a group component whose PermissionSetId is a MutingPermissionSet (Id prefix 0QM), with its
// DeveloperName and MasterLabel (Object Reference, PermissionSetGroupComponent and
// MutingPermissionSet), as the collector reads them to name the set in a finding.
describe("muted-group: the group's muting permission set, as the collector reads it", () => {
  it('answers the components of the group and the muting set among them by a semi-join', async () => {
    const org = await startTestOrg({ fixture: 'muted-group' });
    try {
      const [group] = org.sim
        .records('PermissionSetGroup')
        .filter((g) => g.DeveloperName === 'HubSpot_Integration');
      expect(group).toBeDefined();
      const components = await org.query(
        `SELECT PermissionSetGroupId, PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('${String(group!.Id)}')`,
      );
      expect(components.status).toBe(200);
      const memberIds = ((await components.json()) as Page).records.map((r) =>
        String(r.PermissionSetId),
      );
      const muting = memberIds.filter((id) => id.startsWith('0QM'));
      expect(muting).toHaveLength(1);
      expect(memberIds.length).toBeGreaterThan(1);
      const sets = await org.query(
        `SELECT Id, DeveloperName, MasterLabel FROM MutingPermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('${String(group!.Id)}'))`,
      );
      expect(sets.status).toBe(200);
      expect(((await sets.json()) as Page).records).toEqual([
        expect.objectContaining({
          Id: muting[0],
          DeveloperName: 'HubSpot_Integration_Muting',
          MasterLabel: 'HubSpot Integration Muting',
        }),
      ]);
    } finally {
      await org.sim.close();
    }
  });

  it("answers TYPEOF on the components' polymorphic PermissionSet: each member's own fields by its type", async () => {
    // The collector reads the group's regular sets (Name, Label) with the components, no query more.
    const org = await startTestOrg({ fixture: 'muted-group' });
    try {
      const group = org.sim
        .records('PermissionSetGroup')
        .find((g) => g.DeveloperName === 'HubSpot_Integration')!;
      const typeOf = (clauses: string) =>
        org.query(
          `SELECT PermissionSetId, TYPEOF PermissionSet ${clauses} END FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('${String(group.Id)}') ORDER BY PermissionSetId`,
        );
      const read = await typeOf('WHEN PermissionSet THEN Id, Name, Label');
      expect(read.status).toBe(200);
      const rows = ((await read.json()) as Page).records;
      const held = rows.filter((r) => String(r.PermissionSetId).startsWith('0PS'));
      expect(held.map((r) => r.PermissionSet)).toEqual([
        {
          attributes: expect.objectContaining({ type: 'PermissionSet' }),
          Id: held[0]!.PermissionSetId,
          Name: 'HubSpot_Integration_Permissions',
          Label: 'HubSpot Integration Permissions',
        },
      ]);
      // A type no WHEN names: its attributes alone.
      const muting = rows.find((r) => String(r.PermissionSetId).startsWith('0QM'))!;
      expect(muting.PermissionSet).toEqual({
        attributes: expect.objectContaining({ type: 'MutingPermissionSet' }),
      });
      // Both types, and ELSE for the one no WHEN names.
      const both = await typeOf('WHEN MutingPermissionSet THEN DeveloperName, MasterLabel ELSE Id');
      const byType = ((await both.json()) as Page).records.map((r) => r.PermissionSet);
      expect(byType).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ MasterLabel: 'HubSpot Integration Muting' }),
          expect.objectContaining({ Id: held[0]!.PermissionSetId }),
        ]),
      );
      // A type the field cannot refer to, a field the type lacks, a lookup that is not polymorphic.
      expect((await typeOf('WHEN Account THEN Name')).status).toBe(400);
      const noColumn = await typeOf('WHEN PermissionSet THEN MasterLabel');
      expect(await noColumn.json()).toEqual([
        expect.objectContaining({ errorCode: 'INVALID_FIELD' }),
      ]);
      const plain = await org.query(
        'SELECT TYPEOF PermissionSetGroup WHEN PermissionSetGroup THEN MasterLabel END FROM PermissionSetGroupComponent',
      );
      expect(await plain.json()).toEqual([
        expect.objectContaining({ errorCode: 'MALFORMED_QUERY' }),
      ]);
    } finally {
      await org.sim.close();
    }
  });

  it('refuses MutingPermissionSet (INVALID_TYPE) to a user with neither View Setup nor Assign Permission Sets', async () => {
    const org = await startTestOrg({ fixture: 'muted-group' });
    try {
      const soql = 'SELECT Id, DeveloperName, MasterLabel FROM MutingPermissionSet';
      expect((await org.query(soql)).status).toBe(200);
      const admin = org.sim
        .records('PermissionSet')
        .find((p) => p.IsOwnedByProfile === true && p.PermissionsModifyAllData === true)!;
      admin.PermissionsViewSetup = false;
      admin.PermissionsAssignPermissionSets = true;
      expect((await org.query(soql)).status).toBe(200);
      for (const set of org.sim.records('PermissionSet')) {
        set.PermissionsViewSetup = false;
        set.PermissionsAssignPermissionSets = false;
      }
      const denied = await org.query(soql);
      expect(denied.status).toBe(400);
      const [error] = (await denied.json()) as Array<{ errorCode: string; message: string }>;
      expect(error).toMatchObject({ errorCode: 'INVALID_TYPE' });
      expect(error!.message).toContain("sObject type 'MutingPermissionSet' is not supported");
    } finally {
      await org.sim.close();
    }
  });
});

/**
 * A group whose muting permission set mutes "Edit Tasks": the HubSpot set grants it, the profile
 * does not, so the group's aggregate set lacks it and the muting set's PermissionsEditTask is true.
 */
const EDIT_TASK_MUTED: FixtureChange[] = [
  { op: 'unassign', user: 'integration', permissionSet: 'HubSpot_Integration_Permissions' },
  {
    op: 'setSystemPermission',
    profile: 'HubSpot Integration User',
    permission: 'PermissionsEditTask',
    value: false,
  },
  {
    op: 'setSystemPermission',
    permissionSet: 'HubSpot_Integration_Permissions',
    permission: 'PermissionsEditTask',
    value: true,
  },
  {
    op: 'addPermissionSetGroup',
    group: {
      name: 'HubSpot_Tasks',
      label: 'HubSpot Tasks',
      permissionSets: ['HubSpot_Integration_Permissions'],
      muted: { systemPermissions: ['PermissionsEditTask'] },
    },
  },
  { op: 'assign', user: 'integration', group: 'HubSpot_Tasks' },
];

// MutingPermissionSet has the same fields as PermissionSet (Metadata API, MutingPermissionSet), its
// Permissions* booleans among them (Field Reference): true is a system permission it mutes.
describe("a muting permission set's system permissions", () => {
  it('answers its Permissions* columns, true for what it mutes, and the group grants it no more', async () => {
    const org = await startTestOrg({ fixture: 'healthy', changes: EDIT_TASK_MUTED });
    try {
      const group = org.sim
        .records('PermissionSetGroup')
        .find((g) => g.DeveloperName === 'HubSpot_Tasks')!;
      const sets = await org.query(
        `SELECT Id, MasterLabel, PermissionsApiEnabled, PermissionsEditTask, PermissionsEditEvent FROM MutingPermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('${String(group.Id)}'))`,
      );
      expect(sets.status).toBe(200);
      expect(((await sets.json()) as Page).records).toEqual([
        expect.objectContaining({
          MasterLabel: 'HubSpot Tasks Muting',
          PermissionsApiEnabled: false,
          PermissionsEditTask: true,
          PermissionsEditEvent: false,
        }),
      ]);
      const aggregate = org.sim
        .records('PermissionSet')
        .find((p) => p.PermissionSetGroupId === group.Id)!;
      expect(aggregate.PermissionsEditTask).toBe(false);
    } finally {
      await org.sim.close();
    }
  });

  it('lacks a Permissions* column where the edition lacks it on PermissionSet (INVALID_FIELD)', async () => {
    const org = await startTestOrg({
      fixture: 'healthy',
      changes: EDIT_TASK_MUTED,
      dropColumns: ['PermissionSet.PermissionsEditEvent'],
    });
    try {
      const refused = await org.query('SELECT Id, PermissionsEditEvent FROM MutingPermissionSet');
      expect(refused.status).toBe(400);
      const [error] = (await refused.json()) as Array<{ errorCode: string }>;
      expect(error).toMatchObject({ errorCode: 'INVALID_FIELD' });
      const read = await org.query('SELECT Id, PermissionsEditTask FROM MutingPermissionSet');
      expect(((await read.json()) as Page).records).toEqual([
        expect.objectContaining({ PermissionsEditTask: true }),
      ]);
    } finally {
      await org.sim.close();
    }
  });
});
