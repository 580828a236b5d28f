import { chooseIntegrationUser } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import { findIntegrationUserCandidates } from '../src/integrationUser/findIntegrationUserCandidates.js';

let sim: OrgSimulator;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.clearFaults();
  sim.useFixture('healthy');
  sim.resetRequests();
});

const conn = () => connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
const userId = (username: string) =>
  String(sim.records('User').find((u) => u.Username === username)!.Id);
const dataRequests = () => sim.requests.filter((r) => r.path.startsWith('/services/data/'));

describe('findIntegrationUserCandidates against the simulated org', () => {
  it('reads token holders and permission set holders in one composite, ranked by the core rule', async () => {
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.requests).toBe(1);
    expect(dataRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /services/data/v64.0/composite',
    ]);
    expect(found.unread).toEqual([]);
    expect(found.candidates).toEqual([
      {
        userId: sim.integrationUser.Id,
        username: 'hubspot.integration@acme.example',
        name: 'HubSpot Integration',
        isActive: true,
        sources: ['oauth', 'permissionSet'],
      },
      // Sam once connected HubSpot's app with his own login. The admin's 'Salesforce CLI' and
      // 'HubSpot Sales' (the sales extension) tokens are no evidence.
      {
        userId: userId('sam.sales@acme.example'),
        username: 'sam.sales@acme.example',
        name: 'Sam Sales',
        isActive: true,
        sources: ['oauth'],
      },
      {
        userId: userId('old.hubspot@acme.example'),
        username: 'old.hubspot@acme.example',
        name: 'Old HubSpot Connector',
        isActive: false,
        sources: ['oauth'],
      },
    ]);
    expect(chooseIntegrationUser(found.candidates)).toMatchObject({
      outcome: 'chosen',
      user: { username: 'hubspot.integration@acme.example' },
    });
  });

  it('a HubSpot Sales (sales extension) token is no evidence: its user is neither listed nor chosen', async () => {
    // HubSpot's package is not installed, so the integration user's only evidence is its token.
    sim.useFixture('missing-permission-set');
    const rep = userId('sam.sales@acme.example');
    for (const token of sim
      .records('OauthToken')
      .filter((t) => t.UserId !== sim.integrationUser.Id))
      sim.org.delete(String(token.Id));
    for (const app of ['HubSpot Sales', 'hubspot sales for Outlook'])
      sim.org.insert('OauthToken', {
        AppName: app,
        UserId: rep,
        LastUsedDate: new Date().toISOString(),
        UseCount: 5,
        AppMenuItemId: null,
      });
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['oauth']],
    ]);
    expect(chooseIntegrationUser(found.candidates)).toMatchObject({
      outcome: 'chosen',
      user: { username: 'hubspot.integration@acme.example' },
    });
    // Another vendor's app that merely mentions HubSpot is no evidence either.
    sim.org.insert('OauthToken', {
      AppName: 'Acme Sync for HubSpot',
      UserId: rep,
      LastUsedDate: new Date().toISOString(),
      UseCount: 5,
      AppMenuItemId: null,
    });
    expect(
      (await findIntegrationUserCandidates(await conn())).candidates.map((c) => c.username),
    ).toEqual(['hubspot.integration@acme.example']);
  });

  it('counts the saved choice of the Sync Doctor package as evidence', async () => {
    const orgId = String(sim.records('Organization')[0]!.Id);
    sim.org.insert('Sync_Doctor_Settings__c', {
      Name: 'Default',
      SetupOwnerId: orgId,
      Integration_User_Id__c: userId('sam.sales@acme.example'),
    });
    // A user-level row of the hierarchy setting is not the org default and must not count.
    sim.org.insert('Sync_Doctor_Settings__c', {
      Name: 'Mine',
      SetupOwnerId: sim.adminUser.Id,
      Integration_User_Id__c: sim.adminUser.Id,
    });
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.requests).toBe(1);
    expect(found.candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['oauth', 'permissionSet']],
      ['sam.sales@acme.example', ['oauth', 'saved']],
      ['old.hubspot@acme.example', ['oauth']],
    ]);
    const choice = chooseIntegrationUser(found.candidates);
    expect(choice.outcome).toBe('ambiguous');
  });

  it('finds the permission set holder when the HubSpot tokens cannot be read, and says so', async () => {
    sim.injectFault({ path: /OauthToken/, fault: 'INTERNAL_SERVER_ERROR' });
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.unread).toEqual([
      {
        source: 'oauth',
        errorCode: 'UNKNOWN_EXCEPTION',
        message: expect.stringContaining('unexpected error'),
      },
    ]);
    expect(found.candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['permissionSet']],
    ]);
  });

  it('a reader without Customize Application gets no token evidence and says so, rather than ranking on its own tokens only', async () => {
    // Object Reference, OauthToken, "Special Access Rules": without Customize Application
    // Salesforce shows the reader its own tokens only, with no error. Here the reader (an admin
    // whose permissions lack it, as a delegated admin's or the relay's user's do) holds a HubSpot
    // token itself; the integration user's token is then silently missing from the answer.
    const admin = sim.adminUser.Id;
    const held = new Set(
      sim
        .records('PermissionSetAssignment')
        .filter((a) => String(a.AssigneeId) === admin)
        .map((a) => String(a.PermissionSetId)),
    );
    for (const set of sim.records('PermissionSet').filter((p) => held.has(String(p.Id))))
      sim.org.update(String(set.Id), { PermissionsCustomizeApplication: false });
    sim.org.insert('OauthToken', {
      AppName: 'HubSpot',
      UserId: admin,
      LastUsedDate: new Date().toISOString(),
      UseCount: 1,
      AppMenuItemId: null,
    });
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.unread).toEqual([
      {
        source: 'oauth',
        errorCode: 'CUSTOMIZE_APPLICATION_REQUIRED',
        message: expect.stringContaining('"Customize Application"'),
      },
    ]);
    expect(found.candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['permissionSet']],
    ]);
    // The composite, then the reader's own permission (its tokens alone could not tell).
    expect(found.requests).toBe(2);
    expect(dataRequests().map((r) => decodeURIComponent(`${r.method} ${r.path}`))).toEqual([
      'POST /services/data/v64.0/composite',
      expect.stringMatching(
        /^GET \/services\/data\/v64\.0\/query.*SELECT PermissionsCustomizeApplication FROM UserPermissionAccess$/,
      ),
    ]);
  });

  it("tokens of one user only: asks the reader's permission once, and counts them when it may see every user's", async () => {
    for (const token of sim
      .records('OauthToken')
      .filter((t) => t.UserId !== sim.integrationUser.Id))
      sim.org.delete(String(token.Id));
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.unread).toEqual([]);
    expect(found.requests).toBe(2);
    expect(found.candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['oauth', 'permissionSet']],
    ]);
  });

  it('finds nobody in an org without tokens or holders', async () => {
    sim.useFixture('missing-permission-set');
    for (const token of [...sim.records('OauthToken')]) sim.org.delete(String(token.Id));
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.candidates).toEqual([]);
    expect(chooseIntegrationUser(found.candidates)).toEqual({ outcome: 'none' });
  });

  it("counts a user assigned a permission set group that holds HubSpot's set, muted or not, once, in the same one request", async () => {
    // muted-group: HubSpot's set reaches the integration user only through a group that mutes
    // some Contact rights. Before, its only evidence was its token, tied with Sam's.
    sim.useFixture('muted-group');
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.requests).toBe(1);
    expect(dataRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /services/data/v64.0/composite',
    ]);
    expect(found.unread).toEqual([]);
    expect(found.candidates.map((c) => [c.username, c.sources])).toEqual([
      ['hubspot.integration@acme.example', ['oauth', 'permissionSet']],
      ['sam.sales@acme.example', ['oauth']],
      ['old.hubspot@acme.example', ['oauth']],
    ]);
    expect(chooseIntegrationUser(found.candidates)).toMatchObject({
      outcome: 'chosen',
      user: { username: 'hubspot.integration@acme.example' },
    });
    // Assigned the set directly as well: still one candidate with one permission set source.
    const hubspotSet = sim
      .records('PermissionSet')
      .find((p) => p.Name === 'HubSpot_Integration_Permissions')!;
    sim.org.insert('PermissionSetAssignment', {
      AssigneeId: sim.integrationUser.Id,
      PermissionSetId: hubspotSet.Id,
      PermissionSetGroupId: null,
      ExpirationDate: null,
      IsActive: true,
    });
    expect(
      (await findIntegrationUserCandidates(await conn())).candidates.map((c) => [
        c.username,
        c.sources,
      ]),
    ).toEqual([
      ['hubspot.integration@acme.example', ['oauth', 'permissionSet']],
      ['sam.sales@acme.example', ['oauth']],
      ['old.hubspot@acme.example', ['oauth']],
    ]);
  });

  it("a group that does not hold HubSpot's set is no evidence", async () => {
    sim.useFixture('muted-group');
    for (const component of sim
      .records('PermissionSetGroupComponent')
      .filter((c) => String(c.PermissionSetId).startsWith('0PS')))
      sim.org.delete(String(component.Id));
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.candidates.map((c) => [c.username, c.sources])[0]).toEqual([
      'hubspot.integration@acme.example',
      ['oauth'],
    ]);
  });

  it('says so when the group holders cannot be read, and still finds the direct holders', async () => {
    sim.injectFault({ path: /PermissionSetGroupComponent/, fault: 'INTERNAL_SERVER_ERROR' });
    const found = await findIntegrationUserCandidates(await conn());
    expect(found.unread).toEqual([
      {
        source: 'permissionSet',
        errorCode: 'UNKNOWN_EXCEPTION',
        message: expect.stringContaining('unexpected error'),
      },
    ]);
    expect(found.candidates[0]).toMatchObject({
      username: 'hubspot.integration@acme.example',
      sources: ['oauth', 'permissionSet'],
    });
  });

  it('throws when the permission set holders cannot be read', async () => {
    sim.injectFault({ path: /PermissionSetAssignment/, fault: 'SERVER_UNAVAILABLE' });
    await expect(findIntegrationUserCandidates(await conn())).rejects.toBeInstanceOf(
      SalesforceError,
    );
    await expect(findIntegrationUserCandidates(await conn())).rejects.toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
      request: 'composite:holders',
    });
  });
});
