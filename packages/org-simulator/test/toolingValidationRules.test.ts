import { API, startTestOrg, type TestOrg } from './helpers.js';

// The Tooling API's ValidationRule, as Sync Doctor reads it to name the rule behind a custom-code
// sync error: the org's rules with their messages, active ones when asked, hidden from a user
// without "View Setup and Configuration" as the other setup objects are.

const SOQL =
  'SELECT Id, ValidationName, Active, ErrorMessage, ErrorDisplayField, EntityDefinition.QualifiedApiName FROM ValidationRule WHERE Active = true';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
  org.sim.org.schema.addValidationRule('Contact', {
    name: 'Phone_Required',
    formula: 'ISBLANK(Phone)',
    message: 'Phone is required',
    field: 'Phone',
  });
  org.sim.org.schema.addValidationRule('Lead', {
    name: 'Old_Rule',
    formula: 'ISBLANK(Title)',
    message: 'Title is required',
    active: false,
  });
});
afterAll(() => org.sim.close());

const tooling = (soql: string) => org.get(`${API}/tooling/query?q=${encodeURIComponent(soql)}`);

describe('GET /tooling/query on ValidationRule', () => {
  test("answers the active rules of every object, the package's own included, as Salesforce shapes them", async () => {
    const response = await tooling(SOQL);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { done: boolean; records: Record<string, unknown>[] };
    expect(body.done).toBe(true);
    const byName = new Map(body.records.map((r) => [r.ValidationName, r]));
    expect(byName.get('Phone_Required')).toMatchObject({
      attributes: { type: 'ValidationRule' },
      Active: true,
      ErrorMessage: 'Phone is required',
      ErrorDisplayField: 'Phone',
      EntityDefinition: { QualifiedApiName: 'Contact' },
    });
    expect(byName.has('Status_Never_Goes_Back')).toBe(true);
    expect(byName.has('Old_Rule')).toBe(false);
    expect(Object.keys(byName.get('Phone_Required')!).sort()).toEqual(
      [
        'Active',
        'EntityDefinition',
        'ErrorDisplayField',
        'ErrorMessage',
        'Id',
        'ValidationName',
        'attributes',
      ].sort(),
    );
  });

  test('lists an inactive rule without the filter, and never checks it on a write', async () => {
    const all = (await (
      await tooling('SELECT ValidationName, Active FROM ValidationRule')
    ).json()) as {
      records: { ValidationName: string; Active: boolean }[];
    };
    expect(all.records).toContainEqual(
      expect.objectContaining({ ValidationName: 'Old_Rule', Active: false }),
    );
    const lead = await org.send('POST', `${API}/sobjects/Lead`, {
      LastName: 'Doe',
      Company: 'Acme',
    });
    expect(lead.status).toBe(201);
    const contact = await org.send('POST', `${API}/sobjects/Contact`, { LastName: 'Doe' });
    expect(contact.status).toBe(400);
    expect(await contact.json()).toEqual([
      {
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Phone is required',
        fields: ['Phone'],
      },
    ]);
  });

  test('refuses other Tooling objects and resources, and what it does not model, in Salesforce words', async () => {
    const other = await tooling('SELECT Id FROM ApexClass');
    expect(other.status).toBe(400);
    expect(((await other.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_TYPE');
    const column = await tooling('SELECT Formula FROM ValidationRule');
    expect(((await column.json()) as { errorCode: string }[])[0]!.errorCode).toBe(
      'MALFORMED_QUERY',
    );
    expect((await org.get(`${API}/tooling/sobjects`)).status).toBe(404);
    expect((await org.send('POST', `${API}/tooling/query?q=x`)).status).toBe(405);
    expect((await org.get(`${API}/tooling/query`)).status).toBe(400);
  });

  test('hides ValidationRule from a user without View Setup and Configuration (INVALID_TYPE)', async () => {
    const held = org.sim.records('PermissionSet').filter((s) => s.PermissionsViewSetup === true);
    for (const set of held) set.PermissionsViewSetup = false;
    try {
      const denied = await tooling(SOQL);
      expect(denied.status).toBe(400);
      const [error] = (await denied.json()) as { errorCode: string; message: string }[];
      expect(error!.errorCode).toBe('INVALID_TYPE');
      expect(error!.message).toContain("sObject type 'ValidationRule' is not supported");
    } finally {
      for (const set of held) set.PermissionsViewSetup = true;
    }
  });
});
