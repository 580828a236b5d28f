import { Connection } from 'jsforce';
import { startOrgSimulator, type OrgSimulator } from '../src/index.js';

// The collector uses jsforce 3: the simulator must work with it unchanged.
let sim: OrgSimulator;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', queryBatchSize: 200 });
});
afterAll(() => sim.close());

const connection = () =>
  new Connection({ instanceUrl: sim.url, accessToken: sim.accessToken, version: '64.0' });

describe('jsforce against the simulator', () => {
  test('query with autoFetch follows nextRecordsUrl; limitInfo comes from Sforce-Limit-Info', async () => {
    const conn = connection();
    const result = await conn.query('SELECT Id, Field FROM FieldPermissions', {
      autoFetch: true,
      maxFetch: 100_000,
    });
    expect(result.totalSize).toBe(sim.records('FieldPermissions').length);
    expect(result.records).toHaveLength(result.totalSize);
    expect(result.totalSize).toBeGreaterThan(400);
    expect(conn.limitInfo.apiUsage).toEqual({ used: sim.org.apiUsage().used, limit: 100000 });
  });

  test('describe, limits, upsert, platform event', async () => {
    const conn = connection();
    const describe = await conn.sobject('Contact').describe();
    expect(describe.fields.find((f) => f.name === 'Email')).toMatchObject({
      permissionable: true,
      type: 'email',
    });
    const limits = await conn.limits();
    expect(limits.DataStorageMB?.Max).toBe(10740);
    const created = await conn
      .sobject('HubSpot_Sync_Status__c')
      .upsert({ Portal_Id__c: '42', State__c: 'suspended' }, 'Portal_Id__c');
    expect(created).toMatchObject({ success: true, created: true });
    const updated = await conn
      .sobject('HubSpot_Sync_Status__c')
      .upsert({ Portal_Id__c: '42', State__c: 'cleared' }, 'Portal_Id__c');
    expect(updated).toMatchObject({
      success: true,
      created: false,
      id: (created as { id: string }).id,
    });
    const event = await conn
      .sobject('Sync_Doctor_Event__e')
      .create({ Portal_Id__c: '42', State__c: 'cleared' });
    expect(event.success).toBe(true);
    expect(sim.publishedEvents.at(-1)!.payload).toMatchObject({ Portal_Id__c: '42' });
  });

  test('errors carry the Salesforce errorCode', async () => {
    await expect(connection().query('SELECT Bogus FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  test('an expired session is refreshed with the refresh token', async () => {
    const conn = new Connection({
      oauth2: { loginUrl: sim.url, clientId: 'sync-doctor', clientSecret: 'unused' },
      instanceUrl: sim.url,
      accessToken: sim.accessToken,
      refreshToken: sim.refreshToken,
      version: '64.0',
    });
    sim.expireSession();
    let refreshed = false;
    conn.on('refresh', () => {
      refreshed = true;
    });
    const result = await conn.query('SELECT COUNT() FROM User');
    expect(result.totalSize).toBe(5);
    expect(refreshed).toBe(true);
    expect(conn.accessToken).not.toBe(sim.accessToken);
  });
});
