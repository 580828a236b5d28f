import {
  STATUS_OBJECT,
  evaluateAccess,
  validateSnapshot,
  type RelayedStatus,
} from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { InputError } from '../src/errors.js';
import {
  parseStatusRecord,
  publishStatus,
  statusRecordFields,
} from '../src/write/publishStatus.js';

let sim: OrgSimulator;
beforeEach(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
});
afterEach(() => sim.close());

const suspended: RelayedStatus = {
  portalId: '4411223',
  state: 'suspended',
  reason: 'OBJECT_PERMISSIONS_MISSING',
  title: 'Salesforce object permissions missing',
  since: '2026-11-28T08:00:00.000Z',
  lastSeenAt: '2026-11-28T09:00:00.000Z',
  clearedAt: null,
  source: 'email',
  excerpt: 'Your Salesforce integration is suspended',
  history: [
    {
      at: '2026-11-28T08:00:00.000Z',
      state: 'suspended',
      reason: 'OBJECT_PERMISSIONS_MISSING',
      source: 'email',
    },
  ],
};
const other: RelayedStatus = {
  ...suspended,
  portalId: '998877',
  state: 'cleared',
  reason: null,
  title: null,
  clearedAt: '2026-11-28T10:00:00.000Z',
  source: 'manual',
  excerpt: null,
  history: [],
};

const dataRequests = () => sim.requests.filter((r) => r.path.startsWith('/services/data/'));

async function collect(relayedStatus?: { portalId?: string | number }) {
  const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  await publishStatus(conn, suspended);
  await publishStatus(conn, other);
  sim.resetRequests();
  const result = await collectSnapshot(conn, {
    user: sim.integrationUser.Username,
    ...(relayedStatus ? { relayedStatus } : {}),
  });
  expect(dataRequests()).toHaveLength(result.requests);
  // The status never changes what the snapshot says.
  expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
  expect(evaluateAccess(result.snapshot).verdict).toBe('blocked');
  return result;
}

describe('parseStatusRecord', () => {
  it('is the inverse of the writer, and refuses what is no status', () => {
    expect(
      parseStatusRecord({ ...statusRecordFields(suspended), Portal_Id__c: '4411223' }),
    ).toEqual(suspended);
    const f = STATUS_OBJECT.fields;
    const odd = {
      [f.portalId]: '1',
      [f.state]: 'suspected',
      [f.reason]: 'FROM_A_NEWER_RELAY',
      [f.source]: 'carrier-pigeon',
      [f.history]: 'not json',
    };
    expect(parseStatusRecord(odd)).toMatchObject({
      state: 'suspected',
      reason: null,
      source: null,
      history: [],
    });
    expect(parseStatusRecord({ ...odd, [f.state]: 'on-fire' })).toBeNull();
    expect(parseStatusRecord({ [f.state]: 'suspended' })).toBeNull();
  });
});

describe('collectSnapshot with relayedStatus', () => {
  it('reads nothing of it unless asked: the default stays at 3 requests (limits, snapshot, Login History with the connected app)', async () => {
    const result = await collect();
    expect(result.requests).toBe(3);
    expect(result.relayedStatus).toBeUndefined();
    expect(JSON.stringify(sim.requests)).not.toContain(STATUS_OBJECT.name);
  });

  it('reads one portal by external id inside the same composite: still 3 requests', async () => {
    const result = await collect({ portalId: '4411223' });
    expect(result.requests).toBe(3);
    expect(result.rounds).toBe(1);
    expect(result.relayedStatus).toEqual({
      portalId: '4411223',
      records: [{ status: suspended, updatedAt: expect.any(String) }],
    });
  });

  it("reads every portal with a query of its own when both composites' query slots are full (by username): 4 requests, still 1 round", async () => {
    const result = await collect({});
    expect(result.requests).toBe(4);
    expect(result.rounds).toBe(1);
    expect(result.relayedStatus?.unavailable).toBeUndefined();
    expect(
      result.relayedStatus?.records
        .map((r) => r.status)
        .sort((a, b) => a.portalId.localeCompare(b.portalId)),
    ).toEqual([suspended, other].sort((a, b) => a.portalId.localeCompare(b.portalId)));
  });

  it('a portal without a record is no status, not an error', async () => {
    const result = await collect({ portalId: '1234' });
    expect(result.relayedStatus).toEqual({ portalId: '1234', records: [] });
  });

  it('an org without the package object means no relayed status, never a failure', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    expect(sim.org.schema.dropObject(STATUS_OBJECT.name)).toBe(true);
    for (const relayedStatus of [{}, { portalId: '4411223' }]) {
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        relayedStatus,
      });
      expect(result.relayedStatus?.records).toEqual([]);
      if (relayedStatus.portalId === undefined)
        expect(result.relayedStatus?.unavailable).toMatchObject({
          cause: 'absent',
          errorCode: 'INVALID_TYPE',
        });
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
    }
  });

  it('a user who may not read a status field gets no relayed status, never a failure', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await publishStatus(conn, suspended);
    // Field-level security hides a field: Salesforce then answers SOQL naming it with INVALID_FIELD.
    sim.org.schema.dropField(STATUS_OBJECT.name, STATUS_OBJECT.fields.excerpt);
    const result = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      relayedStatus: {},
    });
    expect(result.relayedStatus).toMatchObject({
      records: [],
      unavailable: { cause: 'no-access', errorCode: 'INVALID_FIELD' },
    });
    expect(result.snapshot.user?.Username).toBe(sim.integrationUser.Username);
  });

  it('refuses a portal id that is not one', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    await expect(
      collectSnapshot(conn, { user: 'x@y.z', relayedStatus: { portalId: 'a/b' } }),
    ).rejects.toThrow(/Not a HubSpot portal id/);
  });

  it("takes a portal id given as a number, as HubSpot's own webhook payloads and a JSON config carry it", async () => {
    const result = await collect({ portalId: 4411223 });
    expect(result.requests).toBe(3);
    expect(result.relayedStatus).toEqual({
      portalId: '4411223',
      records: [{ status: suspended, updatedAt: expect.any(String) }],
    });
  });

  it('refuses a portal id of any other kind with an InputError saying what it was, before sending anything', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.resetRequests();
    const cases: Array<[unknown, string]> = [
      [1.5, '1.5'],
      [-3, '-3'],
      // Past 2^53 JSON.parse has already changed the digits: which portal was meant is unknown.
      [2 ** 60, String(2 ** 60)],
      [Number.NaN, 'NaN'],
      [true, 'true'],
      [{ id: 1 }, 'a value of type object'],
      [['4411223'], 'a list'],
      ['', 'an empty value'],
    ];
    for (const [portalId, described] of cases) {
      const error = await collectSnapshot(conn, {
        user: 'x@y.z',
        relayedStatus: { portalId: portalId as string },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(`Not a HubSpot portal id: ${described}`);
    }
    expect(dataRequests()).toEqual([]);
  });
});
