import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * Sync_Doctor_Settings__c is a public hierarchy custom setting: through the API only users with
 * Customize Application, or a permission set granting the setting's definition
 * (customSettingAccesses), read it. The relay's access watch reads the admin's saved integration
 * user from it, as the relay user holding Sync_Doctor_Relay and Sync_Doctor_Relay_Access_Watch.
 */
let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

const SOQL = 'SELECT Integration_User_Id__c FROM Sync_Doctor_Settings__c LIMIT 1';

async function assignToRelayUser(setName: string): Promise<void> {
  const set = org.sim.records('PermissionSet').find((p) => p.Name === setName)!;
  const res = await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, {
    AssigneeId: org.sim.relayUser.Id,
    PermissionSetId: set.Id,
  });
  expect(res.status).toBe(201);
}

test('without access to the setting, SOQL on it is INVALID_TYPE and its records are no resource', async () => {
  expect((await org.query(SOQL)).status).toBe(200);
  const as = await asUser(org.sim, org.sim.relayUser.Username);
  const res = await as('GET', `${API}/query?q=${encodeURIComponent(SOQL)}`);
  expect(res.status).toBe(400);
  const [error] = (await res.json()) as Array<{ errorCode: string; message: string }>;
  expect(error!.errorCode).toBe('INVALID_TYPE');
  expect(error!.message).toContain("sObject type 'Sync_Doctor_Settings__c' is not supported");
  expect((await as('GET', `${API}/sobjects/Sync_Doctor_Settings__c/describe`)).status).toBe(404);
});

test.each(['Sync_Doctor_Relay_Access_Watch', 'Sync_Doctor_Admin'])(
  "the package's %s permission set grants reading it",
  async (setName) => {
    await assignToRelayUser(setName);
    const as = await asUser(org.sim, org.sim.relayUser.Username);
    expect((await as('GET', `${API}/query?q=${encodeURIComponent(SOQL)}`)).status).toBe(200);
  },
);
