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
