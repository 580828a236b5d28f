import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

// The User Interface API's duplicates resource, as Sync Doctor reads it to say which duplicate
// rules refuse HubSpot's writes: an object's active rules with their actions, one request per
// object, hidden for an object the user may not read.

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
  org.sim.org.schema.addDuplicateRule('Contact', {
    name: 'Standard Contact Duplicate Rule',
    actionOnInsert: 'Allow',
    actionOnUpdate: 'Allow',
    operationsOnInsert: ['Alert', 'Report'],
    operationsOnUpdate: ['Alert'],
  });
  org.sim.org.schema.addDuplicateRule('Contact', {
    name: 'Retired Rule',
    actionOnInsert: 'Block',
    actionOnUpdate: 'Block',
    active: false,
  });
});
afterAll(() => org.sim.close());

describe('GET /ui-api/duplicates/{object}', () => {
  test("lists the object's active rules with their actions, as Salesforce shapes them", async () => {
    const response = await org.get(`${API}/ui-api/duplicates/Contact`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      apiName: 'Contact',
      dedupeEnabled: true,
      dedupeFields: [],
      duplicateRules: [
        {
          name: 'Standard Contact Duplicate Rule',
          active: true,
          actionOnInsert: 'Allow',
          actionOnUpdate: 'Allow',
          operationsOnInsert: ['Alert', 'Report'],
          operationsOnUpdate: ['Alert'],
          duplicateRuleFilters: [],
          matchRules: [],
        },
      ],
      predupeEnabled: true,
    });
  });

  test("lists a rule's conditions as one filter, and a rule without any with none", async () => {
    org.sim.org.schema.addDuplicateRule('Account', {
      name: 'Not For HubSpot',
      actionOnInsert: 'Block',
      actionOnUpdate: 'Block',
      conditions: ['Current User: Username not equal to hubspot@acme.example'],
    });
    const body = (await (await org.get(`${API}/ui-api/duplicates/Account`)).json()) as {
      duplicateRules: { duplicateRuleFilters: unknown[] }[];
    };
    expect(body.duplicateRules[0]!.duplicateRuleFilters).toEqual([
      {
        booleanFilter: null,
        filterItems: [{ text: 'Current User: Username not equal to hubspot@acme.example' }],
      },
    ]);
  });

  test('an object without rules: none, and duplicate management off', async () => {
    const body = (await (await org.get(`${API}/ui-api/duplicates/lead`)).json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ apiName: 'Lead', dedupeEnabled: false, duplicateRules: [] });
  });

  test('not in a composite, which takes sObject resources and queries only: one request per object', async () => {
    const response = await org.send('POST', `${API}/composite`, {
      allOrNone: false,
      compositeRequest: [
        { method: 'GET', url: `${API}/ui-api/duplicates/Contact`, referenceId: 'Contact' },
      ],
    });
    const body = (await response.json()) as {
      compositeResponse: { httpStatusCode: number; body: { errorCode: string }[] }[];
    };
    expect(body.compositeResponse[0]!.httpStatusCode).toBe(400);
    expect(body.compositeResponse[0]!.body[0]!.errorCode).toBe('INVALID_INPUT');
  });

  test('refuses what it does not model: other resources, other methods, unknown objects, API before 50.0', async () => {
    expect((await org.get(`${API}/ui-api/object-info/Contact`)).status).toBe(404);
    expect((await org.get(`${API}/ui-api/duplicates/Nope__c`)).status).toBe(404);
    expect((await org.send('POST', `${API}/ui-api/duplicates/Contact`, {})).status).toBe(405);
    expect((await org.get('/services/data/v49.0/ui-api/duplicates/Contact')).status).toBe(404);
  });

  test('hides an object the user may not read', async () => {
    // The relay's user reads only the package's objects.
    const relay = await asUser(org.sim, org.sim.relayUser.Username);
    expect((await relay('GET', `${API}/ui-api/duplicates/Contact`)).status).toBe(404);
  });
});

// The DuplicateRule object, as the app's Apex reads it (SyncDoctorDuplicateRuleReader): each rule's
// label, object and whether it is active, never its actions; only for View Setup and Configuration.
describe('SOQL on DuplicateRule', () => {
  const SOQL =
    "SELECT MasterLabel, SobjectType FROM DuplicateRule WHERE IsActive = TRUE AND SobjectType IN ('Contact', 'Lead') ORDER BY SobjectType, MasterLabel";

  test('lists the active rules of the objects asked for', async () => {
    const body = (await (await org.query(SOQL)).json()) as {
      totalSize: number;
      records: Record<string, unknown>[];
    };
    expect(body.totalSize).toBe(1);
    expect(body.records[0]).toMatchObject({
      attributes: { type: 'DuplicateRule' },
      MasterLabel: 'Standard Contact Duplicate Rule',
      SobjectType: 'Contact',
    });
  });

  test('keeps an inactive rule, with a developer name made from its label', async () => {
    const body = (await (
      await org.query(
        "SELECT Id, DeveloperName, IsActive FROM DuplicateRule WHERE SobjectType = 'Contact' ORDER BY MasterLabel",
      )
    ).json()) as { records: Record<string, unknown>[] };
    expect(body.records.map((r) => [r.DeveloperName, r.IsActive])).toEqual([
      ['Retired_Rule', false],
      ['Standard_Contact_Duplicate_Rule', true],
    ]);
    expect(String(body.records[0]!.Id)).toMatch(/^0Bm[0-9A-Za-z]{15}$/);
  });

  test('has no action columns: the User Interface API lists those', async () => {
    const response = await org.query('SELECT ActionOnInsert FROM DuplicateRule');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errorCode: string }[])[0]!.errorCode).toBe(
      'INVALID_FIELD',
    );
  });

  test('is no object for a user without View Setup and Configuration', async () => {
    // The relay's user holds neither View Setup nor any setup read.
    const relay = await asUser(org.sim, org.sim.relayUser.Username);
    const response = await relay('GET', `${API}/query?q=${encodeURIComponent(SOQL)}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_TYPE');
  });
});
