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
        { method: 'GET', url: `${API}/limits`, referenceId: 'after' },
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
      url: `${API}/limits`,
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
