import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * Where Salesforce is stricter than a permissive fake would be, so a client that relies on the
 * leniency fails here as it would against an org.
 */
type SalesforceErrors = Array<{ errorCode: string; message: string; fields?: string[] }>;
type SaveResult = {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
};

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

const STATUS = `${API}/sobjects/HubSpot_Sync_Status__c`;

describe('unique external ids (HubSpot_Sync_Status__c.Portal_Id__c: unique, case-insensitive)', () => {
  test('a second record with the same value is refused with DUPLICATE_VALUE', async () => {
    const first = await org.send('POST', STATUS, { Portal_Id__c: 'Hub-1', State__c: 'suspended' });
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };

    const again = await org.send('POST', STATUS, { Portal_Id__c: 'hub-1', State__c: 'suspended' });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual([
      {
        errorCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: Portal_Id__c duplicates value on record with id: ${id}`,
        fields: [],
      },
    ]);

    const other = await org.send('POST', STATUS, { Portal_Id__c: 'Hub-2', State__c: 'suspended' });
    const { id: otherId } = (await other.json()) as { id: string };
    const renamed = await org.send('PATCH', `${STATUS}/${otherId}`, { Portal_Id__c: 'HUB-1' });
    expect(renamed.status).toBe(400);
    expect(((await renamed.json()) as SalesforceErrors)[0]!.errorCode).toBe('DUPLICATE_VALUE');
    // Writing a record's own value back is no duplicate.
    expect((await org.send('PATCH', `${STATUS}/${id}`, { Portal_Id__c: 'HUB-1' })).status).toBe(
      204,
    );
    expect(org.sim.records('HubSpot_Sync_Status__c')).toHaveLength(2);
  });

  test('an upsert matches the record whatever the case of the value', async () => {
    const created = await org.send('PATCH', `${STATUS}/Portal_Id__c/Hub-7`, {
      State__c: 'suspected',
    });
    expect(created.status).toBe(201);
    const updated = await org.send('PATCH', `${STATUS}/Portal_Id__c/HUB-7`, {
      State__c: 'suspended',
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ created: false });
    expect(org.sim.records('HubSpot_Sync_Status__c')).toEqual([
      expect.objectContaining({ Portal_Id__c: 'Hub-7', State__c: 'suspended' }),
    ]);
  });

  test('an upsert by Id takes the 15-character form of the id', async () => {
    const created = await org.send('POST', STATUS, { Portal_Id__c: '99', State__c: 'suspended' });
    const { id } = (await created.json()) as { id: string };
    const res = await org.send('PATCH', `${STATUS}/Id/${id.slice(0, 15)}`, {
      State__c: 'suspended',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, created: false });
  });
});

describe('date-time fields take ISO 8601 only', () => {
  test.each(['Nov 28 2026 09:00:00', 'Sat Nov 28 2026 09:00:00 GMT+0000', '28/11/2026'])(
    '%s is refused with JSON_PARSER_ERROR',
    async (value) => {
      const res = await org.send('POST', STATUS, {
        Portal_Id__c: '5',
        State__c: 'suspended',
        Since__c: value,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as SalesforceErrors)[0]!.errorCode).toBe('JSON_PARSER_ERROR');
    },
  );

  test.each([
    '2026-11-28T09:00:00.000Z',
    '2026-11-28T09:00:00.000+0000',
    '2026-11-28T10:00:00+01:00',
    '2026-11-28T09:00:00Z',
  ])('%s is taken', async (value) => {
    const res = await org.send('POST', STATUS, {
      Portal_Id__c: '6',
      State__c: 'suspended',
      Since__c: value,
    });
    expect(res.status).toBe(201);
    expect(org.sim.records('HubSpot_Sync_Status__c')[0]!.Since__c).toBe(
      '2026-11-28T09:00:00.000+0000',
    );
  });
});

describe('sObject Collections create', () => {
  test('a record that sets an Id is refused, not created under a new one', async () => {
    const existing = await org.send('POST', STATUS, { Portal_Id__c: '1', State__c: 'suspended' });
    const { id } = (await existing.json()) as { id: string };
    const res = await org.send('POST', `${API}/composite/sobjects`, {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'HubSpot_Sync_Status__c' },
          Id: id,
          Portal_Id__c: '2',
          State__c: 'suspended',
        },
        {
          attributes: { type: 'HubSpot_Sync_Status__c' },
          Portal_Id__c: '3',
          State__c: 'suspended',
        },
      ],
    });
    expect(res.status).toBe(200);
    const [withId, plain] = (await res.json()) as SaveResult[];
    expect(withId).toMatchObject({ success: false });
    expect(withId!.errors[0]!.statusCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(withId!.errors[0]!.fields).toEqual(['Id']);
    expect(plain).toMatchObject({ success: true });
    expect(
      org.sim
        .records('HubSpot_Sync_Status__c')
        .map((r) => r.Portal_Id__c)
        .sort(),
    ).toEqual(['1', '3']);
  });
});

describe('API versions', () => {
  test('a retired version (below 31.0) answers 410, one newer than the org 404, in a composite too', async () => {
    const retired = await org.get('/services/data/v30.0/limits');
    expect(retired.status).toBe(410);
    const future = await org.get('/services/data/v99.0/limits');
    expect(future.status).toBe(404);
    expect(await future.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
    expect((await org.get('/services/data/v31.0/limits')).status).toBe(200);

    const res = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        { method: 'GET', url: '/services/data/v640.0/sobjects', referenceId: 'typo' },
        { method: 'GET', url: `${API}/sobjects`, referenceId: 'fine' },
      ],
    });
    const { compositeResponse } = (await res.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; referenceId: string }>;
    };
    expect(compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['typo', 404],
      ['fine', 200],
    ]);
  });

  test('the versions resource lists every served version, 31.0 to the latest', async () => {
    const list = (await (await fetch(`${org.sim.url}/services/data`)).json()) as Array<{
      version: string;
    }>;
    expect(list[0]!.version).toBe('31.0');
    expect(list.at(-1)!.version).toBe('64.0');
  });
});

describe('query cursors', () => {
  const soql = 'SELECT Id FROM FieldPermissions';
  const open = async (batchSize = 200) => {
    const res = await org.query(soql, { 'Sforce-Query-Options': `batchSize=${batchSize}` });
    const page = (await res.json()) as { done: boolean; nextRecordsUrl?: string };
    expect(page.done).toBe(false);
    return page.nextRecordsUrl!;
  };

  test("a user's eleventh open cursor releases the oldest, as Salesforce allows 10 a user", async () => {
    const urls: string[] = [];
    for (let i = 0; i < 11; i++) urls.push(await open());
    const oldest = await org.get(urls[0]!, { 'Sforce-Query-Options': 'batchSize=200' });
    expect(oldest.status).toBe(400);
    expect(await oldest.json()).toEqual([
      { errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' },
    ]);
    for (const url of urls.slice(1))
      expect((await org.get(url, { 'Sforce-Query-Options': 'batchSize=200' })).status).toBe(200);
  });
});

describe('platform events published through sObject Collections', () => {
  test('each SaveResult carries OPERATION_ENQUEUED and the EventUuid, as a single publish does', async () => {
    const record = (title: string) => ({
      attributes: { type: 'Sync_Doctor_Event__e' },
      Portal_Id__c: '42',
      State__c: 'suspended',
      Title__c: title,
    });
    const res = await org.send('POST', `${API}/composite/sobjects`, {
      allOrNone: true,
      records: [record('one'), record('two')],
    });
    expect(res.status).toBe(200);
    const results = (await res.json()) as SaveResult[];
    expect(results.map((r) => r.success)).toEqual([true, true]);
    const uuids = results.map((r) => {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.statusCode).toBe('OPERATION_ENQUEUED');
      return r.errors[0]!.message;
    });
    expect(uuids).toEqual(org.sim.publishedEvents.map((e) => e.payload.EventUuid));
  });
});

describe('the hourly platform event allocation', () => {
  test('spent, a publish is refused with LIMIT_EXCEEDED and nothing is published', async () => {
    const hourly = org.sim.org.limits.HourlyPublishedPlatformEvents!;
    hourly.used = hourly.Max;
    const res = await org.send('POST', `${API}/sobjects/Sync_Doctor_Event__e`, {
      Portal_Id__c: '42',
      State__c: 'suspended',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'LIMIT_EXCEEDED',
      fields: [],
    });
    expect(org.sim.publishedEvents).toHaveLength(0);
  });
});

describe('record access under the organization-wide defaults of the package objects', () => {
  const asUserOf = (username: string) => asUser(org.sim, username);

  /** Grant a user Read, Create and Edit on an object and Edit on fields, as an admin does through REST. */
  async function grant(userId: string, object: string, fields: string[]): Promise<void> {
    const set = await org.send('POST', `${API}/sobjects/PermissionSet`, {
      Name: 'Log_Writer',
      Label: 'Log Writer',
    });
    expect(set.status).toBe(201);
    const ParentId = ((await set.json()) as { id: string }).id;
    const rows = [
      [
        'ObjectPermissions',
        {
          ParentId,
          SobjectType: object,
          PermissionsRead: true,
          PermissionsCreate: true,
          PermissionsEdit: true,
        },
      ],
      ...fields.map(
        (field) =>
          [
            'FieldPermissions',
            {
              ParentId,
              SobjectType: object,
              Field: `${object}.${field}`,
              PermissionsRead: true,
              PermissionsEdit: true,
            },
          ] as const,
      ),
      ['PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ParentId }],
    ] as const;
    for (const [type, body] of rows)
      expect((await org.send('POST', `${API}/sobjects/${type}`, body)).status).toBe(201);
  }

  test("another user reads the admin's record but may not edit it; its own it may", async () => {
    // Sync_Doctor_Remediation_Log__c is Public Read Only in its metadata.
    const LOG = `${API}/sobjects/Sync_Doctor_Remediation_Log__c`;
    const created = await org.send('POST', LOG, { Action__c: 'Apply Remediation' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Object and field rights to write logs, but no Modify All: only record access stands in the way.
    await grant(org.sim.integrationUser.Id, 'Sync_Doctor_Remediation_Log__c', ['Action__c']);
    const as = await asUserOf(org.sim.integrationUser.Username);

    expect((await as('GET', `${LOG}/${id}`)).status).toBe(200);
    const refused = await as('PATCH', `${LOG}/${id}`, {
      Action__c: 'Assign Integration Permission Set',
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual([
      {
        errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
        message: 'insufficient access rights on object id',
        fields: [],
      },
    ]);
    const [record] = org.sim.records('Sync_Doctor_Remediation_Log__c');
    expect(record!.Action__c).toBe('Apply Remediation');

    const own = await as('POST', LOG, { Action__c: 'Apply Remediation' });
    expect(own.status).toBe(201);
    const ownId = ((await own.json()) as { id: string }).id;
    expect(
      (await as('PATCH', `${LOG}/${ownId}`, { Action__c: 'Assign Integration Permission Set' }))
        .status,
    ).toBe(204);
    // The admin (Modify All Data) edits anyone's.
    expect(
      (await org.send('PATCH', `${LOG}/${ownId}`, { Action__c: 'Apply Remediation' })).status,
    ).toBe(204);
  });

  test("HubSpot_Sync_Status__c is Public Read/Write: the next relay user updates the first one's record", async () => {
    const url = `${STATUS}/Portal_Id__c/777`;
    expect((await org.send('PATCH', url, { State__c: 'suspended' })).status).toBe(201);
    // The relay's user: its rights come from the package's Sync_Doctor_Relay permission set alone.
    const as = await asUserOf(org.sim.relayUser.Username);
    expect((await as('PATCH', url, { State__c: 'cleared' })).status).toBe(200);
    const [record] = org.sim.records('HubSpot_Sync_Status__c');
    expect(record).toMatchObject({ State__c: 'cleared', OwnerId: org.sim.adminUser.Id });
  });
});
