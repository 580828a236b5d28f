import { migrate } from '../src/store/migrations.js';
import { DUE_RECOVERIES_SQL } from '../src/store/outboxStore.js';
import { openSqlite } from '../src/store/sqlite.js';
import type { RelayStore } from '../src/store/types.js';
import { STORE_IMPLEMENTATIONS, storedPortal as portal, suspension, tempDir } from './helpers.js';

// The store's part of the automatic re-queue (outbox/recovery.ts), on both databases: a delivery
// given up with a check due, found when due (its portal's newest only), put off or re-queued
// under a compare-and-set on its due time, so two checkers re-queue it once, and re-queued as the
// retry route does (older failed ones superseded by anything newer, never sent over it).
describe.each(STORE_IMPLEMENTATIONS)('outbox automatic re-queue: %s', (name, setup) => {
  let store: RelayStore;
  let cleanup: () => Promise<void>;
  let open: () => Promise<RelayStore>;
  let at = Date.now() + 1000;

  beforeAll(async () => {
    ({ open, cleanup } = await setup());
    store = await open();
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  const claimOne = async (portalId: string) => {
    at += 1000;
    const claimed = (
      await store.claimDeliveries('A', { leaseMs: 60_000, limit: 50, now: new Date(at) })
    ).filter((d) => d.portalId === portalId);
    expect(claimed).toHaveLength(1);
    return claimed[0]!;
  };
  const list = async (portalId: string) =>
    (await store.listDeliveries(portalId, { limit: 20 })).items;

  test('a delivery given up with a check due is found when due, put off, and re-queued once', async () => {
    await store.createPortal(portal('q1'));
    await store.recordSignal(suspension('q1', 1));
    const one = await claimOne('q1');
    const due = new Date(Date.now() - 10);
    expect(await store.failDelivery(one.id, 'A', 'SERVER_UNAVAILABLE (503): down', null, due)).toBe(
      true,
    );
    const [failed] = await list('q1');
    expect(failed).toMatchObject({
      state: 'failed',
      recoverAt: due.toISOString(),
      nextAttemptAt: due.toISOString(),
      recoveries: 0,
    });
    expect(failed!.recoverSince).not.toBeNull();
    expect(await store.dueRecoveries(new Date(due.getTime() - 1), 10)).toEqual([]);
    const [found] = (await store.dueRecoveries(new Date(), 10)).filter((d) => d.portalId === 'q1');
    expect(found!.id).toBe(one.id);

    // Put off: only under the due time it was found with.
    const later = new Date(Date.now() + 60_000);
    expect(await store.postponeRecovery(one.id, found!.recoverAt!, later, 'still down')).toBe(true);
    expect(await store.postponeRecovery(one.id, found!.recoverAt!, later, 'again')).toBe(false);
    expect((await list('q1'))[0]).toMatchObject({
      lastError: 'still down',
      recoverAt: later.toISOString(),
      nextAttemptAt: later.toISOString(),
      recoverSince: failed!.recoverSince,
    });
    expect(await store.recoverRequeue(one.id, found!.recoverAt!, () => 'x')).toBe(0);

    // Two instances finding the check due at once: one takes it.
    const other = name === 'postgres' ? await open() : store;
    try {
      const claims = await Promise.all([
        store.claimRecoveryCheck(one.id, later.toISOString(), new Date(later.getTime() + 1)),
        other.claimRecoveryCheck(one.id, later.toISOString(), new Date(later.getTime() + 1)),
      ]);
      expect(claims.sort()).toEqual([false, true]);
      expect((await list('q1'))[0]!.recoverAt).toBe(new Date(later.getTime() + 1).toISOString());
      expect(await store.claimRecoveryCheck(one.id, later.toISOString(), new Date())).toBe(false);
      // Put back, as if that instance had put the check off to the same time.
      expect(
        await store.postponeRecovery(
          one.id,
          new Date(later.getTime() + 1).toISOString(),
          later,
          'still down',
        ),
      ).toBe(true);
    } finally {
      if (other !== store) await other.close();
    }

    // Two checkers at once (two stores on PostgreSQL): one re-queues.
    const second = name === 'postgres' ? await open() : store;
    try {
      const results = await Promise.all([
        store.recoverRequeue(one.id, later.toISOString(), (e) => `AUTO-RETRY: after ${e}`),
        second.recoverRequeue(one.id, later.toISOString(), (e) => `AUTO-RETRY: after ${e}`),
      ]);
      expect(results.sort()).toEqual([0, 1]);
    } finally {
      if (second !== store) await second.close();
    }
    expect((await list('q1'))[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
      recoveries: 1,
      recoverAt: null,
      lastError: 'AUTO-RETRY: after still down',
    });
    // Failed again: recoverSince kept from the first give-up.
    const again = await claimOne('q1');
    expect(again.recoverSince).toBe(failed!.recoverSince);
    expect(await store.failDelivery(again.id, 'A', 'SERVER_UNAVAILABLE', null, null)).toBe(true);
    expect((await list('q1'))[0]).toMatchObject({
      state: 'failed',
      recoverAt: null,
      recoveries: 1,
    });
    expect((await store.dueRecoveries(new Date(), 10)).filter((d) => d.portalId === 'q1')).toEqual(
      [],
    );
  });

  test('a manual retry starts the automatic re-queue afresh: schedule, count and note reset', async () => {
    await store.createPortal(portal('q3'));
    await store.recordSignal(suspension('q3', 1));
    const one = await claimOne('q3');
    const due = new Date(Date.now() - 10);
    expect(await store.failDelivery(one.id, 'A', 'SERVER_UNAVAILABLE (503): down', null, due)).toBe(
      true,
    );
    expect(await store.recoverRequeue(one.id, due.toISOString(), (e) => `AUTO-RETRY: ${e}`)).toBe(
      1,
    );
    // Failed again once the checks had run for RELAY_OUTBOX_RECOVERY_FOR_MS: no check due.
    const again = await claimOne('q3');
    const ended =
      'SERVER_UNAVAILABLE (503): down [AUTO-RETRY ended: Salesforce did not answer within RELAY_OUTBOX_RECOVERY_FOR_MS; re-queue with POST /v1/admin/portals/q3/deliveries/retry]';
    expect(await store.failDelivery(again.id, 'A', ended, null, null)).toBe(true);
    const [given] = await list('q3');
    expect(given).toMatchObject({ state: 'failed', recoverAt: null, recoveries: 1 });
    const since = Date.parse(given!.recoverSince!);

    expect(await store.retryFailedDeliveries('q3')).toBe(1);
    expect((await list('q3'))[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
      recoverAt: null,
      recoverSince: null,
      recoveries: 0,
      lastError: 'SERVER_UNAVAILABLE (503): down',
    });
    // A later outage is measured from its own give-up, not the first one's.
    while (Date.now() <= since) await new Promise((resolve) => setImmediate(resolve));
    const third = await claimOne('q3');
    const next = new Date(Date.now() - 10);
    expect(await store.failDelivery(third.id, 'A', 'SERVER_UNAVAILABLE', null, next)).toBe(true);
    const [later] = await list('q3');
    expect(Date.parse(later!.recoverSince!)).toBeGreaterThan(since);
    expect(later).toMatchObject({ recoveries: 0, recoverAt: next.toISOString() });
  });

  test("only a portal's newest delivery is due, and a re-queue never sends an older one over a newer", async () => {
    await store.createPortal(portal('q2'));
    for (let n = 1; n <= 3; n++) await store.recordSignal(suspension('q2', n));
    const due = new Date(Date.now() - 10);
    const one = await claimOne('q2');
    expect(await store.failDelivery(one.id, 'A', 'SERVER_UNAVAILABLE', null, due)).toBe(true);
    // The newer changes are still queued: nothing is due for the portal.
    expect((await store.dueRecoveries(new Date(), 10)).filter((d) => d.portalId === 'q2')).toEqual(
      [],
    );
    const two = await claimOne('q2');
    expect(await store.completeDelivery(two.id, 'A', { id: 'a01' })).toBe(true);
    const three = await claimOne('q2');
    expect(await store.failDelivery(three.id, 'A', 'SERVER_UNAVAILABLE', null, due)).toBe(true);
    const dueNow = (await store.dueRecoveries(new Date(), 10)).filter((d) => d.portalId === 'q2');
    expect(dueNow.map((d) => d.id)).toEqual([three.id]);
    // One, the older, still due by itself: not the portal's newest, so not re-queued.
    expect(await store.recoverRequeue(one.id, due.toISOString(), () => 'x')).toBe(0);
    expect(await store.recoverRequeue(three.id, due.toISOString(), () => 'AUTO-RETRY')).toBe(1);
    const byId = new Map((await list('q2')).map((d) => [d.id, d]));
    expect(byId.get(one.id)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: two.changeId },
    });
    expect(byId.get(two.id)!.state).toBe('delivered');
    expect(byId.get(three.id)).toMatchObject({ state: 'pending', recoveries: 1 });
  });
});

test('the due checks are found through the index of the undelivered rows, never by scanning the outbox (SQLite)', async () => {
  const dir = tempDir();
  const db = openSqlite(dir.path);
  try {
    await migrate(db);
    const plan = (
      await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${DUE_RECOVERIES_SQL}`, [0, 1])
    ).map((row) => row.detail);
    expect(plan.filter((detail) => /^SCAN o\b/.test(detail))).toEqual([]);
    expect(plan).toContainEqual(expect.stringMatching(/USING .*INDEX outbox_undelivered/));
  } finally {
    await db.close();
    dir.remove();
  }
});
