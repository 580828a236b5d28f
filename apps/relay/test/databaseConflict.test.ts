import pg from 'pg';
import {
  admin,
  createPortal,
  POSTGRES_URL,
  postgresSchema,
  signed,
  startTestRelay,
  type TestRelay,
} from './helpers.js';
import { conflictTrigger } from './conflictTrigger.js';
import { holdRowsOf, type RowHolder } from './rowHolder.js';

// PostgreSQL rolls a request's transaction back when another transaction holds rows it needs in
// the opposite order (a deadlock). Here the other one is the test's own session, as an operator's
// psql session left open would be, and the request is the admin's new Salesforce connection,
// whose resume locks the portal's pending changes. The relay runs the rolled-back transaction
// again, so the request completes once the session lets go; when every attempt is rolled back, it
// answers 503 DATABASE_CONFLICT (it answered 500 INTERNAL_ERROR, which says the request broke the
// relay).
describe('a request whose transaction PostgreSQL rolls back for a conflict (PostgreSQL)', () => {
  let relay: TestRelay;
  let drop: () => Promise<void>;
  let session: RowHolder;
  let schema: string;
  const portalId = '8800077';

  beforeAll(async () => {
    ({ schema, drop } = await postgresSchema());
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

  /** The relay's conflicts so far, by outcome, as /metrics says them. */
  async function conflicts(): Promise<{ retried: number; gave_up: number }> {
    const text = (await relay.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (outcome: string) =>
      Number(
        text.match(
          new RegExp(`^relay_database_conflicts_total{outcome="${outcome}"} (\\d+)$`, 'm'),
        )?.[1],
      );
    return { retried: count('retried'), gave_up: count('gave_up') };
  }

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

  test('the transaction rolled back by a deadlock is run again, and the request goes through', async () => {
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
    expect(await conflicts()).toEqual({ retried: 0, gave_up: 0 });

    // The session holds the third change's row; the request's resume takes the second's, then
    // waits for the third; the session then asks for the second: each waits for the other.
    await session.hold(ids[2]!);
    const answering = connect();
    await session.waitedFor('the resume waiting for the third change');
    // PostgreSQL checks for a deadlock after deadlock_timeout (1 s): the request waited first, so
    // its check finds the cycle and its transaction is the one rolled back. The session gets the
    // second change's row; the resume, run again, waits for it.
    await session.hold(ids[1]!);
    await session.waitedFor('the resume, run again, waiting for the second change');
    expect(await conflicts()).toEqual({ retried: 1, gave_up: 0 });
    await session.release();

    const answer = await answering;
    expect(answer.statusCode).toBe(200);
    // The resume went through: the parked change is the portal's head again, the others behind it.
    const next = await store.claimDeliveries('relay-b#1.1', {
      leaseMs: 60_000,
      limit: 10,
      perPortal: 5,
    });
    expect(next.map((d) => d.id)).toEqual(ids);
  });

  test('rolled back on every attempt, the request answers 503 DATABASE_CONFLICT with Retry-After', async () => {
    // The database raises a serialization failure on every change to a portal row (the test's
    // trigger), as a session that kept taking the rows would cause.
    const sql = new pg.Client({ connectionString: POSTGRES_URL });
    await sql.connect();
    try {
      const trigger = await conflictTrigger(sql, schema);
      await trigger.raise('portals', '40001');
      const before = await conflicts();

      const answer = await connect();

      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.json()).toMatchObject({ code: 'DATABASE_CONFLICT' });
      expect(answer.json().error).toMatch(/send the same request again to complete it$/);
      expect(await conflicts()).toEqual({
        retried: before.retried + 2,
        gave_up: before.gave_up + 1,
      });
      await trigger.stop('portals');
      // Made again once the conflicts stop, it goes through.
      expect((await connect()).statusCode).toBe(200);
    } finally {
      await sql.end();
    }
  });
});
