import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// Another connection writes to the relay's SQLite file (an operator's sqlite3 session without
// -readonly) and keeps its transaction open. The relay waited its busy timeout, then answered the
// sender 500 INTERNAL_ERROR, which says the request broke the relay and which senders give up on.
// Nothing of the write was kept, and once the lock is free the same request completes: a 503.

describe('the SQLite store locked by another connection', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '4471339';
  const url = `/v1/portals/${portalId}/suspensions`;
  const signal = {
    reason: 'ORG_LOCKED',
    occurredAt: '2026-11-28T10:00:00Z',
    eventId: 'evt-busy-1',
  };
  const send = () => relay.app.inject({ method: 'POST', url, ...signed(secret, signal) });

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
    // The relay waits 5 s; the test need not. (node:sqlite's wait blocks the whole process.)
    const own = (relay.app.store as unknown as { db: { database: DatabaseSync } }).db.database;
    own.exec('PRAGMA busy_timeout = 100');
  });
  afterAll(() => relay.close());

  it('answers 503 DATABASE_BUSY with Retry-After, keeps nothing, and takes the same signal once the lock is free', async () => {
    const other = new DatabaseSync(join(relay.app.config.dataDir, 'relay.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const refused = await send();
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
    } finally {
      other.close();
    }
    expect((await relay.app.store.listChanges(portalId, { limit: 10 })).items).toEqual([]);

    const accepted = await send();
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ duplicate: false });
    const stored = (await relay.app.store.listChanges(portalId, { limit: 10 })).items;
    expect(stored.map((change) => change.eventId)).toEqual(['evt-busy-1']);
  });
});
