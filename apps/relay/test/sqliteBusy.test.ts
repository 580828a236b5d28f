import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// Another connection writes to the relay's SQLite file (an operator's sqlite3 session without
// -readonly) and keeps its transaction open. The relay waited its busy timeout, then answered the
// sender 500 INTERNAL_ERROR, which says the request broke the relay and which senders give up on.
// Nothing of the write was kept, and once the lock is free the same request completes: a 503.
// The wait itself was node:sqlite's busy timeout, which blocks the whole process: liveness,
// /health and every read stopped answering for 5 s per write. It is now spent between tries.

/** The relay's SQLite connection, whose waits the tests shorten (the relay waits 5 s). */
interface LockWaits {
  lockWaitMs: number;
  lockReportMs: number;
}
const lockWaits = (relay: TestRelay): LockWaits =>
  (relay.app.store as unknown as { db: LockWaits }).db;

/** Settles with 'pending' if `promise` has not settled by the time the event loop turns once. */
const stateOf = (promise: Promise<unknown>): Promise<'settled' | 'pending'> =>
  Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending'))),
  ]);

describe('the SQLite store locked by another connection', () => {
  let relay: TestRelay;
  let secret: string;
  let other: DatabaseSync;
  const portalId = '4471339';
  const url = `/v1/portals/${portalId}/suspensions`;
  const signal = (eventId: string) => ({
    reason: 'ORG_LOCKED',
    occurredAt: '2026-11-28T10:00:00Z',
    eventId,
  });
  const send = (eventId: string) =>
    relay.app.inject({ method: 'POST', url, ...signed(secret, signal(eventId)) });
  const stored = async () =>
    (await relay.app.store.listChanges(portalId, { limit: 10 })).items.map((c) => c.eventId);

  const start = async (overrides: Parameters<typeof startTestRelay>[0] = {}) => {
    relay = await startTestRelay(overrides);
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
    other = new DatabaseSync(join(relay.app.config.dataDir, 'relay.sqlite'));
  };
  beforeEach(() => start());
  afterEach(async () => {
    if (other.isTransaction) other.exec('ROLLBACK');
    other.close();
    await relay.close();
  });

  it('answers 503 DATABASE_BUSY with Retry-After, keeps nothing, and takes the same signal once the lock is free', async () => {
    lockWaits(relay).lockWaitMs = 300;
    other.exec('BEGIN IMMEDIATE');
    const refused = await send('evt-busy-1');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toEqual({
      statusCode: 503,
      code: 'DATABASE_BUSY',
      error: expect.stringMatching(
        /^another connection to the relay's SQLite store .* held its write lock .*; send the same request again$/,
      ),
    });
    other.exec('ROLLBACK');
    expect(await stored()).toEqual([]);

    const accepted = await send('evt-busy-1');
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ duplicate: false });
    expect(await stored()).toEqual(['evt-busy-1']);
  });

  it('keeps answering liveness and readiness while a write waits for the lock, and stores the write once the lock is free within the wait', async () => {
    const waits = lockWaits(relay);
    waits.lockWaitMs = 60_000;
    waits.lockReportMs = 0;
    other.exec('BEGIN IMMEDIATE');
    const waiting = send('evt-busy-2');
    // Time for the write to reach the lock. Before, node:sqlite's synchronous wait held the event
    // loop from there on: this timer fired only once the write had given up after 5 s.
    await new Promise((resume) => setTimeout(resume, 200));
    expect(await stateOf(waiting)).toBe('pending');
    const live = await relay.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    // Readiness says why at once, though its SELECT 1 would queue behind the waiting write.
    const health = await relay.app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(health.statusCode).toBe(503);
    expect(health.json().database).toMatch(/^unavailable: the store cannot write: .* write lock/);
    expect(await stateOf(waiting)).toBe('pending');

    other.exec('ROLLBACK');
    const accepted = await waiting;
    expect(accepted.statusCode).toBe(202);
    expect(await stored()).toEqual(['evt-busy-2']);
  });

  it('reports the held lock on /health (the reason to the admin only) and is ready again by itself once it is free', async () => {
    // Without the outbox, whose polls write: nothing but /health itself finds the lock free again.
    other.close();
    await relay.close();
    await start({ outbox: { enabled: false } as TestRelay['app']['config']['outbox'] });
    const waits = lockWaits(relay);
    waits.lockWaitMs = 200;
    waits.lockReportMs = 0;
    expect((await relay.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    other.exec('BEGIN IMMEDIATE');
    expect((await send('evt-busy-3')).statusCode).toBe(503);

    const anonymous = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(anonymous.statusCode).toBe(503);
    expect(anonymous.json()).toMatchObject({ status: 'unavailable', database: 'unavailable' });
    const forAdmin = await relay.app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(forAdmin.statusCode).toBe(503);
    expect(forAdmin.json().database).toMatch(
      /^unavailable: the store cannot write: another connection to its file has held the write lock since \d{4}-\d\d-\d\dT[\d:.]+Z \(an sqlite3 session without -readonly\?\); writes wait up to 0\.2 s for it, then answer 503 DATABASE_BUSY$/,
    );

    // No write comes after the lock is freed: /health's own empty transaction finds it free.
    other.exec('ROLLBACK');
    let health = await relay.app.inject({ method: 'GET', url: '/health' });
    for (let tries = 0; health.statusCode !== 200 && tries < 50; tries++) {
      await new Promise((resume) => setTimeout(resume, 20));
      health = await relay.app.inject({ method: 'GET', url: '/health' });
    }
    expect(health.statusCode).toBe(200);
    expect(health.json().database).toBe('ok');
  });

  it('once a write has waited its full time, the writes after it fail at once while the lock stays held', async () => {
    lockWaits(relay).lockWaitMs = 400;
    other.exec('BEGIN IMMEDIATE');
    // The first waits its 400 ms and gives up.
    expect((await send('evt-busy-4')).statusCode).toBe(503);
    // The next tries once (the connection's own 50 ms busy timeout) instead of waiting 400 ms
    // again; 'late' marks half the wait.
    const next = send('evt-busy-5');
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 200));
    expect(await Promise.race([next.then((r) => r.statusCode), late])).toBe(503);

    other.exec('ROLLBACK');
    expect((await send('evt-busy-5')).statusCode).toBe(202);
    expect(await stored()).toEqual(['evt-busy-5']);
  });
});
