import { API, asUser, grantToIntegrationProfile, startTestOrg, type TestOrg } from './helpers.js';

// Object Reference, OauthToken, "Special Access Rules": "Users with the Customize Application
// permission see all tokens of all users in the org. Users without it see only their own."
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
// No error either way: a reader without the permission cannot tell others' tokens are missing.

interface Token {
  UserId: string;
  AppName: string;
}

async function tokensAs(
  org: TestOrg,
  username: string,
  soql = 'SELECT UserId, AppName FROM OauthToken',
): Promise<Token[]> {
  const call = await asUser(org.sim, username);
  const res = await call('GET', `${API}/query?q=${encodeURIComponent(soql)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { records: Token[] }).records;
}

describe('OauthToken rows depend on Customize Application', () => {
  let org: TestOrg;
  afterEach(async () => {
    await org.sim.close();
  });

  test('the admin (Customize Application) sees every user’s tokens', async () => {
    org = await startTestOrg({ fixture: 'healthy' });
    const all = org.sim.records('OauthToken');
    const seen = await tokensAs(org, org.sim.adminUser.Username);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen.map((t) => t.UserId)).size).toBeGreaterThan(1);
  });

  test('a user without it sees only its own, with no error, also in COUNT() and in a filter', async () => {
    org = await startTestOrg({ fixture: 'healthy' });
    const me = org.sim.integrationUser;
    const own = org.sim.records('OauthToken').filter((t) => t.UserId === me.Id);
    expect(own.length).toBeGreaterThan(0);
    expect(org.sim.records('OauthToken').length).toBeGreaterThan(own.length);

    const seen = await tokensAs(org, me.Username);
    expect(seen.map((t) => t.UserId)).toEqual(own.map(() => me.Id));

    // The product's query: HubSpot's tokens, whoever holds them. Others' HubSpot tokens exist.
    const hubspot = await tokensAs(
      org,
      me.Username,
      "SELECT UserId, AppName FROM OauthToken WHERE AppName LIKE 'HubSpot%'",
    );
    expect(hubspot.every((t) => t.UserId === me.Id)).toBe(true);

    const call = await asUser(org.sim, me.Username);
    const count = await call(
      'GET',
      `${API}/query?q=${encodeURIComponent('SELECT COUNT() FROM OauthToken')}`,
    );
    expect(((await count.json()) as { totalSize: number }).totalSize).toBe(own.length);
  });

  test('a User sub-select of OauthTokens shows others’ tokens only with Customize Application', async () => {
    org = await startTestOrg({ fixture: 'healthy' });
    const soql = 'SELECT Id, (SELECT AppName FROM OauthTokens) FROM User';
    const withTokens = async (username: string) => {
      const call = await asUser(org.sim, username);
      const res = await call('GET', `${API}/query?q=${encodeURIComponent(soql)}`);
      expect(res.status).toBe(200);
      const users = ((await res.json()) as { records: Array<{ Id: string; OauthTokens: unknown }> })
        .records;
      return users.filter((u) => u.OauthTokens !== null).map((u) => u.Id);
    };
    expect(await withTokens(org.sim.integrationUser.Username)).toEqual([
      org.sim.integrationUser.Id,
    ]);
    expect((await withTokens(org.sim.adminUser.Username)).length).toBeGreaterThan(1);
  });

  test('granting Customize Application to the user’s profile shows it everyone’s tokens', async () => {
    org = await startTestOrg({
      fixture: 'healthy',
      changes: [grantToIntegrationProfile('PermissionsCustomizeApplication')],
    });
    const seen = await tokensAs(org, org.sim.integrationUser.Username);
    expect(seen).toHaveLength(org.sim.records('OauthToken').length);
  });

  test('Manage Users alone is not enough (the API 32.0 page named it; the current one does not)', async () => {
    org = await startTestOrg({
      fixture: 'healthy',
      changes: [grantToIntegrationProfile('PermissionsManageUsers')],
    });
    const seen = await tokensAs(org, org.sim.integrationUser.Username);
    expect(new Set(seen.map((t) => t.UserId))).toEqual(new Set([org.sim.integrationUser.Id]));
  });
});
