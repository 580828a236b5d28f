import { STATUS_EVENT, STATUS_OBJECT } from '@sync-doctor/core';
import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * Object and field permissions on writes: a user without "Modify All Data" writes only what its
 * profile and permission sets grant, the package's permission sets as force-app defines them. The
 * relay's user holds Sync_Doctor_Relay alone, so a field or right the relay writes and that set
 * lacks fails here as in an org.
 */
type SalesforceErrors = Array<{ errorCode: string; message: string; fields?: string[] }>;

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

const STATUS = `${API}/sobjects/${STATUS_OBJECT.name}`;
const EVENT = `${API}/sobjects/${STATUS_EVENT.name}`;
const f = STATUS_OBJECT.fields;

/** Every field the relay writes on a status record (all of STATUS_OBJECT's but the portal id). */
const fullStatus = (title: string): Record<string, unknown> => ({
  [f.state]: 'suspended',
  [f.reason]: 'OBJECT_PERMISSIONS_MISSING',
  [f.title]: title,
  [f.since]: '2026-11-30T10:00:00.000Z',
  [f.lastSeenAt]: '2026-11-30T10:05:00.000Z',
  [f.clearedAt]: null,
  [f.source]: 'webhook',
  [f.excerpt]: 'HubSpot suspended the sync',
  [f.history]: '[]',
  [f.relaySequence]: 1_795_000_000_000,
  [f.syncErrors]:
    '{"receivedAt":"2026-11-30T10:00:00.000Z","rows":0,"groups":[],"groupsLeftOut":0}',
});

/** The rows of the relay user's Sync_Doctor_Relay permission set. */
function relaySet(): { id: string } {
  const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Sync_Doctor_Relay');
  expect(set).toBeDefined();
  return { id: String(set!.Id) };
}
const relayRow = (table: string, match: (row: Record<string, unknown>) => boolean) => {
  const row = org.sim
    .records(table)
    .find((r) => r.ParentId === relaySet().id && match(r as Record<string, unknown>));
  expect(row).toBeDefined();
  return row!;
};

describe('the relay user, holding only the Sync_Doctor_Relay permission set', () => {
  test('upserts a status record with every field the relay writes and publishes the event', async () => {
    expect(Object.keys(fullStatus('x')).sort()).toEqual(
      Object.values(f)
        .filter((name) => name !== f.portalId)
        .sort(),
    );
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    const created = await as('PATCH', `${STATUS}/${f.portalId}/5500`, fullStatus('first'));
    expect(created.status).toBe(201);
    const updated = await as('PATCH', `${STATUS}/${f.portalId}/5500`, fullStatus('second'));
    expect(updated.status).toBe(200);
    const event = await as('POST', EVENT, {
      [STATUS_EVENT.fields.portalId]: '5500',
      [STATUS_EVENT.fields.state]: 'suspended',
    });
    expect(event.status).toBe(201);
    expect(org.sim.records(STATUS_OBJECT.name)).toEqual([
      expect.objectContaining({ [f.portalId]: '5500', [f.title]: 'second' }),
    ]);
    expect(org.sim.publishedEvents).toHaveLength(1);
    // It reads its own object, and nothing of HubSpot's.
    expect((await as('GET', `${API}/query?q=SELECT+Id+FROM+${STATUS_OBJECT.name}`)).status).toBe(
      200,
    );
    const contacts = await as('GET', `${API}/query?q=SELECT+Id+FROM+Contact`);
    expect(contacts.status).toBe(400);
    expect(((await contacts.json()) as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
  });

  test('the same upsert and publish in one composite, as the relay batches them', async () => {
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    const res = await as('POST', `${API}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${STATUS}/${f.portalId}/5600`,
          referenceId: 'status',
          body: fullStatus('batched'),
        },
        {
          method: 'POST',
          url: `${API}/composite/sobjects`,
          referenceId: 'events',
          body: {
            allOrNone: true,
            records: [
              {
                attributes: { type: STATUS_EVENT.name },
                [STATUS_EVENT.fields.portalId]: '5600',
                [STATUS_EVENT.fields.state]: 'suspended',
              },
            ],
          },
        },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    };
    expect(body.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 200]);
    expect(body.compositeResponse[1]!.body).toEqual([expect.objectContaining({ success: true })]);
  });

  test("a field the permission set reads but may not edit is refused with Salesforce's INVALID_FIELD_FOR_INSERT_UPDATE", async () => {
    relayRow(
      'FieldPermissions',
      (r) => r.Field === `${STATUS_OBJECT.name}.${f.title}`,
    ).PermissionsEdit = false;
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    const res = await as('PATCH', `${STATUS}/${f.portalId}/5700`, fullStatus('refused'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: `Unable to create/update fields: ${f.title}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        fields: [f.title],
      },
    ]);
    expect(org.sim.records(STATUS_OBJECT.name)).toHaveLength(0);
    // Through sObject Collections the record's SaveResult carries the same refusal.
    const collection = await as('POST', `${API}/composite/sobjects`, {
      allOrNone: false,
      records: [{ attributes: { type: STATUS_OBJECT.name }, [f.portalId]: '5701', [f.title]: 'x' }],
    });
    expect(await collection.json()).toEqual([
      {
        success: false,
        errors: [
          expect.objectContaining({
            statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            fields: [f.title],
          }),
        ],
      },
    ]);
    // The admin (Modify All Data, every field on its profile) still writes it.
    expect(
      (await org.send('PATCH', `${STATUS}/${f.portalId}/5700`, fullStatus('admin'))).status,
    ).toBe(201);
  });

  test('a field the permission set leaves out does not exist for the user (INVALID_FIELD)', async () => {
    const row = relayRow(
      'FieldPermissions',
      (r) => r.Field === `${STATUS_OBJECT.name}.${f.history}`,
    );
    org.sim.org.delete(String(row.Id));
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    const res = await as('PATCH', `${STATUS}/${f.portalId}/5800`, fullStatus('hidden'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: `No such column '${f.history}' on sobject of type ${STATUS_OBJECT.name}`,
        fields: [f.history],
      },
    ]);
  });

  test('without Edit on the object an update is refused, without Create a new record or an event', async () => {
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    expect((await as('PATCH', `${STATUS}/${f.portalId}/5900`, fullStatus('one'))).status).toBe(201);
    const status = relayRow('ObjectPermissions', (r) => r.SobjectType === STATUS_OBJECT.name);
    status.PermissionsEdit = false;
    const update = await as('PATCH', `${STATUS}/${f.portalId}/5900`, fullStatus('two'));
    expect(update.status).toBe(400);
    expect(await update.json()).toEqual([
      {
        errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
        message: 'entity type cannot be updated: HubSpot Sync Status',
        fields: [],
      },
    ]);
    status.PermissionsCreate = false;
    const create = await as('PATCH', `${STATUS}/${f.portalId}/5901`, fullStatus('three'));
    expect(((await create.json()) as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      message: 'entity type cannot be inserted: HubSpot Sync Status',
    });
    relayRow('ObjectPermissions', (r) => r.SobjectType === STATUS_EVENT.name).PermissionsCreate =
      false;
    const event = await as('POST', EVENT, { [STATUS_EVENT.fields.portalId]: '5900' });
    expect(event.status).toBe(400);
    expect(((await event.json()) as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      message: 'entity type cannot be inserted: Sync Doctor Event',
    });
    expect(org.sim.publishedEvents).toHaveLength(0);
  });

  test('without the permission set the object is not there for the user', async () => {
    const assignment = org.sim
      .records('PermissionSetAssignment')
      .find((a) => a.AssigneeId === org.sim.relayUser.Id && a.PermissionSetId === relaySet().id);
    org.sim.org.delete(String(assignment!.Id));
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    const res = await as('PATCH', `${STATUS}/${f.portalId}/6000`, fullStatus('none'));
    expect(res.status).toBe(404);
    expect(((await res.json()) as SalesforceErrors)[0]).toMatchObject({ errorCode: 'NOT_FOUND' });
    const soql = await as('GET', `${API}/query?q=SELECT+Id+FROM+${STATUS_OBJECT.name}`);
    expect(((await soql.json()) as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
  });
});
