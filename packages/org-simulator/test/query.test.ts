import { API, startTestOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({ fixture: 'read-only-contacts' });
});
afterAll(() => org.sim.close());

/** The rows these queries return: fields, and the parent records they reach through a relationship. */
type PermissionRow = Record<string, unknown> & {
  PermissionSet: { Name: string; Profile: unknown; attributes: { type: string } };
  Parent: { Label: string };
};

describe('SOQL over the fixture org', () => {
  test('parent relationship fields come back as nested records with attributes', async () => {
    const res = await org.query(
      `SELECT Id, PermissionSetId, PermissionSet.Name, PermissionSet.Profile.Name, ExpirationDate FROM PermissionSetAssignment WHERE AssigneeId = '${org.sim.integrationUser.Id}' ORDER BY PermissionSet.Name`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      totalSize: number;
      done: boolean;
      records: PermissionRow[];
    };
    expect(body.done).toBe(true);
    expect(body.totalSize).toBe(2);
    const [hubspot, profile] = body.records;
    expect(hubspot!.attributes).toEqual({
      type: 'PermissionSetAssignment',
      url: `${API}/sobjects/PermissionSetAssignment/${hubspot!.Id}`,
    });
    expect(hubspot!.PermissionSet.Name).toBe('HubSpot_Integration_Permissions');
    expect(hubspot!.PermissionSet.Profile).toBeNull();
    expect(hubspot!.PermissionSet.attributes.type).toBe('PermissionSet');
    expect(profile!.PermissionSet.Profile).toMatchObject({
      attributes: { type: 'Profile' },
      Name: 'HubSpot Integration User',
    });
    expect(hubspot!.ExpirationDate).toBeNull();
  });

  test('read-only-contacts: the HubSpot set reads but does not edit Contact', async () => {
    const res = await org.query(
      `SELECT SobjectType, PermissionsRead, PermissionsEdit, Parent.Label FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE Assignee.Username = 'hubspot.integration@acme.example') AND SobjectType = 'Contact'`,
    );
    const body = (await res.json()) as { records: PermissionRow[] };
    expect(body.records.length).toBe(2);
    for (const row of body.records) {
      expect(row.PermissionsRead).toBe(true);
      expect(row.PermissionsEdit).toBe(false);
    }
    expect(body.records.map((r) => r.Parent.Label)).toContain('HubSpot Integration Permissions');
  });

  test('unknown field, object and malformed queries answer as Salesforce does', async () => {
    const field = await org.query('SELECT Id, Foo FROM Account');
    expect(field.status).toBe(400);
    const [fieldError] = (await field.json()) as Array<{ errorCode: string; message: string }>;
    expect(fieldError!.errorCode).toBe('INVALID_FIELD');
    expect(fieldError!.message).toContain("No such column 'Foo' on entity 'Account'");
    expect(fieldError!.message).toContain('ERROR at Row:1:Column:12');

    const type = await org.query('SELECT Id FROM Nope__c');
    expect(((await type.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
      'INVALID_TYPE',
    );

    const bad = await org.query('SELECT FROM');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
      'MALFORMED_QUERY',
    );
  });

  test('every response carries Sforce-Limit-Info and each call counts once', async () => {
    const first = await org.get(`${API}/limits`);
    const second = await org.get(`${API}/limits`);
    const used = (res: Response) =>
      Number(/api-usage=(\d+)\/(\d+)/.exec(res.headers.get('sforce-limit-info') ?? '')![1]);
    expect(used(second)).toBe(used(first) + 1);
    const limits = (await second.json()) as Record<
      string,
      { Max: number; Remaining: number } & Record<string, unknown>
    >;
    expect(limits.DailyApiRequests!.Max).toBe(100000);
    expect(limits.DailyApiRequests!.Remaining).toBe(100000 - used(second));
    // No quota of its own: listed as a real org lists such an app, with no count of its calls.
    expect(limits.DailyApiRequests!.HubSpot).toEqual({ Max: 0, Remaining: 0 });
    expect(limits.DailyApiRequests!['Salesforce CLI']).toEqual({ Max: 0, Remaining: 0 });
  });

  test('a connected app with a quota of its own (the per-app pilot) shows it and what is left', async () => {
    const daily = org.sim.org.limits.DailyApiRequests!;
    const before = daily.apps!.HubSpot!;
    daily.apps!.HubSpot = { Max: 20000, used: 18210 };
    try {
      const limits = (await (await org.get(`${API}/limits`)).json()) as Record<
        string,
        Record<string, unknown>
      >;
      expect(limits.DailyApiRequests!.HubSpot).toEqual({ Max: 20000, Remaining: 20000 - 18210 });
    } finally {
      daily.apps!.HubSpot = before;
    }
  });
});
