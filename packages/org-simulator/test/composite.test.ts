import { API, startTestOrg, type TestOrg } from './helpers.js';

/** Salesforce's error list: a failed subrequest's body. */
type SalesforceErrors = Array<{ errorCode: string; message: string }>;

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

interface CompositeResult {
  compositeResponse: Array<{
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }>;
}

const usage = (res: Response) =>
  Number(/api-usage=(\d+)/.exec(res.headers.get('sforce-limit-info') ?? '')![1]);
const statusUrl = (portal: string) =>
  `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/${portal}`;

describe('/composite', () => {
  test('references feed later subrequests; the whole call counts as one API request', async () => {
    const before = usage(await org.get(`${API}/limits`));
    const res = await org.send('POST', `${API}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: statusUrl('777'),
          referenceId: 'status',
          body: { State__c: 'suspended' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/Sync_Doctor_Event__e`,
          referenceId: 'event',
          body: { Portal_Id__c: '777', State__c: 'suspended' },
        },
        {
          method: 'GET',
          url: `${API}/sobjects/HubSpot_Sync_Status__c/@{status.id}?fields=State__c`,
          referenceId: 'readBack',
        },
        {
          method: 'GET',
          url: `${API}/query?q=${encodeURIComponent("SELECT Id, Username FROM User WHERE Username = 'admin@acme.example'")}`,
          referenceId: 'admin',
        },
        {
          method: 'PATCH',
          url: `${API}/sobjects/HubSpot_Sync_Status__c/@{status.id}`,
          referenceId: 'touch',
          body: { Title__c: 'by @{admin.records[0].Username}' },
        },
      ],
    });
    expect(res.status).toBe(200);
    // The header counts the call it answers: the composite is one more than the /limits call before it.
    expect(usage(res)).toBe(before + 1);
    const { compositeResponse } = (await res.json()) as CompositeResult;
    expect(compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['status', 201],
      ['event', 201],
      ['readBack', 200],
      ['admin', 200],
      ['touch', 204],
    ]);
    expect(compositeResponse[0]!.httpHeaders.Location).toMatch(
      /\/sobjects\/HubSpot_Sync_Status__c\/a00/,
    );
    expect((compositeResponse[2]!.body as { State__c: string }).State__c).toBe('suspended');
    expect(org.sim.records('HubSpot_Sync_Status__c')[0]!.Title__c).toBe('by admin@acme.example');
    expect(org.sim.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `${API}/composite`,
      status: 200,
      subrequests: 5,
    });
  });

  test('allOrNone rolls everything back, events included, and marks the others PROCESSING_HALTED', async () => {
    const res = await org.send('POST', `${API}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: statusUrl('888'),
          referenceId: 'status',
          body: { State__c: 'suspended' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/Sync_Doctor_Event__e`,
          referenceId: 'event',
          body: { Portal_Id__c: '888' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/Account`,
          referenceId: 'broken',
          body: { Industry: 'no name' },
        },
        { method: 'GET', url: `${API}/sobjects/Account/describe`, referenceId: 'after' },
      ],
    });
    const { compositeResponse } = (await res.json()) as CompositeResult;
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 400, 400]);
    expect((compositeResponse[2]!.body as SalesforceErrors)[0]!.errorCode).toBe(
      'REQUIRED_FIELD_MISSING',
    );
    for (const i of [0, 1, 3])
      expect((compositeResponse[i]!.body as SalesforceErrors)[0]!.errorCode).toBe(
        'PROCESSING_HALTED',
      );
    expect(org.sim.records('HubSpot_Sync_Status__c')).toHaveLength(0);
    expect(org.sim.publishedEvents).toHaveLength(0);
  });

  test('without allOrNone, only subrequests that depend on a failed one fail', async () => {
    const res = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        {
          method: 'POST',
          url: `${API}/sobjects/Account`,
          referenceId: 'broken',
          body: { Industry: 'no name' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/Contact`,
          referenceId: 'child',
          body: { LastName: 'Orphan', AccountId: '@{broken.id}' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/Account`,
          referenceId: 'fine',
          body: { Name: 'Independent' },
        },
      ],
    });
    const { compositeResponse } = (await res.json()) as CompositeResult;
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect((compositeResponse[1]!.body as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'PROCESSING_HALTED',
      message: expect.stringContaining('No value for broken.id'),
    });
    expect(org.sim.records('Account').some((a) => a.Name === 'Independent')).toBe(true);
  });

  test('limits of the resource: 25 subrequests, 5 queries, unique reference ids', async () => {
    const query = { method: 'GET', url: `${API}/query?q=SELECT+Id+FROM+User` };
    const six = Array.from({ length: 6 }, (_, i) => ({ ...query, referenceId: `q${i}` }));
    const tooManyQueries = await org.send('POST', `${API}/composite`, { compositeRequest: six });
    expect(tooManyQueries.status).toBe(400);
    const many = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `${API}/sobjects`,
      referenceId: `l${i}`,
    }));
    expect((await org.send('POST', `${API}/composite`, { compositeRequest: many })).status).toBe(
      400,
    );
    const dup = [
      { ...query, referenceId: 'a' },
      { ...query, referenceId: 'a' },
    ];
    expect((await org.send('POST', `${API}/composite`, { compositeRequest: dup })).status).toBe(
      400,
    );
    expect((await org.send('POST', `${API}/composite`, { nothing: true })).status).toBe(400);
  });

  test('/limits and other resources outside sObjects, query, queryAll and collections are refused in a /composite', async () => {
    const res = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        { method: 'GET', url: `${API}/limits`, referenceId: 'limits' },
        { method: 'GET', url: `${API}/sobjects/Account/describe`, referenceId: 'describe' },
        { method: 'GET', url: `${API}/queryAll?q=SELECT+Id+FROM+User`, referenceId: 'all' },
      ],
    });
    expect(res.status).toBe(200);
    const { compositeResponse } = (await res.json()) as CompositeResult;
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 200, 200]);
    expect((compositeResponse[0]!.body as SalesforceErrors)[0]).toMatchObject({
      errorCode: 'INVALID_INPUT',
      message: expect.stringContaining('/services/data/v64.0/limits is not supported'),
    });
    // /composite/batch takes /limits.
    const batch = await org.send('POST', `${API}/composite/batch`, {
      batchRequests: [{ method: 'GET', url: 'v64.0/limits' }],
    });
    expect(
      ((await batch.json()) as { results: Array<{ statusCode: number }> }).results[0]!.statusCode,
    ).toBe(200);
  });
});

describe('/composite/batch and /composite/sobjects', () => {
  test('batch runs independent subrequests and halts on error when asked', async () => {
    const res = await org.send('POST', `${API}/composite/batch`, {
      haltOnError: true,
      batchRequests: [
        { method: 'GET', url: 'v64.0/limits' },
        { method: 'POST', url: 'v64.0/sobjects/Account', richInput: { Industry: 'no name' } },
        { method: 'GET', url: 'v64.0/sobjects/Account/describe' },
      ],
    });
    const body = (await res.json()) as {
      hasErrors: boolean;
      results: Array<{ statusCode: number; result: unknown }>;
    };
    expect(body.hasErrors).toBe(true);
    expect(body.results.map((r) => r.statusCode)).toEqual([200, 400, 412]);
    expect((body.results[2]!.result as SalesforceErrors)[0]!.errorCode).toBe(
      'BATCH_PROCESSING_HALTED',
    );
  });

  test('collections create many records in one call, all or none', async () => {
    const records = [
      { attributes: { type: 'Account' }, Name: 'One' },
      { attributes: { type: 'Account' }, Name: 'Two' },
    ];
    const ok = await org.send('POST', `${API}/composite/sobjects`, { allOrNone: true, records });
    const okBody = (await ok.json()) as Array<{ id: string; success: boolean }>;
    expect(okBody.map((r) => r.success)).toEqual([true, true]);
    const bad = await org.send('POST', `${API}/composite/sobjects`, {
      allOrNone: true,
      records: [...records, { attributes: { type: 'Account' } }],
    });
    const badBody = (await bad.json()) as Array<{
      success: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(badBody.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
    ]);
    expect(org.sim.records('Account').filter((a) => a.Name === 'One')).toHaveLength(1);
  });
});

describe('/composite carrying sObject Collections', () => {
  const eventRecords = (portal: string, titles: string[]) =>
    titles.map((title) => ({
      attributes: { type: 'Sync_Doctor_Event__e' },
      Portal_Id__c: portal,
      State__c: 'suspended',
      Title__c: title,
    }));
  const upsertAndEvents = (portal: string, records: unknown[], version = API) => ({
    allOrNone: true,
    collateSubrequests: false,
    compositeRequest: [
      {
        method: 'PATCH',
        url: statusUrl(portal),
        referenceId: 'status',
        body: { State__c: 'suspended', Title__c: 'latest' },
      },
      {
        method: 'POST',
        url: `${version}/composite/sobjects`,
        referenceId: 'events',
        body: { allOrNone: true, records },
      },
    ],
  });
  const titlesOf = (portal: string) =>
    org.sim.publishedEvents
      .filter((e) => e.payload.Portal_Id__c === portal)
      .map((e) => e.payload.Title__c);

  test('one upsert and a collection of 200 events cost one API call; the events go out in order', async () => {
    const before = usage(await org.get(`${API}/limits`));
    const titles = Array.from({ length: 200 }, (_, i) => `#${i + 1}`);
    const res = await org.send('POST', `${API}/composite`, {
      ...upsertAndEvents('801', eventRecords('801', titles)),
    });
    expect(res.status).toBe(200);
    expect(usage(res)).toBe(before + 1);
    const { compositeResponse } = (await res.json()) as CompositeResult;
    expect(compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['status', 201],
      ['events', 200],
    ]);
    const results = compositeResponse[1]!.body as Array<{ id: string; success: boolean }>;
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.success && /^e/.test(r.id))).toBe(true);
    expect(titlesOf('801')).toEqual(titles);
    expect(
      org.sim.records('HubSpot_Sync_Status__c').find((r) => r.Portal_Id__c === '801'),
    ).toMatchObject({
      Title__c: 'latest',
    });
  });

  test("the composite's allOrNone overrides the collection's: one bad event withdraws every event and the upsert", async () => {
    const records = [
      ...eventRecords('802', ['#1', '#2']),
      { attributes: { type: 'Sync_Doctor_Event__e' }, Portal_Id__c: '802', No_Such_Field__c: 'x' },
      ...eventRecords('802', ['#4']),
    ];
    const body = upsertAndEvents('802', records);
    (body.compositeRequest[1]!.body as { allOrNone: boolean }).allOrNone = false;
    const res = await org.send('POST', `${API}/composite`, body);
    const { compositeResponse } = (await res.json()) as CompositeResult;
    expect(compositeResponse[0]).toMatchObject({ httpStatusCode: 400 });
    expect((compositeResponse[0]!.body as SalesforceErrors)[0]!.errorCode).toBe(
      'PROCESSING_HALTED',
    );
    const results = compositeResponse[1]!.body as Array<{
      success: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(results.map((r) => r.success)).toEqual([false, false, false, false]);
    expect(results.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_FIELD',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    ]);
    // Sync_Doctor_Event__e is PublishAfterCommit: a rolled-back transaction publishes nothing.
    expect(titlesOf('802')).toEqual([]);
    expect(org.sim.records('HubSpot_Sync_Status__c').some((r) => r.Portal_Id__c === '802')).toBe(
      false,
    );
  });

  test('limits: 200 records a collection, 5 collections or queries a composite, API 43.0, nothing else nested', async () => {
    const tooMany = await org.send(
      'POST',
      `${API}/composite`,
      upsertAndEvents(
        '803',
        eventRecords(
          '803',
          Array.from({ length: 201 }, (_, i) => `${i}`),
        ),
      ),
    );
    const { compositeResponse } = (await tooMany.json()) as CompositeResult;
    expect((compositeResponse[1]!.body as SalesforceErrors)[0]!.errorCode).toBe(
      'EXCEEDED_ID_LIMIT',
    );
    expect(titlesOf('803')).toEqual([]);

    const collection = (i: number) => ({
      method: 'POST',
      url: `${API}/composite/sobjects`,
      referenceId: `c${i}`,
      body: { records: eventRecords('803', [`${i}`]) },
    });
    const six = await org.send('POST', `${API}/composite`, {
      compositeRequest: Array.from({ length: 6 }, (_, i) => collection(i)),
    });
    expect(six.status).toBe(400);
    const fiveAndAQuery = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        ...Array.from({ length: 5 }, (_, i) => collection(i)),
        { method: 'GET', url: `${API}/query?q=SELECT+Id+FROM+User`, referenceId: 'q' },
      ],
    });
    expect(fiveAndAQuery.status).toBe(400);
    expect(titlesOf('803')).toEqual([]);

    const old = await org.send(
      'POST',
      `${API}/composite`,
      upsertAndEvents('804', eventRecords('804', ['#1']), '/services/data/v42.0'),
    );
    expect(((await old.json()) as CompositeResult).compositeResponse[1]).toMatchObject({
      httpStatusCode: 400,
    });
    expect(titlesOf('804')).toEqual([]);

    const batch = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        {
          method: 'POST',
          url: `${API}/composite/batch`,
          referenceId: 'nested',
          body: { batchRequests: [] },
        },
      ],
    });
    expect(
      ((await batch.json()) as CompositeResult).compositeResponse[0]!.body as SalesforceErrors,
    ).toEqual([expect.objectContaining({ message: 'Composite requests cannot be nested' })]);
  });

  test('a collection of events on its own, all or none, publishes none when one fails', async () => {
    const res = await org.send('POST', `${API}/composite/sobjects`, {
      allOrNone: true,
      records: [
        ...eventRecords('805', ['#1']),
        { attributes: { type: 'Sync_Doctor_Event__e' }, No_Such_Field__c: 'x' },
      ],
    });
    expect(res.status).toBe(200);
    expect(titlesOf('805')).toEqual([]);
  });
});
