import pg from 'pg';
import {
  admin,
  createPortal,
  POSTGRES_URL,
  suspension,
  waitFor,
  type TestRelay,
} from './helpers.js';
import type { DatabaseHop } from './databaseHop.js';
import { hoppedInstances, type HoppedInstances } from './hoppedInstances.js';
import { openStream } from './streamClient.js';

// Several instances on PostgreSQL: a change stored by B reaches the streams open on A through
// LISTEN/NOTIFY. When A's LISTEN connection is lost, what B stores until it is back is never
// notified: once LISTEN is back, A's open streams read it from the store and send it, in order,
// once.

describe("a stream on one instance while that instance's LISTEN connection is lost", () => {
  let instances: HoppedInstances;
  let hop: DatabaseHop;
  let a: TestRelay;
  let b: TestRelay;
  let baseA: string;
  /** The LISTEN statement of A's schema's channel, as pg_stat_activity shows it. */
  let LISTEN: string;
  const database = new pg.Client({ connectionString: POSTGRES_URL });

  beforeAll(async () => {
    instances = await hoppedInstances();
    ({ hop, a, b, baseA } = instances);
    LISTEN = `LISTEN ${instances.channel}`;
    await database.connect();
  });
  // A test that failed with LISTEN held leaves the next one a working LISTEN.
  afterEach(() => hop.holdListen(false));
  afterAll(async () => {
    await database.end();
    await instances?.close();
  });

  const health = async () => (await a.app.inject({ method: 'GET', url: '/health' })).statusCode;
  const adminHealth = async () =>
    (await a.app.inject({ method: 'GET', url: '/health', headers: admin })).json() as {
      database: string;
    };

  /** Ends A's LISTEN backend (and only it) and waits until A knows; LISTEN stays down until `back`. */
  async function loseListen(): Promise<{ back: () => Promise<void> }> {
    hop.holdListen(true);
    const { rows } = await database.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[]) AND query = $2',
      [hop.ports(), LISTEN],
    );
    expect(rows).toHaveLength(1);
    await database.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    // A's own word that LISTEN is lost, not any 503: on a loaded machine a ping slower than
    // /health's 3 s check is a 503 too, and the test then went on before A knew.
    await waitFor(
      async () => /LISTEN .* lost its connection/.test((await adminHealth()).database),
      10_000,
      "A's /health saying LISTEN is lost",
    );
    return {
      back: async () => {
        hop.holdListen(false);
        await waitFor(async () => (await health()) === 200, 10_000, "A's LISTEN back");
      },
    };
  }

  test('once LISTEN is back the stream gets what B (and A) stored meanwhile, in order and once, then later changes as they come', async () => {
    const portalId = '9400001';
    await createPortal(a.app, portalId, null);
    const first = await b.app.changes.record(suspension(portalId, 1));
    const stream = await openStream(baseA, portalId);
    try {
      expect(stream.events.map((event) => event.id)).toEqual([first.change.id]);
      // Heard through LISTEN: the stream follows B.
      const second = await b.app.changes.record(suspension(portalId, 2));
      await waitFor(() => stream.events.length === 2, 10_000, 'the change B stored');

      const listenDown = await loseListen();
      const missedFromB = await b.app.changes.record(suspension(portalId, 3));
      // Stored on A itself meanwhile: sent after B's, which came first.
      const storedOnA = await a.app.changes.record(suspension(portalId, 4));
      await listenDown.back();
      await waitFor(() => stream.events.length >= 4, 10_000, 'the changes stored meanwhile');

      const later = await b.app.changes.record(suspension(portalId, 5));
      await waitFor(() => stream.events.length >= 5, 10_000, 'a change B stored later');
      // One more round trip: a duplicate would have arrived by now.
      const last = await a.app.changes.record(suspension(portalId, 6));
      await waitFor(() => stream.events.length >= 6, 10_000, 'a change A stored later');

      expect(stream.events.map((event) => event.id)).toEqual(
        [first, second, missedFromB, storedOnA, later, last].map((result) => result.change.id),
      );
      expect(stream.events.map((event) => event.status?.title)).toEqual([
        'event 1',
        'event 2',
        'event 3',
        'event 4',
        'event 5',
        'event 6',
      ]);
      expect(stream.text()).not.toContain('cannot replay');
    } finally {
      await stream.close();
    }
  });

  test("a change of A's own stored while its LISTEN connection was gone unnoticed waits behind what B stored before it, and neither is lost", async () => {
    const portalId = '9400007';
    await createPortal(a.app, portalId, null);
    const first = await b.app.changes.record(suspension(portalId, 1));
    const stream = await openStream(baseA, portalId);
    try {
      // A's LISTEN connection is gone, and A does not know: B's change is never notified.
      hop.silenceListen();
      const missedFromB = await b.app.changes.record(suspension(portalId, 2));
      const storedOnA = await a.app.changes.record(suspension(portalId, 3));
      // A's own change used to be sent at once, ahead of B's, and the catch-up once LISTEN was
      // back (it reads after the last change sent) never read B's: the stream lost it for good.
      // A notices (keepalive, a failed write), and LISTEN comes back.
      hop.cutListen();
      await waitFor(
        () => stream.events.length >= 3,
        10_000,
        'the changes stored while LISTEN was gone',
      );
      const later = await b.app.changes.record(suspension(portalId, 4));
      await waitFor(() => stream.events.length >= 4, 10_000, 'a change B stored later');
      expect(stream.events.map((event) => event.id)).toEqual(
        [first, missedFromB, storedOnA, later].map((result) => result.change.id),
      );
    } finally {
      await stream.close();
    }
  });

  test('nothing stored while LISTEN was down: nothing is sent again', async () => {
    const portalId = '9400002';
    await createPortal(a.app, portalId, null);
    const first = await b.app.changes.record(suspension(portalId, 1));
    const stream = await openStream(baseA, portalId);
    // A portal without changes yet: its stream had only the blank status, nothing to replay.
    await createPortal(a.app, '9400003', null);
    const fresh = await openStream(baseA, '9400003');
    try {
      const listenDown = await loseListen();
      await listenDown.back();
      const after = await b.app.changes.record(suspension(portalId, 2));
      await waitFor(() => stream.events.length >= 2, 10_000, 'the change B stored after');
      const other = await b.app.changes.record(suspension('9400003', 1));
      await waitFor(() => fresh.events.length >= 2, 10_000, 'the first change of the other portal');
      expect(stream.events.map((event) => event.id)).toEqual([first.change.id, after.change.id]);
      expect(fresh.events.map((event) => event.id)).toEqual([null, other.change.id]);
    } finally {
      await stream.close();
      await fresh.close();
    }
  });

  test('a portal B deleted while LISTEN was down: once it is back A forgets it and ends its streams, sending nothing more', async () => {
    const streamed = '9400004';
    const cachedOnly = '9400005';
    const kept = '9400006';
    for (const id of [streamed, cachedOnly, kept]) await createPortal(a.app, id, null);
    const first = await b.app.changes.record(suspension(streamed, 1));
    const stream = await openStream(baseA, streamed);
    const keptStream = await openStream(baseA, kept);
    // A request on A puts the portal in A's portal cache.
    const state = (id: string) =>
      a.app.inject({ method: 'GET', url: `/v1/portals/${id}/state`, headers: admin });
    expect((await state(cachedOnly)).statusCode).toBe(200);
    const forgotten: string[] = [];
    a.app.portals.onDeleted((id) => forgotten.push(id));
    try {
      const listenDown = await loseListen();
      for (const id of [streamed, cachedOnly]) {
        const deleted = await b.app.inject({
          method: 'DELETE',
          url: `/v1/admin/portals/${id}`,
          headers: admin,
        });
        expect(deleted.statusCode).toBe(204);
      }
      await listenDown.back();
      await waitFor(() => stream.ended(), 10_000, "the deleted portal's stream ending");
      // Forgotten together: the cached portal too, as a deletion heard through NOTIFY would.
      expect(forgotten.sort()).toEqual([streamed, cachedOnly]);
      expect((await state(cachedOnly)).statusCode).toBe(404);
      expect((await state(streamed)).statusCode).toBe(404);
      // Ended without a blank "current status" read from the emptied store first.
      expect(stream.events.map((event) => event.id)).toEqual([first.change.id]);
      // A portal that still exists keeps its stream and its changes.
      const later = await b.app.changes.record(suspension(kept, 1));
      await waitFor(() => keptStream.events.length >= 2, 10_000, "the kept portal's change");
      expect(keptStream.events.map((event) => event.id)).toEqual([null, later.change.id]);
      expect(keptStream.ended()).toBe(false);
    } finally {
      await stream.close();
      await keptStream.close();
    }
  });
});
