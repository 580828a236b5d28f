import { randomBytes } from 'node:crypto';
import {
  createPortal,
  listen,
  POSTGRES_URL,
  postgresSchema,
  startTestRelay,
  suspension,
  type TestRelay,
  waitFor,
} from './helpers.js';
import { openStream } from './streamClient.js';

// A stream opening on A reads the newest change and the status from the store. A change B stored
// just before is also on its way to A as a live event (NOTIFY, then A reads the change): when that
// event comes after the opening already sent the change, the stream must not send it again.

describe('a stream opening while a change from another instance is on its way', () => {
  let schema: { schema: string; drop: () => Promise<void> };
  let a: TestRelay;
  let b: TestRelay;
  let baseA: string;

  beforeAll(async () => {
    schema = await postgresSchema();
    const shared = { databaseSchema: schema.schema, secretKey: randomBytes(32) };
    a = await startTestRelay({ ...shared, databaseUrl: POSTGRES_URL });
    b = await startTestRelay({ ...shared, databaseUrl: POSTGRES_URL });
    baseA = await listen(a.app);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await schema.drop();
  });

  test('the change the opening sent is not sent again when its live event arrives after', async () => {
    const portalId = '9410001';
    await createPortal(a.app, portalId, null);
    // Already listening on A: A reads B's change for its streams as soon as it is notified.
    const watcher = await openStream(baseA, portalId);

    // Holds A's reading of B's change (after the read, so letting it go emits it at once) until
    // the second stream has opened.
    const changesWithStatus = a.app.store.changesWithStatus.bind(a.app.store);
    let reached!: (ids: readonly number[]) => void;
    const reading = new Promise<readonly number[]>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let armed = true;
    const spy = jest
      .spyOn(a.app.store, 'changesWithStatus')
      .mockImplementation(async (portal, ids) => {
        const read = await changesWithStatus(portal, ids);
        if (armed && portal === portalId) {
          armed = false;
          reached(ids);
          await released;
        }
        return read;
      });
    try {
      const fromB = await b.app.changes.record(suspension(portalId, 1));
      expect(await reading).toEqual([fromB.change.id]);

      // Opens with B's change, read from the store, while its live event is still held.
      const late = await openStream(baseA, portalId);
      try {
        expect(late.events.map((event) => event.id)).toEqual([fromB.change.id]);
        release();
        // Emitted to every stream of the portal at once: the watcher has it, so `late` was offered it.
        await waitFor(() => watcher.events.length >= 2, 10_000, "the watcher getting B's change");
        const next = await b.app.changes.record(suspension(portalId, 2));
        await waitFor(
          () => late.events.some((event) => event.id === next.change.id),
          10_000,
          "B's next change",
        );
        expect(late.events.map((event) => event.id)).toEqual([fromB.change.id, next.change.id]);
        expect(late.events.map((event) => event.status?.title)).toEqual(['event 1', 'event 2']);
        expect(watcher.events.map((event) => event.id)).toEqual([
          null,
          fromB.change.id,
          next.change.id,
        ]);
      } finally {
        await late.close();
      }
    } finally {
      release();
      spy.mockRestore();
      await watcher.close();
    }
  });
});
