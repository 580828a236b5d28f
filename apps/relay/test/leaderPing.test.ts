import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { LOCK_SESSION_KEEPALIVES, startLeadership, type Leadership } from '../src/leadership.js';
import { databaseHop, type DatabaseHop } from './databaseHop.js';
import { admin, POSTGRES_URL, postgresSchema, waitFor } from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// The signals leader (detector, mailbox readers, access watch) holds a PostgreSQL advisory lock
// on a session of its own. When that session dies without a word (a NAT or firewall forgetting
// it, a half-open socket after a failover), the server releases the lock once it notices and
// another instance takes the lead, but the old leader heard nothing until TCP keepalive gave up
// (~11 minutes): two instances led. The session is now pinged like the LISTEN connection.

// The hop runs in this process: while the test's event loop is held up (another relay starting,
// a loaded CI machine), a ping's answer waits in the hop too, which a direct connection's does not
// (keepPinging counts an answer that arrived during a stall). A 300 ms deadline took healthy
// sessions for lost under the full suite's load, so the tests' sessions get a deadline no stall
// of a test comes near; a silent session is still noticed within the tests' waits.
const PING = { intervalMs: 100, timeoutMs: 2_000 } as const;

describe("the leader lock's session going silent, never cut", () => {
  let hop: DatabaseHop;
  let schema: { schema: string; drop: () => Promise<void> };
  const leaderships: Leadership[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    schema = await postgresSchema();
    hop = await databaseHop();
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    for (const leadership of leaderships.splice(0)) await leadership.stop();
    await hop.close();
    await schema.drop();
  });

  const lead = async (name: string, databaseUrl: string, events: string[]) => {
    const leadership = await startLeadership({
      role: 'hubspot-detector',
      mode: 'auto',
      databaseUrl,
      databaseSchema: schema.schema,
      log: pino({ level: 'silent' }),
      onAcquire: () => void events.push(`${name} leads`),
      onLose: () => void events.push(`${name} stops`),
      retryMs: 100,
      pingMs: PING.intervalMs,
      pingTimeoutMs: PING.timeoutMs,
    });
    leaderships.push(leadership);
    return leadership;
  };

  test('the old leader stops at once, never leads beside the new one, and takes the lead again on a new connection', async () => {
    const events: string[] = [];
    const a = await lead('A', hop.url, events);
    expect(a.isLeader).toBe(true);
    const b = await lead('B', POSTGRES_URL, events);
    expect(b.isLeader).toBe(false);

    // A's lock session goes silent; on the server it lives on, lock and all, for now.
    expect(hop.silenceLeaderLocks()).toHaveLength(1);
    await waitFor(() => events.includes('A stops'), 10_000, 'A to stop leading');
    expect(a.isLeader).toBe(false);
    // Nobody leads while the server still holds the dead session's lock: A's new connection does
    // not get it, nor does B.
    expect(b.isLeader).toBe(false);

    // The server notices the session is gone (the hop drops it) and the lock is free; A's network
    // is still away (the hop refuses it), so B takes the lead.
    await hop.cut();
    await waitFor(() => b.isLeader, 10_000, 'B to lead');
    expect(a.isLeader).toBe(false);
    // Never two at once: A had stopped before B started.
    expect(events).toEqual(['A leads', 'A stops', 'B leads']);

    // A keeps trying on new connections: once its network is back and B goes, A leads again.
    await hop.restore();
    await b.stop();
    await waitFor(() => a.isLeader, 10_000, 'A to lead again');
    expect(events).toEqual(['A leads', 'A stops', 'B leads', 'B stops', 'A leads']);
    expect(unhandled).toEqual([]);
  });

  test('an instance that does not lead notices its silent session too, and takes the lead on a new one', async () => {
    const events: string[] = [];
    const b = await lead('B', POSTGRES_URL, events);
    const a = await lead('A', hop.url, events);
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    // A's session dies while A waits for the lock: its next lock query, sent into the dead
    // session, would wait for good and A would never lead.
    expect(hop.silenceLeaderLocks()).toHaveLength(1);
    await b.stop();
    await waitFor(() => a.isLeader, 10_000, 'A to lead on a new connection');
    expect(events).toEqual(['B leads', 'B stops', 'A leads']);
    expect(unhandled).toEqual([]);
  });

  test("asks the server to notice a dead leader within about a minute, so the next one need not wait for the OS's two hours", async () => {
    const events: string[] = [];
    const a = await lead('A', hop.url, events);
    expect(a.isLeader).toBe(true);
    const sent = hop.leaderLockSessionText();
    const setting = (name: string) =>
      Number(new RegExp(`SET ${name} = (\\d+)`).exec(sent)?.[1] ?? Number.NaN);
    const idle = setting('tcp_keepalives_idle');
    const interval = setting('tcp_keepalives_interval');
    const count = setting('tcp_keepalives_count');
    expect([idle, interval, count]).toEqual([
      LOCK_SESSION_KEEPALIVES.idle,
      LOCK_SESSION_KEEPALIVES.interval,
      LOCK_SESSION_KEEPALIVES.count,
    ]);
    // Silence for idle + interval * count seconds and the server ends the session, lock and all.
    expect(idle + interval * count).toBeLessThanOrEqual(90);
  });

  test('a healthy session is never taken for lost over many pings', async () => {
    const events: string[] = [];
    const a = await lead('A', hop.url, events);
    // A ping follows only once the one before was answered: this many sent means the session was
    // pinged (and answered) for longer than a ping's deadline, more than ten times over.
    const enough = PING.timeoutMs / PING.intervalMs + 10;
    const pings = () => hop.leaderLockSessionText().split('SELECT 1').length - 1;
    await waitFor(
      () => {
        expect(a.isLeader).toBe(true);
        return pings() >= enough;
      },
      30_000,
      `${enough} pings answered`,
    );
    expect(events).toEqual(['A leads']);
  });
});

describe('a relay whose leader sessions go silent: /health', () => {
  let schema: { schema: string; drop: () => Promise<void> };
  let hop: DatabaseHop;
  const relays: SignalsRelay[] = [];

  beforeAll(async () => {
    schema = await postgresSchema();
    hop = await databaseHop();
  });
  afterAll(async () => {
    for (const relay of relays) await relay.close();
    await hop.close();
    await schema.drop();
  });

  test('says at once that the detector and the access watch no longer run here', async () => {
    const secretKey = randomBytes(32);
    const signals = signalsConfig({
      detector: { enabled: true, baseUrl: 'http://127.0.0.1:9', intervalMs: 600_000 },
      accessWatch: { enabled: true },
      alerts: { enabled: false },
    });
    const overrides = {
      databaseSchema: schema.schema,
      listenPing: PING,
    };
    const a = await startSignalsRelay({
      secretKey,
      signals,
      overrides: { ...overrides, databaseUrl: hop.url },
    });
    relays.push(a);
    const b = await startSignalsRelay({
      secretKey,
      signals,
      overrides: { ...overrides, databaseUrl: POSTGRES_URL },
    });
    relays.push(b);
    const running = async (relay: SignalsRelay) => {
      const body = (
        await relay.app.inject({ method: 'GET', url: '/health', headers: admin })
      ).json();
      return [body.signals.detector.running, body.signals.accessWatch.running];
    };
    expect(await running(a)).toEqual([true, true]);
    expect(await running(b)).toEqual([false, false]);

    // Only the lock sessions (one per role that runs here: detector and access watch); the
    // store's own connections still answer.
    expect(hop.silenceLeaderLocks()).toHaveLength(2);
    await waitFor(
      async () => JSON.stringify(await running(a)) === '[false,false]',
      10_000,
      "A's /health to say it stopped leading",
    );
    expect(a.app.hubspotDetector!.running).toBe(false);
    expect(a.app.accessWatch!.running).toBe(false);
  });
});
