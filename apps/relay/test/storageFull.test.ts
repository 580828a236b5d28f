import type { DatabaseSync } from 'node:sqlite';
import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// The SQLite store's disk fills up. SQLite then refuses every write with SQLITE_FULL (errcode 13)
// while SELECT 1 still answers: the reviewer's relay answered each sender 500 INTERNAL_ERROR (a
// sender gives up on a 500, though nothing it sent was acknowledged) and /health stayed 200 `ok`.
// The limit here is SQLite's own max_page_count, which makes the engine answer SQLITE_FULL exactly
// as a full disk does, without root (a small tmpfs needs a mount).

describe('a full disk under the SQLite store', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '4471338';
  const url = `/v1/portals/${portalId}/suspensions`;
  const body = (n: number) => ({
    reason: 'API_LIMIT_EXCEEDED',
    title: `Salesforce org API limit exceeded (${n}) ${'x'.repeat(400)}`,
    occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
    eventId: `evt-full-${n}`,
  });
  const send = (n: number) => relay.app.inject({ method: 'POST', url, ...signed(secret, body(n)) });
  const connection = () =>
    (relay.app.store as unknown as { db: { database: DatabaseSync } }).db.database;
  const pragma = (sql: string) => Object.values(connection().prepare(sql).get() ?? {})[0];

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  let refused = 0;

  it('answers 503 STORAGE_UNAVAILABLE with Retry-After once writes fail, never 500', async () => {
    expect((await send(1)).statusCode).toBe(202);
    // No page more than the store has now: the next write that needs one fails.
    connection().exec(`PRAGMA max_page_count = ${Number(pragma('PRAGMA page_count'))}`);
    let n = 1;
    let response = await send(++n);
    while (response.statusCode === 202 && n < 500) response = await send(++n);
    refused = n;
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.json()).toEqual({
      statusCode: 503,
      code: 'STORAGE_UNAVAILABLE',
      error: 'the relay cannot write to its store just now (its disk is full); try again later',
    });
    // The next one too: nothing is acknowledged while the disk is full.
    expect((await send(n + 1)).statusCode).toBe(503);
  });

  it('makes /health unready while writes fail, though the database answers reads', async () => {
    const response = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable', database: 'unavailable' });
    const detail = await relay.app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(detail.statusCode).toBe(503);
    expect(detail.json().database).toMatch(
      /^unavailable: the store cannot write \(its disk is full\) since \d{4}-.*: database or disk is full$/,
    );
    // Still unready on the next poll: the write /health tries fails as well.
    expect((await relay.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(503);
  });

  it('is ready again by itself once space returns, and takes the refused signals', async () => {
    connection().exec('PRAGMA max_page_count = 1073741823');
    // No request has written since: /health's own write finds the room.
    const health = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
    // The senders retry what was refused: each is stored once.
    for (const n of [refused, refused + 1]) {
      const response = await send(n);
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({ duplicate: false });
    }
    const stored = (await relay.app.store.listChanges(portalId, { limit: 1000 })).items;
    const ids = stored.map((change) => (change as { eventId?: string | null }).eventId);
    for (let n = 1; n <= refused + 1; n++)
      expect(ids.filter((id) => id === `evt-full-${n}`)).toHaveLength(1);
  });

  it('answers 503 for a disk failing writes (SQLITE_IOERR) too', async () => {
    const recordSignal = relay.app.store.recordSignal.bind(relay.app.store);
    relay.app.store.recordSignal = async () => {
      // SQLITE_IOERR_WRITE (778 = 10 | 3 << 8), as node:sqlite reports it.
      throw Object.assign(new Error('disk I/O error'), {
        code: 'ERR_SQLITE_ERROR',
        errcode: 778,
        errstr: 'disk I/O error',
      });
    };
    try {
      const response = await send(1000);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.json()).toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        error:
          'the relay cannot write to its store just now (its disk failed a write); try again later',
      });
    } finally {
      relay.app.store.recordSignal = recordSignal;
    }
  });
});
