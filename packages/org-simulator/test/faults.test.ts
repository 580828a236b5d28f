import { API, startTestOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

const limits = `${API}/limits`;
const first = async (res: Response) =>
  ((await res.json()) as Array<{ errorCode: string; message: string }>)[0]!;

describe('injected faults', () => {
  test.each([
    ['REQUEST_LIMIT_EXCEEDED', 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
    [
      'API_DISABLED_FOR_ORG',
      403,
      'API_DISABLED_FOR_ORG',
      'The REST API is not enabled for this Organization.',
    ],
    ['INVALID_SESSION_ID', 401, 'INVALID_SESSION_ID', 'Session expired or invalid'],
    [
      'SERVER_UNAVAILABLE',
      503,
      'SERVER_UNAVAILABLE',
      'Server temporarily unavailable. Please try again later.',
    ],
    ['INTERNAL_SERVER_ERROR', 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred'],
    ['NOT_FOUND', 404, 'NOT_FOUND', 'The requested resource does not exist'],
  ] as const)('%s answers %i %s', async (fault, status, errorCode, message) => {
    org.sim.injectFault({ path: '/limits', fault, times: 1 });
    const failed = await org.get(limits);
    expect(failed.status).toBe(status);
    const error = await first(failed);
    expect(error.errorCode).toBe(errorCode);
    expect(error.message).toContain(message);
    expect(failed.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    // `times: 1`: the next call goes through.
    expect((await org.get(limits)).status).toBe(200);
  });

  test('UNABLE_TO_LOCK_ROW hits writes only, also inside a composite', async () => {
    org.sim.injectFault({ path: /HubSpot_Sync_Status__c/, fault: 'UNABLE_TO_LOCK_ROW' });
    const read = await org.query('SELECT Id FROM HubSpot_Sync_Status__c');
    expect(read.status).toBe(200);
    const write = await org.send('PATCH', `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/1`, {
      State__c: 'suspended',
    });
    expect(write.status).toBe(400);
    expect((await first(write)).errorCode).toBe('UNABLE_TO_LOCK_ROW');
    const composite = await org.send('POST', `${API}/composite`, {
      allOrNone: false,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/1`,
          referenceId: 'status',
          body: { State__c: 'suspended' },
        },
        {
          method: 'POST',
          url: `${API}/sobjects/Sync_Doctor_Event__e`,
          referenceId: 'event',
          body: { Portal_Id__c: '1' },
        },
      ],
    });
    expect(composite.status).toBe(200);
    const { compositeResponse } = (await composite.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    };
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 201]);
    expect((compositeResponse[0]!.body as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
      'UNABLE_TO_LOCK_ROW',
    );
    org.sim.clearFaults();
    expect(
      (
        await org.send('PATCH', `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/1`, {
          State__c: 'suspended',
        })
      ).status,
    ).toBe(201);
  });

  test('method filter, times, and SLOW responses', async () => {
    org.sim.injectFault({
      path: '/sobjects/',
      method: 'POST',
      fault: 'SERVER_UNAVAILABLE',
      times: 2,
    });
    expect((await org.get(`${API}/sobjects/Account/describe`)).status).toBe(200);
    expect((await org.send('POST', `${API}/sobjects/Account`, { Name: 'a' })).status).toBe(503);
    expect((await org.send('POST', `${API}/sobjects/Account`, { Name: 'b' })).status).toBe(503);
    expect((await org.send('POST', `${API}/sobjects/Account`, { Name: 'c' })).status).toBe(201);

    org.sim.injectFault({ path: '/limits', fault: 'SLOW', delayMs: 300, times: 1 });
    const started = Date.now();
    const slow = await org.get(limits);
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('a SLOW subrequest slows the composite answer', async () => {
    org.sim.injectFault({ path: '/limits', fault: 'SLOW', delayMs: 300, times: 1 });
    const started = Date.now();
    const res = await org.send('POST', `${API}/composite`, {
      compositeRequest: [{ method: 'GET', url: limits, referenceId: 'limits' }],
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('unknown faults are refused', () => {
    expect(() => org.sim.injectFault({ path: '/x', fault: 'NOPE' as 'SLOW' })).toThrow(
      /Unknown fault/,
    );
  });
});

describe('limits and sessions without injection', () => {
  test('an exhausted daily allocation refuses calls with REQUEST_LIMIT_EXCEEDED', async () => {
    const daily = org.sim.org.limits.DailyApiRequests!;
    daily.used = daily.Max - 1;
    expect((await org.get(limits)).status).toBe(200);
    const refused = await org.get(limits);
    expect(refused.status).toBe(403);
    expect((await first(refused)).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=100000/100000');
  });

  test('missing, unknown and expired sessions get 401 INVALID_SESSION_ID', async () => {
    const none = await fetch(`${org.sim.url}${limits}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    expect(
      (await fetch(`${org.sim.url}${limits}`, { headers: { Authorization: 'Bearer nope' } }))
        .status,
    ).toBe(401);
    org.sim.expireSession();
    expect((await org.get(limits)).status).toBe(401);
  });

  test('the request log records method, path, status and bodies; resetRequests empties it', async () => {
    await org.get(limits);
    await org.send('POST', `${API}/sobjects/Account`, { Name: 'Logged' });
    await org.get('/nowhere');
    expect(org.sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', limits, 200],
      ['POST', `${API}/sobjects/Account`, 201],
      ['GET', '/nowhere', 404],
    ]);
    expect(org.sim.requests[1]!.body).toEqual({ Name: 'Logged' });
    org.sim.resetRequests();
    expect(org.sim.requests).toHaveLength(0);
  });

  test('the request log keeps only the most recent maxLoggedRequests entries', async () => {
    const small = await startTestOrg({ maxLoggedRequests: 2 });
    try {
      for (const path of ['/a', '/b', '/c']) await small.get(path);
      expect(small.sim.requests.map((r) => r.path)).toEqual(['/b', '/c']);
    } finally {
      await small.sim.close();
    }
  });
});
