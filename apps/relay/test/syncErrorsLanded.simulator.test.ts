import { STATUS_OBJECT, summarizeSyncErrors, type RelayedStatus } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { SYNC_ERRORS_LEFT_OUT, SalesforcePublisher } from '../src/publisher/salesforce.js';
import type { DeliveryTarget } from '../src/publisher/types.js';

// The what-landed check (asked before a delivery whose earlier attempt may have landed is sent
// again) counts the sync errors a status carries: the status landed with other sync errors (an
// export uploaded since) is not "already there". An org without Sync_Errors__c is asked without.

const summary = (field: string) =>
  summarizeSyncErrors(
    {
      rows: 1,
      findings: [
        {
          reason: 'FIELD_PERMISSIONS_MISSING',
          errorType: 'Salesforce field permission',
          object: 'Contact',
          field,
          count: 1,
          example: null,
        },
      ],
    },
    '2026-12-01T09:00:00.000Z',
  );
const before = summary('Industry');
const after = summary('Score__c');

const status = (n: number, portalId: string): RelayedStatus => {
  const at = new Date(Date.UTC(2026, 11, 1, 10, 0, n)).toISOString();
  return {
    portalId,
    state: 'suspended',
    reason: 'FIELD_PERMISSIONS_MISSING',
    title: `#${n}`,
    since: at,
    lastSeenAt: at,
    clearedAt: null,
    source: 'webhook',
    excerpt: null,
    history: [
      {
        at,
        state: 'suspended',
        reason: 'FIELD_PERMISSIONS_MISSING',
        source: 'webhook',
        title: `#${n}`,
      },
    ],
  };
};

function targetOf(sim: OrgSimulator, portalId: string): DeliveryTarget {
  return {
    portalId,
    configVersion: 1,
    portalCreatedAt: '2026-12-01T00:00:00.000Z',
    salesforce: { kind: 'token', instanceUrl: sim.url, accessToken: sim.accessToken },
  };
}

describe('what landed, with sync errors', () => {
  let sim: OrgSimulator;
  beforeAll(async () => {
    sim = await startOrgSimulator({ fixture: 'healthy' });
  });
  afterAll(async () => sim.close());

  it('counts a status as landed only with the sync errors it carries', async () => {
    const publisher = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    const target = targetOf(sim, '7300001');
    const one = status(1, '7300001');
    const two = status(2, '7300001');
    expect(await publisher.publish(target, { ...one, syncErrors: before })).not.toHaveProperty(
      'syncErrorsLeftOut',
    );
    expect(await publisher.isDelivered(target, { ...one, syncErrors: before })).toBe(true);
    expect(await publisher.isDelivered(target, { ...one, syncErrors: after })).toBe(false);
    expect(await publisher.isDelivered(target, { ...one, syncErrors: null })).toBe(false);
    // A status that says nothing of them leaves the field alone: it holds whatever is there.
    expect(await publisher.isDelivered(target, one)).toBe(true);
    // Change 1 landed with the older summary: change 2 carries the newer one, 1 need not go again.
    expect(
      await publisher.landedCount(target, [
        { ...one, syncErrors: after },
        { ...two, syncErrors: after },
      ]),
    ).toBe(1);
    await publisher.publish(target, { ...two, syncErrors: before });
    // The last change landed with the older summary: it goes again to carry the newer one.
    expect(
      await publisher.landedCount(target, [
        { ...one, syncErrors: after },
        { ...two, syncErrors: after },
      ]),
    ).toBe(1);
    expect(
      await publisher.landedCount(target, [
        { ...one, syncErrors: before },
        { ...two, syncErrors: before },
      ]),
    ).toBe(2);
  });
});

describe('what landed, in an org whose package predates Sync_Errors__c', () => {
  let sim: OrgSimulator;
  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      dropColumns: [`${STATUS_OBJECT.name}.${STATUS_OBJECT.fields.syncErrors}`],
    });
  });
  afterAll(async () => sim.close());

  it('delivers without them, says so, and still finds what landed', async () => {
    const target = targetOf(sim, '7300002');
    const one = { ...status(1, '7300002'), syncErrors: before };
    const publisher = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    // Asked first (a relay restarted after a timeout), the check itself degrades.
    expect(await publisher.isDelivered(target, one)).toBe(false);
    expect(await publisher.publish(target, one)).toMatchObject({
      syncErrorsLeftOut: SYNC_ERRORS_LEFT_OUT,
    });
    expect(await publisher.isDelivered(target, one)).toBe(true);
    const batch = await publisher.publishBatch(target, [
      { ...status(2, '7300002'), syncErrors: after },
      { ...status(3, '7300002'), syncErrors: after },
    ]);
    expect(batch).toMatchObject({ syncErrorsLeftOut: SYNC_ERRORS_LEFT_OUT });
    expect(
      sim.records(STATUS_OBJECT.name).find((r) => r[STATUS_OBJECT.fields.portalId] === '7300002'),
    ).toMatchObject({ [STATUS_OBJECT.fields.title]: '#3' });
  });
});
