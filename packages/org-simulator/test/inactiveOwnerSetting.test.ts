/**
 * "Update Records with Inactive Owners" (PermissionsUpdateWithInactiveOwner) and "Set Audit Fields
 * upon Record Creation" (PermissionsCreateAuditFields): PermissionSet has their columns only once
 * Setup > User Interface > 'Enable "Set Audit Fields upon Record Creation" and "Update Records with
 * Inactive Owners" User Permissions' is on. On in the simulator by default, every fixture's sets
 * reading false; `inactiveOwnerPermissions: false` is the setting off, as Salesforce ships it.
 */
import {
  FIXTURE_NAMES,
  INACTIVE_OWNER_SETTING_COLUMNS,
  loadFixture,
  runQuery,
} from '../src/index.js';
import { API, startTestOrg, type TestOrg } from './helpers.js';

const COLUMN = 'PermissionsUpdateWithInactiveOwner';

async function describedNames(org: TestOrg, sobject: string): Promise<string[]> {
  const res = await org.get(`${API}/sobjects/${sobject}/describe`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { fields: { name: string }[] }).fields.map((f) => f.name);
}

describe('the User Interface setting behind "Update Records with Inactive Owners"', () => {
  test('on (the default): both columns on PermissionSet, false in every set of every fixture', () => {
    expect([...INACTIVE_OWNER_SETTING_COLUMNS]).toEqual([
      'PermissionsCreateAuditFields',
      'PermissionsUpdateWithInactiveOwner',
    ]);
    for (const fixture of FIXTURE_NAMES) {
      const org = loadFixture(fixture);
      const { records } = runQuery(
        org,
        `SELECT Name, IsOwnedByProfile, ${INACTIVE_OWNER_SETTING_COLUMNS.join(', ')} FROM PermissionSet`,
        '64.0',
      );
      expect(records.length).toBeGreaterThan(3);
      for (const set of records) {
        // The System Administrator profile does not get them by turning the setting on either.
        expect(set).toMatchObject({
          PermissionsCreateAuditFields: false,
          PermissionsUpdateWithInactiveOwner: false,
        });
      }
    }
  });

  test('on: describe lists the column, an admin may grant it in a new set, and the user holds it once assigned', async () => {
    const org = await startTestOrg();
    try {
      expect(await describedNames(org, 'PermissionSet')).toEqual(
        expect.arrayContaining([...INACTIVE_OWNER_SETTING_COLUMNS]),
      );
      expect(await describedNames(org, 'MutingPermissionSet')).toContain(COLUMN);
      const created = await org.send('POST', `${API}/sobjects/PermissionSet`, {
        Name: 'Inactive_Owner_Updates',
        Label: 'Inactive Owner Updates',
        [COLUMN]: true,
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const assigned = await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, {
        AssigneeId: org.sim.integrationUser.Id,
        PermissionSetId: id,
      });
      expect(assigned.status).toBe(201);
      const res = await org.query(
        `SELECT PermissionSet.Name, PermissionSet.${COLUMN} FROM PermissionSetAssignment WHERE AssigneeId = '${org.sim.integrationUser.Id}' AND PermissionSet.${COLUMN} = true`,
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { records: { PermissionSet: Record<string, unknown> }[] };
      expect(body.records.map((r) => r.PermissionSet.Name)).toEqual(['Inactive_Owner_Updates']);
    } finally {
      await org.sim.close();
    }
  });

  test("off: describe lacks both columns, and SOQL naming one answers Salesforce's INVALID_FIELD", async () => {
    const org = await startTestOrg({ inactiveOwnerPermissions: false });
    try {
      for (const sobject of ['PermissionSet', 'MutingPermissionSet', 'UserPermissionAccess']) {
        const names = await describedNames(org, sobject);
        for (const column of INACTIVE_OWNER_SETTING_COLUMNS) expect(names).not.toContain(column);
        expect(names).toContain('PermissionsApiEnabled');
      }
      const res = await org.query(
        `SELECT Id, PermissionSet.Name, PermissionSet.${COLUMN} FROM PermissionSetAssignment WHERE AssigneeId = '${org.sim.integrationUser.Id}'`,
      );
      expect(res.status).toBe(400);
      const [error] = (await res.json()) as { errorCode: string; message: string }[];
      expect(error!.errorCode).toBe('INVALID_FIELD');
      expect(error!.message).toContain(`No such column '${COLUMN}' on entity 'PermissionSet'`);
      // The other columns still answer, and a record write naming the column is refused.
      expect((await org.query('SELECT Id, PermissionsApiEnabled FROM PermissionSet')).status).toBe(
        200,
      );
      const created = await org.send('POST', `${API}/sobjects/PermissionSet`, {
        Name: 'Inactive_Owner_Updates',
        Label: 'Inactive Owner Updates',
        [COLUMN]: true,
      });
      expect(created.status).toBe(400);
      expect(((await created.json()) as { errorCode: string }[])[0]!.errorCode).toBe(
        'INVALID_FIELD',
      );
      // It holds across a switch of fixture, as dropColumns does.
      org.sim.useFixture('read-only-contacts');
      expect(await describedNames(org, 'PermissionSet')).not.toContain(COLUMN);
      expect(org.sim.records('PermissionSet').some((p) => COLUMN in p)).toBe(false);
    } finally {
      await org.sim.close();
    }
  });
});
