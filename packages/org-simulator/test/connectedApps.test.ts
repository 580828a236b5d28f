import {
  CONNECTED_APP_ACCESS_FIELDS,
  CONNECTED_APP_FIELDS,
  CONNECTED_APP_NAME_LIKE,
} from '@sync-doctor/core';
import { FIXTURE_NAMES, loadFixture } from '../src/index.js';
import { startTestOrg, type TestOrg } from './helpers.js';

interface App {
  Id: string;
  Name: string;
  OptionsAllowAdminApprovedUsersOnly: boolean;
  OptionsHasSessionLevelPolicy: boolean;
  OptionsRefreshTokenValidityMetric: boolean;
  RefreshTokenValidityPeriod: number | null;
}
interface Access {
  ParentId: string;
  SetupEntityId: string;
}

/** The collectors' queries (packages/core snapshot/schema.ts). */
const APPS = `SELECT ${CONNECTED_APP_FIELDS.join(', ')} FROM ConnectedApplication WHERE Name LIKE '${CONNECTED_APP_NAME_LIKE}'`;
const accessOf = (userId: string) =>
  `SELECT ${CONNECTED_APP_ACCESS_FIELDS.join(', ')} FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication' AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${userId}')`;

async function records<T>(res: Response): Promise<T[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { records: T[] }).records;
}

/** Takes a system permission from every permission set, as from an admin profile without it. */
function withoutPermission(org: TestOrg, column: string): void {
  for (const set of org.sim.records('PermissionSet')) if (set[column] === true) set[column] = false;
}

const hubspotOf = (name: (typeof FIXTURE_NAMES)[number], size: 'default' | 'large' = 'default') => {
  const org = loadFixture(name, size);
  const app = org.table('ConnectedApplication').find((r) => r.Name === 'HubSpot')!;
  const approved = org
    .table('SetupEntityAccess')
    .filter((r) => r.SetupEntityId === app.Id)
    .map((r) => r.ParentId);
  const userSets = org
    .table('PermissionSetAssignment')
    .filter((r) => r.AssigneeId === org.integrationUserId)
    .map((r) => r.PermissionSetId);
  return { app, approved, userApproved: userSets.some((id) => approved.includes(id)) };
};

describe('ConnectedApplication and SetupEntityAccess', () => {
  test("every fixture but admin-approved-app installs HubSpot's app with Salesforce's default policies", () => {
    for (const name of FIXTURE_NAMES) {
      const { app } = hubspotOf(name);
      expect(app).toMatchObject({
        OptionsHasSessionLevelPolicy: false,
        OptionsRefreshTokenValidityMetric: false,
        RefreshTokenValidityPeriod: null,
        OptionsAllowAdminApprovedUsersOnly: name === 'admin-approved-app',
      });
    }
  });

  test.each(['default', 'large'] as const)(
    "admin-approved-app (%s): only the System Administrator profile is approved, none of the integration user's sets",
    (size) => {
      const org = loadFixture('admin-approved-app', size);
      const { app, approved, userApproved } = hubspotOf('admin-approved-app', size);
      expect(app.OptionsAllowAdminApprovedUsersOnly).toBe(true);
      const admin = org.table('Profile').find((p) => p.Name === 'System Administrator')!;
      const adminSet = org.table('PermissionSet').find((s) => s.ProfileId === admin.Id)!;
      expect(approved).toEqual([adminSet.Id]);
      expect(userApproved).toBe(false);
      expect(hubspotOf('healthy', size).userApproved).toBe(false);
    },
  );

  test("the collectors' queries: HubSpot's apps by name with their policies, and the user's approvals through a semi-join", async () => {
    const org = await startTestOrg({ fixture: 'admin-approved-app' });
    try {
      const apps = await records<App>(await org.query(APPS));
      // LIKE '%HubSpot%' keeps HubSpot's own app and its sales extension, not the Salesforce CLI.
      expect(apps.map((a) => a.Name).sort()).toEqual(['HubSpot', 'HubSpot Sales']);
      const hubspot = apps.find((a) => a.Name === 'HubSpot')!;
      expect(Object.keys(hubspot).sort()).toEqual(['attributes', ...CONNECTED_APP_FIELDS].sort());
      expect(hubspot).toMatchObject({
        attributes: { type: 'ConnectedApplication' },
        OptionsAllowAdminApprovedUsersOnly: true,
        RefreshTokenValidityPeriod: null,
      });
      expect(hubspot.Id).toMatch(/^0H4/);

      expect(await records(await org.query(accessOf(org.sim.integrationUser.Id)))).toEqual([]);
      const admin = await records<Access>(await org.query(accessOf(org.sim.adminUser.Id)));
      // The admin's profile is approved for HubSpot and the Salesforce CLI.
      expect(admin.map((r) => r.SetupEntityId)).toContain(hubspot.Id);
      expect(admin).toHaveLength(2);
      expect(Object.keys(admin[0]!).sort()).toEqual(
        ['attributes', ...CONNECTED_APP_ACCESS_FIELDS].sort(),
      );
    } finally {
      await org.sim.close();
    }
  });

  test('without Customize Application, SOQL on ConnectedApplication is INVALID_TYPE, as Salesforce hides the object', async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      expect(await records(await org.query(APPS))).toHaveLength(2);
      withoutPermission(org, 'PermissionsCustomizeApplication');
      const res = await org.query(APPS);
      expect(res.status).toBe(400);
      const [error] = (await res.json()) as Array<{ errorCode: string; message: string }>;
      expect(error).toMatchObject({ errorCode: 'INVALID_TYPE' });
      expect(error!.message).toContain("sObject type 'ConnectedApplication' is not supported");
      // SetupEntityAccess needs View Setup and Configuration only (healthy approves the admin's profile for the Salesforce CLI).
      expect(await records(await org.query(accessOf(org.sim.adminUser.Id)))).toHaveLength(1);
      withoutPermission(org, 'PermissionsViewSetup');
      const denied = await org.query(accessOf(org.sim.adminUser.Id));
      expect(denied.status).toBe(400);
      expect(((await denied.json()) as Array<{ errorCode: string }>)[0]).toMatchObject({
        errorCode: 'INVALID_TYPE',
      });
    } finally {
      await org.sim.close();
    }
  });

  test('Customize Application alone is not enough: it needs Modify All Data or Manage Connected Apps beside it', async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const refused = async () => {
        const res = await org.query(APPS);
        expect(res.status).toBe(400);
        const [error] = (await res.json()) as Array<{ errorCode: string; message: string }>;
        expect(error).toMatchObject({ errorCode: 'INVALID_TYPE' });
        expect(error!.message).toContain("sObject type 'ConnectedApplication' is not supported");
      };
      // The System Administrator profile holds both; either one will do.
      withoutPermission(org, 'PermissionsModifyAllData');
      expect(await records(await org.query(APPS))).toHaveLength(2);
      const held = await records<Record<string, boolean>>(
        await org.query(
          'SELECT PermissionsCustomizeApplication, PermissionsModifyAllData, PermissionsManageConnectedApps FROM UserPermissionAccess',
        ),
      );
      expect(held).toEqual([
        expect.objectContaining({
          PermissionsCustomizeApplication: true,
          PermissionsModifyAllData: false,
          PermissionsManageConnectedApps: true,
        }),
      ]);
      withoutPermission(org, 'PermissionsManageConnectedApps');
      await refused();
      for (const set of org.sim.records('PermissionSet'))
        if (set.PermissionsCustomizeApplication === true) set.PermissionsModifyAllData = true;
      expect(await records(await org.query(APPS))).toHaveLength(2);
    } finally {
      await org.sim.close();
    }
  });

  test('only the System Administrator profile holds Manage Connected Apps', () => {
    const org = loadFixture('healthy');
    const profiles = new Map(org.table('Profile').map((p) => [p.Id, p.Name]));
    const holders = org
      .table('PermissionSet')
      .filter((s) => s.PermissionsManageConnectedApps === true)
      .map((s) => profiles.get(s.ProfileId as string) ?? s.Name);
    expect(holders).toEqual(['System Administrator']);
  });

  test('is read only', async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const res = await org.send('POST', '/services/data/v64.0/sobjects/ConnectedApplication', {
        Name: 'HubSpot',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    } finally {
      await org.sim.close();
    }
  });
});
