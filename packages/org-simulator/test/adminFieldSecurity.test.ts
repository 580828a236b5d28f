import { callerFields } from '../src/http/access.js';
import { loadFixture, type FixtureChange } from '../src/index.js';
import { addClientDocument, API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * Field-level security binds every user, administrators included: "Users with View All Data (or
 * Modify All Data) permission can view (or modify) all apps and data, even if the apps and data
 * aren't shared with them but must still be assigned field permissions" (Salesforce Help, "'View
 * All' and 'Modify All' Permissions Overview"). The fixtures' admin reads every field because its
 * System Administrator profile holds Read and Edit on every field; a fixture change taking a field
 * away from that profile hides it from the admin as from anyone.
 */
type SalesforceErrors = Array<{ errorCode: string; message: string; fields?: string[] }>;

const ADMIN_PROFILE = 'System Administrator';
const hideFromAdmin = (field: string, access: 'none' | 'read' = 'none'): FixtureChange => ({
  op: 'setFieldAccess',
  profile: ADMIN_PROFILE,
  field,
  access,
});
const noSuchColumn = (column: string, entity: string) =>
  `No such column '${column}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

let org: TestOrg;
afterEach(() => org?.sim.close());

async function created(res: Response): Promise<string> {
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function refusal(res: Response): Promise<{ errorCode: string; message: string }> {
  expect(res.status).toBe(400);
  const [error] = (await res.json()) as SalesforceErrors;
  return error!;
}

/** A contact (and its account) the admin creates, without the fields hidden from it. */
async function seed(): Promise<string> {
  const account = await created(
    await org.send('POST', `${API}/sobjects/Account`, { Name: 'Globex' }),
  );
  return created(
    await org.send('POST', `${API}/sobjects/Contact`, {
      LastName: 'Simpson',
      Phone: '555-0101',
      AccountId: account,
    }),
  );
}

describe("the admin's profile holds every field by default", () => {
  test('so the admin reads and writes Contact.Email, in SOQL, GET and PATCH', async () => {
    org = await startTestOrg({ fixture: 'healthy' });
    const id = await seed();
    expect(
      (await org.send('PATCH', `${API}/sobjects/Contact/${id}`, { Email: 'h@globex.example' }))
        .status,
    ).toBe(204);
    const res = await org.query(`SELECT Email FROM Contact WHERE Id = '${id}'`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { records: unknown[] }).records).toEqual([
      expect.objectContaining({ Email: 'h@globex.example' }),
    ]);
    const record = (await (await org.get(`${API}/sobjects/Contact/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(record.Email).toBe('h@globex.example');
    // The profile's rows are real FieldPermissions rows, and View All Records does not imply the
    // object's View All Fields.
    const admin = org.sim.org.getById(org.sim.adminUser.Id)!.record;
    const profileSet = org.sim
      .records('PermissionSet')
      .find((p) => p.IsOwnedByProfile === true && p.ProfileId === admin.ProfileId)!;
    expect(
      org.sim
        .records('FieldPermissions')
        .find((f) => f.ParentId === profileSet.Id && f.Field === 'Contact.Email'),
    ).toMatchObject({ PermissionsRead: true, PermissionsEdit: true });
    expect(
      org.sim
        .records('ObjectPermissions')
        .find((o) => o.ParentId === profileSet.Id && o.SobjectType === 'Contact'),
    ).toMatchObject({ PermissionsViewAllRecords: true, PermissionsViewAllFields: false });
  });

  test('the large org gives the admin profile the generated objects and their fields too', () => {
    const large = loadFixture('healthy', 'large');
    const schema = large.schema.get('Custom_Object_001__c')!;
    const guard = callerFields(large, large.adminUserId);
    for (const name of ['Status__c', 'Amount__c', 'Account__c', 'Notes__c'])
      expect(guard.sees(schema, schema.fields.get(name.toLowerCase())!)).toBe(true);
  });
});

describe('a field whose field-level security the admin profile lacks', () => {
  beforeEach(async () => {
    org = await startTestOrg({
      fixture: 'healthy',
      changes: [hideFromAdmin('Contact.Email'), hideFromAdmin('Account.Phone')],
    });
  });

  test('is no column in SOQL for the admin, wherever the query names it', async () => {
    // The admin holds Modify All Data and View All Data: they do not lift field-level security.
    const permissions = (await (
      await org.query(
        'SELECT PermissionsModifyAllData, PermissionsViewAllData FROM UserPermissionAccess',
      )
    ).json()) as { records: Array<Record<string, unknown>> };
    expect(permissions.records[0]).toMatchObject({
      PermissionsModifyAllData: true,
      PermissionsViewAllData: true,
    });
    expect(await refusal(await org.query('SELECT Id, Email FROM Contact'))).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Id, Email FROM Contact\n           ^\nERROR at Row:1:Column:12\n${noSuchColumn('Email', 'Contact')}`,
    });
    for (const [soql, column, entity] of [
      ["SELECT Id FROM Contact WHERE Email = 'h@globex.example'", 'Email', 'Contact'],
      ['SELECT Id FROM Contact ORDER BY Email', 'Email', 'Contact'],
      ['SELECT Id, Account.Phone FROM Contact', 'Phone', 'Account'],
      ['SELECT Id, (SELECT Email FROM Contacts) FROM Account', 'Email', 'Contact'],
    ] as const) {
      const error = await refusal(await org.query(soql));
      expect(error.errorCode).toBe('INVALID_FIELD');
      expect(error.message).toContain(noSuchColumn(column, entity));
    }
    // The fields without field-level security, and the others it holds, still answer.
    expect(
      (await org.query('SELECT Id, Name, LastName, Phone, CreatedDate, Account.Name FROM Contact'))
        .status,
    ).toBe(200);
  });

  test('is left out of a record GET and of the describe', async () => {
    const id = await seed();
    org.sim.org.update(id, { Email: 'h@globex.example' });
    const record = (await (await org.get(`${API}/sobjects/Contact/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(record).not.toHaveProperty('Email');
    expect(record).toMatchObject({ Id: id, LastName: 'Simpson', Phone: '555-0101' });
    expect(record.CreatedDate).toEqual(expect.any(String));
    const describe = (await (await org.get(`${API}/sobjects/Contact/describe`)).json()) as {
      fields: Array<{ name: string }>;
    };
    const names = describe.fields.map((f) => f.name);
    expect(names).not.toContain('Email');
    expect(names).toEqual(expect.arrayContaining(['Id', 'LastName', 'Phone']));
  });

  test("named in a record GET's ?fields=, is a 400 as a field that does not exist", async () => {
    const id = await seed();
    for (const fields of ['Email', 'LastName,Email', 'LastName,No_Such_Field__c']) {
      const error = await refusal(await org.get(`${API}/sobjects/Contact/${id}?fields=${fields}`));
      expect(error.errorCode).toBe('INVALID_FIELD');
      expect(error.message).toContain('No such column');
    }
    const res = await org.get(`${API}/sobjects/Contact/${id}?fields=LastName,Phone`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      attributes: expect.objectContaining({ type: 'Contact' }),
      LastName: 'Simpson',
      Phone: '555-0101',
    });
  });

  test('is refused in a create, an update and a collection save', async () => {
    const id = await seed();
    const update = await refusal(
      await org.send('PATCH', `${API}/sobjects/Contact/${id}`, { Email: 'h@globex.example' }),
    );
    expect(update.errorCode).toBe('INVALID_FIELD');
    const create = await refusal(
      await org.send('POST', `${API}/sobjects/Contact`, {
        LastName: 'Flanders',
        Email: 'ned@globex.example',
      }),
    );
    expect(create.errorCode).toBe('INVALID_FIELD');
    const collection = await org.send('PATCH', `${API}/composite/sobjects`, {
      allOrNone: false,
      records: [{ attributes: { type: 'Contact' }, Id: id, Email: 'h@globex.example' }],
    });
    const [result] = (await collection.json()) as Array<{
      success: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(result).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_FIELD' }] });
    expect(org.sim.org.getById(id)!.record.Email ?? null).toBeNull();
  });

  test("read-only for the admin's profile: read, but a write is INVALID_FIELD_FOR_INSERT_UPDATE", async () => {
    await org.sim.close();
    org = await startTestOrg({
      fixture: 'healthy',
      changes: [hideFromAdmin('Contact.Phone', 'read')],
    });
    const create = await refusal(
      await org.send('POST', `${API}/sobjects/Contact`, { LastName: 'Simpson', Phone: '555-0101' }),
    );
    expect(create.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const contact = await created(
      await org.send('POST', `${API}/sobjects/Contact`, { LastName: 'Simpson' }),
    );
    expect((await org.query('SELECT Phone FROM Contact')).status).toBe(200);
    const error = await refusal(
      await org.send('PATCH', `${API}/sobjects/Contact/${contact}`, { Phone: '555-0102' }),
    );
    expect(error.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  test("the object's View All Fields gives the admin Read on it, not Edit", async () => {
    await org.sim.close();
    org = await startTestOrg({
      fixture: 'healthy',
      changes: [
        hideFromAdmin('Contact.Email'),
        {
          op: 'setObjectAccess',
          profile: ADMIN_PROFILE,
          object: 'Contact',
          access: ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll', 'viewAllFields'],
        },
      ],
    });
    const id = await seed();
    expect((await org.query('SELECT Email FROM Contact')).status).toBe(200);
    const error = await refusal(
      await org.send('PATCH', `${API}/sobjects/Contact/${id}`, { Email: 'h@globex.example' }),
    );
    expect(error.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });
});

describe('fields without field-level security', () => {
  test('a master-detail field reads for the admin with no field permission, a lookup does not', async () => {
    org = await startTestOrg({ fixture: 'healthy' });
    // An object deployed after the fixture was built: no profile holds its fields.
    addClientDocument(org.sim, {
      Name: 'string required',
      Account__c: 'reference:Account master=0',
      Reviewer__c: 'reference:User',
    });
    expect((await org.query('SELECT Id, Name, Account__c FROM Client_Document__c')).status).toBe(
      200,
    );
    const error = await refusal(await org.query('SELECT Reviewer__c FROM Client_Document__c'));
    expect(error.message).toContain(noSuchColumn('Reviewer__c', 'Client_Document__c'));
  });
});

describe('Modify All Data alone does not read fields', () => {
  test('a user whose profile has Modify All Data and View All Data but no field permissions', async () => {
    // The relay user's profile grants no field; give it the two system permissions only.
    org = await startTestOrg({
      fixture: 'healthy',
      changes: ['PermissionsModifyAllData', 'PermissionsViewAllData'].map((permission) => ({
        op: 'setSystemPermission',
        profile: 'Sync Doctor Relay Integration',
        permission,
        value: true,
      })),
    });
    const id = await seed();
    const relay = await asUser(org.sim, org.sim.relayUser.Username);
    const query = (soql: string) => relay('GET', `${API}/query?q=${encodeURIComponent(soql)}`);
    // Object access it has (Modify All Data reads and edits every object) ...
    expect((await query('SELECT Id, LastName, Name FROM Contact')).status).toBe(200);
    // ... fields it does not.
    expect((await refusal(await query('SELECT Phone FROM Contact'))).errorCode).toBe(
      'INVALID_FIELD',
    );
    const record = (await (await relay('GET', `${API}/sobjects/Contact/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({ Id: id, LastName: 'Simpson' });
    expect(record).not.toHaveProperty('Phone');
    expect(
      (await refusal(await relay('PATCH', `${API}/sobjects/Contact/${id}`, { Phone: '555-0102' })))
        .errorCode,
    ).toBe('INVALID_FIELD');
    expect(
      (await relay('PATCH', `${API}/sobjects/Contact/${id}`, { LastName: 'Simpsons' })).status,
    ).toBe(204);
  });
});
