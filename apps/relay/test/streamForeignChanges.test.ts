import { admin, createPortal, suspension, waitFor, type TestRelay } from './helpers.js';
import type { RecordResult } from '../src/store/types.js';
import type { DatabaseHop } from './databaseHop.js';
import { hoppedInstances, type HoppedInstances } from './hoppedInstances.js';
import { openStream } from './streamClient.js';

// Several instances on PostgreSQL: A's streams hear the changes B stores through LISTEN/NOTIFY.
// Each event sent for one of them has the id of its change and the status right after that
// change, however late A reads it: never the portal's current status, which a later change may
// already have replaced (a burst, notifications held back on a slow connection).

describe('a stream on one instance, of changes another instance stores', () => {
  let instances: HoppedInstances;
  let hop: DatabaseHop;
  let a: TestRelay;
  let b: TestRelay;
  let baseA: string;

  beforeAll(async () => {
    instances = await hoppedInstances();
    ({ hop, a, b, baseA } = instances);
  });
  // A test that failed while holding leaves the next one its notifications and its LISTEN.
  afterEach(() => {
    hop.releaseNotifications();
    hop.holdListen(false);
  });
  afterAll(() => instances?.close());

  /** B stores the changes while A hears nothing, then A hears of them all at once. */
  async function storedTogetherOnB(portalId: string, numbers: number[]) {
    hop.holdNotifications();
    const results: RecordResult[] = [];
    for (const n of numbers) results.push(await b.app.changes.record(suspension(portalId, n)));
    await waitFor(
      () => hop.holdsNotification(`"changeId":${results.at(-1)!.change.id}`),
      10_000,
      'the last notification reaching the hop',
    );
    hop.releaseNotifications();
    return results;
  }

  test('two changes heard together: each event has the status right after its own change', async () => {
    const portalId = '9500001';
    await createPortal(a.app, portalId, null);
    const first = await b.app.changes.record(suspension(portalId, 1));
    const stream = await openStream(baseA, portalId);
    try {
      const [second, third] = await storedTogetherOnB(portalId, [2, 3]);
      await waitFor(() => stream.events.length >= 3, 10_000, 'the two changes B stored');
      expect(stream.events.map((event) => event.id)).toEqual(
        [first, second!, third!].map((result) => result.change.id),
      );
      // Event 2 used to carry event 3's status: the portal's status when A read it.
      expect(stream.events.map((event) => event.status?.title)).toEqual([
        'event 1',
        'event 2',
        'event 3',
      ]);
      expect(stream.events[1]!.status).toEqual(JSON.parse(JSON.stringify(second!.status)));
      expect(stream.events[2]!.status).toEqual(JSON.parse(JSON.stringify(third!.status)));
    } finally {
      await stream.close();
    }
  });

  test('a burst is read in one batch for the portal, not per change nor per stream', async () => {
    const portalId = '9500002';
    await createPortal(a.app, portalId, null);
    const streams = [];
    for (let i = 0; i < 3; i++) streams.push(await openStream(baseA, portalId));
    // Every statement A sends about this portal while it relays the burst.
    const db = (a.app.store as unknown as { db: { query: (...args: unknown[]) => unknown } }).db;
    const query = db.query;
    let reads = 0;
    db.query = function (this: unknown, ...args: unknown[]) {
      if (Array.isArray(args[1]) && args[1][0] === portalId) reads++;
      return query.apply(this, args);
    };
    try {
      const numbers = Array.from({ length: 10 }, (_, i) => i + 1);
      const results = await storedTogetherOnB(portalId, numbers);
      for (const stream of streams) {
        const last = results.at(-1)!.change.id;
        await waitFor(() => stream.events.at(-1)?.id === last, 10_000, 'the burst on every stream');
        expect(stream.events.slice(1).map((event) => event.id)).toEqual(
          results.map((result) => result.change.id),
        );
        expect(stream.events.slice(1).map((event) => event.status?.title)).toEqual(
          numbers.map((n) => `event ${n}`),
        );
      }
      // The changes with their heads, then their history: two reads (one per change and more before).
      expect(reads).toBeLessThanOrEqual(3);
    } finally {
      db.query = query;
      for (const stream of streams) await stream.close();
    }
  });

  const health = async () => (await a.app.inject({ method: 'GET', url: '/health' })).statusCode;

  test("a portal B deleted and created again while A's LISTEN was down: A's streams of the deleted one end, as if its deletion had been heard", async () => {
    const portalId = '9500003';
    await createPortal(a.app, portalId, null);
    const first = await b.app.changes.record(suspension(portalId, 1));
    const stream = await openStream(baseA, portalId);
    const forgotten: string[] = [];
    a.app.portals.onDeleted((id) => forgotten.push(id));
    try {
      // A's LISTEN connection is cut, and LISTEN cannot come back until the test lets it.
      hop.holdListen(true);
      hop.cutListen();
      await waitFor(async () => (await health()) === 503, 10_000, "A's /health saying 503");
      const deleted = await b.app.inject({
        method: 'DELETE',
        url: `/v1/admin/portals/${portalId}`,
        headers: admin,
      });
      expect(deleted.statusCode).toBe(204);
      await createPortal(b.app, portalId, null);
      const ofTheNewOne = await b.app.changes.record(suspension(portalId, 7));
      hop.holdListen(false);
      await waitFor(async () => (await health()) === 200, 10_000, "A's LISTEN back");

      // Its mailbox reader, org session, cached portal and streams were the deleted portal's.
      await waitFor(() => stream.ended(), 10_000, "the deleted portal's stream ending");
      expect(forgotten).toEqual([portalId]);
      // Not carried on into the new portal's history with a "cannot replay" note.
      expect(stream.events.map((event) => event.id)).toEqual([first.change.id]);
      expect(stream.text()).not.toContain('cannot replay');
      // A stream opened now is the new portal's.
      const again = await openStream(baseA, portalId);
      try {
        expect(again.events.map((event) => [event.id, event.status?.title])).toEqual([
          [ofTheNewOne.change.id, 'event 7'],
        ]);
      } finally {
        await again.close();
      }
    } finally {
      await stream.close();
    }
  });
});
