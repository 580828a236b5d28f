import type { RelayStore } from '../src/store/types.js';
import { suspension } from './helpers.js';
import { openRowHolder, type StoreRowHolder } from './rowHolder.js';

// PostgreSQL: a parked delivery resumed while another instance claims the change after it. The
// claim read the portal's head (the later change: the parked one is not pending) and has not
// committed its lease yet; the resume, at READ COMMITTED, does not see that lease and makes the
// parked delivery pending again. The portal then has two heads: the later change, in flight, and
// the parked one, claimed next by anybody. The later change is sent first and, its record refused
// by the head rule, sent once more after the parked one: one change delivered twice.
describe('resuming a parked delivery while a later change is being claimed (PostgreSQL)', () => {
  let rows: StoreRowHolder;
  let store: RelayStore;

  beforeAll(async () => {
    rows = await openRowHolder();
    ({ store } = rows);
  });
  afterAll(() => rows.close());

  /** A portal with three changes, the first claimed and parked (it has no connection): their ids. */
  async function firstParked(portalId: string): Promise<number[]> {
    await store.createPortal({
      id: portalId,
      name: portalId,
      signingSecretSealed: 'sealed-secret',
      inboundTokenHash: `hash-${portalId}`,
      salesforceSealed: null,
    });
    for (const n of [1, 2, 3]) await store.recordSignal(suspension(portalId, n));
    const [first] = await store.claimDeliveries('relay-a#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 1,
    });
    expect(
      await store.awaitConnection(first!.id, 'relay-a#1.1', 'NOT_CONFIGURED', new Date()),
    ).toBe(true);
    const { items } = await store.listDeliveries(portalId, { limit: 10, cursor: null });
    return items.map((d) => d.id).sort((a, b) => a - b);
  }

  async function stateOf(portalId: string, id: number): Promise<string | undefined> {
    const { items } = await store.listDeliveries(portalId, { limit: 10, cursor: null });
    return items.find((d) => d.id === id)?.state;
  }

  test('keeps the parked delivery waiting until the later change is recorded', async () => {
    const [first, second, third] = await firstParked('resume1');

    // Instance B claims the run after it (head: the second change, the first is parked) and, held
    // at the third change's row (this test holds it), has not committed its lease...
    await rows.hold(third!);
    const claiming = store.claimDeliveries('relay-b#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
    });
    await rows.waitedFor('the claim waiting for the third change');
    // ...when a connection is set and what waited for one is resumed (the admin API).
    await store.updatePortal('resume1', { salesforceSealed: 'sealed-sf' });
    const resuming = store.resumeWaitingDeliveries('resume1');
    // (The resume may wait for the claim to commit: then it is done only after the release.)
    await Promise.race([resuming, new Promise((resolve) => setTimeout(resolve, 1000))]);
    await rows.release();
    const claimed = await claiming;
    await resuming;
    expect(claimed.map((d) => d.id)).toEqual([second, third]);

    // The later changes are in flight: the first waits on, so nobody claims it beside them.
    expect(await stateOf('resume1', first!)).toBe('waitingForConnection');
    const beside = await store.claimDeliveries('relay-c#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
    });
    expect(beside).toEqual([]);

    // Recorded, they hold the first's status in their history: the next sweep supersedes it.
    const done = claimed.map((d) => ({ id: d.id, result: {} }));
    expect(await store.completeDeliveries('relay-b#1.1', done)).toHaveLength(2);
    await store.resumeWaitingDeliveries('resume1');
    const after = (await store.listDeliveries('resume1', { limit: 10, cursor: null })).items;
    expect(after.map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(after.find((d) => d.id === first)?.result).toEqual({
      supersededBy: claimed[0]!.changeId,
    });
  });

  test('a claim made while the resume is under way takes nothing beside the resumed delivery', async () => {
    const ids = await firstParked('resume2');
    const first = ids[0]!;
    await store.updatePortal('resume2', { salesforceSealed: 'sealed-sf' });

    // The resume is held at the parked row (this test holds it), not yet committed...
    await rows.hold(first);
    const resuming = store.resumeWaitingDeliveries('resume2');
    await rows.waitedFor('the resume waiting for the parked row');
    // ...when instance B claims: the parked one is not pending as it reads, and the changes after
    // it are the resume's until it commits. It takes none of them.
    const during = await store.claimDeliveries('relay-b#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
    });
    await rows.release();
    expect(await resuming).toBe(1);
    expect(during).toEqual([]);

    // Resumed, the parked one is the head again, and the portal's changes go as one run, in order.
    const next = await store.claimDeliveries('relay-c#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
    });
    expect(next.map((d) => d.id)).toEqual(ids);
  });
});
