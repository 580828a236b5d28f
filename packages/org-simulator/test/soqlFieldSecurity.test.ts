import { STATUS_OBJECT } from '@sync-doctor/core';
import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * SOQL as a user without "Modify All Data" or "View All Data" sees it: a field its permission sets
 * give no Read is no column at all (INVALID_FIELD "No such column", the error Salesforce answers for
 * a field that does not exist), wherever the query names it; fields without field-level security
 * (Id, audit fields, required ones) stay readable. The relay user starts with Sync_Doctor_Relay
 * alone; each test gives it a set reading Account and Contact and only some of their fields.
 */
type SalesforceErrors = Array<{ errorCode: string; message: string }>;

let org: TestOrg;
let as: (method: string, path: string, body?: unknown) => Promise<Response>;

const noSuchColumn = (column: string, entity: string) =>
  `No such column '${column}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

async function created(res: Response): Promise<string> {
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** As the admin: a permission set with these object rights and field Reads, assigned to the relay user. */
async function grantRelayUser(
  objects: Record<string, Record<string, boolean>>,
  readableFields: string[],
): Promise<string> {
  const set = await created(
    await org.send('POST', `${API}/sobjects/PermissionSet`, {
      Name: 'Soql_Fls_Test',
      Label: 'SOQL FLS test',
    }),
  );
  for (const [SobjectType, rights] of Object.entries(objects))
    await created(
      await org.send('POST', `${API}/sobjects/ObjectPermissions`, {
        ParentId: set,
        SobjectType,
        ...rights,
      }),
    );
  for (const field of readableFields)
    await created(
      await org.send('POST', `${API}/sobjects/FieldPermissions`, {
        ParentId: set,
        SobjectType: field.split('.')[0],
        Field: field,
        PermissionsRead: true,
      }),
    );
  await created(
    await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, {
      AssigneeId: org.sim.relayUser.Id,
      PermissionSetId: set,
    }),
  );
  return set;
}

const query = (soql: string) => as('GET', `${API}/query?q=${encodeURIComponent(soql)}`);
const queryAll = (soql: string) => as('GET', `${API}/queryAll?q=${encodeURIComponent(soql)}`);

async function refusal(res: Response): Promise<{ errorCode: string; message: string }> {
  expect(res.status).toBe(400);
  const [error] = (await res.json()) as SalesforceErrors;
  return error!;
}

let contactId: string;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
  const account = await created(
    await org.send('POST', `${API}/sobjects/Account`, { Name: 'Globex', Phone: '555-0100' }),
  );
  contactId = await created(
    await org.send('POST', `${API}/sobjects/Contact`, {
      LastName: 'Simpson',
      Email: 'homer@globex.example',
      Phone: '555-0101',
      AccountId: account,
    }),
  );
  await grantRelayUser({ Account: { PermissionsRead: true }, Contact: { PermissionsRead: true } }, [
    'Contact.Email',
    'Contact.AccountId',
  ]);
  as = await asUser(org.sim, org.sim.relayUser.Username);
});
afterEach(() => org.sim.close());

describe('SOQL hides the fields a user may not read', () => {
  test('readable fields, and fields without field-level security, answer', async () => {
    const res = await query(
      `SELECT Id, Email, LastName, Name, CreatedDate, Account.Name FROM Contact WHERE Id = '${contactId}' AND Email != null ORDER BY LastName`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { records: Array<Record<string, unknown>> };
    expect(body.records).toEqual([
      expect.objectContaining({
        Id: contactId,
        Email: 'homer@globex.example',
        LastName: 'Simpson',
        Account: expect.objectContaining({ Name: 'Globex' }),
      }),
    ]);
  });

  test('an unreadable field in SELECT is INVALID_FIELD "No such column", caret and all', async () => {
    expect(await refusal(await query('SELECT Id, Phone FROM Contact'))).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Id, Phone FROM Contact\n           ^\nERROR at Row:1:Column:12\n${noSuchColumn('Phone', 'Contact')}`,
    });
    // queryAll runs the same check, and the admin still reads the field.
    expect((await refusal(await queryAll('SELECT Phone FROM Contact'))).errorCode).toBe(
      'INVALID_FIELD',
    );
    expect((await org.query('SELECT Phone FROM Contact')).status).toBe(200);
  });

  test('in WHERE, ORDER BY, a parent path, a child sub-select and a semi-join alike', async () => {
    const cases: Array<[string, string, string]> = [
      [`SELECT Id FROM Contact WHERE Phone = '555-0101'`, 'Phone', 'Contact'],
      ['SELECT Id FROM Contact ORDER BY Phone', 'Phone', 'Contact'],
      ['SELECT Id, Account.Phone FROM Contact', 'Phone', 'Account'],
      ['SELECT Id, (SELECT Phone FROM Contacts) FROM Account', 'Phone', 'Contact'],
      [
        'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Phone != null)',
        'Phone',
        'Contact',
      ],
    ];
    for (const [soql, column, entity] of cases) {
      const error = await refusal(await query(soql));
      expect(error.errorCode).toBe('INVALID_FIELD');
      expect(error.message).toContain(noSuchColumn(column, entity));
    }
  });

  test('a lookup the user cannot read is no relationship for it', async () => {
    // ReportsToId has field-level security and the set gives it no Read.
    const error = await refusal(await query('SELECT Id, ReportsTo.LastName FROM Contact'));
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toContain("Didn't understand relationship 'ReportsTo' in field path.");
  });

  test('a composite query subrequest is judged as the session user', async () => {
    const res = await as('POST', `${API}/composite`, {
      compositeRequest: [
        {
          method: 'GET',
          url: `${API}/query?q=${encodeURIComponent('SELECT Phone FROM Contact')}`,
          referenceId: 'q',
        },
      ],
    });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: SalesforceErrors }>;
    };
    expect(compositeResponse[0]!.httpStatusCode).toBe(400);
    expect(compositeResponse[0]!.body[0]!.errorCode).toBe('INVALID_FIELD');
  });

  test("the object's View All Fields reads every field of it", async () => {
    expect((await query('SELECT Phone FROM Contact')).status).toBe(400);
    const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Soql_Fls_Test')!;
    const own = org.sim
      .records('ObjectPermissions')
      .find((o) => o.ParentId === set.Id && o.SobjectType === 'Contact')!;
    expect(
      (
        await org.send('PATCH', `${API}/sobjects/ObjectPermissions/${String(own.Id)}`, {
          PermissionsViewAllFields: true,
        })
      ).status,
    ).toBe(204);
    expect((await query('SELECT Phone FROM Contact')).status).toBe(200);
  });

  test('a record read by id leaves out the fields the reader may not read', async () => {
    const res = await as('GET', `${API}/sobjects/Contact/${contactId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.Email).toBe('homer@globex.example');
    expect(body.LastName).toBe('Simpson');
    expect(body).not.toHaveProperty('Phone');
  });
});

describe("the relay user's own permission set", () => {
  test('reads every status field the relay and the collector read back', async () => {
    const f = STATUS_OBJECT.fields;
    const columns = Object.values(f);
    for (const soql of [
      `SELECT Id, ${columns.join(', ')}, LastModifiedDate FROM ${STATUS_OBJECT.name} ORDER BY LastModifiedDate DESC LIMIT 50`,
      `SELECT ${f.history}, ${f.lastSeenAt}, ${f.state} FROM ${STATUS_OBJECT.name} WHERE ${f.portalId} = '5500' LIMIT 1`,
    ])
      expect((await query(soql)).status).toBe(200);
  });
});
