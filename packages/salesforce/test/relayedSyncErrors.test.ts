import {
  STATUS_OBJECT,
  summarizeSyncErrors,
  syncErrorFieldNames,
  type RelayedStatus,
} from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { lacksSyncErrorsColumn, statusSubRequest } from '../src/collect/relayedStatus.js';
import { connect } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import { sendRest } from '../src/transport.js';
import {
  parseStatusRecord,
  publishStatus,
  refusedStatusField,
  statusRecordFields,
} from '../src/write/publishStatus.js';

// Sync_Errors__c on the status record: written only when a status says something of sync errors,
// read back as the core's summary, and an org whose package predates the column still reads and
// takes the rest of the status.

const f = STATUS_OBJECT.fields;
const syncErrors = summarizeSyncErrors(
  {
    rows: 7,
    findings: [
      {
        reason: 'FIELD_PERMISSIONS_MISSING',
        errorType: 'Field permission',
        object: 'Contact',
        field: 'Industry__c',
        count: 5,
        example: 'No access to field Industry__c',
      },
      {
        reason: null,
        errorType: 'Duplicate',
        object: 'Contact',
        field: null,
        count: 2,
        example: null,
      },
    ],
  },
  '2026-12-01T09:00:00.000Z',
);

const status: RelayedStatus = {
  portalId: '5500001',
  state: 'suspended',
  reason: 'FIELD_PERMISSIONS_MISSING',
  title: 'Field permissions missing',
  since: '2026-12-01T08:00:00.000Z',
  lastSeenAt: '2026-12-01T08:00:00.000Z',
  clearedAt: null,
  source: 'webhook',
  excerpt: null,
  history: [
    {
      at: '2026-12-01T08:00:00.000Z',
      state: 'suspended',
      reason: 'FIELD_PERMISSIONS_MISSING',
      source: 'webhook',
    },
  ],
};

describe('statusRecordFields and parseStatusRecord: Sync_Errors__c', () => {
  it('writes the summary as JSON, null clears it, and a status that says nothing leaves it out', () => {
    expect(JSON.parse(String(statusRecordFields({ ...status, syncErrors })[f.syncErrors]))).toEqual(
      syncErrors,
    );
    const cleared = statusRecordFields({ ...status, syncErrors: null });
    expect(cleared).toHaveProperty(f.syncErrors, null);
    expect(statusRecordFields(status)).not.toHaveProperty(f.syncErrors);
  });

  it('reads the JSON back as the summary, and none (or a damaged one) as no sync errors', () => {
    const record = { ...statusRecordFields({ ...status, syncErrors }), [f.portalId]: '5500001' };
    expect(parseStatusRecord(record)?.syncErrors).toEqual(syncErrors);
    expect(parseStatusRecord({ ...record, [f.syncErrors]: null })).not.toHaveProperty('syncErrors');
    expect(parseStatusRecord({ ...record, [f.syncErrors]: '{not json' })).not.toHaveProperty(
      'syncErrors',
    );
  });
});

describe('an org with Sync_Errors__c', () => {
  let sim: OrgSimulator;
  beforeAll(async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
  });
  afterAll(() => sim.close());

  it('holds what publishStatus wrote, a later status without sync errors keeps them, and the collector reads them', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await publishStatus(conn, { ...status, syncErrors });
    await publishStatus(conn, { ...status, title: 'later' });
    const record = sim.records(STATUS_OBJECT.name).find((r) => r[f.portalId] === '5500001')!;
    expect(record[f.title]).toBe('later');
    // A HubSpot contact's field: on Contact or Lead, whichever the org has.
    expect(syncErrorFieldNames(String(record[f.syncErrors]))).toEqual([
      'Contact.Industry__c',
      'Lead.Industry__c',
    ]);
    for (const relayedStatus of [{}, { portalId: '5500001' }]) {
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        relayedStatus,
      });
      expect(result.relayedStatus?.unavailable).toBeUndefined();
      expect(result.relayedStatus?.records[0]?.status.syncErrors).toEqual(syncErrors);
    }
  });
});

describe('an org whose package predates Sync_Errors__c', () => {
  let sim: OrgSimulator;
  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      port: 0,
      dropColumns: [`${STATUS_OBJECT.name}.${f.syncErrors}`],
    });
  });
  afterAll(() => sim.close());

  it('refuses a write naming the column with an error refusedStatusField recognizes, and takes the status without it', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const refused = await publishStatus(conn, { ...status, syncErrors }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SalesforceError);
    expect(refusedStatusField(refused, f.syncErrors)).toBe(true);
    expect(refusedStatusField(refused, f.relaySequence)).toBe(false);
    await publishStatus(conn, status);
    expect(sim.records(STATUS_OBJECT.name).find((r) => r[f.portalId] === '5500001')).toBeDefined();
  });

  it("asks one portal's record without naming columns, where naming Sync_Errors__c is refused", async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await publishStatus(conn, status);
    const url = statusSubRequest('one', '5500001').url;
    expect(url).not.toContain('fields=');
    // What the read would meet if it named its columns: Salesforce's 400 INVALID_FIELD.
    const named = await sendRest<unknown>(conn, {
      method: 'GET',
      url: `${url}?fields=${f.portalId},${f.syncErrors}`,
    }).catch((e: unknown) => e);
    expect(named).toBeInstanceOf(SalesforceError);
    expect((named as SalesforceError).errorCode).toBe('INVALID_FIELD');
    const unnamed = await sendRest<Record<string, unknown>>(conn, { method: 'GET', url });
    expect(unnamed[f.portalId]).toBe('5500001');
    expect(f.syncErrors in unnamed).toBe(false);
  });

  it("still reads one portal's status, and every portal's once asked again without the column", async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await publishStatus(conn, status);
    const one = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      relayedStatus: { portalId: '5500001' },
    });
    expect(one.relayedStatus?.unavailable).toBeUndefined();
    expect(one.relayedStatus?.records[0]?.status).toEqual(status);

    const all = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      relayedStatus: {},
    });
    expect(all.relayedStatus?.unavailable).toBeUndefined();
    expect(all.relayedStatus?.records.map((r) => r.status)).toEqual([status]);
    expect(lacksSyncErrorsColumn(all.relayedStatus!)).toBe(false);

    // The read again costs one request and one round more than on an org with the column.
    const current = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    try {
      const currentConn = await connect({
        instanceUrl: current.url,
        accessToken: current.accessToken,
      });
      await publishStatus(currentConn, status);
      const withColumn = await collectSnapshot(currentConn, {
        user: current.integrationUser.Username,
        relayedStatus: {},
      });
      expect(withColumn.relayedStatus?.records.map((r) => r.status)).toEqual([status]);
      expect(all.requests).toBe(withColumn.requests + 1);
      expect(all.rounds).toBe(withColumn.rounds + 1);
    } finally {
      await current.close();
    }
  });
});
