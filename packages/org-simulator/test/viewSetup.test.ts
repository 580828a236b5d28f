import { startTestOrg, type TestOrg } from './helpers.js';

/** Takes a system permission from every permission set, as from an admin profile without it. */
function withoutPermission(org: TestOrg, column: string): void {
  for (const set of org.sim.records('PermissionSet')) if (set[column] === true) set[column] = false;
}

// Object Reference, ObjectPermissions and FieldPermissions, "Special Access Rules": "As of Summer
// '20 and later, only users with the View Setup and Configuration permission can access this
// object." A collector connected as such a user meets the object as not supported.
// PermissionSetGroupComponent: the same rule since Spring '20.
describe('ObjectPermissions, FieldPermissions and PermissionSetGroupComponent need View Setup and Configuration', () => {
  test.each(['ObjectPermissions', 'FieldPermissions', 'PermissionSetGroupComponent'])(
    'without it, SOQL on %s is INVALID_TYPE; with it, the rows come back',
    async (object) => {
      const org = await startTestOrg({ fixture: 'healthy' });
      try {
        const soql = `SELECT Id FROM ${object} LIMIT 5`;
        const allowed = await org.query(soql);
        expect(allowed.status).toBe(200);
        expect(((await allowed.json()) as { records: unknown[] }).records.length).toBeGreaterThan(
          0,
        );
        withoutPermission(org, 'PermissionsViewSetup');
        const denied = await org.query(soql);
        expect(denied.status).toBe(400);
        const [error] = (await denied.json()) as Array<{ errorCode: string; message: string }>;
        expect(error).toMatchObject({ errorCode: 'INVALID_TYPE' });
        expect(error!.message).toContain(`sObject type '${object}' is not supported`);
      } finally {
        await org.sim.close();
      }
    },
  );
});

// PermissionSet, "Special Access Rules" (Summer '20): View Setup and Configuration, Manage Session
// Permission Set Activations, Assign Permission Sets or Manage Profiles and Permission Sets.
// PermissionSetAssignment: View Setup and Configuration, Assign Permission Sets or Manage Users.
describe('PermissionSet and PermissionSetAssignment need one of their documented permissions', () => {
  test.each([
    [
      'PermissionSet',
      [
        'PermissionsViewSetup',
        'PermissionsAssignPermissionSets',
        'PermissionsManageProfilesPermissionsets',
      ],
    ],
    [
      'PermissionSetAssignment',
      ['PermissionsViewSetup', 'PermissionsAssignPermissionSets', 'PermissionsManageUsers'],
    ],
  ])('%s: any one of them reads it; none is INVALID_TYPE', async (object, columns) => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const soql = `SELECT Id FROM ${object} LIMIT 5`;
      // The admin's profile holds them all; the test hands them out one at a time.
      const admin = org.sim
        .records('PermissionSet')
        .find((p) => p.IsOwnedByProfile === true && p.PermissionsModifyAllData === true)!;
      for (const keep of columns) {
        for (const column of columns) admin[column] = column === keep;
        expect((await org.query(soql)).status).toBe(200);
      }
      // Without any of either object's, so the other object is out of reach too.
      for (const column of [
        'PermissionsViewSetup',
        'PermissionsAssignPermissionSets',
        'PermissionsManageProfilesPermissionsets',
        'PermissionsManageUsers',
      ])
        withoutPermission(org, column);
      // The FROM object is judged first, before the paths and sub-selects that reach others.
      const reaching =
        object === 'PermissionSet'
          ? 'SELECT Id, (SELECT Id FROM Assignments) FROM PermissionSet LIMIT 5'
          : 'SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Label != null LIMIT 5';
      for (const query of [soql, reaching]) {
        const denied = await org.query(query);
        expect(denied.status).toBe(400);
        const [error] = (await denied.json()) as Array<{ errorCode: string; message: string }>;
        expect(error).toMatchObject({ errorCode: 'INVALID_TYPE' });
        expect(error!.message).toContain(`sObject type '${object}' is not supported`);
      }
      // Nor is it reachable as a child relationship of User.
      if (object === 'PermissionSetAssignment') {
        const child = await org.query(
          'SELECT Id, (SELECT Id FROM PermissionSetAssignments) FROM User',
        );
        expect(child.status).toBe(400);
        expect(((await child.json()) as Array<{ message: string }>)[0]!.message).toContain(
          "Didn't understand relationship 'PermissionSetAssignments'",
        );
      }
    } finally {
      await org.sim.close();
    }
  });
});
