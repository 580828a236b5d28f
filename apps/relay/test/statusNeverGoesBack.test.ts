import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { RelayedStatus } from '@sync-doctor/core';
import { describeFailure } from '../src/domain/retry.js';
import { SalesforcePublisher } from '../src/publisher/salesforce.js';
import type { DeliveryTarget } from '../src/publisher/types.js';

// HubSpot_Sync_Status__c's validation rule Status_Never_Goes_Back (enforced by the org simulator
// from the metadata) refuses a write carrying a smaller Relay_Sequence__c than the record holds.

const status = (title: string): RelayedStatus => ({
  portalId: '7700001',
  state: 'suspended',
  reason: 'ORG_LOCKED',
  title,
  since: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-01T10:00:00.000Z',
  clearedAt: null,
  source: 'webhook',
  excerpt: null,
  history: [
    {
      at: '2026-12-01T10:00:00.000Z',
      state: 'suspended',
      reason: 'ORG_LOCKED',
      source: 'webhook',
      title,
    },
  ],
});

describe('Relay_Sequence__c', () => {
  let sim: OrgSimulator;
  let target: DeliveryTarget;
  beforeAll(async () => {
    sim = await startOrgSimulator({ fixture: 'healthy' });
    target = {
      portalId: '7700001',
      configVersion: 1,
      portalCreatedAt: '2026-12-01T00:00:00.000Z',
      salesforce: { kind: 'token', instanceUrl: sim.url, accessToken: sim.accessToken },
    };
  });
  afterAll(async () => sim.close());
  const record = () =>
    sim.records('HubSpot_Sync_Status__c').find((r) => r.Portal_Id__c === '7700001')!;

  it('grows with every send, a send of the same change again included', async () => {
    const publisher = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    await publisher.publish(target, status('#1'));
    const first = Number(record().Relay_Sequence__c);
    await publisher.publish(target, status('#1'));
    expect(Number(record().Relay_Sequence__c)).toBeGreaterThan(first);
  });

  it('held larger on the record (another instance, clock ahead): refused retryable, and the next attempt lands above it', async () => {
    const publisher = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    await publisher.publish(target, status('#1'));
    // #2 written by another instance, whose clock is an hour ahead.
    const ahead = Date.now() + 3_600_000;
    const other = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    (other as unknown as { sequences: Map<string, number> }).sequences.set('7700001', ahead);
    await other.publish(target, status('#2'));
    expect(record()).toMatchObject({ Title__c: '#2', Relay_Sequence__c: ahead + 1 });
    const events = () =>
      sim.publishedEvents.filter((e) => e.sobjectType === 'Sync_Doctor_Event__e').length;
    const before = events();
    const refused = await publisher.publish(target, status('#3')).catch((error: unknown) => error);
    const failure = describeFailure(refused);
    expect(failure).toMatchObject({ code: 'SYNC_DOCTOR_STALE_STATUS', retryable: true });
    expect(record().Title__c).toBe('#2');
    expect(events()).toBe(before);
    await publisher.publish(target, status('#3'));
    expect(record()).toMatchObject({ Title__c: '#3', Relay_Sequence__c: ahead + 2 });
    expect(events()).toBe(before + 1);
  });
});

describe('an org whose package predates Relay_Sequence__c', () => {
  let sim: OrgSimulator;
  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      dropColumns: ['HubSpot_Sync_Status__c.Relay_Sequence__c'],
    });
  });
  afterAll(async () => sim.close());

  it('still gets every status, sent without the field (a relay upgraded before the package)', async () => {
    const target: DeliveryTarget = {
      portalId: '7700001',
      configVersion: 1,
      portalCreatedAt: '2026-12-01T00:00:00.000Z',
      salesforce: { kind: 'token', instanceUrl: sim.url, accessToken: sim.accessToken },
    };
    const publisher = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    await publisher.publish(target, status('#1'));
    await publisher.publishBatch(target, [status('#2'), status('#3')]);
    const records = sim
      .records('HubSpot_Sync_Status__c')
      .filter((r) => r.Portal_Id__c === '7700001');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Title__c: '#3' });
    expect(records[0]).not.toHaveProperty('Relay_Sequence__c');
    // Refused once for the field, then sent without it: one event per change, none lost.
    const events = sim.publishedEvents.filter((e) => e.sobjectType === 'Sync_Doctor_Event__e');
    expect(events).toHaveLength(3);
  });
});
