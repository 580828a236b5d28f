// The Node applier refuses what the Apex applier refuses: a plan is input (the preview and the CLI
// read it as JSON), so a hand-made or tampered one must not grant what the core never plans.
import { NEVER_GRANTED_SYSTEM_PERMISSIONS } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import {
  REMEDIATION_SET_SESSION_BASED,
  applyRemediation,
  type RemediationPlanInput,
} from '../src/write/applyRemediation.js';
import { accountReadRow as accountRow, emptyPlan as empty } from './plans.js';

let sim: OrgSimulator;
beforeEach(async () => {
  sim = await startOrgSimulator({ fixture: 'missing-permission-set', port: 0 });
});
afterEach(() => sim.close());

/** A set of the org as an admin would make one, granting `permissions`. */
const insertSet = (name: string, permissions: Record<string, boolean>) =>
  sim.org.insert('PermissionSet', {
    Name: name,
    Label: name.replaceAll('_', ' '),
    Type: 'Regular',
    IsOwnedByProfile: false,
    IsCustom: true,
    ProfileId: null,
    PermissionSetGroupId: null,
    NamespacePrefix: null,
    HasActivationRequired: false,
    ...permissions,
  });

async function refusal(plan: RemediationPlanInput): Promise<unknown> {
  const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  sim.resetRequests();
  const error = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan }).then(
    () => null,
    (e: unknown) => e,
  );
  // Refused before the first request: nothing read, nothing written.
  expect(sim.requests.filter((r) => r.path.startsWith('/services/data/'))).toEqual([]);
  return error;
}

describe('applyRemediation refuses what the core never plans', () => {
  it('refuses View All on an object, as Modify All', async () => {
    const error = await refusal({
      ...empty,
      objectPermissions: [{ ...accountRow, viewAll: true }],
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toContain('Sync Doctor never grants View All on Account');
    expect(sim.records('PermissionSet').some((p) => p.Name === 'Sync_Doctor_Remediation')).toBe(
      false,
    );
  });

  it('refuses a system permission Sync Doctor never checks or plans (Modify Metadata, Download AppExchange Packages)', async () => {
    for (const permission of ['PermissionsModifyMetadata', 'PermissionsInstallPackaging']) {
      const error = await refusal({ ...empty, systemPermissions: [permission] });
      expect(error).toBeInstanceOf(TypeError);
      expect(String(error)).toContain(
        `grants only the system permissions HubSpot's sync needs and its checks cover (API Enabled, Edit Tasks, Edit Events, View All Users), not ${permission}`,
      );
    }
  });

  it('refuses the far-reaching ones in their own words', async () => {
    for (const permission of [
      'PermissionsModifyAllData',
      'PermissionsResetPasswords',
      'PermissionsManageInternalUsers',
      'PermissionsManageSharing',
      'PermissionsManageRoles',
    ]) {
      const error = await refusal({ ...empty, systemPermissions: [permission] });
      expect(String(error)).toContain(`Sync Doctor never grants ${permission}:`);
    }
  });

  it("refuses a row asking Delete without the Edit and Read Salesforce requires beside it, rather than grant rights the plan does not list (the Apex applier's rule)", async () => {
    const error = await refusal({
      ...empty,
      objectPermissions: [{ ...accountRow, read: false, delete: true }],
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toContain(
      'The plan asks Delete on Account without Edit, which Salesforce requires with it: Sync Doctor grants exactly the rights a plan lists.',
    );
    expect(sim.records('PermissionSet').some((p) => p.Name === 'Sync_Doctor_Remediation')).toBe(
      false,
    );
  });

  it('refuses a right that is neither true nor false, of an object or a field', async () => {
    const row = { ...accountRow, delete: 'false' } as unknown as typeof accountRow;
    expect(String(await refusal({ ...empty, objectPermissions: [row] }))).toContain(
      'delete must be true or false, not "false".',
    );
    const field = { field: 'Account.Phone', sobjectType: 'Account', read: true, edit: 1 };
    expect(
      String(
        await refusal({
          ...empty,
          objectPermissions: [accountRow],
          fieldPermissions: [field as unknown as RemediationPlanInput['fieldPermissions'][number]],
        }),
      ),
    ).toContain('edit must be true or false, not 1.');
  });

  it('grants Delete (HubSpot needs it where its settings delete Salesforce records) with the Edit and Read the row lists, and nothing more', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const lead = { ...accountRow, sobjectType: 'Lead', edit: true, delete: true };
    const result = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, objectPermissions: [lead] },
    });
    const row = sim
      .records('ObjectPermissions')
      .find((o) => o.ParentId === result.permissionSetId && o.SobjectType === 'Lead');
    expect(row).toMatchObject({
      PermissionsRead: true,
      PermissionsCreate: false,
      PermissionsEdit: true,
      PermissionsDelete: true,
      PermissionsViewAllRecords: false,
      PermissionsModifyAllRecords: false,
    });
  });

  it('still grants the four it plans', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const result = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, systemPermissions: ['PermissionsApiEnabled', 'PermissionsViewAllUsers'] },
    });
    const set = sim.records('PermissionSet').find((p) => p.Id === result.permissionSetId);
    expect(set).toMatchObject({ PermissionsApiEnabled: true, PermissionsViewAllUsers: true });
  });
});

describe('applyRemediation assigning the permission sets a plan names', () => {
  it("refuses a label several sets answer to (a clone of HubSpot's), assigning none of them", async () => {
    const hubspot = sim
      .records('PermissionSet')
      .find((p) => p.Label === 'HubSpot Integration Permissions')!;
    const clone = sim.org.insert('PermissionSet', {
      ...Object.fromEntries(Object.entries(hubspot).filter(([key]) => key !== 'Id')),
      Name: 'HubSpot_Integration_Permissions_Copy',
    });
    const assignments = sim.records('PermissionSetAssignment').length;
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const error = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, assignPermissionSets: ['HubSpot Integration Permissions'] },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect(String((error as Error).message)).toBe(
      `Several permission sets answer to "HubSpot Integration Permissions": HubSpot Integration Permissions (HubSpot_Integration_Permissions), HubSpot Integration Permissions (${String(clone.Name)}). Assign the right one in Setup > Permission Sets.`,
    );
    expect(sim.records('PermissionSetAssignment')).toHaveLength(assignments);
  });

  it("does not take a permission set group's own set for one answering to the name", async () => {
    // A group labelled as HubSpot's set has an aggregate PermissionSet with that label; it can
    // never be assigned, so it is no second candidate (the Apex applier skips it too).
    const hubspot = sim
      .records('PermissionSet')
      .find((p) => p.Label === 'HubSpot Integration Permissions')!;
    const group = sim.org.insert('PermissionSetGroup', {
      DeveloperName: 'HubSpot_Bundle',
      MasterLabel: 'HubSpot Integration Permissions',
      Status: 'Updated',
      HasActivationRequired: false,
    });
    sim.org.insert('PermissionSet', {
      ...Object.fromEntries(Object.entries(hubspot).filter(([key]) => key !== 'Id')),
      Name: `X${group.Id.slice(0, 15)}`,
      Type: 'Group',
      PermissionSetGroupId: group.Id,
    });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const result = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, assignPermissionSets: ['HubSpot Integration Permissions'] },
    });
    expect(result.assigned).toEqual(['HubSpot Integration Permissions']);
    expect(
      sim
        .records('PermissionSetAssignment')
        .filter((a) => a.AssigneeId === sim.integrationUser.Id && a.PermissionSetId === hubspot.Id),
    ).toHaveLength(1);
  });
});

describe('applyRemediation assigning only permission sets that hold nothing it never grants', () => {
  it('refuses to assign a set holding Modify All Data, before any change, naming the set and the permission', async () => {
    const everything = insertSet('Everything_Admin', {
      PermissionsModifyAllData: true,
      PermissionsViewAllData: true,
    });
    const assignments = sim.records('PermissionSetAssignment').length;
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const error = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: {
        ...empty,
        // A grant too: the refusal comes before Sync_Doctor_Remediation is created.
        systemPermissions: ['PermissionsApiEnabled'],
        assignPermissionSets: ['HubSpot Integration Permissions', 'everything_admin'],
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect((error as SalesforceError).errorCode).toBe('PERMISSION_SET_NOT_ASSIGNABLE');
    expect((error as Error).message).toBe(
      "Sync Doctor never assigns the permission set Everything Admin (Everything_Admin): it grants Modify All Data and View All Data, far beyond what HubSpot's sync needs. Assign it yourself in Setup if the integration user really needs it.",
    );
    expect(sim.records('PermissionSetAssignment')).toHaveLength(assignments);
    expect(
      sim.records('PermissionSetAssignment').filter((a) => a.PermissionSetId === everything.Id),
    ).toEqual([]);
    expect(sim.records('PermissionSet').some((p) => p.Name === 'Sync_Doctor_Remediation')).toBe(
      false,
    );
    // Nothing written: every request, and every composite's subrequest, a GET.
    const api = sim.requests.filter((r) => r.path.startsWith('/services/data/'));
    expect(api.length).toBeGreaterThan(0);
    const methods = api.flatMap((r) =>
      /\/composite$/.test(r.path.split('?')[0]!)
        ? (r.body as { compositeRequest: { method: string }[] }).compositeRequest.map(
            (sub) => sub.method,
          )
        : [r.method],
    );
    expect(methods.filter((method) => method !== 'GET')).toEqual([]);
  });

  it('refuses each of the permissions the core never grants that the org has a column for', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    for (const [column, label] of [
      ['PermissionsAuthorApex', 'Author Apex'],
      ['PermissionsManageUsers', 'Manage Users'],
      ['PermissionsCustomizeApplication', 'Customize Application'],
      ['PermissionsManageInternalUsers', 'Manage Internal Users'],
      ['PermissionsResetPasswords', 'Reset User Passwords and Unlock Users'],
      ['PermissionsManageSharing', 'Manage Sharing'],
      ['PermissionsManageRoles', 'Manage Roles'],
    ] as const) {
      insertSet(`Has_${column}`, { [column]: true });
      const error = await applyRemediation(conn, {
        userId: sim.integrationUser.Id,
        plan: { ...empty, assignPermissionSets: [`Has_${column}`] },
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as Error).message).toContain(`(Has_${column}): it grants ${label},`);
    }
  });

  it('pays one describe and one query more, not one per column, in an org lacking several never-granted columns', async () => {
    // An edition without some of the columns (the simulator drops them): before, each cost a
    // query of its own.
    await sim.close();
    sim = await startOrgSimulator({
      fixture: 'missing-permission-set',
      port: 0,
      dropColumns: [
        'PermissionSet.PermissionsManageRoles',
        'PermissionSet.PermissionsManageSharing',
      ],
    });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const fields = new Set(
      (
        (await conn.request(`/services/data/v${conn.version}/sobjects/PermissionSet/describe`)) as {
          fields: { name: string }[];
        }
      ).fields.map((field) => field.name.toLowerCase()),
    );
    const absent = NEVER_GRANTED_SYSTEM_PERMISSIONS.filter((p) => !fields.has(p.toLowerCase()));
    expect(absent.length).toBeGreaterThan(1);
    sim.resetRequests();
    const result = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, assignPermissionSets: ['HubSpot Integration Permissions'] },
    });
    expect(result.assigned).toEqual(['HubSpot Integration Permissions']);
    const api = sim.requests.filter((r) => r.path.startsWith('/services/data/'));
    expect(api.filter((r) => r.path.includes('/sobjects/PermissionSet/describe'))).toHaveLength(1);
    const setQueries = api.filter(
      (r) =>
        r.method === 'GET' &&
        /\/query\b/.test(r.path) &&
        /FROM(\+|%20)PermissionSet(\+|%20)/.test(r.path),
    );
    expect(setQueries).toHaveLength(1);
    // The one retry asked every never-granted column the org has, and none it lacks.
    const asked = decodeURIComponent(setQueries[0]!.path.replaceAll('+', ' '));
    for (const permission of NEVER_GRANTED_SYSTEM_PERMISSIONS)
      expect(asked.includes(`, ${permission}`)).toBe(fields.has(permission.toLowerCase()));
  });

  it("still assigns HubSpot's set, and one holding View All and Modify All on objects only (HubSpot's set may, on its objects)", async () => {
    const objectAdmin = insertSet('Object_Admin', { PermissionsApiEnabled: true });
    sim.org.insert('ObjectPermissions', {
      ParentId: objectAdmin.Id,
      SobjectType: 'Contact',
      PermissionsRead: true,
      PermissionsCreate: true,
      PermissionsEdit: true,
      PermissionsDelete: true,
      PermissionsViewAllRecords: true,
      PermissionsModifyAllRecords: true,
    });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const result = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, assignPermissionSets: ['HubSpot Integration Permissions', 'Object_Admin'] },
    });
    expect(result.assigned).toEqual(['HubSpot Integration Permissions', 'Object Admin']);
  });
});

describe('applyRemediation writing into Sync_Doctor_Remediation', () => {
  it('refuses a session-based Sync_Doctor_Remediation, as the Apex applier does: its rights would reach HubSpot never', async () => {
    const remediation = insertSet('Sync_Doctor_Remediation', { HasActivationRequired: true });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const error = await applyRemediation(conn, {
      userId: sim.integrationUser.Id,
      plan: { ...empty, objectPermissions: [accountRow] },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect((error as Error).message).toBe(REMEDIATION_SET_SESSION_BASED);
    expect(sim.records('ObjectPermissions').filter((r) => r.ParentId === remediation.Id)).toEqual(
      [],
    );
    expect(
      sim.records('PermissionSetAssignment').filter((a) => a.PermissionSetId === remediation.Id),
    ).toEqual([]);
  });
});
