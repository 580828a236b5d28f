import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CHECK_TIMEOUT_MS } from '../src/plugins/salesforceReachability.js';
import { openPostgres } from '../src/store/postgres.js';
import type { SqlDb } from '../src/store/sqlDb.js';
import {
  admin,
  createPortal,
  POSTGRES_URL,
  suspension,
  waitFor,
  type TestRelay,
} from './helpers.js';
import { databaseHop, type DatabaseHop } from './databaseHop.js';
import { hoppedInstances, type HoppedInstances } from './hoppedInstances.js';
import { openStream } from './streamClient.js';

// A LISTEN connection that dies without a word (a NAT, firewall or load balancer forgetting it
// after its idle timeout, a partition, a failover leaving the socket half-open) raises no error
// until TCP keepalive gives up, hours later. Meanwhile every live stream of the instance hears
// nothing, not even the instance's own changes, and /health said all was well. A ping on the
// LISTEN connection, with a deadline, notices it.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the LISTEN connection, pinged', () => {
  // NOTIFY channels are database-wide: a fixed name hears another run of this file on the same
  // server (a second checkout's suite, a developer's run beside CI's) and fails on its payloads.
  const channel = `relay_heartbeat_test_${randomBytes(4).toString('hex')}`;
  let hop: DatabaseHop;
  let db: SqlDb | null = null;
  /** The LISTEN of a test that failed before stopping it (a checked-out client holds up close). */
  let stopListen: (() => Promise<void>) | null = null;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    hop = await databaseHop({ channel });
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await stopListen?.();
    stopListen = null;
    await db?.close();
    db = null;
    await hop.close();
  });

  test('a healthy connection is never taken for lost over many pings, and still hears', async () => {
    // The hop runs in this process: a stall of the test's loop (the full suite loading the
    // machine) holds the answer up too, so the deadline is one no such stall comes near, as for
    // instance A below. The pings still come every 50 ms.
    db = await openPostgres(hop.url, null, { listenPingMs: 50, listenPingTimeoutMs: 2_000 });
    const heard: string[] = [];
    const gaps: string[] = [];
    const stop = (stopListen = await db.listen!(channel, (payload) => heard.push(payload), {
      lost: () => gaps.push('lost'),
      resumed: () => gaps.push('resumed'),
    }));
    const problems = new Set<string>();
    // Watched past the deadline: a ping whose answer went unheeded would be taken for lost here.
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const problem = db.listenProblem!();
      if (problem) problems.add(problem);
      await sleep(10);
    }
    // Pinged all along (60 periods of 50 ms: at least 10 even on a loaded machine)...
    expect(hop.pings()).toBeGreaterThanOrEqual(10);
    // ...and never lost.
    expect([...problems]).toEqual([]);
    expect(gaps).toEqual([]);
    await db.query(`SELECT pg_notify('${channel}', 'still here')`);
    await waitFor(() => heard.length === 1, 5_000, 'the notification');
    expect(heard).toEqual(['still here']);
    await stop();
    const pingsAtStop = hop.pings();
    await sleep(200);
    // Stopped: no ping runs any more.
    expect(hop.pings()).toBe(pingsAtStop);
    expect(unhandled).toEqual([]);
  });

  test('an answer that arrived while the event loop was blocked past the deadline still counts', async () => {
    // Straight to PostgreSQL: a hop in this process would be blocked too, and hold the answer.
    db = await openPostgres(POSTGRES_URL, null, { listenPingMs: 50, listenPingTimeoutMs: 100 });
    const gaps: string[] = [];
    stopListen = await db.listen!(channel, () => undefined, {
      lost: () => gaps.push('lost'),
      resumed: () => gaps.push('resumed'),
    });
    // Right after a ping is sent, the loop is busy for 300 ms (jest compiling a module, a large
    // JSON.parse): the answer waits in the socket while the deadline passes.
    const query = pg.Client.prototype.query;
    let stalls = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const result = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (args[0] === 'SELECT 1' && stalls < 3) {
        // Once the ping's deadline is set, and after this turn's poll for I/O: the answer comes
        // in during the stall, and the deadline has passed when the loop looks again.
        setImmediate(() => {
          stalls++;
          const until = Date.now() + 300;
          while (Date.now() < until);
        });
      }
      return result;
    } as typeof query;
    try {
      await waitFor(() => stalls === 3, 5_000, 'three stalls');
      await sleep(300);
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(gaps).toEqual([]);
    expect(db.listenProblem!()).toBeNull();
    expect(unhandled).toEqual([]);
  });

  test('a connection gone silent is noticed within the ping period and its deadline, and LISTEN comes back', async () => {
    db = await openPostgres(hop.url, null, { listenPingMs: 100, listenPingTimeoutMs: 300 });
    const heard: string[] = [];
    const gaps: string[] = [];
    const stop = (stopListen = await db.listen!(channel, (payload) => heard.push(payload), {
      lost: () => gaps.push('lost'),
      resumed: () => gaps.push('resumed'),
    }));
    hop.holdListen(true);
    const silencedAt = Date.now();
    hop.silenceListen();
    const problem = await waitFor(() => db!.listenProblem!(), 5_000, 'LISTEN taken for lost');
    const noticedAfter = Date.now() - silencedAt;
    expect(problem).toBe(
      `LISTEN ${channel} lost its connection (it did not answer a ping within 0.3 s); reconnecting`,
    );
    expect(gaps).toEqual(['lost']);
    // Ping period + deadline is 400 ms; generous for a loaded machine.
    expect(noticedAfter).toBeLessThan(2_500);
    hop.holdListen(false);
    await waitFor(() => gaps.length === 2, 5_000, 'LISTEN back');
    expect(gaps).toEqual(['lost', 'resumed']);
    expect(db.listenProblem!()).toBeNull();
    await db.query(`SELECT pg_notify('${channel}', 'back')`);
    await waitFor(() => heard.length === 1, 5_000, 'a notification after');
    await stop();
    expect(unhandled).toEqual([]);
  });

  test('stopping with a ping in flight on a silent connection neither throws nor hangs, and says nothing is lost', async () => {
    db = await openPostgres(hop.url, null, { listenPingMs: 50, listenPingTimeoutMs: 1_000 });
    const gaps: string[] = [];
    const stop = (stopListen = await db.listen!(channel, () => undefined, {
      lost: () => gaps.push('lost'),
      resumed: () => gaps.push('resumed'),
    }));
    hop.silenceListen();
    const pings = hop.pings();
    // Past the ping period: a ping is sent into the silent connection and waits for its answer.
    await waitFor(() => hop.pings() > pings, 5_000, 'a ping in flight');
    const started = Date.now();
    await expect(Promise.race([stop(), sleep(3_000).then(() => 'still waiting')])).resolves.toBe(
      undefined,
    );
    // UNLISTEN queued behind the ping never answers either: dropped at the deadline, not waited
    // for forever.
    expect(Date.now() - started).toBeLessThan(2_000);
    await sleep(1_200);
    expect(gaps).toEqual([]);
    expect(db.listenProblem!()).toBeNull();
    await expect(db.close()).resolves.toBeUndefined();
    db = null;
    expect(unhandled).toEqual([]);
  });
});

// Instance A reaches PostgreSQL through a hop in this process: while the test's event loop is held
// up (a relay starting, a module compiled on first use, a loaded CI machine), a ping's answer waits
// in the hop too, which a direct connection's does not (keepPinging counts an answer that arrived
// during a stall). A 300 ms deadline took A's healthy LISTEN for lost under the full suite's load
// (listen_up 0 before the silence), so A's deadline is one no stall of the test comes near.
const A_PING = { intervalMs: 200, timeoutMs: 2_000 } as const;

describe("instance A's LISTEN connection going silent, never cut", () => {
  let instances: HoppedInstances;
  let hop: DatabaseHop;
  let a: TestRelay;
  let b: TestRelay;
  let baseA: string;

  beforeAll(async () => {
    instances = await hoppedInstances({ listenPing: A_PING });
    ({ hop, a, b, baseA } = instances);
  });
  afterEach(() => hop.holdListen(false));
  afterAll(() => instances?.close());

  const health = () => a.app.inject({ method: 'GET', url: '/health', headers: admin });
  const listenUp = async () => {
    const text = (await a.app.inject({ method: 'GET', url: '/metrics' })).body;
    const match = /^relay_database_listen_up (\S+)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  };

  test('A notices within ping + deadline, /health and the metric say so, and once LISTEN is back its stream gets what B and A stored meanwhile, in order', async () => {
    const portalId = '9500001';
    await createPortal(a.app, portalId, null);
    const first = await b.app.changes.record(suspension(portalId, 1));
    const stream = await openStream(baseA, portalId);
    try {
      expect(stream.events.map((event) => event.id)).toEqual([first.change.id]);
      expect(await listenUp()).toBe(1);

      // LISTEN cannot come back until the test has read /health and the metric.
      hop.holdListen(true);
      const silencedAt = Date.now();
      hop.silenceListen();
      const fromB = await b.app.changes.record(suspension(portalId, 2));
      const fromA = await a.app.changes.record(suspension(portalId, 3));

      const reason = await waitFor(
        async () => {
          const response = await health();
          const { database } = response.json() as { database: string };
          return response.statusCode === 503 && /LISTEN .* ping/.test(database) && database;
        },
        10_000,
        "A's /health naming the LISTEN that did not answer its ping",
      );
      const noticedAfter = Date.now() - silencedAt;
      expect(reason).toContain(
        `LISTEN ${instances.channel} lost its connection (it did not answer a ping within ${A_PING.timeoutMs / 1000} s); reconnecting`,
      );
      // Within a ping period and its deadline (/health adds up to its own check on a slow machine).
      expect(noticedAfter).toBeLessThan(A_PING.intervalMs + A_PING.timeoutMs + CHECK_TIMEOUT_MS);
      expect(await listenUp()).toBe(0);
      // Nothing reached the stream through the dead connection, not even A's own change.
      expect(stream.events).toHaveLength(1);

      hop.holdListen(false);
      await waitFor(async () => (await health()).statusCode === 200, 10_000, "A's LISTEN back");
      expect(await listenUp()).toBe(1);
      await waitFor(() => stream.events.length >= 3, 10_000, 'the changes stored meanwhile');
      const later = await b.app.changes.record(suspension(portalId, 4));
      await waitFor(() => stream.events.length >= 4, 10_000, 'a change B stored later');
      expect(stream.events.map((event) => event.id)).toEqual(
        [first, fromB, fromA, later].map((result) => result.change.id),
      );
      expect(stream.text()).not.toContain('cannot replay');
    } finally {
      await stream.close();
    }
  });
});
