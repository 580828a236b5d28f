/**
 * The Salesforce outbox on generated sequences of calls, against both stores. Two workers (A and
 * B) claim, deliver, fail (retry later, give up, or a batch that does some of each), park a run
 * for want of a connection, give back and crash, as the outbox worker does (a run in order,
 * stopping at the first failure); signals arrive, time passes past leases and retries, an admin
 * re-queues the failed or sets a portal's connection (which resumes the parked, re-queues the
 * failed and sends the newest again, as the route does), and the worker's sweep resumes the
 * parked. Workers act on what they believe they hold, so a worker whose lease ran out and was
 * taken over still tries; a worker delivers whether or not the portal has a connection yet (its
 * cache of the portal may be behind), which covers more orders than the relay can reach.
 *
 * Checked after every call, against the model (outboxModel.ts): what each claim hands out and
 * what each call records, row by row. Checked from the stores' answers alone, whatever the model
 * says: a portal is claimed only while none of its rows is under a live lease; a row is recorded
 * delivered once; a portal's deliveries are recorded in the order of its changes. And at the end,
 * once a third worker drains the outbox: every row is delivered, and the newest of each portal
 * was sent (not superseded), so Salesforce holds the latest status.
 * Seeds fixed; a failure prints the shortest sequence of calls that breaks a rule.
 */
import fc from 'fast-check';
import type { RelayStore } from '../src/store/types.js';
import { STORE_IMPLEMENTATIONS, storedPortal, suspension } from './helpers.js';
import { OutboxModel, type RowView } from './outboxModel.js';

const LEASE_MS = 1000;
const PORTALS = 3;
const OWNERS = ['A', 'B'] as const;
type Owner = (typeof OWNERS)[number];

type Op =
  | { kind: 'signal'; portal: number }
  | { kind: 'claim'; owner: Owner; limit: number; perPortal: number }
  | { kind: 'deliver'; owner: Owner; portal: number; count: number }
  | { kind: 'fail'; owner: Owner; portal: number; retryInMs: number | null }
  | { kind: 'failBatch'; owner: Owner; portal: number; retryInMs: number; givenUp: boolean[] }
  | { kind: 'giveBack'; owner: Owner; portal: number }
  | { kind: 'crash'; owner: Owner }
  | { kind: 'wait'; ms: number }
  | { kind: 'retryFailed'; portal: number }
  | { kind: 'park'; owner: Owner; portal: number }
  | { kind: 'connect'; portal: number }
  | { kind: 'resumeAll' };

const owner = fc.constantFrom(...OWNERS);
const portal = fc.integer({ min: 0, max: PORTALS - 1 });
const retryInMs = fc.integer({ min: 1, max: 3 * LEASE_MS });

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('signal' as const), portal }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      owner,
      limit: fc.integer({ min: 1, max: PORTALS }),
      perPortal: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      owner,
      portal,
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fail' as const),
      owner,
      portal,
      retryInMs: fc.option(retryInMs, { nil: null, freq: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('failBatch' as const),
      owner,
      portal,
      retryInMs,
      givenUp: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('giveBack' as const), owner, portal }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), owner }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      // A moment, or past every lease taken so far: a worker stalled (GC, a slow send).
      ms: fc.oneof(
        fc.integer({ min: 1, max: LEASE_MS / 4 }),
        fc.integer({ min: LEASE_MS + 1, max: LEASE_MS + 250 }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retryFailed' as const), portal }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('park' as const), owner, portal }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('connect' as const), portal }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resumeAll' as const) }) },
);

/**
 * The sequences this test found to break a rule, kept so they run first on both stores. The
 * first: B's run of two changes outlives its lease, A (claiming one change a run) takes the head,
 * and B's late batch used to be recorded for the second change, ahead of the head A was still to
 * send.
 */
const TAKEN_OVER_HEAD: Op[] = [
  { kind: 'signal', portal: 0 },
  { kind: 'signal', portal: 0 },
  { kind: 'claim', owner: 'B', limit: 1, perPortal: 2 },
  { kind: 'wait', ms: LEASE_MS + 1 },
  { kind: 'claim', owner: 'A', limit: 1, perPortal: 1 },
  { kind: 'deliver', owner: 'B', portal: 0, count: 2 },
];

/**
 * The second: B parks the portal's first change (no connection yet), A claims the second, the
 * connection is set; the first used to be resumed as the head with the second in flight, and A
 * claimed it too: two runs of one portal at once, the older free to land after the newer.
 */
const RESUMED_BEHIND_IN_FLIGHT: Op[] = [
  { kind: 'signal', portal: 1 },
  { kind: 'signal', portal: 1 },
  { kind: 'claim', owner: 'B', limit: 1, perPortal: 1 },
  { kind: 'park', owner: 'B', portal: 0 },
  { kind: 'claim', owner: 'A', limit: 1, perPortal: 1 },
  { kind: 'connect', portal: 1 },
  { kind: 'claim', owner: 'A', limit: 1, perPortal: 1 },
];

/**
 * The rules read off the stores' answers, with no model: which leases are live, which rows were
 * recorded delivered, and each portal's last one.
 */
class AnswerRules {
  private readonly leases = new Map<number, { portal: string; until: number }>();
  private readonly recorded = new Set<number>();
  private readonly lastRecorded = new Map<string, number>();

  claimed(rows: ReadonlyArray<{ id: number; portalId: string }>, at: number): void {
    for (const row of rows)
      for (const [id, lease] of this.leases)
        if (lease.portal === row.portalId && lease.until >= at)
          throw new Error(
            `row ${row.id} of ${row.portalId} was claimed while row ${id} of the same portal was under a live lease`,
          );
    for (const row of rows) this.leases.set(row.id, { portal: row.portalId, until: at + LEASE_MS });
  }

  delivered(ids: readonly number[], portalOf: (id: number) => string): void {
    for (const id of ids) {
      const portalId = portalOf(id);
      if (this.recorded.has(id)) throw new Error(`row ${id} was recorded delivered twice`);
      const last = this.lastRecorded.get(portalId) ?? 0;
      if (id < last)
        throw new Error(`row ${id} of ${portalId} was recorded delivered after row ${last}`);
      this.recorded.add(id);
      this.lastRecorded.set(portalId, id);
      this.leases.delete(id);
    }
  }

  /** Sent again (a new connection): it may be recorded once more. */
  resent(id: number): void {
    this.recorded.delete(id);
  }

  /** A fail or a give-back the store took: the lease is gone. */
  settled(id: number): void {
    this.leases.delete(id);
  }

  wasSent(id: number): boolean {
    return this.recorded.has(id);
  }
}

interface Run {
  store: RelayStore;
  model: OutboxModel;
  rules: AnswerRules;
  portals: string[];
  /** The ids each worker believes it holds, per portal, oldest first. */
  beliefs: Record<Owner, Map<string, number[]>>;
  clock: number;
  signals: number;
}

async function storeView(store: RelayStore, portalId: string): Promise<RowView[]> {
  const page = await store.listDeliveries(portalId, { limit: 100 });
  return page.items
    .map((d) => ({
      id: d.id,
      changeId: d.changeId,
      state: d.state,
      attempts: d.attempts,
      supersededBy: typeof d.result?.supersededBy === 'number' ? d.result.supersededBy : null,
    }))
    .sort((a, b) => a.id - b.id) as RowView[];
}

async function expectSameRows(run: Run): Promise<void> {
  for (const portalId of run.portals)
    expect(await storeView(run.store, portalId)).toEqual(run.model.view(portalId));
}

async function claim(run: Run, who: string, limit: number, perPortal: number): Promise<number[]> {
  const options = { leaseMs: LEASE_MS, limit, perPortal, now: new Date(run.clock) };
  const expected = run.model.claim(who, run.clock, LEASE_MS, limit, perPortal);
  const claimed = await run.store.claimDeliveries(who, options);
  run.rules.claimed(claimed, run.clock);
  expect(claimed.map((d) => d.id)).toEqual(expected);
  return claimed.map((d) => d.id);
}

async function deliver(run: Run, who: string, ids: number[]): Promise<void> {
  const expected = run.model.complete(who, ids);
  const recorded = await run.store.completeDeliveries(
    who,
    ids.map((id) => ({ id, result: { id: 'a0X' } })),
  );
  run.rules.delivered(recorded, (id) => run.model.portalOf(id)!);
  expect(recorded).toEqual(expected);
}

async function fail(run: Run, who: string, id: number, retryAt: number | null): Promise<void> {
  const expected = run.model.fail(who, id, retryAt);
  const took = await run.store.failDelivery(
    id,
    who,
    'SERVER_UNAVAILABLE',
    retryAt === null ? null : new Date(retryAt),
  );
  if (took) run.rules.settled(id);
  expect(took).toBe(expected);
}

async function giveBack(run: Run, who: string, ids: number[]): Promise<void> {
  const expected = run.model.release(who, ids);
  // Which rows the store gave back is not answered: a row still this owner's has no lease after.
  const released = await run.store.releaseDeliveries(ids, who);
  expect(released).toBe(expected);
  for (const d of (
    await Promise.all(run.portals.map((p) => run.store.listDeliveries(p, { limit: 100 })))
  ).flatMap((page) => page.items))
    if (ids.includes(d.id) && d.leaseOwner === null) run.rules.settled(d.id);
}

/** As PUT /v1/admin/portals/:portalId/salesforce does after setting the connection. */
async function connect(run: Run, portalId: string): Promise<void> {
  await run.store.updatePortal(portalId, { salesforceSealed: 'sealed-sf' });
  run.model.connect(portalId);
  expect(await run.store.resumeWaitingDeliveries(portalId, { now: new Date(run.clock) })).toBe(
    run.model.resume(run.clock, portalId),
  );
  expect(await run.store.retryFailedDeliveries(portalId)).toBe(run.model.retryFailed(portalId));
  const resent = run.model.resendLatest(portalId, run.clock + 2000);
  expect(await run.store.resendLatest(portalId, { at: new Date(run.clock + 2000) })).toBe(
    resent !== null,
  );
  if (resent !== null) run.rules.resent(resent);
}

async function apply(run: Run, step: Op): Promise<void> {
  // A worker's steps name one of the portals it believes it holds runs of (any, if none).
  const holding =
    'owner' in step
      ? [...run.beliefs[step.owner]].filter(([, ids]) => ids.length > 0).map(([p]) => p)
      : [];
  const portalId =
    'portal' in step
      ? holding.length > 0
        ? holding[step.portal % holding.length]!
        : run.portals[step.portal]!
      : '';
  const held = 'owner' in step ? (run.beliefs[step.owner].get(portalId) ?? []) : [];
  switch (step.kind) {
    case 'signal': {
      run.signals += 1;
      await run.store.recordSignal(suspension(portalId, run.signals), new Date(run.clock));
      const [row] = (await run.store.listDeliveries(portalId, { limit: 1 })).items;
      run.model.record(portalId, row!.id, row!.changeId, run.clock);
      return;
    }
    case 'claim': {
      const ids = await claim(run, step.owner, step.limit, step.perPortal);
      for (const p of run.portals) {
        const mine = ids.filter((id) => run.model.portalOf(id) === p);
        if (mine.length > 0) run.beliefs[step.owner].set(p, mine);
      }
      return;
    }
    case 'deliver': {
      // A run in order: its first `count` changes, one request (a batch) or several.
      if (held.length === 0) return;
      await deliver(run, step.owner, held.slice(0, step.count));
      run.beliefs[step.owner].set(portalId, held.slice(step.count));
      return;
    }
    case 'fail': {
      // The worker stops at the first failure and gives the rest of the run back.
      if (held.length === 0) return;
      const retryAt = step.retryInMs === null ? null : run.clock + step.retryInMs;
      await fail(run, step.owner, held[0]!, retryAt);
      await giveBack(run, step.owner, held.slice(1));
      run.beliefs[step.owner].delete(portalId);
      return;
    }
    case 'failBatch': {
      // A batch that failed as a whole: each change retried at one time, or given up once it
      // has had its attempts; newest first, as OutcomeRecorder.failBatch records them.
      const retryAt = run.clock + step.retryInMs;
      for (let i = held.length - 1; i >= 0; i--)
        await fail(run, step.owner, held[i]!, step.givenUp[i] ? null : retryAt);
      run.beliefs[step.owner].delete(portalId);
      return;
    }
    case 'giveBack':
      await giveBack(run, step.owner, held);
      run.beliefs[step.owner].delete(portalId);
      return;
    case 'crash':
      // Forgets its runs; their leases run out.
      run.beliefs[step.owner].clear();
      return;
    case 'wait':
      run.clock += step.ms;
      return;
    case 'retryFailed':
      expect(await run.store.retryFailedDeliveries(portalId)).toBe(run.model.retryFailed(portalId));
      return;
    case 'park': {
      // No connection for the run's head, as far as the worker knows: parked, the rest given back.
      if (held.length === 0) return;
      const retryAt = run.clock + 2000;
      const took = await run.store.awaitConnection(
        held[0]!,
        step.owner,
        'NOT_CONFIGURED',
        new Date(retryAt),
      );
      expect(took).toBe(run.model.park(step.owner, held[0]!, retryAt));
      if (took) run.rules.settled(held[0]!);
      await giveBack(run, step.owner, held.slice(1));
      run.beliefs[step.owner].delete(portalId);
      return;
    }
    case 'connect':
      await connect(run, portalId);
      return;
    case 'resumeAll':
      // The worker's sweep, for a connection set on another instance.
      expect(await run.store.resumeWaitingDeliveries(undefined, { now: new Date(run.clock) })).toBe(
        run.model.resume(run.clock),
      );
      return;
  }
}

/** A third worker, long after, re-queues what was given up and delivers everything. */
async function drain(run: Run): Promise<void> {
  run.clock += 60 * LEASE_MS;
  for (const p of run.portals) await connect(run, p);
  run.clock += 60 * LEASE_MS;
  for (let round = 0; round < 10 && run.model.undelivered() > 0; round++) {
    for (const p of run.portals)
      expect(await run.store.retryFailedDeliveries(p)).toBe(run.model.retryFailed(p));
    const ids = await claim(run, 'drain', PORTALS, 100);
    await deliver(run, 'drain', ids);
    await expectSameRows(run);
    run.clock += 2 * LEASE_MS;
  }
  for (const p of run.portals) {
    const rows = await storeView(run.store, p);
    expect(rows.filter((row) => row.state !== 'delivered')).toEqual([]);
    const newest = rows[rows.length - 1];
    if (newest) expect(run.rules.wasSent(newest.id)).toBe(true);
    for (const row of rows)
      if (!run.rules.wasSent(row.id)) expect(row.supersededBy).toBeGreaterThan(row.changeId);
  }
}

describe.each(STORE_IMPLEMENTATIONS)('outbox on generated calls: %s', (name, setup) => {
  let store: RelayStore;
  let cleanup: () => Promise<void>;
  let runs = 0;

  beforeAll(async () => {
    const implementation = await setup();
    cleanup = implementation.cleanup;
    store = await implementation.open();
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  test('claims, deliveries, failures and re-queues keep each portal in order, each change once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60, size: 'max' }), async (ops) => {
        runs += 1;
        const portals = Array.from({ length: PORTALS }, (_, i) => `model-${runs}-${i}`);
        for (const p of portals) await store.createPortal(storedPortal(p));
        const run: Run = {
          store,
          model: new OutboxModel(),
          rules: new AnswerRules(),
          portals,
          beliefs: { A: new Map(), B: new Map() },
          // An hour ahead of the wall clock: a row re-queued now (due at Date.now()) is due.
          clock: Date.now() + 3_600_000,
          signals: 0,
        };
        try {
          for (const step of ops) {
            await apply(run, step);
            await expectSameRows(run);
          }
          await drain(run);
        } finally {
          // Each run's portals go, so the next run's claims see only its own.
          for (const p of portals) await store.deletePortal(p);
        }
      }),
      {
        examples: [[TAKEN_OVER_HEAD], [RESUMED_BEHIND_IN_FLIGHT]],
        // SEED=n explores other sequences; the suite's are fixed.
        seed: Number(process.env.SEED ?? (name === 'sqlite' ? 2701 : 2702)),
        numRuns: name === 'sqlite' ? 200 : 60,
      },
    );
  });
});
