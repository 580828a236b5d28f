import { API, startTestOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterAll(() => org.sim.close());

const MALFORMED_QUERIES = [
  'SELECT',
  'SELECT Id FROM',
  'SELECT Id FROM User WHERE',
  'SELECT Id FROM User WHERE Id IN ()',
  'SELECT FIELDS(ALL) FROM User LIMIT 1',
  'SELECT Id, (SELECT Id FROM PermissionSetAssignments) FROM User',
  'SELECT TYPEOF Owner WHEN User THEN Username END FROM Account',
  'SELECT Id FROM User WHERE CALENDAR_YEAR(CreatedDate) = 2024',
  'SELECT Id FROM User WHERE CreatedDate = NEXT_FISCAL_QUARTER',
  "SELECT Id FROM User WHERE Username = 'unterminated",
  'SELECT Id FROM User ORDER BY COUNT(Id)',
  'SELECT Id FROM User LIMIT -1',
  'SELECT Id FROM User OFFSET 5000',
  'DELETE FROM User',
  '\u0000\u0001',
];

describe('bad input never gets a 500', () => {
  test.each(MALFORMED_QUERIES.map((q) => [q]))(
    'query %j answers 200 or a 4xx Salesforce error',
    async (soql) => {
      const res = await org.query(soql);
      expect(res.status).toBeLessThan(500);
      const body = await res.json();
      if (res.status >= 400) {
        expect(Array.isArray(body)).toBe(true);
        expect(body[0]).toMatchObject({
          errorCode: expect.any(String),
          message: expect.any(String),
        });
      }
    },
  );

  test.each([
    ['POST', `${API}/composite`, '[]'],
    ['POST', `${API}/composite`, '{"compositeRequest": [null]}'],
    [
      'POST',
      `${API}/composite`,
      '{"compositeRequest": [{"method": "GET", "url": "/elsewhere", "referenceId": "a"}]}',
    ],
    [
      'POST',
      `${API}/composite`,
      '{"compositeRequest": [{"method": "POST", "url": "/services/data/v64.0/composite", "referenceId": "a", "body": {}}]}',
    ],
    ['POST', `${API}/composite/batch`, '{"batchRequests": [{"url": 5}]}'],
    ['POST', `${API}/composite/sobjects`, '{"records": [{"Name": "no type"}]}'],
    ['PATCH', `${API}/sobjects/Account/001000000000000AAA`, '[1, 2]'],
    ['POST', `${API}/sobjects/Account`, '"just a string"'],
    ['POST', `${API}/sobjects/Account`, '{"Name": {"nested": true}}'],
    ['POST', `${API}/sobjects/Contact`, '{"LastName": "x", "AccountId": "not-an-id"}'],
    ['POST', `${API}/sobjects/Contact`, '{"LastName": "x", "AccountId": "0055g0000000001AAA"}'],
    ['POST', `${API}/sobjects/Organization`, '{"Name": "x"}'],
    ['DELETE', `${API}/sobjects/Account/nope`, ''],
    ['GET', `${API}/sobjects/Account/a/b/c/d`, ''],
    ['PUT', `${API}/limits`, '{}'],
    ['POST', '/services/oauth2/token', 'grant_type=refresh_token'],
  ])('%s %s %s', async (method, path, body) => {
    const res = await fetch(`${org.sim.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${org.sim.accessToken}`,
        'Content-Type': path.includes('oauth2')
          ? 'application/x-www-form-urlencoded'
          : 'application/json',
      },
      body: method === 'GET' || method === 'DELETE' ? undefined : body,
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    if (path.includes('/composite') && !path.includes('sobjects') && res.status === 200) {
      const json = (await res.json()) as {
        compositeResponse?: Array<{ httpStatusCode: number }>;
        results?: Array<{ statusCode: number }>;
      };
      const statuses = [
        ...(json.compositeResponse ?? []).map((r) => r.httpStatusCode),
        ...(json.results ?? []).map((r) => r.statusCode),
      ];
      for (const status of statuses) expect(status).toBeLessThan(500);
    }
  });

  test('a URI beyond 16,384 bytes is refused (431, as Salesforce does); the same SOQL fits in a composite body', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `'005${String(i).padStart(12, '0')}'`).join(
      ',',
    );
    const soql = `SELECT Id FROM User WHERE Id IN (${ids})`;
    const direct = await org.query(soql);
    expect(direct.status).toBe(431);
    const composite = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        { method: 'GET', url: `${API}/query?q=${encodeURIComponent(soql)}`, referenceId: 'long' },
      ],
    });
    const { compositeResponse } = (await composite.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    };
    expect(compositeResponse[0]!.httpStatusCode).toBe(200);
    expect((compositeResponse[0]!.body as { totalSize: number }).totalSize).toBe(0);
    const tooLong = await org.send('POST', `${API}/composite`, {
      compositeRequest: [
        {
          method: 'GET',
          url: `${API}/query?q=${encodeURIComponent(`${soql} AND Username != '${'x'.repeat(100_000)}'`)}`,
          referenceId: 'tooLong',
        },
      ],
    });
    const tooLongBody = (await tooLong.json()) as {
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    };
    expect(tooLongBody.compositeResponse[0]!.httpStatusCode).toBe(400);
    expect(
      (tooLongBody.compositeResponse[0]!.body as Array<{ message: string }>)[0]!.message,
    ).toContain('cannot be longer than 100,000 characters');
  });

  test('other content types are refused with 415, not a crash', async () => {
    const res = await fetch(`${org.sim.url}${API}/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${org.sim.accessToken}`, 'Content-Type': 'text/xml' },
      body: '<Account/>',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBeDefined();
  });
});
