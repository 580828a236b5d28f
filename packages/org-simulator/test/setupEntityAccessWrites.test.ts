/**
 * Approving a connected app for a permission set through REST (a SetupEntityAccess insert), as the
 * remediation does for HubSpot's admin-approved-only app: validated as Salesforce does, and the
 * approval shows in the next snapshot.
 */
import { evaluateAccess } from '@sync-doctor/core';
import { API, startTestOrg, type TestOrg } from './helpers.js';
import { readSnapshot } from './snapshotReader.js';

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'admin-approved-app' });
});
afterEach(() => org.sim.close());

type ApiErrorBody = Array<{ errorCode: string; message: string; fields?: string[] }>;

const hubspot = () => org.sim.records('ConnectedApplication').find((a) => a.Name === 'HubSpot')!;
const approvals = () => org.sim.records('SetupEntityAccess');
const approvalFindings = async () =>
  evaluateAccess(
    (await readSnapshot(org, org.sim.integrationUser.Username)).snapshot,
  ).findings.filter((f) => f.rule === 'connected-app-approval');

/** Takes a system permission from every permission set, as from an admin profile without it. */
function withoutPermission(column: string): void {
  for (const set of org.sim.records('PermissionSet')) if (set[column] === true) set[column] = false;
}

const create = (body: Record<string, unknown>) =>
  org.send('POST', `${API}/sobjects/SetupEntityAccess`, body);

describe('SetupEntityAccess create: approving a connected app', () => {
  test("a permission set created, approved for HubSpot's app and assigned in one composite approves the user", async () => {
    expect(await approvalFindings()).toHaveLength(1);
    const app = hubspot();
    const before = approvals().length;
    const compositeRequest = [
      {
        method: 'POST',
        url: `${API}/sobjects/PermissionSet`,
        referenceId: 'remediation',
        body: { Name: 'Sync_Doctor_Remediation', Label: 'Sync Doctor Remediation' },
      },
      {
        method: 'POST',
        url: `${API}/sobjects/SetupEntityAccess`,
        referenceId: 'approve',
        body: { ParentId: '@{remediation.id}', SetupEntityId: app.Id },
      },
      {
        method: 'POST',
        url: `${API}/sobjects/PermissionSetAssignment`,
        referenceId: 'assign',
        body: { AssigneeId: org.sim.integrationUser.Id, PermissionSetId: '@{remediation.id}' },
      },
    ];
    const res = await org.send('POST', `${API}/composite`, { allOrNone: true, compositeRequest });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: { id: string } }>;
    };
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 201]);
    const setId = compositeResponse[0]!.body.id;
    expect(approvals()).toHaveLength(before + 1);
    // Salesforce fills in SetupEntityType; the caller cannot.
    expect(approvals().find((a) => a.ParentId === setId)).toMatchObject({
      Id: compositeResponse[1]!.body.id,
      SetupEntityId: app.Id,
      SetupEntityType: 'ConnectedApplication',
    });
    expect(await approvalFindings()).toEqual([]);

    // The same approval again is a duplicate, as in Salesforce (15-character ids too).
    const again = await create({ ParentId: setId.slice(0, 15), SetupEntityId: app.Id });
    expect(again.status).toBe(400);
    expect(((await again.json()) as ApiErrorBody)[0]).toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
    });
    expect(approvals()).toHaveLength(before + 1);
  });

  test('a failed approval rolls back the all-or-none composite', async () => {
    const before = { sets: org.sim.records('PermissionSet').length, approvals: approvals().length };
    const res = await org.send('POST', `${API}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${API}/sobjects/PermissionSet`,
          referenceId: 'remediation',
          body: { Name: 'Sync_Doctor_Remediation', Label: 'Sync Doctor Remediation' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/SetupEntityAccess`,
          referenceId: 'approve',
          // A permission set is not a connected app.
          body: { ParentId: '@{remediation.id}', SetupEntityId: '@{remediation.id}' },
        },
      ],
    });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: ApiErrorBody }>;
    };
    expect(compositeResponse[1]!.body[0]).toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      fields: ['SetupEntityId'],
    });
    expect(org.sim.records('PermissionSet')).toHaveLength(before.sets);
    expect(approvals()).toHaveLength(before.approvals);
  });

  test('the parent must be a permission set and the entity a connected app; SetupEntityType is not createable', async () => {
    const app = hubspot();
    const set = org.sim.records('PermissionSet').find((p) => p.IsOwnedByProfile === false)!;
    const before = approvals().length;
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      [
        { ParentId: org.sim.integrationUser.Id, SetupEntityId: app.Id },
        'INVALID_CROSS_REFERENCE_KEY',
        ['ParentId'],
      ],
      [
        { ParentId: set.Id, SetupEntityId: set.Id },
        'INVALID_CROSS_REFERENCE_KEY',
        ['SetupEntityId'],
      ],
      [{ ParentId: set.Id, SetupEntityId: '0H4nope' }, 'MALFORMED_ID', ['SetupEntityId']],
      [{ ParentId: set.Id }, 'REQUIRED_FIELD_MISSING', ['SetupEntityId']],
      [
        { ParentId: set.Id, SetupEntityId: app.Id, SetupEntityType: 'ConnectedApplication' },
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        ['SetupEntityType'],
      ],
    ];
    for (const [body, errorCode, fields] of cases) {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ApiErrorBody)[0]).toMatchObject({ errorCode, fields });
    }
    expect(approvals()).toHaveLength(before);
  });

  test('it is created and deleted, never updated, and goes with its permission set', async () => {
    const app = hubspot();
    const set = (await (
      await org.send('POST', `${API}/sobjects/PermissionSet`, { Name: 'Approval_Test', Label: 'A' })
    ).json()) as { id: string };
    const created = (await (await create({ ParentId: set.id, SetupEntityId: app.Id })).json()) as {
      id: string;
    };
    const other = org.sim.records('PermissionSet').find((p) => p.IsOwnedByProfile === false)!;
    const update = await org.send('PATCH', `${API}/sobjects/SetupEntityAccess/${created.id}`, {
      ParentId: other.Id,
    });
    expect(update.status).toBe(400);
    expect(((await update.json()) as ApiErrorBody)[0]!.errorCode).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
    const deleted = await org.send('DELETE', `${API}/sobjects/PermissionSet/${set.id}`);
    expect(deleted.status).toBe(204);
    expect(approvals().some((a) => a.Id === created.id)).toBe(false);
  });

  test('the caller needs View Setup, Customize Application and Modify All Data or Manage Connected Apps', async () => {
    const app = hubspot();
    const set = org.sim.records('PermissionSet').find((p) => p.IsOwnedByProfile === false)!;
    const before = approvals().length;
    const refused = async (status: number, errorCode: string) => {
      const res = await create({ ParentId: set.Id, SetupEntityId: app.Id });
      expect(res.status).toBe(status);
      expect(((await res.json()) as ApiErrorBody)[0]!.errorCode).toBe(errorCode);
      expect(approvals()).toHaveLength(before);
    };
    // The System Administrator profile holds both; either one will do.
    withoutPermission('PermissionsModifyAllData');
    withoutPermission('PermissionsManageConnectedApps');
    await refused(400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
    // Manage Connected Apps back, Customize Application gone: still refused.
    for (const held of org.sim.records('PermissionSet'))
      if (held.PermissionsCustomizeApplication === true) {
        held.PermissionsManageConnectedApps = true;
        held.PermissionsCustomizeApplication = false;
      }
    await refused(400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
    withoutPermission('PermissionsViewSetup');
    // Without View Setup the object is hidden: SOQL says INVALID_TYPE, a POST finds no resource.
    await refused(404, 'NOT_FOUND');
  });
});
