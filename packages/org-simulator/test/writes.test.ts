import { evaluateAccess, planRemediation } from '@sync-doctor/core';
import { buildObjectSchema } from '../src/schema.js';
import { API, startTestOrg, type TestOrg } from './helpers.js';
import { readSnapshot } from './snapshotReader.js';

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'read-only-contacts' });
});
afterEach(() => org.sim.close());

const errorsOf = async (res: Response) =>
  (await res.json()) as Array<{ errorCode: string; message: string; fields?: string[] }>;

describe('upsert by external id (sObject Rows by External ID)', () => {
  const url = `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/123`;

  test('creates with 201 and created: true, then updates with 200 and created: false', async () => {
    const created = await org.send('PATCH', url, {
      State__c: 'suspended',
      Reason_Code__c: 'OBJECT_PERMISSIONS_MISSING',
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as {
      id: string;
      success: boolean;
      errors: unknown[];
      created: boolean;
    };
    expect(body).toMatchObject({ success: true, errors: [], created: true });
    expect(created.headers.get('location')).toBe(
      `${API}/sobjects/HubSpot_Sync_Status__c/${body.id}`,
    );

    const updated = await org.send('PATCH', url, {
      State__c: 'cleared',
      Cleared_At__c: '2026-11-28T10:00:00.000Z',
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({
      id: body.id,
      success: true,
      errors: [],
      created: false,
    });

    const rows = org.sim.records('HubSpot_Sync_Status__c');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Portal_Id__c: '123',
      State__c: 'cleared',
      Cleared_At__c: '2026-11-28T10:00:00.000+0000',
      Reason_Code__c: 'OBJECT_PERMISSIONS_MISSING',
    });
    expect(rows[0]!.Name).toMatch(/^A00-\d{5}$/);
  });

  test('before API 46.0 an update answers 204 without a body', async () => {
    await org.send('PATCH', url, { State__c: 'suspended' });
    const old = await org.send(
      'PATCH',
      '/services/data/v45.0/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/123',
      { State__c: 'cleared' },
    );
    expect(old.status).toBe(204);
    expect(await old.text()).toBe('');
  });

  test('a field that is not an external id is NOT_FOUND; a bad value is a typed field error', async () => {
    const notExternal = await org.send(
      'PATCH',
      `${API}/sobjects/HubSpot_Sync_Status__c/Title__c/x`,
      { State__c: 'x' },
    );
    expect(notExternal.status).toBe(404);
    expect((await errorsOf(notExternal))[0]!.message).toContain(
      'Provided external ID field does not exist or is not accessible: Title__c',
    );
    const unknownField = await org.send('PATCH', url, { Nope__c: 1 });
    expect(unknownField.status).toBe(400);
    expect(await errorsOf(unknownField)).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Nope__c' on sobject of type HubSpot_Sync_Status__c",
        fields: ['Nope__c'],
      },
    ]);
    const tooLong = await org.send('PATCH', url, { Title__c: 'x'.repeat(256) });
    expect((await errorsOf(tooLong))[0]!.errorCode).toBe('STRING_TOO_LONG');
    const badDate = await org.send('PATCH', url, { Since__c: 'yesterday' });
    expect(badDate.status).toBe(400);
    expect(org.sim.records('HubSpot_Sync_Status__c')).toHaveLength(0);
  });

  test('several matches answer 300 with their URLs', async () => {
    const rows = org.sim.records('HubSpot_Sync_Status__c');
    await org.send('PATCH', url, { State__c: 'suspended' });
    // Two rows with one external id cannot come from the API (it is unique); plant the second directly.
    rows.push({ ...rows[0]!, Id: 'a005g000000ZZZZAAA' });
    const res = await org.send('PATCH', url, { State__c: 'cleared' });
    expect(res.status).toBe(300);
    expect(((await res.json()) as string[]).length).toBe(2);
  });
});

describe('GET by external id with ?fields=', () => {
  const url = `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/123`;

  test('answers only the fields named, and a field the object lacks is a 400 INVALID_FIELD, as by Id', async () => {
    expect((await org.send('PATCH', url, { State__c: 'suspended' })).status).toBe(201);
    const named = await org.get(`${url}?fields=State__c,Portal_Id__c`);
    expect(named.status).toBe(200);
    const body = (await named.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['Portal_Id__c', 'State__c', 'attributes']);
    expect(body.State__c).toBe('suspended');

    const unknown = await org.get(`${url}?fields=State__c,No_Such_Field__c`);
    expect(unknown.status).toBe(400);
    const [error] = await errorsOf(unknown);
    expect(error!.errorCode).toBe('INVALID_FIELD');
    expect(error!.message).toContain(
      "No such column 'No_Such_Field__c' on entity 'HubSpot_Sync_Status__c'",
    );
  });
});

describe('create, read, update, delete', () => {
  test('create 201 with Location, read back with attributes, update 204, delete 204, then 404', async () => {
    const created = await org.send('POST', `${API}/sobjects/Account`, {
      Name: 'Acme Sub',
      Industry: 'Retail',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = await org.get(`${API}/sobjects/Account/${id}?fields=Name,Industry`);
    expect(await read.json()).toEqual({
      attributes: { type: 'Account', url: `${API}/sobjects/Account/${id}` },
      Name: 'Acme Sub',
      Industry: 'Retail',
    });
    expect(
      (await org.send('PATCH', `${API}/sobjects/Account/${id}`, { Industry: 'Energy' })).status,
    ).toBe(204);
    expect(org.sim.records('Account').find((a) => a.Id === id)).toMatchObject({
      Industry: 'Energy',
      OwnerId: org.sim.adminUser.Id,
    });
    expect((await org.send('DELETE', `${API}/sobjects/Account/${id}`)).status).toBe(204);
    expect((await org.get(`${API}/sobjects/Account/${id}`)).status).toBe(404);
  });

  test('required fields, read-only fields and unknown objects', async () => {
    const missing = await org.send('POST', `${API}/sobjects/Account`, { Industry: 'Retail' });
    expect(await errorsOf(missing)).toEqual([
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name]',
        fields: ['Name'],
      },
    ]);
    const readOnly = await org.send('POST', `${API}/sobjects/Account`, {
      Name: 'x',
      CreatedDate: '2020-01-01T00:00:00Z',
    });
    // Salesforce's words, for a create as for an update: "Unable to create/update fields: ...".
    expect((await errorsOf(readOnly))[0]).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: expect.stringMatching(
        /^Unable to create\/update fields: CreatedDate\. Please check/,
      ),
    });
    const unknown = await org.send('POST', `${API}/sobjects/Nope__c`, { Name: 'x' });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${org.sim.url}${API}/sobjects/Account`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${org.sim.accessToken}`,
        'Content-Type': 'application/json',
      },
      body: '{"Name": ',
    });
    expect(malformed.status).toBe(400);
    expect((await errorsOf(malformed))[0]!.errorCode).toBe('JSON_PARSER_ERROR');
  });

  test('storage full refuses new data records but not setup records', async () => {
    const full = await startTestOrg({ fixture: 'storage-full' });
    try {
      const res = await full.send('POST', `${API}/sobjects/Contact`, { LastName: 'Blocked' });
      expect(res.status).toBe(400);
      expect((await errorsOf(res))[0]!.errorCode).toBe('STORAGE_LIMIT_EXCEEDED');
      const set = await full.send('POST', `${API}/sobjects/PermissionSet`, {
        Name: 'Still_Fine',
        Label: 'Still fine',
      });
      expect(set.status).toBe(201);
    } finally {
      await full.sim.close();
    }
  });
});

describe('platform events', () => {
  test('POST to a __e object publishes: 201, OPERATION_ENQUEUED, recorded in publishedEvents', async () => {
    const res = await org.send('POST', `${API}/sobjects/Sync_Doctor_Event__e`, {
      Portal_Id__c: '123',
      State__c: 'suspended',
      Occurred_At__c: '2026-11-28T10:00:00Z',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      id: string;
      success: boolean;
      errors: Array<{ statusCode: string; message: string }>;
    };
    expect(body.success).toBe(true);
    expect(body.id).toMatch(/^e00/);
    expect(body.errors[0]!.statusCode).toBe('OPERATION_ENQUEUED');
    expect(org.sim.publishedEvents).toHaveLength(1);
    expect(org.sim.publishedEvents[0]).toMatchObject({
      sobjectType: 'Sync_Doctor_Event__e',
      payload: { Portal_Id__c: '123', State__c: 'suspended', EventUuid: body.errors[0]!.message },
    });
    const bad = await org.send('POST', `${API}/sobjects/Sync_Doctor_Event__e`, { Nope__c: 'x' });
    expect(bad.status).toBe(400);
    expect(org.sim.publishedEvents).toHaveLength(1);
  });
});

describe('permission writes: remediation through REST', () => {
  test("applying the core's plan for read-only-contacts makes the diagnosis healthy", async () => {
    const user = org.sim.integrationUser;
    const before = evaluateAccess((await readSnapshot(org, user.Username)).snapshot);
    expect(before.verdict).toBe('blocked');
    const plan = planRemediation(before);
    // Read on Account in the same set, first: the org refuses Contact's rights without it.
    expect(plan.objectPermissions.map((o) => o.sobjectType)).toEqual(['Account', 'Contact']);

    const compositeRequest: Array<Record<string, unknown>> = [
      {
        method: 'POST',
        url: `${API}/sobjects/PermissionSet`,
        referenceId: 'remediation',
        body: { Name: 'Sync_Doctor_Remediation', Label: 'Sync Doctor Remediation' },
      },
      ...plan.objectPermissions.map((o, i) => ({
        method: 'POST',
        url: `${API}/sobjects/ObjectPermissions`,
        referenceId: `object${i}`,
        body: {
          ParentId: '@{remediation.id}',
          SobjectType: o.sobjectType,
          PermissionsRead: o.read,
          PermissionsCreate: o.create,
          PermissionsEdit: o.edit,
          PermissionsDelete: o.delete,
          PermissionsViewAllRecords: o.viewAll,
          PermissionsModifyAllRecords: o.modifyAll,
        },
      })),
      {
        method: 'POST',
        url: `${API}/sobjects/PermissionSetAssignment`,
        referenceId: 'assign',
        body: { AssigneeId: user.Id, PermissionSetId: '@{remediation.id}' },
      },
    ];
    const res = await org.send('POST', `${API}/composite`, { allOrNone: true, compositeRequest });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    };
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual(compositeRequest.map(() => 201));

    const after = evaluateAccess((await readSnapshot(org, user.Username)).snapshot);
    expect(after.verdict).toBe('healthy');
    expect(after.objects.find((o) => o.name === 'Contact')!.grantedBy).toContain(
      'Permission set: Sync Doctor Remediation',
    );
  });

  test('Salesforce rules on permission rows: Edit needs Read, one row per parent and object, no duplicate assignment', async () => {
    const set = (await (
      await org.send('POST', `${API}/sobjects/PermissionSet`, {
        Name: 'Rules_Test',
        Label: 'Rules test',
      })
    ).json()) as { id: string };
    const editWithoutRead = await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: set.id,
      SobjectType: 'Contact',
      PermissionsEdit: true,
    });
    expect(await errorsOf(editWithoutRead)).toEqual([
      {
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Permission Edit depends on permission(s): Read',
        fields: ['PermissionsEdit'],
      },
    ]);
    // Rights on Contact need Read on Account in the same set.
    await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: set.id,
      SobjectType: 'Account',
      PermissionsRead: true,
    });
    const ok = await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: set.id,
      SobjectType: 'contact',
      PermissionsRead: true,
      PermissionsEdit: true,
    });
    expect(ok.status).toBe(201);
    const again = await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: set.id,
      SobjectType: 'Contact',
      PermissionsRead: true,
    });
    expect((await errorsOf(again))[0]!.errorCode).toBe('DUPLICATE_VALUE');
    const notGoverned = await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: set.id,
      SobjectType: 'Task',
      PermissionsRead: true,
    });
    expect((await errorsOf(notGoverned))[0]!.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    const field = await org.send('POST', `${API}/sobjects/FieldPermissions`, {
      ParentId: set.id,
      SobjectType: 'Contact',
      Field: 'Contact.Email',
      PermissionsRead: true,
      PermissionsEdit: true,
    });
    expect(field.status).toBe(201);
    const requiredField = await org.send('POST', `${API}/sobjects/FieldPermissions`, {
      ParentId: set.id,
      SobjectType: 'Contact',
      Field: 'Contact.LastName',
      PermissionsRead: true,
    });
    expect((await errorsOf(requiredField))[0]!.message).toContain(
      'bad value for restricted picklist field: Contact.LastName',
    );
    const assignment = { AssigneeId: org.sim.integrationUser.Id, PermissionSetId: set.id };
    expect(
      (await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, assignment)).status,
    ).toBe(201);
    expect(
      (
        await errorsOf(
          await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, assignment),
        )
      )[0]!.errorCode,
    ).toBe('DUPLICATE_VALUE');
    const profileSet = org.sim.records('PermissionSet').find((p) => p.IsOwnedByProfile)!;
    const profileAssign = await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, {
      AssigneeId: org.sim.integrationUser.Id,
      PermissionSetId: profileSet.Id,
    });
    expect((await errorsOf(profileAssign))[0]!.message).toContain('associated with a profile');
    const duplicateName = await org.send('POST', `${API}/sobjects/PermissionSet`, {
      Name: 'rules_test',
      Label: 'x',
    });
    expect((await errorsOf(duplicateName))[0]!.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');
  });
});

describe('permission writes: a child object needs Read on its parent in the same permission set', () => {
  const newSet = async (name: string) =>
    (
      (await (
        await org.send('POST', `${API}/sobjects/PermissionSet`, { Name: name, Label: name })
      ).json()) as { id: string }
    ).id;
  const objectRow = (parentId: string, sobjectType: string, rights: Record<string, boolean>) =>
    org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: parentId,
      SobjectType: sobjectType,
      ...rights,
    });

  test.each(['Contact', 'Opportunity', 'Contract'])(
    'Read on %s without Read on Account in the set is refused, whatever other sets grant',
    async (child) => {
      // The integration user's HubSpot set reads Account: that does not count for another set.
      const setId = await newSet('Parent_Test');
      const refused = await objectRow(setId, child, {
        PermissionsRead: true,
        PermissionsCreate: true,
        PermissionsEdit: true,
      });
      expect(await errorsOf(refused)).toEqual([
        {
          errorCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: `Permission Read ${child} depends on permission(s): Read Account`,
          fields: ['PermissionsRead'],
        },
      ]);
      expect((await objectRow(setId, 'Account', { PermissionsRead: true })).status).toBe(201);
      expect(
        (await objectRow(setId, child, { PermissionsRead: true, PermissionsEdit: true })).status,
      ).toBe(201);
    },
  );

  test("the parent's Read cannot be taken away (update or delete) while the child's row holds rights", async () => {
    const setId = await newSet('Parent_Keep');
    const account = (await (
      await objectRow(setId, 'Account', { PermissionsRead: true })
    ).json()) as { id: string };
    expect((await objectRow(setId, 'Contact', { PermissionsRead: true })).status).toBe(201);
    const unread = await org.send('PATCH', `${API}/sobjects/ObjectPermissions/${account.id}`, {
      PermissionsRead: false,
    });
    expect((await errorsOf(unread))[0]!.message).toBe(
      'Permission Read Contact depends on permission(s): Read Account',
    );
    const removed = await org.send('DELETE', `${API}/sobjects/ObjectPermissions/${account.id}`);
    expect((await errorsOf(removed))[0]!.message).toBe(
      'Permission Read Contact depends on permission(s): Read Account',
    );
  });

  test('a custom object needs Read on its master-detail master, which describe marks with relationshipOrder', async () => {
    org.sim.org.schema.add(
      buildObjectSchema('Client_Document__c', {
        kind: 'data',
        keyPrefix: 'a0D',
        label: 'Client Document',
        fields: {
          Name: 'string',
          Account__c: 'reference:Account master=0',
          Reviewer__c: 'reference:User',
        },
      }),
    );
    // A field deployed without field-level security is hidden from everyone, the admin too (Modify
    // All Data does not lift it): grant the admin's profile the lookup, as the field wizard does.
    // The master-detail field needs no grant: it has no field-level security.
    const admin = org.sim.org.getById(org.sim.adminUser.Id)!.record;
    const profileSet = org.sim
      .records('PermissionSet')
      .find((p) => p.IsOwnedByProfile === true && p.ProfileId === admin.ProfileId)!;
    org.sim.org.insert('FieldPermissions', {
      ParentId: profileSet.Id,
      SobjectType: 'Client_Document__c',
      Field: 'Client_Document__c.Reviewer__c',
      PermissionsRead: true,
      PermissionsEdit: true,
    });
    const describe = (await (
      await org.get(`${API}/sobjects/Client_Document__c/describe`)
    ).json()) as {
      fields: Array<{ name: string; relationshipOrder: number | null; cascadeDelete: boolean }>;
    };
    expect(describe.fields.find((f) => f.name === 'Account__c')).toMatchObject({
      relationshipOrder: 0,
      cascadeDelete: true,
    });
    expect(describe.fields.find((f) => f.name === 'Reviewer__c')).toMatchObject({
      relationshipOrder: null,
      cascadeDelete: false,
    });
    const setId = await newSet('Custom_Parent');
    expect(
      (await errorsOf(await objectRow(setId, 'Client_Document__c', { PermissionsRead: true })))[0]!
        .message,
    ).toBe('Permission Read Client_Document__c depends on permission(s): Read Account');
    await objectRow(setId, 'Account', { PermissionsRead: true });
    expect((await objectRow(setId, 'Client_Document__c', { PermissionsRead: true })).status).toBe(
      201,
    );
  });
});

describe('permission writes: with Person Accounts, Account and Contact need Read on each other, in one DML statement', () => {
  let pa: TestOrg;
  beforeEach(async () => {
    pa = await startTestOrg({ fixture: 'read-only-contacts', personAccounts: true });
  });
  afterEach(() => pa.sim.close());

  const newSet = async (name: string) =>
    (
      (await (
        await pa.send('POST', `${API}/sobjects/PermissionSet`, { Name: name, Label: name })
      ).json()) as { id: string }
    ).id;
  const row = (parentId: string, sobjectType: string, rights: Record<string, boolean>) => ({
    attributes: { type: 'ObjectPermissions' },
    ParentId: parentId,
    SobjectType: sobjectType,
    ...rights,
  });
  const rowsOf = (setId: string) =>
    pa.sim
      .records('ObjectPermissions')
      .filter((r) => r.ParentId === setId)
      .map((r) => [r.SobjectType, r.PermissionsRead, r.PermissionsEdit]);
  type CollectionResult = Array<{
    success: boolean;
    errors: Array<{ statusCode: string; message: string }>;
  }>;

  test('one row at a time, neither can be saved first', async () => {
    const setId = await newSet('Person_Rows');
    for (const [object, other] of [
      ['Account', 'Contact'],
      ['Contact', 'Account'],
    ] as const) {
      const refused = await pa.send('POST', `${API}/sobjects/ObjectPermissions`, {
        ParentId: setId,
        SobjectType: object,
        PermissionsRead: true,
      });
      expect(await errorsOf(refused)).toEqual([
        {
          errorCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: `Permission Read ${object} depends on permission(s): Read ${other}`,
          fields: ['PermissionsRead'],
        },
      ]);
    }
    // Nor as consecutive subrequests of one composite: each is a DML statement of its own.
    const composite = await pa.send('POST', `${API}/composite`, {
      allOrNone: true,
      compositeRequest: ['Account', 'Contact'].map((object) => ({
        method: 'POST',
        url: `${API}/sobjects/ObjectPermissions`,
        referenceId: object,
        body: { ParentId: setId, SobjectType: object, PermissionsRead: true },
      })),
    });
    const { compositeResponse } = (await composite.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: Array<{ message: string }> }>;
    };
    expect(compositeResponse[0]!.body[0]!.message).toBe(
      'Permission Read Account depends on permission(s): Read Contact',
    );
    expect(rowsOf(setId)).toEqual([]);
  });

  test('both rows in one sObject Collections request are checked together and saved, in a /composite too', async () => {
    const setId = await newSet('Person_Together');
    const saved = await pa.send('POST', `${API}/composite/sobjects`, {
      allOrNone: true,
      records: [
        row(setId, 'Account', { PermissionsRead: true, PermissionsEdit: true }),
        row(setId, 'Contact', { PermissionsRead: true }),
      ],
    });
    expect(((await saved.json()) as CollectionResult).map((r) => r.success)).toEqual([true, true]);
    expect(rowsOf(setId)).toEqual([
      ['Account', true, true],
      ['Contact', true, false],
    ]);

    const other = await newSet('Person_Composite');
    const composite = await pa.send('POST', `${API}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${API}/composite/sobjects`,
          referenceId: 'rows',
          body: {
            allOrNone: true,
            records: [
              row(other, 'Contact', { PermissionsRead: true }),
              row(other, 'Account', { PermissionsRead: true }),
            ],
          },
        },
      ],
    });
    expect(composite.status).toBe(200);
    expect(rowsOf(other)).toEqual([
      ['Contact', true, false],
      ['Account', true, false],
    ]);
    // Saved together, the pair can then only lose Read together: Contact alone is refused.
    const contact = pa.sim
      .records('ObjectPermissions')
      .find((r) => r.ParentId === other && r.SobjectType === 'Contact')!;
    const unread = await pa.send('PATCH', `${API}/sobjects/ObjectPermissions/${contact.Id}`, {
      PermissionsRead: false,
    });
    expect((await errorsOf(unread))[0]!.message).toBe(
      'Permission Read Account depends on permission(s): Read Contact',
    );
  });

  test('a collection still refuses a row whose parent is in no row of the statement, naming that row', async () => {
    const setId = await newSet('Person_Missing');
    const refused = await pa.send('POST', `${API}/composite/sobjects`, {
      allOrNone: true,
      records: [
        row(setId, 'Account', { PermissionsRead: true }),
        row(setId, 'Opportunity', { PermissionsRead: true }),
      ],
    });
    expect(
      ((await refused.json()) as CollectionResult).map((r) => [r.success, r.errors[0]?.message]),
    ).toEqual([
      [false, 'Permission Read Account depends on permission(s): Read Contact'],
      [
        false,
        'Record rolled back because not all records were valid and the request was using AllOrNone header',
      ],
    ]);
    expect(rowsOf(setId)).toEqual([]);
    // Without allOrNone the refused row is left out and the rest saved again without it.
    const partial = await pa.send('POST', `${API}/composite/sobjects`, {
      allOrNone: false,
      records: [
        row(setId, 'Lead', { PermissionsRead: true }),
        row(setId, 'Account', { PermissionsRead: true }),
        row(setId, 'Opportunity', { PermissionsRead: true }),
      ],
    });
    expect(
      ((await partial.json()) as CollectionResult).map((r) => [r.success, r.errors[0]?.message]),
    ).toEqual([
      [true, undefined],
      [false, 'Permission Read Account depends on permission(s): Read Contact'],
      [false, 'Permission Read Opportunity depends on permission(s): Read Account'],
    ]);
    expect(rowsOf(setId)).toEqual([['Lead', true, false]]);
  });

  test('without Person Accounts, Account needs no Contact Read', async () => {
    const setId = (await (
      await org.send('POST', `${API}/sobjects/PermissionSet`, { Name: 'No_Person', Label: 'x' })
    ).json()) as { id: string };
    const saved = await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
      ParentId: setId.id,
      SobjectType: 'Account',
      PermissionsRead: true,
    });
    expect(saved.status).toBe(201);
  });
});
