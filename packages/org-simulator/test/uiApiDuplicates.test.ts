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
