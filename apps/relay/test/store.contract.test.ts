import type { Signal } from '../src/domain/signal.js';
import { createStore } from '../src/store/index.js';
import { alertStoreOf } from '../src/store/alertStore.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import {
  PortalExistsError,
  PortalGoneError,
  type RecordResult,
  type RelayStore,
} from '../src/store/types.js';
import {
  POSTGRES_URL,
  STORE_IMPLEMENTATIONS,
  postgresSchema,
  storedPortal as portal,
  suspension,
} from './helpers.js';

// One contract, every implementation: SQLite (embedded default) and PostgreSQL (several instances).
describe.each(STORE_IMPLEMENTATIONS)('RelayStore contract: %s', (_name, setup) => {
  let store: RelayStore;
  let open: () => Promise<RelayStore>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ open, cleanup } = await setup());
    store = await open();
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  /**
   * A store with nothing in memory, on the same data. SQLite's file belongs to one store at a
   * time (a second open is refused), so the suite's store is closed and replaced by the new one.
   */
  const reopen = async (): Promise<RelayStore> => {
    await store.close();
    store = await open();
    return store;
  };

  test('migrations are versioned and idempotent: reopening applies nothing twice', async () => {
    expect(await store.schemaVersion()).toBe(16);
    const again = await reopen();
    expect(await again.schemaVersion()).toBe(16);
    await again.ping();
  });

  test('portals: create, read, update, find by token hash, duplicate id refused', async () => {
    const created = await store.createPortal(portal('p1'));
    expect(created).toMatchObject({ id: 'p1', name: 'Portal p1', salesforceVersion: 0 });
    await expect(store.createPortal(portal('p1'))).rejects.toBeInstanceOf(PortalExistsError);
    expect(await store.getPortal('nope')).toBeNull();
    const updated = await store.updatePortal('p1', { salesforceSealed: 'sealed-sf' });
    expect(updated).toMatchObject({
      salesforceSealed: 'sealed-sf',
      salesforceVersion: 1,
      signingSecretSealed: 'sealed-secret',
    });
    expect((await store.findPortalByInboundTokenHash('hash-p1'))?.id).toBe('p1');
    expect(await store.findPortalByInboundTokenHash('hash-zz')).toBeNull();
    expect(await store.updatePortal('nope', { name: 'x' })).toBeNull();
    expect((await store.listPortals()).map((p) => p.id)).toContain('p1');
  });

  test('portals: the sender policy is off until set, kept through other changes and a reopen, and cleared with null', async () => {
    const created = await store.createPortal(portal('policy1'));
    expect(created.senderPolicy).toBeNull();
    const policy = { authservIds: ['mx.google.com'], domains: ['hubspot.com', 'example.com'] };
    expect((await store.updatePortal('policy1', { senderPolicy: policy }))?.senderPolicy).toEqual(
      policy,
    );
    // A patch that does not name it (a rotated token, a connection) keeps it.
    await store.updatePortal('policy1', { inboundTokenHash: 'hash-policy1-b' });
    await store.updatePortal('policy1', { salesforceSealed: 'sealed' });
    const reopened = await reopen();
    expect((await reopened.getPortal('policy1'))?.senderPolicy).toEqual(policy);
    expect((await reopened.findPortalByInboundTokenHash('hash-policy1-b'))?.senderPolicy).toEqual(
      policy,
    );
    expect((await reopened.listPortals()).find((p) => p.id === 'policy1')?.senderPolicy).toEqual(
      policy,
    );
    expect(
      (await reopened.updatePortal('policy1', { senderPolicy: null }))?.senderPolicy,
    ).toBeNull();
    expect((await reopened.getPortal('policy1'))?.senderPolicy).toBeNull();
  });

  test('recordSignal stores change, status and outbox entry; a repeated eventId changes nothing', async () => {
    await store.createPortal(portal('p2'));
    const first = await store.recordSignal(suspension('p2', 1));
    expect(first.duplicate).toBe(false);
    expect(first.status).toMatchObject({
      portalId: 'p2',
      state: 'suspended',
      reason: 'API_LIMIT_EXCEEDED',
      since: first.change.occurredAt,
    });
    expect(await store.getChange('p2', first.change.id)).toEqual(first.change);
    expect(await store.getChange('other', first.change.id)).toBeNull();
    const again = await store.recordSignal(suspension('p2', 1, { title: 'changed' }));
    expect(again.duplicate).toBe(true);
    expect(again.change.id).toBe(first.change.id);
    const page = await store.listChanges('p2', { limit: 10 });
    expect(page.items).toHaveLength(1);
    const deliveries = await store.listDeliveries('p2', { limit: 10 });
    expect(deliveries.items).toHaveLength(1);
    expect(deliveries.items[0]).toMatchObject({
      state: 'pending',
      changeId: first.change.id,
      attempts: 0,
    });
  });

  test('status follows signals: same reason keeps since, clear keeps what was cleared', async () => {
    await store.createPortal(portal('p3'));
    const a = await store.recordSignal(suspension('p3', 1));
    const b = await store.recordSignal(suspension('p3', 2));
    expect(b.status.since).toBe(a.status.since);
    expect(b.status.lastSeenAt).toBe(b.change.occurredAt);
    const c = await store.recordSignal(
      suspension('p3', 3, { state: 'cleared', reason: null, source: 'manual', eventId: null }),
    );
    expect(c.status).toMatchObject({
      state: 'cleared',
      reason: 'API_LIMIT_EXCEEDED',
      clearedAt: c.change.occurredAt,
    });
    expect((await store.getStatus('p3'))?.history.map((h) => h.state)).toEqual([
      'cleared',
      'suspended',
      'suspended',
    ]);
    expect(await store.getStatus('nobody')).toBeNull();
  });

  test('history pages newest first with an opaque cursor', async () => {
    await store.createPortal(portal('p4'));
    for (let n = 1; n <= 5; n++) await store.recordSignal(suspension('p4', n));
    const first = await store.listChanges('p4', { limit: 2 });
    expect(first.items.map((c) => c.title)).toEqual(['event 5', 'event 4']);
    const second = await store.listChanges('p4', { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((c) => c.title)).toEqual(['event 3', 'event 2']);
    const third = await store.listChanges('p4', { limit: 2, cursor: second.nextCursor });
    expect(third.items.map((c) => c.title)).toEqual(['event 1']);
    expect(third.nextCursor).toBeNull();
    await expect(store.listChanges('p4', { limit: 2, cursor: 'garbage' })).rejects.toThrow(
      /cursor/,
    );
  });

  test('alert deliveries page newest first with the cursor, and filter by status', async () => {
    await store.createPortal(portal('pa'));
    await store.recordSignal(suspension('pa', 1));
    const [change] = (await store.listChanges('pa', { limit: 1 })).items;
    const alerts = alertStoreOf(store);
    await alerts.createAlertTarget({
      id: 't-pa',
      portalId: 'pa',
      kind: 'webhook',
      targetSealed: 'sealed-target',
      summary: {},
    });
    const alert = (n: number) => ({
      portalId: 'pa',
      targetId: 't-pa',
      changeId: change!.id,
      dedupKey: `k${n}`,
      message: { headline: `alert ${n}` },
    });
    expect(await alerts.enqueueAlerts([alert(1), alert(2), alert(3)], null)).toBe(3);
    // The oldest is given up, so one of the three is 'failed'.
    const [oldest] = await alerts.claimAlerts('A', { leaseMs: 60_000, limit: 1 });
    expect(oldest?.dedupKey).toBe('k1');
    expect(await alerts.failAlert(oldest!.id, 'A', 'refused', null)).toBe(true);

    const keys = (page: { items: { dedupKey: string }[] }) => page.items.map((a) => a.dedupKey);
    const first = await alerts.listAlertDeliveries('pa', { limit: 2 });
    expect(keys(first)).toEqual(['k3', 'k2']);
    const second = await alerts.listAlertDeliveries('pa', { limit: 2, cursor: first.nextCursor });
    expect(keys(second)).toEqual(['k1']);
    expect(second.nextCursor).toBeNull();
    const failed = await alerts.listAlertDeliveries('pa', { limit: 2, status: 'failed' });
    expect(failed.items).toMatchObject([
      { dedupKey: 'k1', status: 'failed', lastError: 'refused' },
    ]);
    expect(failed.nextCursor).toBeNull();
    expect(keys(await alerts.listAlertDeliveries('pa', { limit: 5, status: 'pending' }))).toEqual([
      'k3',
      'k2',
    ]);
  });

  test('a page limit that is not a positive safe integer is refused before any SQL, on every list', async () => {
    await store.createPortal(portal('lim1'));
    await store.recordSignal(suspension('lim1', 1));
    const alerts = alertStoreOf(store);
    const lists: ((limit: number) => Promise<unknown>)[] = [
      (limit) => store.listChanges('lim1', { limit }),
      (limit) => store.listDeliveries('lim1', { limit }),
      (limit) => alerts.listAlertDeliveries('lim1', { limit }),
    ];
    for (const list of lists) {
      for (const limit of [
        Infinity,
        -Infinity,
        NaN,
        2.5,
        0,
        -1,
        Number.MAX_SAFE_INTEGER + 1,
        1e300,
      ]) {
        await expect(list(limit)).rejects.toMatchObject({
          name: 'InvalidPageLimitError',
          message: `a page limit must be a positive safe integer, not ${String(limit)}`,
        });
      }
      // The largest page the API asks for, and one, still read.
      await expect(list(200)).resolves.toMatchObject({ nextCursor: null });
      await expect(list(1)).resolves.toBeDefined();
    }
    // The store still answers after the refusals.
    expect((await store.listChanges('lim1', { limit: 5 })).items).toHaveLength(1);
  });

  test('outbox: only the head of each portal is claimed, leases exclude other owners, order holds through retries', async () => {
    await store.createPortal(portal('q1'));
    await store.createPortal(portal('q2'));
    for (let n = 1; n <= 3; n++) await store.recordSignal(suspension('q1', n));
    await store.recordSignal(suspension('q2', 1));
    const now = new Date(Date.now() + 1000);
    const claimedA = (await store.claimDeliveries('A', { leaseMs: 60_000, limit: 10, now })).filter(
      (d) => d.portalId.startsWith('q'),
    );
    expect(claimedA.map((d) => [d.portalId, d.status.title])).toEqual([
      ['q1', 'event 1'],
      ['q2', 'event 1'],
    ]);
    // B sees nothing of q1/q2: heads are leased, later ones wait behind them.
    const claimedB = (await store.claimDeliveries('B', { leaseMs: 60_000, limit: 10, now })).filter(
      (d) => d.portalId.startsWith('q'),
    );
    expect(claimedB).toEqual([]);
    const [q1head, q2head] = claimedA;
    // A wrong owner cannot complete; the right one can.
    expect(await store.completeDelivery(q1head!.id, 'B', {})).toBe(false);
    expect(await store.completeDelivery(q1head!.id, 'A', { id: 'x' })).toBe(true);
    // q2's head fails with a retry later: q2 is blocked until then, q1 moves on.
    expect(
      await store.failDelivery(
        q2head!.id,
        'A',
        'SERVER_UNAVAILABLE',
        new Date(now.getTime() + 5000),
      ),
    ).toBe(true);
    const next = (await store.claimDeliveries('B', { leaseMs: 60_000, limit: 10, now })).filter(
      (d) => d.portalId.startsWith('q'),
    );
    expect(next.map((d) => [d.portalId, d.status.title])).toEqual([['q1', 'event 2']]);
    const later = (
      await store.claimDeliveries('B', {
        leaseMs: 60_000,
        limit: 10,
        now: new Date(now.getTime() + 6000),
      })
    ).filter((d) => d.portalId === 'q2');
    expect(later.map((d) => [d.status.title, d.attempts])).toEqual([['event 1', 2]]);
  });

  test('outbox: an expired lease is claimed again (crash recovery); failed deliveries can be re-queued', async () => {
    await store.createPortal(portal('r1'));
    await store.recordSignal(suspension('r1', 1));
    const now = new Date(Date.now() + 1000);
    const [first] = (await store.claimDeliveries('dead', { leaseMs: 100, limit: 50, now })).filter(
      (d) => d.portalId === 'r1',
    );
    expect(first).toBeDefined();
    const [again] = (
      await store.claimDeliveries('alive', {
        leaseMs: 100,
        limit: 50,
        now: new Date(now.getTime() + 200),
      })
    ).filter((d) => d.portalId === 'r1');
    expect(again?.id).toBe(first!.id);
    expect(await store.completeDelivery(first!.id, 'dead', {})).toBe(false);
    expect(await store.failDelivery(again!.id, 'alive', 'NOT_CONFIGURED', null)).toBe(true);
    expect((await store.listDeliveries('r1', { limit: 5, state: 'failed' })).items).toHaveLength(1);
    expect(await store.retryFailedDeliveries('r1')).toBe(1);
    expect(
      (await store.listDeliveries('r1', { limit: 5, state: 'pending' })).items[0]?.attempts,
    ).toBe(0);
    const counts = await store.countDeliveries();
    expect(counts.pending).toBeGreaterThan(0);
  });

  test('outbox: a delivery given up is superseded once a later change of its portal is delivered: nothing waits for a person', async () => {
    await store.createPortal(portal('r3'));
    for (let n = 1; n <= 3; n++) await store.recordSignal(suspension('r3', n));
    let at = Date.now() + 1000;
    const claim = async () => {
      at += 1000;
      return (
        await store.claimDeliveries('A', { leaseMs: 60_000, limit: 50, now: new Date(at) })
      ).filter((d) => d.portalId === 'r3');
    };
    const [one] = await claim();
    expect(await store.failDelivery(one!.id, 'A', 'FIELD_INTEGRITY_EXCEPTION: bad', null)).toBe(
      true,
    );
    const [two] = await claim();
    expect(await store.failDelivery(two!.id, 'A', 'SERVER_UNAVAILABLE', null)).toBe(true);
    const failed = async () =>
      (await store.listDeliveries('r3', { limit: 10, state: 'failed' })).items.length;
    expect(await failed()).toBe(2);
    const [three] = await claim();
    expect(await store.completeDelivery(three!.id, 'A', { id: 'a01' })).toBe(true);
    // Salesforce now holds change 3's status, whose history has changes 1 and 2.
    expect(await failed()).toBe(0);
    const byChange = new Map(
      (await store.listDeliveries('r3', { limit: 10 })).items.map((d) => [d.changeId, d]),
    );
    for (const given of [one!, two!])
      expect(byChange.get(given.changeId)).toMatchObject({
        state: 'delivered',
        result: { supersededBy: three!.changeId },
        lastError: expect.stringMatching(/FIELD_INTEGRITY_EXCEPTION|SERVER_UNAVAILABLE/),
      });
    expect(await store.retryFailedDeliveries('r3')).toBe(0);
  });

  test('outbox: resendLatest re-queues the newest delivery, once delivered, after the connection changed', async () => {
    await store.createPortal(portal('r4'));
    for (let n = 1; n <= 2; n++) await store.recordSignal(suspension('r4', n));
    let at = Date.now() + 1000;
    const claim = async () => {
      at += 1000;
      return (
        await store.claimDeliveries('A', {
          leaseMs: 60_000,
          limit: 50,
          perPortal: 5,
          now: new Date(at),
        })
      ).filter((d) => d.portalId === 'r4');
    };
    const newest = async () => (await store.listDeliveries('r4', { limit: 1 })).items[0]!;
    const resend = (sentWithVersion?: number) =>
      store.resendLatest('r4', { at: new Date(at), sentWithVersion });
    // Claimed and in flight: nothing to resend yet.
    const run = await claim();
    expect(run.map((d) => d.status.title)).toEqual(['event 1', 'event 2']);
    expect(await resend()).toBe(false);
    for (const d of run) expect(await store.completeDelivery(d.id, 'A', { id: 'a01' })).toBe(true);
    // No connection: nothing to send to.
    expect(await resend()).toBe(false);
    const v1 = (await store.updatePortal('r4', { salesforceSealed: 'sealed-sf' }))!
      .salesforceVersion;
    expect(await resend()).toBe(true);
    expect(await newest()).toMatchObject({
      state: 'pending',
      attempts: 0,
      lastError: expect.stringMatching(/^RESEND: /),
    });
    expect((await store.listDeliveries('r4', { limit: 5, state: 'delivered' })).items).toHaveLength(
      1,
    );
    const [again] = await claim();
    expect(again!.status.title).toBe('event 2');
    expect(await store.completeDelivery(again!.id, 'A', { id: 'a01' })).toBe(true);
    // Sent with the connection the portal still has: nothing to do.
    expect(await resend(v1)).toBe(false);
    await store.updatePortal('r4', { salesforceSealed: 'sealed-sf-2' });
    expect(await resend(v1)).toBe(true);
    expect((await claim()).map((d) => d.status.title)).toEqual(['event 2']);
  });

  test('outbox: carrySyncErrors re-queues the newest delivery once delivered without the newest report, once', async () => {
    await store.createPortal(portal('r9'));
    const carry = (carried?: number) =>
      store.carrySyncErrors('r9', carried === undefined ? {} : { carried });
    // No report: nothing to carry.
    expect(await carry()).toBeNull();
    const first = await store.saveSyncErrorReport('r9', { rows: 1, findings: [] });
    expect(await store.latestSyncErrorReportId('r9')).toEqual({
      id: first.id,
      receivedAt: first.receivedAt,
    });
    expect(await carry()).toBe('no-connection');
    await store.updatePortal('r9', { salesforceSealed: 'sealed-sf' });
    expect(await carry()).toBe('waits-for-first-status');
    await store.recordSignal(suspension('r9', 1));
    // Queued (or in flight): it carries the newest report when it is sent.
    expect(await carry()).toBe('queued');
    let at = Date.now() + 1000;
    const claim = async () => {
      at += 1000;
      return (
        await store.claimDeliveries('A', { leaseMs: 60_000, limit: 50, now: new Date(at) })
      ).filter((d) => d.portalId === 'r9');
    };
    const [sent] = await claim();
    expect(await carry()).toBe('queued');
    expect(
      await store.completeDelivery(sent!.id, 'A', { id: 'a01', syncErrorsReportId: first.id }),
    ).toBe(true);
    // Delivered with it: nothing to do, and a delivery that carried the newest asks nothing.
    expect(await carry()).toBe('delivered');
    expect(await carry(first.id)).toBeNull();
    const second = await store.saveSyncErrorReport('r9', { rows: 2, findings: [] });
    expect(await carry(first.id)).toBe('queued');
    const newest = (await store.listDeliveries('r9', { limit: 1 })).items[0]!;
    expect(newest).toMatchObject({
      id: sent!.id,
      state: 'pending',
      attempts: 0,
      lastError: expect.stringMatching(/^RESEND: HubSpot's sync errors/),
    });
    // Asked again (another instance, the upload's own check): already pending, not twice.
    expect(await carry()).toBe('queued');
    const [again] = await claim();
    expect(again?.id).toBe(sent!.id);
    expect(await claim()).toEqual([]);
    expect(
      await store.completeDelivery(again!.id, 'A', { id: 'a01', syncErrorsReportId: second.id }),
    ).toBe(true);
    expect(await carry()).toBe('delivered');
    await store.saveSyncErrorReport('r9', { rows: 3, findings: [] });
    await store.recordSignal(suspension('r9', 2));
    const [failing] = await claim();
    expect(await store.failDelivery(failing!.id, 'A', 'refused', null)).toBe(true);
    expect(await carry()).toBe('waits-for-retry');
    expect(await store.carrySyncErrors('nope')).toBeNull();
  });

  test('outbox: resendLatest asked late, after the newest status already went to the new connection, queues nothing more', async () => {
    await store.createPortal(portal('r5'));
    await store.recordSignal(suspension('r5', 1));
    const v1 = (await store.updatePortal('r5', { salesforceSealed: 'sealed-org-1' }))!
      .salesforceVersion;
    let at = Date.now() + 1000;
    const deliverNewest = async (sentWithVersion: number) => {
      at += 1000;
      const [delivery] = (
        await store.claimDeliveries('A', { leaseMs: 60_000, limit: 50, now: new Date(at) })
      ).filter((d) => d.portalId === 'r5');
      expect(delivery!.status.title).toBe('event 1');
      expect(await store.completeDelivery(delivery!.id, 'A', { id: 'a01' }, sentWithVersion)).toBe(
        true,
      );
    };
    // Delivered with the first connection; the admin then sets another, which queues it again,
    // and it goes to the new connection.
    await deliverNewest(v1);
    const v2 = (await store.updatePortal('r5', { salesforceSealed: 'sealed-org-2' }))!
      .salesforceVersion;
    expect(await store.resendLatest('r5', { at: new Date(at) })).toBe(true);
    await deliverNewest(v2);
    // The first delivery's own check, held up past that (a stalled database), finds the
    // connection changed since it was sent; the newest status is already there.
    expect(await store.resendLatest('r5', { at: new Date(at), sentWithVersion: v1 })).toBe(false);
    // Asked without a version (as a connection being set asks), it finds the status there too;
    // after another connection is set, the check resends.
    expect(await store.resendLatest('r5', { at: new Date(at) })).toBe(false);
    await store.updatePortal('r5', { salesforceSealed: 'sealed-org-3' });
    expect(await store.resendLatest('r5', { at: new Date(at), sentWithVersion: v2 })).toBe(true);
  });

  test('outbox: re-queuing failed deliveries never sends a status older than one delivered or queued after it', async () => {
    await store.createPortal(portal('r2'));
    for (let n = 1; n <= 4; n++) await store.recordSignal(suspension('r2', n));
    let at = Date.now() + 1000;
    const claim = async () => {
      at += 1000;
      return (
        await store.claimDeliveries('A', { leaseMs: 60_000, limit: 50, now: new Date(at) })
      ).filter((d) => d.portalId === 'r2');
    };
    // Change 1 is given up (a permanent error, or its attempts ran out in an outage); change 2
    // is delivered after it; change 3 is given up; change 4 waits for its retry.
    const [one] = await claim();
    expect(await store.failDelivery(one!.id, 'A', 'FIELD_INTEGRITY_EXCEPTION', null)).toBe(true);
    const [two] = await claim();
    expect(two!.status.title).toBe('event 2');
    expect(await store.completeDelivery(two!.id, 'A', { id: 'a01' })).toBe(true);
    const [three] = await claim();
    expect(await store.failDelivery(three!.id, 'A', 'FIELD_INTEGRITY_EXCEPTION', null)).toBe(true);
    const [four] = await claim();
    expect(await store.failDelivery(four!.id, 'A', 'SERVER_UNAVAILABLE', new Date(at + 500))).toBe(
      true,
    );
    // Salesforce holds change 2's status (whose history has change 1) and change 4's is on its
    // way: sending change 1's or 3's again would put an older status over a newer one.
    expect(await store.retryFailedDeliveries('r2')).toBe(0);
    const shown = Object.fromEntries(
      (await store.listDeliveries('r2', { limit: 10 })).items.map((d) => [
        d.changeId,
        { state: d.state, result: d.result },
      ]),
    );
    expect(shown[one!.changeId]).toEqual({
      state: 'delivered',
      result: { supersededBy: two!.changeId },
    });
    expect(shown[three!.changeId]).toEqual({
      state: 'delivered',
      result: { supersededBy: four!.changeId },
    });
    expect(shown[four!.changeId]!.state).toBe('pending');
    expect((await claim()).map((d) => d.status.title)).toEqual(['event 4']);
    // The newest change given up is re-queued: nothing newer carries its status.
    const [last] = (await store.listDeliveries('r2', { limit: 1 })).items;
    expect(await store.failDelivery(last!.id, 'A', 'FIELD_INTEGRITY_EXCEPTION', null)).toBe(true);
    expect(await store.retryFailedDeliveries('r2')).toBe(1);
    expect((await claim()).map((d) => d.status.title)).toEqual(['event 4']);
  });
  test('outbox: a delivery is parked only while its portal has no connection; resuming takes only portals that have one', async () => {
    await store.createPortal(portal('w1'));
    await store.createPortal({ ...portal('w2'), salesforceSealed: 'sealed-sf' });
    await store.recordSignal(suspension('w1', 1));
    await store.recordSignal(suspension('w2', 1));
    const before = await store.countDeliveries();
    const now = new Date(Date.now() + 1000);
    const claimed = (await store.claimDeliveries('W', { leaseMs: 60_000, limit: 500, now })).filter(
      (d) => d.portalId.startsWith('w'),
    );
    expect(claimed).toHaveLength(2);
    const retryAt = new Date(Date.now() + 2000);
    for (const d of claimed)
      expect(await store.awaitConnection(d.id, 'W', 'NOT_CONFIGURED: none', retryAt)).toBe(true);
    // w2 has a connection in the store (the caller's cache was stale): back to pending, due later.
    expect((await store.listDeliveries('w1', { limit: 5 })).items[0]).toMatchObject({
      state: 'waitingForConnection',
      attempts: 0,
      leaseOwner: null,
      lastError: 'NOT_CONFIGURED: none',
    });
    expect((await store.listDeliveries('w2', { limit: 5 })).items[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
      leaseOwner: null,
      nextAttemptAt: retryAt.toISOString(),
    });
    expect(
      (await store.listDeliveries('w1', { limit: 5, state: 'waitingForConnection' })).items,
    ).toHaveLength(1);
    const after = await store.countDeliveries();
    expect(after.waitingForConnection - before.waitingForConnection).toBe(1);
    expect(after.failed).toBe(before.failed);
    expect(await store.resumeWaitingDeliveries('w1')).toBe(0);
    await store.updatePortal('w1', { salesforceSealed: 'sealed-sf' });
    expect(await store.resumeWaitingDeliveries('w2')).toBe(0);
    expect(await store.resumeWaitingDeliveries()).toBeGreaterThanOrEqual(1);
    expect((await store.listDeliveries('w1', { limit: 5 })).items[0]).toMatchObject({
      state: 'pending',
    });
  });

  // Change 2 is claimed while change 1 waits for the connection; the connection is set before
  // B looks it up, so B sends change 2. Resumed, change 1 would put its older status over change
  // 2's once that is recorded, or be a second head of the portal beside B's run while it is in
  // flight: it waits on until change 2 is recorded, then is superseded by it.
  test('outbox: a parked delivery is not resumed behind a later change in flight, and is superseded once that is delivered', async () => {
    await store.createPortal(portal('w3'));
    await store.recordSignal(suspension('w3', 1));
    const at = Date.now() + 1000;
    const claim = async (owner: string, offset: number) =>
      (
        await store.claimDeliveries(owner, {
          leaseMs: 60_000,
          limit: 500,
          now: new Date(at + offset),
        })
      ).filter((d) => d.portalId === 'w3');
    const states = async () =>
      new Map((await store.listDeliveries('w3', { limit: 5 })).items.map((d) => [d.id, d]));
    const [parked] = await claim('A', 0);
    expect(await store.awaitConnection(parked!.id, 'A', 'NOT_CONFIGURED: none', new Date())).toBe(
      true,
    );
    await store.recordSignal(suspension('w3', 2));
    const [later] = await claim('B', 1000);
    expect(later?.changeId).toBeGreaterThan(parked!.changeId);
    await store.updatePortal('w3', { salesforceSealed: 'sealed-sf' });

    // In flight: change 1 waits on, and nobody else can claim the portal.
    expect(await store.resumeWaitingDeliveries('w3', { now: new Date(at + 1500) })).toBe(0);
    expect((await states()).get(parked!.id)?.state).toBe('waitingForConnection');
    expect(await claim('C', 2000)).toEqual([]);

    // Recorded: change 1 is superseded by it, its lastError kept, and nothing is left to send.
    expect(await store.completeDelivery(later!.id, 'B', { id: 'a01' })).toBe(true);
    expect(await store.resumeWaitingDeliveries(undefined, { now: new Date(at + 2500) })).toBe(0);
    expect((await states()).get(parked!.id)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: later!.changeId },
      lastError: 'NOT_CONFIGURED: none',
    });
    expect(await claim('C', 3000)).toEqual([]);
  });

  test('outbox: a parked delivery behind a later change given back (its lease ended) is resumed as the head, and goes first', async () => {
    await store.createPortal(portal('w4'));
    await store.recordSignal(suspension('w4', 1));
    const at = Date.now() + 1000;
    const claim = async (owner: string, offset: number, perPortal = 1) =>
      (
        await store.claimDeliveries(owner, {
          leaseMs: 1000,
          limit: 500,
          perPortal,
          now: new Date(at + offset),
        })
      ).filter((d) => d.portalId === 'w4');
    const [parked] = await claim('A', 0);
    expect(await store.awaitConnection(parked!.id, 'A', 'NOT_CONFIGURED: none', new Date())).toBe(
      true,
    );
    await store.recordSignal(suspension('w4', 2));
    const [later] = await claim('B', 100);
    await store.updatePortal('w4', { salesforceSealed: 'sealed-sf' });
    // B's lease has run out (B stalled or crashed): change 1 is resumed, ahead of change 2.
    expect(await store.resumeWaitingDeliveries('w4', { now: new Date(at + 1200) })).toBe(1);
    expect((await claim('C', 1300, 5)).map((d) => d.id)).toEqual([parked!.id, later!.id]);
  });

  test('outbox: a run of queued changes is claimed at once, in order; renewed; the rest given back', async () => {
    await store.createPortal(portal('b1'));
    for (let n = 1; n <= 5; n++) await store.recordSignal(suspension('b1', n));
    const now = new Date(Date.now() + 1000);
    const run = (
      await store.claimDeliveries('A', { leaseMs: 60_000, limit: 50, perPortal: 3, now })
    ).filter((d) => d.portalId === 'b1');
    expect(run.map((d) => d.status.title)).toEqual(['event 1', 'event 2', 'event 3']);
    expect(run.every((d) => d.attempts === 1 && d.leaseOwner === 'A')).toBe(true);
    // Nobody else gets any of b1 while A holds its head.
    expect(
      (await store.claimDeliveries('B', { leaseMs: 60_000, limit: 50, perPortal: 3, now })).filter(
        (d) => d.portalId === 'b1',
      ),
    ).toEqual([]);
    expect(
      await store.renewLeases(
        run.map((d) => d.id),
        'A',
        60_000,
      ),
    ).toBe(3);
    expect(
      await store.renewLeases(
        run.map((d) => d.id),
        'B',
        60_000,
      ),
    ).toBe(0);
    expect(await store.completeDelivery(run[0]!.id, 'A', {})).toBe(true);
    expect(
      await store.failDelivery(
        run[1]!.id,
        'A',
        'SERVER_UNAVAILABLE',
        new Date(now.getTime() + 5000),
      ),
    ).toBe(true);
    expect(await store.releaseDeliveries([run[2]!.id], 'A')).toBe(1);
    // event 2 waits for its retry and blocks the portal; event 3 was given back unattempted.
    expect(
      (await store.claimDeliveries('B', { leaseMs: 60_000, limit: 50, perPortal: 3, now })).filter(
        (d) => d.portalId === 'b1',
      ),
    ).toEqual([]);
    const later = (
      await store.claimDeliveries('B', {
        leaseMs: 60_000,
        limit: 50,
        perPortal: 3,
        now: new Date(now.getTime() + 6000),
      })
    ).filter((d) => d.portalId === 'b1');
    expect(later.map((d) => [d.status.title, d.attempts])).toEqual([
      ['event 2', 2],
      ['event 3', 1],
      ['event 4', 1],
    ]);
  });

  test('outbox: a batch is recorded in one go, each delivery with its own result; failed ones before it superseded; only what the owner still leases', async () => {
    await store.createPortal(portal('b2'));
    for (let n = 1; n <= 5; n++) await store.recordSignal(suspension('b2', n));
    let at = Date.now() + 1000;
    const claim = async (owner: string, perPortal = 1) => {
      at += 1000;
      return (
        await store.claimDeliveries(owner, {
          leaseMs: 60_000,
          limit: 50,
          perPortal,
          now: new Date(at),
        })
      ).filter((d) => d.portalId === 'b2');
    };
    const [one] = await claim('A');
    expect(await store.failDelivery(one!.id, 'A', 'FIELD_INTEGRITY_EXCEPTION: bad', null)).toBe(
      true,
    );
    const batch = await claim('A', 10);
    expect(batch.map((d) => d.status.title)).toEqual(['event 2', 'event 3', 'event 4', 'event 5']);
    // B does not own them: nothing is recorded.
    expect(
      await store.completeDeliveries(
        'B',
        batch.map((d) => ({ id: d.id, result: {} })),
      ),
    ).toEqual([]);
    expect(
      await store.completeDeliveries(
        'A',
        batch.map((d, i) => ({ id: d.id, result: { id: 'a01', eventId: `e0${i}`, batch: 4 } })),
      ),
    ).toEqual(batch.map((d) => d.id));
    const items = (await store.listDeliveries('b2', { limit: 10 })).items;
    expect(items.every((d) => d.state === 'delivered' && d.leaseOwner === null)).toBe(true);
    const byChange = new Map(items.map((d) => [d.changeId, d]));
    batch.forEach((d, i) =>
      expect(byChange.get(d.changeId)).toMatchObject({
        result: { id: 'a01', eventId: `e0${i}`, batch: 4 },
        lastError: null,
      }),
    );
    expect(byChange.get(one!.changeId)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: batch[0]!.changeId },
    });
    expect(await store.completeDeliveries('A', [])).toEqual([]);
  });

  test('outbox: a batch supersedes each failed delivery before and between its own by the first one recorded after it; a failed one after it stays', async () => {
    await store.createPortal(portal('b3'));
    await store.createPortal(portal('b3other'));
    for (let n = 1; n <= 8; n++) await store.recordSignal(suspension('b3', n));
    await store.recordSignal(suspension('b3other', 1));
    let at = Date.now() + 1000;
    const claim = async (perPortal: number) => {
      at += 1000;
      return await store.claimDeliveries('A', {
        leaseMs: 60_000,
        limit: 50,
        perPortal,
        now: new Date(at),
      });
    };
    const first = await claim(1);
    const [e1] = first.filter((d) => d.portalId === 'b3');
    const [other] = first.filter((d) => d.portalId === 'b3other');
    expect(await store.failDelivery(e1!.id, 'A', 'e1 failed', null)).toBe(true);
    expect(await store.failDelivery(other!.id, 'A', 'other failed', null)).toBe(true);
    const rest = (await claim(10)).filter((d) => d.portalId === 'b3');
    expect(rest.map((d) => d.status.title)).toEqual([2, 3, 4, 5, 6, 7, 8].map((n) => `event ${n}`));
    const byTitle = new Map(rest.map((d) => [d.status.title, d]));
    const e = (n: number) => byTitle.get(`event ${n}`)!;
    for (const n of [3, 5, 8])
      expect(await store.failDelivery(e(n).id, 'A', `e${n} failed`, null)).toBe(true);
    expect(
      await store.releaseDeliveries(
        [2, 4, 6, 7].map((n) => e(n).id),
        'A',
      ),
    ).toBe(4);
    const batch = (await claim(10)).filter((d) => d.portalId === 'b3');
    expect(batch.map((d) => d.status.title)).toEqual([2, 4, 6, 7].map((n) => `event ${n}`));
    // Given out of order: recorded in id order all the same.
    expect(
      await store.completeDeliveries(
        'A',
        [...batch]
          .reverse()
          .map((d) => ({ id: d.id, result: { id: 'a01', title: d.status.title } })),
      ),
    ).toEqual(batch.map((d) => d.id));
    const items = (await store.listDeliveries('b3', { limit: 20 })).items;
    const byChange = new Map(items.map((d) => [d.changeId, d]));
    const of = (n: number) => byChange.get(n === 1 ? e1!.changeId : e(n).changeId)!;
    for (const n of [2, 4, 6, 7])
      expect(of(n)).toMatchObject({
        state: 'delivered',
        result: { id: 'a01', title: `event ${n}` },
        lastError: null,
        leaseOwner: null,
      });
    expect(of(1)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: e(2).changeId },
      lastError: 'e1 failed',
    });
    expect(of(3)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: e(4).changeId },
      lastError: 'e3 failed',
    });
    expect(of(5)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: e(6).changeId },
      lastError: 'e5 failed',
    });
    expect(of(8)).toMatchObject({ state: 'failed', result: null, lastError: 'e8 failed' });
    // Another portal's failed delivery is not this batch's to supersede.
    expect((await store.listDeliveries('b3other', { limit: 5 })).items).toMatchObject([
      { state: 'failed', result: null, lastError: 'other failed' },
    ]);
  });

  test('outbox: a batch whose head another owner took over records nothing of its portal; its rest is claimed after the head and supersedes what was given up', async () => {
    await store.createPortal(portal('b4'));
    for (let n = 0; n <= 4; n++) await store.recordSignal(suspension('b4', n));
    const t = Date.now() + 1000;
    const claim = async (owner: string, perPortal: number, at: number, leaseMs: number) =>
      (
        await store.claimDeliveries(owner, { leaseMs, limit: 50, perPortal, now: new Date(at) })
      ).filter((d) => d.portalId === 'b4');
    const [e0] = await claim('A', 1, t, 60_000);
    expect(await store.failDelivery(e0!.id, 'A', 'e0 failed', null)).toBe(true);
    const batch = await claim('A', 4, t + 1000, 1000);
    expect(batch.map((d) => d.status.title)).toEqual(['event 1', 'event 2', 'event 3', 'event 4']);
    // A's lease ran out: B (claiming fewer a run) takes the first two, and gives the second up.
    const taken = await claim('B', 2, t + 5000, 60_000);
    expect(taken.map((d) => d.id)).toEqual([batch[0]!.id, batch[1]!.id]);
    expect(await store.failDelivery(batch[1]!.id, 'B', 'e2 failed', null)).toBe(true);
    // A's batch landed late. Recorded, events 3 and 4 would be done, and B's send of event 1
    // after them would leave its older status in Salesforce with nothing left to send the newer.
    const recordA = () =>
      store.completeDeliveries(
        'A',
        batch.map((d) => ({ id: d.id, result: { id: 'a01', title: d.status.title } })),
      );
    expect(await recordA()).toEqual([]);
    const items = async () =>
      new Map((await store.listDeliveries('b4', { limit: 10 })).items.map((d) => [d.changeId, d]));
    expect((await items()).get(batch[2]!.changeId)).toMatchObject({
      state: 'pending',
      leaseOwner: 'A',
      result: null,
    });
    // B sends event 1: it supersedes e0, given up before it.
    expect(await store.completeDelivery(batch[0]!.id, 'B', { id: 'a01' })).toBe(true);
    expect((await items()).get(e0!.changeId)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: batch[0]!.changeId },
    });
    // Events 3 and 4 are claimed again after it (found landed, or sent again), in order; the
    // first recorded supersedes event 2, given up by B.
    const rest = await claim('B', 4, t + 70_000, 60_000);
    expect(rest.map((d) => d.id)).toEqual([batch[2]!.id, batch[3]!.id]);
    expect(
      await store.completeDeliveries(
        'B',
        rest.map((d) => ({ id: d.id, result: { id: 'a01', title: d.status.title } })),
      ),
    ).toEqual([batch[2]!.id, batch[3]!.id]);
    const after = await items();
    expect(after.get(batch[1]!.changeId)).toMatchObject({
      state: 'delivered',
      result: { supersededBy: batch[2]!.changeId },
    });
    for (const d of batch.slice(2))
      expect(after.get(d.changeId)).toMatchObject({
        state: 'delivered',
        result: { id: 'a01', title: d.status.title },
        leaseOwner: null,
      });
  });

  test('concurrent signals of one portal are applied one at a time (no lost update)', async () => {
    await store.createPortal(portal('c1'));
    await Promise.all(
      Array.from({ length: 20 }, (_, n) => store.recordSignal(suspension('c1', n))),
    );
    const status = await store.getStatus('c1');
    expect(status?.history).toHaveLength(20);
    expect((await store.listDeliveries('c1', { limit: 50 })).items).toHaveLength(20);
  });

  test('the history read back from the changes equals the one computed in memory, at every change (cold store, 60 signals)', async () => {
    await store.createPortal(portal('h1'));
    // A mix that exercises every branch of applySignal: a suspicion under a suspension and a
    // detector's lift of a confirmed suspension only add history; titles longer than the limit.
    const kinds: Partial<Signal>[] = [
      {},
      { state: 'suspected', source: 'detector', reason: null },
      { state: 'cleared', source: 'detector', reason: null },
      { reason: 'FIELD_PERMISSIONS_MISSING', title: 'x'.repeat(400) },
      { state: 'cleared', source: 'manual', reason: null, eventId: null },
    ];
    const recorded: RecordResult[] = [];
    for (let n = 0; n < 60; n++)
      recorded.push(
        await store.recordSignal(
          suspension('h1', n, {
            ...kinds[n % kinds.length],
            ...(n % 5 === 4 ? { eventId: null } : {}),
          }),
        ),
      );
    expect(recorded.at(-1)!.status.history).toHaveLength(50);
    expect(recorded.at(-1)!.status.history[0]!.title).toBe(
      recorded.at(-1)!.change.title?.slice(0, 254) ?? null,
    );
    // A second store on the same data has nothing in memory: everything comes from the rows.
    const cold = await reopen();
    // Several at once (a stream's replay, another instance's burst), cold, in id order; ids of
    // another portal or of no change are left out.
    const some = [59, 0, 50, 9, 49, 51, 1].map((n) => recorded[n]!.change.id);
    expect(await cold.changesWithStatus('h1', [...some, 99_999_999])).toEqual(
      [0, 1, 9, 49, 50, 51, 59].map((n) => ({
        change: recorded[n]!.change,
        status: recorded[n]!.status,
      })),
    );
    expect(await cold.changesWithStatus('someone-else', some)).toEqual([]);
    expect(await cold.changesWithStatus('h1', [])).toEqual([]);
    expect(await cold.getStatus('h1')).toEqual(recorded.at(-1)!.status);
    // Deliveries carry the status as it was right after their own change, claimed in runs.
    const now = new Date(Date.now() + 1000);
    const claimed = [];
    for (let round = 0; round < 10 && claimed.length < 60; round++) {
      const run = (
        await cold.claimDeliveries('H', { leaseMs: 60_000, limit: 500, perPortal: 25, now })
      ).filter((d) => d.portalId === 'h1');
      for (const d of run) await cold.completeDelivery(d.id, 'H', {});
      claimed.push(...run);
    }
    expect(claimed.map((d) => d.status)).toEqual(recorded.map((r) => r.status));
  });

  test('GET state reads: a portal never reported is null until its first signal; a read racing a signal never pins the older status', async () => {
    await store.createPortal(portal('g1'));
    expect(await store.getStatus('g1')).toBeNull();
    const first = await store.recordSignal(suspension('g1', 1));
    expect(await store.getStatus('g1')).toEqual(first.status);
    // A fresh store (nothing in memory) reads while a signal commits: whatever order they take,
    // the read that follows shows the newer status.
    const cold = await reopen();
    const [, second] = await Promise.all([
      cold.getStatus('g1'),
      cold.recordSignal(suspension('g1', 2)),
    ]);
    expect(await cold.getStatus('g1')).toEqual(second.status);
    expect((await cold.getStatus('g1'))?.history.map((h) => h.title)).toEqual([
      'event 2',
      'event 1',
    ]);
  });

  test("a portal mailbox's checkpoint is saved only while that mailbox is stored as its reader read it", async () => {
    const hubspot = hubspotStoreOf(store);
    await store.createPortal(portal('mb1'));
    await hubspot.setMailbox('mb1', 'sealed-mailbox-1');
    const read = { portalId: 'mb1', settingsSealed: 'sealed-mailbox-1' };
    const key = 'imap://mb1@imap.example.com:993/INBOX';
    expect(
      await hubspot.saveMailboxCheckpointWhileStored(key, { uidValidity: '7', lastUid: 3 }, read),
    ).toBe(true);
    expect(
      await hubspot.saveMailboxCheckpointWhileStored(key, { uidValidity: '7', lastUid: 4 }, read),
    ).toBe(true);
    expect(await hubspot.loadMailboxCheckpoint(key)).toEqual({ uidValidity: '7', lastUid: 4 });
    expect(await hubspot.isMailboxStored(read)).toBe(true);
    // Changed (a PUT), then gone with its portal: nothing more is saved.
    await hubspot.setMailbox('mb1', 'sealed-mailbox-2');
    expect(await hubspot.isMailboxStored(read)).toBe(false);
    expect(
      await hubspot.saveMailboxCheckpointWhileStored(key, { uidValidity: '7', lastUid: 5 }, read),
    ).toBe(false);
    expect(await store.deletePortal('mb1')).toBe(true);
    await hubspot.deleteMailboxCheckpoint(key);
    expect(
      await hubspot.saveMailboxCheckpointWhileStored(
        key,
        { uidValidity: '7', lastUid: 6 },
        { portalId: 'mb1', settingsSealed: 'sealed-mailbox-2' },
      ),
    ).toBe(false);
    expect(await hubspot.loadMailboxCheckpoint(key)).toBeNull();
  });

  test("the detector's memory of HubSpot failing: the later time kept per portal, read back after a reopen, gone with the portal", async () => {
    let hubspot = hubspotStoreOf(store);
    await store.createPortal(portal('hf1'));
    await store.createPortal(portal('hf2'));
    expect(await hubspot.lastHubSpotFailure('hf1')).toBeNull();
    await hubspot.saveHubSpotFailure('hf1', 1_700_000_000_000);
    // An older time (a check that ran late on another instance) does not move it back.
    await hubspot.saveHubSpotFailure('hf1', 1_699_999_000_000);
    expect(await hubspot.lastHubSpotFailure('hf1')).toBe(1_700_000_000_000);
    await hubspot.saveHubSpotFailure('hf1', 1_700_000_900_000);
    expect(await hubspot.lastHubSpotFailure('hf1')).toBe(1_700_000_900_000);
    expect(await hubspot.lastHubSpotFailure('hf2')).toBeNull();
    // Kept by the store, not the process: a new leader reads it.
    hubspot = hubspotStoreOf(await reopen());
    expect(await hubspot.lastHubSpotFailure('hf1')).toBe(1_700_000_900_000);
    // A portal that is gone keeps nothing, and none is saved for it.
    expect(await store.deletePortal('hf1')).toBe(true);
    expect(await hubspot.lastHubSpotFailure('hf1')).toBeNull();
    await expect(hubspot.saveHubSpotFailure('hf1', 1_700_001_000_000)).resolves.toBeUndefined();
    expect(await hubspot.lastHubSpotFailure('hf1')).toBeNull();
    await expect(hubspot.saveHubSpotFailure('never', 1_700_001_000_000)).resolves.toBeUndefined();
    expect(await hubspot.lastHubSpotFailure('never')).toBeNull();
  });

  test("the detector's last check: saved only under the token it used, failingSince kept across failures, read back after a reopen, gone with the token or the portal", async () => {
    let hubspot = hubspotStoreOf(store);
    await store.createPortal(portal('lc1'));
    const ok = {
      at: '2026-12-01T10:00:00.000Z',
      verdict: 'syncing',
      state: 'clear',
      error: null,
      warnings: ['contacts are not checked: add the scope crm.objects.contacts.read'],
      checkedBy: 'instance-a',
    };
    // No token: nothing to save it under.
    expect(await hubspot.saveHubSpotCheck('lc1', 'sealed-1', ok)).toBeNull();
    await hubspot.setHubSpotToken('lc1', 'sealed-1');
    expect(await hubspot.getHubSpotCheck('lc1')).toBeNull();
    // Run with another token than the stored one: not saved.
    expect(await hubspot.saveHubSpotCheck('lc1', 'sealed-0', ok)).toBeNull();
    expect(await hubspot.saveHubSpotCheck('lc1', 'sealed-1', ok)).toEqual({
      ...ok,
      failingSince: null,
    });
    expect(await hubspot.getHubSpotCheck('lc1')).toEqual({ ...ok, failingSince: null });

    const failed = (at: string) => ({
      ...ok,
      at,
      verdict: 'inconclusive',
      error: 'HubSpot refused the access token (401)',
      warnings: [],
      checkedBy: 'instance-b',
    });
    expect(
      (await hubspot.saveHubSpotCheck('lc1', 'sealed-1', failed('2026-12-01T11:00:00.000Z')))
        ?.failingSince,
    ).toBe('2026-12-01T11:00:00.000Z');
    // Failing still: since the first of them, kept by the store, not the process.
    hubspot = hubspotStoreOf(await reopen());
    expect(
      await hubspot.saveHubSpotCheck('lc1', 'sealed-1', failed('2026-12-01T12:00:00.000Z')),
    ).toEqual({
      ...failed('2026-12-01T12:00:00.000Z'),
      failingSince: '2026-12-01T11:00:00.000Z',
    });
    expect(await hubspot.getHubSpotCheck('lc1')).toMatchObject({
      at: '2026-12-01T12:00:00.000Z',
      failingSince: '2026-12-01T11:00:00.000Z',
      checkedBy: 'instance-b',
    });
    // Concluded again: no longer failing.
    expect(
      (await hubspot.saveHubSpotCheck('lc1', 'sealed-1', { ...ok, at: '2026-12-01T13:00:00.000Z' }))
        ?.failingSince,
    ).toBeNull();

    // A new token: what the old one found no longer applies.
    await hubspot.setHubSpotToken('lc1', 'sealed-2');
    expect(await hubspot.getHubSpotCheck('lc1')).toBeNull();
    expect(await hubspot.saveHubSpotCheck('lc1', 'sealed-1', ok)).toBeNull();
    expect(await hubspot.saveHubSpotCheck('lc1', 'sealed-2', ok)).not.toBeNull();
    await hubspot.setHubSpotToken('lc1', null);
    expect(await hubspot.getHubSpotCheck('lc1')).toBeNull();
    await hubspot.setHubSpotToken('lc1', 'sealed-3');
    expect(await hubspot.saveHubSpotCheck('lc1', 'sealed-3', ok)).not.toBeNull();
    expect(await store.deletePortal('lc1')).toBe(true);
    expect(await hubspot.getHubSpotCheck('lc1')).toBeNull();
  });

  test('checks handed to the detector: recorded per portal with a token, listed oldest first, done only by their own id, gone with the token or the portal', async () => {
    const hubspot = hubspotStoreOf(store);
    await store.createPortal(portal('rq1'));
    await store.createPortal(portal('rq2'));
    const ours = async () =>
      (await hubspot.pendingHubSpotChecks()).filter((r) => r.portalId.startsWith('rq'));
    // No token: nothing to check, nothing recorded.
    expect(await hubspot.requestHubSpotCheck('rq1', 'r-0')).toBe(false);
    expect(await hubspot.requestHubSpotCheck('nope', 'r-0')).toBe(false);
    await hubspot.setHubSpotToken('rq1', 'sealed-1');
    await hubspot.setHubSpotToken('rq2', 'sealed-2');
    expect(await hubspot.requestHubSpotCheck('rq1', 'r-1')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await hubspot.requestHubSpotCheck('rq2', 'r-2')).toBe(true);
    expect(await ours()).toEqual([
      { portalId: 'rq1', requestId: 'r-1', requestedAt: expect.any(String) },
      { portalId: 'rq2', requestId: 'r-2', requestedAt: expect.any(String) },
    ]);
    // A later request of the same portal replaces the earlier; the earlier's end leaves it.
    expect(await hubspot.requestHubSpotCheck('rq1', 'r-3')).toBe(true);
    expect(await hubspot.hubSpotCheckDone('rq1', 'r-1')).toBe(false);
    expect((await ours()).map((r) => r.requestId).sort()).toEqual(['r-2', 'r-3']);
    // A new token keeps it (checked with the new one); removing the token drops it.
    await hubspot.setHubSpotToken('rq2', 'sealed-2b');
    expect((await ours()).map((r) => r.requestId).sort()).toEqual(['r-2', 'r-3']);
    await hubspot.setHubSpotToken('rq2', null);
    expect((await ours()).map((r) => r.requestId)).toEqual(['r-3']);
    expect(await store.deletePortal('rq1')).toBe(true);
    expect(await ours()).toEqual([]);
    await hubspot.setHubSpotToken('rq2', 'sealed-2c');
    expect(await hubspot.requestHubSpotCheck('rq2', 'r-4')).toBe(true);
    expect(await hubspot.hubSpotCheckDone('rq2', 'r-4')).toBe(true);
    expect(await ours()).toEqual([]);
  });

  test('a stored HubSpot failure dated more than a day ahead of the one saved (a clock set wrong) is replaced, not kept for ever', async () => {
    // The detector ignores a stored failure more than a day ahead of its clock; kept as "the
    // later", it would also keep every real failure after it out of the store, and a new leader
    // would call the connector's catch-up after HubSpot's next outage a stall.
    const hubspot = hubspotStoreOf(store);
    await store.createPortal(portal('hf3'));
    const now = Date.now();
    await hubspot.saveHubSpotFailure('hf3', now + 10 * 365 * 24 * 3_600_000);
    await hubspot.saveHubSpotFailure('hf3', now);
    expect(await hubspot.lastHubSpotFailure('hf3')).toBe(now);
    // Up to a day ahead it is still another instance's later failure, and kept.
    await hubspot.saveHubSpotFailure('hf3', now + 24 * 3_600_000);
    await hubspot.saveHubSpotFailure('hf3', now);
    expect(await hubspot.lastHubSpotFailure('hf3')).toBe(now + 24 * 3_600_000);
  });

  test('deletePortal removes the portal and everything kept for it in one go, and only that portal', async () => {
    const fill = async (id: string) => {
      await store.createPortal({ ...portal(id), salesforceSealed: 'sealed-sf' });
      for (let n = 1; n <= 3; n++) await store.recordSignal(suspension(id, n));
      await store.saveInboundMessage({
        portalId: id,
        messageId: '<a@b>',
        subject: 's',
        raw: 'raw',
        truncated: false,
        sizeBytes: 3,
      });
      await store.saveSyncErrorReport(id, { rows: 1 });
      await hubspotStoreOf(store).setHubSpotToken(id, 'sealed-token');
      await hubspotStoreOf(store).setMailbox(id, 'sealed-mailbox');
      const alerts = alertStoreOf(store);
      await alerts.createAlertTarget({
        id: `t-${id}`,
        portalId: id,
        kind: 'webhook',
        targetSealed: 'sealed-target',
        summary: {},
      });
      const [change] = (await store.listChanges(id, { limit: 1 })).items;
      await alerts.enqueueAlerts(
        [
          {
            portalId: id,
            targetId: `t-${id}`,
            changeId: change!.id,
            dedupKey: `k-${id}`,
            message: { headline: 'x' },
          },
        ],
        null,
      );
    };
    await fill('d1');
    await fill('d2');
    const before = await store.countDeliveries();
    const [claimed] = (
      await store.claimDeliveries('D', {
        leaseMs: 60_000,
        limit: 500,
        now: new Date(Date.now() + 1000),
      })
    ).filter((d) => d.portalId === 'd1');
    expect(claimed).toBeDefined();

    // The status is in memory too (SQLite caches it): it must go with the rows.
    expect(await store.getStatus('d1')).not.toBeNull();
    expect(await store.deletePortal('d1')).toBe(true);
    expect(await store.getPortal('d1')).toBeNull();
    expect(await store.findPortalByInboundTokenHash('hash-d1')).toBeNull();
    expect(await store.getStatus('d1')).toBeNull();
    expect(await store.changesWithStatus('d1', [claimed!.changeId])).toEqual([]);
    expect(await store.getChange('d1', claimed!.changeId)).toBeNull();
    expect((await store.listChanges('d1', { limit: 10 })).items).toEqual([]);
    expect((await store.listDeliveries('d1', { limit: 10 })).items).toEqual([]);
    expect(await store.latestSyncErrorReport('d1')).toBeNull();
    const hubspot = hubspotStoreOf(store);
    const alerts = alertStoreOf(store);
    expect(await hubspot.getHubSpotToken('d1')).toBeNull();
    expect((await hubspot.listMailboxes()).map((m) => m.portalId)).not.toContain('d1');
    expect(await alerts.listAlertTargets('d1')).toEqual([]);
    expect((await alerts.listAlertDeliveries('d1', { limit: 10 })).items).toEqual([]);
    const after = await store.countDeliveries();
    expect(before.pending - after.pending).toBe(3);
    // A lease held on a deleted delivery completes nothing.
    expect(await store.completeDelivery(claimed!.id, 'D', {})).toBe(false);

    // The other portal is untouched.
    expect((await store.listChanges('d2', { limit: 10 })).items).toHaveLength(3);
    expect((await store.getStatus('d2'))?.history).toHaveLength(3);
    expect(await store.latestSyncErrorReport('d2')).not.toBeNull();
    expect(await hubspot.getHubSpotToken('d2')).not.toBeNull();
    expect(await alerts.listAlertTargets('d2')).toHaveLength(1);

    // Again: nothing to delete. Storing for it: the portal is gone, nothing is written.
    expect(await store.deletePortal('d1')).toBe(false);
    await expect(store.recordSignal(suspension('d1', 9))).rejects.toBeInstanceOf(PortalGoneError);
    await expect(store.saveSyncErrorReport('d1', { rows: 1 })).rejects.toBeInstanceOf(
      PortalGoneError,
    );
    await expect(
      store.saveInboundMessage({
        portalId: 'd1',
        messageId: null,
        subject: null,
        raw: 'r',
        truncated: false,
        sizeBytes: 1,
      }),
    ).rejects.toBeInstanceOf(PortalGoneError);
    expect(await store.getStatus('d1')).toBeNull();

    // The id can be configured afresh: nothing of the old portal shows through, even after a reopen.
    await store.createPortal(portal('d1'));
    expect(await store.getStatus('d1')).toBeNull();
    const first = await store.recordSignal(suspension('d1', 1));
    expect(first.duplicate).toBe(false);
    expect(first.status.history).toHaveLength(1);
    const cold = await reopen();
    expect((await cold.getStatus('d1'))?.history).toHaveLength(1);
    expect((await cold.listDeliveries('d1', { limit: 10 })).items).toHaveLength(1);
  });

  test('deletePortal racing signals of the portal: each signal lands first (and is deleted with it) or finds the portal gone', async () => {
    await store.createPortal(portal('d3'));
    await store.recordSignal(suspension('d3', 0));
    const signals = Array.from({ length: 10 }, (_, n) =>
      store.recordSignal(suspension('d3', n + 1)).then(
        () => 'stored',
        (error: unknown) => (error instanceof PortalGoneError ? 'gone' : error),
      ),
    );
    const [deleted, ...outcomes] = await Promise.all([store.deletePortal('d3'), ...signals]);
    expect(deleted).toBe(true);
    for (const outcome of outcomes) expect(['stored', 'gone']).toContain(outcome);
    expect((await store.listChanges('d3', { limit: 50 })).items).toEqual([]);
    expect((await store.listDeliveries('d3', { limit: 50 })).items).toEqual([]);
    expect(await store.getStatus('d3')).toBeNull();
  });

  test('changes stored by another process are announced (PostgreSQL) or the store says it cannot (SQLite)', async () => {
    if (store.kind === 'sqlite') {
      expect(store.onForeignChange).toBeUndefined();
      return;
    }
    const other = await open();
    const heard: { portalId: string; changeId: number }[] = [];
    const stop = await store.onForeignChange!((change) => heard.push(change));
    await other.createPortal(portal('n1'));
    const { change } = await other.recordSignal(suspension('n1', 1));
    await store.recordSignal(suspension('n1', 2)); // its own: not announced to itself
    const until = Date.now() + 5000;
    while (heard.length === 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual([{ portalId: 'n1', changeId: change.id }]);
    await stop();
    await other.close();
  });

  test('text holding U+0000 is kept with U+FFFD in its place by both stores (PostgreSQL text cannot hold it); JSON keeps it exact', async () => {
    const created = await store.createPortal({ ...portal('z1'), name: 'a\u0000b' });
    expect(created.name).toBe('a\uFFFDb');
    expect((await store.getPortal('z1'))?.name).toBe('a\uFFFDb');
    const signal = suspension('z1', 1, {
      title: 'API limit exceeded\u0000',
      excerpt: '\u0000',
      eventId: 'evt\u00001',
      detail: { subject: 'a\u0000b' },
    });
    const recorded = await store.recordSignal(signal);
    // What recordSignal answers (and streams and delivers) is what is read back later.
    expect(recorded.change).toMatchObject({
      title: 'API limit exceeded\uFFFD',
      excerpt: '\uFFFD',
      eventId: 'evt\uFFFD1',
      detail: { subject: 'a\u0000b' },
    });
    expect(await store.getChange('z1', recorded.change.id)).toEqual(recorded.change);
    expect(recorded.status.title).toBe('API limit exceeded\uFFFD');
    expect(await store.getStatus('z1')).toEqual(recorded.status);
    // The same event again is a redelivery, found by its stored id.
    expect(await store.recordSignal(signal)).toMatchObject({
      duplicate: true,
      change: { id: recorded.change.id },
    });
    expect(
      await store.saveInboundMessage({
        portalId: 'z1',
        messageId: '<a\u0000@b>',
        subject: 's\u0000',
        raw: 'Subject: s\r\n\r\n\u0000',
        truncated: false,
        sizeBytes: 14,
      }),
    ).toBeGreaterThan(0);
    await store.saveSyncErrorReport('z1', { note: 'a\u0000b' });
    expect((await store.latestSyncErrorReport('z1'))?.report).toEqual({ note: 'a\u0000b' });
    const [delivery] = (
      await store.claimDeliveries('Z', {
        leaseMs: 60_000,
        limit: 500,
        now: new Date(Date.now() + 1000),
      })
    ).filter((d) => d.portalId === 'z1');
    expect(await store.failDelivery(delivery!.id, 'Z', 'Salesforce said \u0000', null)).toBe(true);
    expect(
      (await store.listDeliveries('z1', { limit: 5, state: 'failed' })).items[0]?.lastError,
    ).toBe('Salesforce said \uFFFD');
    expect(await store.getPortal('z1\u0000')).toBeNull();
  });

  test('inbound messages and sync-error reports are kept', async () => {
    await store.createPortal(portal('m1'));
    expect(
      await store.saveInboundMessage({
        portalId: 'm1',
        messageId: '<a@b>',
        subject: 's',
        raw: 'raw',
        truncated: false,
        sizeBytes: 3,
      }),
    ).toBeGreaterThan(0);
    expect(await store.latestSyncErrorReport('m1')).toBeNull();
    await store.saveSyncErrorReport('m1', { rows: 1 });
    await store.saveSyncErrorReport('m1', { rows: 2 });
    expect((await store.latestSyncErrorReport('m1'))?.report).toEqual({ rows: 2 });
  });
});

test('several instances starting together on a new PostgreSQL schema all start (CREATE SCHEMA races, migrations serialise)', async () => {
  const { schema, drop } = await postgresSchema();
  try {
    const stores = await Promise.all(
      Array.from({ length: 4 }, () =>
        createStore({ dataDir: '/nonexistent', databaseUrl: POSTGRES_URL, databaseSchema: schema }),
      ),
    );
    for (const store of stores) expect(await store.schemaVersion()).toBe(16);
    await Promise.all(stores.map((store) => store.close()));
  } finally {
    await drop();
  }
});
