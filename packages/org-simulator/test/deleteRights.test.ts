import { STATUS_OBJECT } from '@sync-doctor/core';
import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * Delete rights on the REST API for a user without "Modify All Data": the object's Delete, then the
 * record's owner or the object's Modify All. The relay user holds Sync_Doctor_Relay alone; the
 * package's set holds Modify All on the status object (it is Public Read Only, and a new relay user
 * must update an earlier one's record), which Salesforce allows only with Delete, so each test
 * starts from the set cut back to Read, Create and Edit, and the last one shows the shipped set.
 */
type SalesforceErrors = Array<{ errorCode: string; message: string; fields?: string[] }>;

let org: TestOrg;
let as: (method: string, path: string, body?: unknown) => Promise<Response>;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
  as = await asUser(org.sim, org.sim.relayUser.Username);
  const cut = await setRelayStatusRights({
    PermissionsDelete: false,
    PermissionsViewAllRecords: false,
    PermissionsModifyAllRecords: false,
  });
  expect(cut.status).toBe(204);
});
afterEach(() => org.sim.close());

const STATUS = `${API}/sobjects/${STATUS_OBJECT.name}`;
const portalField = STATUS_OBJECT.fields.portalId;
const REFUSED = [
  {
    errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
    message: 'insufficient access rights on object id',
    fields: [],
  },
];

/** A status record the relay user creates (and so owns). */
async function relayStatus(portalId: string): Promise<string> {
  const res = await as('PATCH', `${STATUS}/${portalField}/${portalId}`, {
    [STATUS_OBJECT.fields.state]: 'suspended',
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The Sync_Doctor_Relay row for the status object, changed by the admin. */
async function setRelayStatusRights(rights: Record<string, boolean>): Promise<Response> {
  const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Sync_Doctor_Relay')!;
  const row = org.sim
    .records('ObjectPermissions')
    .find((o) => o.ParentId === set.Id && o.SobjectType === STATUS_OBJECT.name)!;
  return org.send('PATCH', `${API}/sobjects/ObjectPermissions/${String(row.Id)}`, rights);
}

describe('DELETE of a record', () => {
  test("without the object's Delete: INSUFFICIENT_ACCESS_OR_READONLY, and the record stays", async () => {
    const id = await relayStatus('7001');
    const res = await as('DELETE', `${STATUS}/${id}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(REFUSED);
    // By external id too.
    const byPortal = await as('DELETE', `${STATUS}/${portalField}/7001`);
    expect(byPortal.status).toBe(400);
    expect(await byPortal.json()).toEqual(REFUSED);
    expect(org.sim.records(STATUS_OBJECT.name).some((r) => r.Id === id)).toBe(true);
    // The admin (Modify All Data) deletes it.
    expect((await org.send('DELETE', `${STATUS}/${id}`)).status).toBe(204);
  });

  test('with Delete, the owner deletes its record, not one another user owns', async () => {
    expect((await setRelayStatusRights({ PermissionsDelete: true })).status).toBe(204);
    const own = await relayStatus('7002');
    expect((await as('DELETE', `${STATUS}/${own}`)).status).toBe(204);

    const adminCreated = await org.send('POST', STATUS, { [portalField]: '7003' });
    const other = ((await adminCreated.json()) as { id: string }).id;
    const res = await as('DELETE', `${STATUS}/${other}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(REFUSED);
    // The object's Modify All deletes anyone's record.
    expect(
      (
        await setRelayStatusRights({
          PermissionsViewAllRecords: true,
          PermissionsModifyAllRecords: true,
        })
      ).status,
    ).toBe(204);
    expect((await as('DELETE', `${STATUS}/${other}`)).status).toBe(204);
  });

  test('an object the user cannot read is no resource: 404', async () => {
    const account = await org.send('POST', `${API}/sobjects/Account`, { Name: 'Initech' });
    const id = ((await account.json()) as { id: string }).id;
    const res = await as('DELETE', `${API}/sobjects/Account/${id}`);
    expect(res.status).toBe(404);
    expect(org.sim.records('Account').some((r) => r.Id === id)).toBe(true);
  });

  test("with the Modify All Sync_Doctor_Relay ships with, the relay edits and deletes another user's status record", async () => {
    expect(
      (
        await setRelayStatusRights({
          PermissionsDelete: true,
          PermissionsViewAllRecords: true,
          PermissionsModifyAllRecords: true,
        })
      ).status,
    ).toBe(204);
    const adminCreated = await org.send('POST', STATUS, { [portalField]: '7005' });
    const other = ((await adminCreated.json()) as { id: string }).id;
    const edited = await as('PATCH', `${STATUS}/${other}`, {
      [STATUS_OBJECT.fields.state]: 'cleared',
    });
    expect(edited.status).toBe(204);
    expect((await as('DELETE', `${STATUS}/${other}`)).status).toBe(204);
  });

  test('a composite DELETE subrequest is judged as the session user', async () => {
    const id = await relayStatus('7004');
    const res = await as('POST', `${API}/composite`, {
      compositeRequest: [{ method: 'DELETE', url: `${STATUS}/${id}`, referenceId: 'gone' }],
    });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: SalesforceErrors }>;
    };
    expect(compositeResponse[0]!.httpStatusCode).toBe(400);
    expect(compositeResponse[0]!.body[0]!.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
  });
});

describe('sObject Collections DELETE', () => {
  const collection = (ids: string[], allOrNone?: boolean) =>
    `${API}/composite/sobjects?ids=${ids.join(',')}${allOrNone === undefined ? '' : `&allOrNone=${allOrNone}`}`;

  test("each record is refused without the object's Delete, and stays", async () => {
    const ids = [await relayStatus('7101'), await relayStatus('7102')];
    const res = await as('DELETE', collection(ids));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(
      ids.map((id) => ({
        id,
        success: false,
        errors: [
          {
            statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
            message: REFUSED[0]!.message,
            fields: [],
          },
        ],
      })),
    );
    expect(
      org.sim.records(STATUS_OBJECT.name).filter((r) => ids.includes(String(r.Id))),
    ).toHaveLength(2);
  });

  test('with Delete: its own records go; allOrNone rolls all back when one fails', async () => {
    expect((await setRelayStatusRights({ PermissionsDelete: true })).status).toBe(204);
    const own = [await relayStatus('7103'), await relayStatus('7104')];
    const adminCreated = await org.send('POST', STATUS, { [portalField]: '7105' });
    const other = ((await adminCreated.json()) as { id: string }).id;

    const all = await as('DELETE', collection([...own, other], true));
    const results = (await all.json()) as Array<{
      success: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(results.map((r) => [r.success, r.errors[0]?.statusCode])).toEqual([
      [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
      [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
      [false, 'INSUFFICIENT_ACCESS_OR_READONLY'],
    ]);
    expect(
      org.sim.records(STATUS_OBJECT.name).filter((r) => own.includes(String(r.Id))),
    ).toHaveLength(2);

    const some = await as('DELETE', collection([...own, other, 'not-an-id']));
    expect(
      (
        (await some.json()) as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>
      ).map((r) => [r.success, r.errors[0]?.statusCode]),
    ).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'INSUFFICIENT_ACCESS_OR_READONLY'],
      [false, 'MALFORMED_ID'],
    ]);
    expect(
      org.sim.records(STATUS_OBJECT.name).filter((r) => own.includes(String(r.Id))),
    ).toHaveLength(0);
    // Deleted already.
    const again = await as('DELETE', collection([own[0]!]));
    expect(
      ((await again.json()) as Array<{ errors: Array<{ statusCode: string }> }>)[0]!.errors[0]!
        .statusCode,
    ).toBe('ENTITY_IS_DELETED');
  });

  test('as a composite subrequest, judged as the session user', async () => {
    const id = await relayStatus('7106');
    const res = await as('POST', `${API}/composite`, {
      compositeRequest: [{ method: 'DELETE', url: collection([id]), referenceId: 'gone' }],
    });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{
        httpStatusCode: number;
        body: Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
      }>;
    };
    expect(compositeResponse[0]!.httpStatusCode).toBe(200);
    expect(compositeResponse[0]!.body[0]!.errors[0]!.statusCode).toBe(
      'INSUFFICIENT_ACCESS_OR_READONLY',
    );
  });
});

describe('ObjectPermissions: Delete needs Edit, which needs Read', () => {
  test('a row granting Delete without Edit, or without Read, is refused and left as it was', async () => {
    const res = await setRelayStatusRights({ PermissionsDelete: true, PermissionsEdit: false });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      {
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Permission Delete depends on permission(s): Edit',
        fields: ['PermissionsDelete'],
      },
    ]);
    const withoutRead = await setRelayStatusRights({
      PermissionsDelete: true,
      PermissionsRead: false,
    });
    expect(withoutRead.status).toBe(400);
    expect(((await withoutRead.json()) as SalesforceErrors)[0]!.errorCode).toBe(
      'FIELD_INTEGRITY_EXCEPTION',
    );
    const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Sync_Doctor_Relay')!;
    expect(
      org.sim
        .records('ObjectPermissions')
        .find((o) => o.ParentId === set.Id && o.SobjectType === STATUS_OBJECT.name),
    ).toMatchObject({ PermissionsRead: true, PermissionsEdit: true, PermissionsDelete: false });
  });
});
