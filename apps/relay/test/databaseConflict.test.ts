import {
  admin,
  createPortal,
  POSTGRES_URL,
  postgresSchema,
  signed,
  startTestRelay,
  type TestRelay,
} from './helpers.js';
import { holdRowsOf, type RowHolder } from './rowHolder.js';

// PostgreSQL rolls a request's transaction back when another transaction holds rows it needs in
// the opposite order (a deadlock). Here the other one is the test's own session, as an operator's
// psql session left open would be, and the request is the admin's new Salesforce connection,
// whose resume locks the portal's pending changes. Made again, the request completes: it answered
// 500 INTERNAL_ERROR, which says the request broke the relay.
describe('a request rolled back by a deadlock (PostgreSQL)', () => {
  let relay: TestRelay;
  let drop: () => Promise<void>;
  let session: RowHolder;
  const portalId = '8800077';

  beforeAll(async () => {
    const { schema, drop: dropSchema } = await postgresSchema();
    drop = dropSchema;
    // No outbox worker: the test moves the deliveries itself.
    relay = await startTestRelay({
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
      outbox: { enabled: false } as TestRelay['app']['config']['outbox'],
    });
    session = await holdRowsOf(schema);
  });
  afterAll(async () => {
    await session.close();
    await relay.close();
    await drop();
  });

  test('answers 503 DATABASE_CONFLICT with Retry-After, and the same request then goes through', async () => {
    const { signingSecret } = await createPortal(relay.app, portalId, null);
    for (const n of [1, 2, 3]) {
      const sent = await relay.app.inject({
        method: 'POST',
        url: `/v1/portals/${portalId}/suspensions`,
        ...signed(signingSecret, {
          reason: 'API_LIMIT_EXCEEDED',
          occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
          eventId: `evt-conflict-${n}`,
        }),
      });
      expect(sent.statusCode).toBe(202);
    }
    // The first change is parked: the portal has no connection.
    const store = relay.app.store;
    const [first] = await store.claimDeliveries('relay-a#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 1,
    });
    await store.awaitConnection(first!.id, 'relay-a#1.1', 'NOT_CONFIGURED', new Date());
    const ids = (await store.listDeliveries(portalId, { limit: 10, cursor: null })).items
      .map((d) => d.id)
      .sort((a, b) => a - b);

    // The session holds the third change's row; the request's resume takes the second's, then
    // waits for the third; the session then asks for the second: each waits for the other.
    await session.hold(ids[2]!);
    const connect = () =>
      relay.app.inject({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/salesforce`,
        headers: admin,
        payload: {
          kind: 'token',
          instanceUrl: 'http://127.0.0.1:9',
          accessToken: 'second-token-for-tests',
        },
      });
    const answering = connect();
    await session.waitedFor('the resume waiting for the third change');
    // PostgreSQL checks for a deadlock after deadlock_timeout (1 s): the request waited first, so
    // its check finds the cycle and its transaction is the one rolled back.
    await session.hold(ids[1]!);
    const answer = await answering;
    await session.release();

    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.json()).toMatchObject({ code: 'DATABASE_CONFLICT' });
    expect(answer.json().error).toMatch(/send the same request again to complete it$/);
    // Nothing was resumed: the rolled-back transaction kept nothing.
    const parked = await store.listDeliveries(portalId, {
      limit: 10,
      cursor: null,
      state: 'waitingForConnection',
    });
    expect(parked.items.map((d) => d.id)).toEqual([first!.id]);

    // Made again, the request goes through and resumes the parked change, the portal's head again.
    expect((await connect()).statusCode).toBe(200);
    const next = await store.claimDeliveries('relay-b#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
    });
    expect(next.map((d) => d.id)).toEqual(ids);
  });
});
