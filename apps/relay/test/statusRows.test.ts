import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { RelayedStatus } from '@sync-doctor/core';
import { createStore } from '../src/store/index.js';
import type { SqlDb } from '../src/store/sqlDb.js';
import { headJson, withHistories } from '../src/store/statusRows.js';
import { suspension, tempDir } from './helpers.js';

// Since migration 5 the status row and the outbox rows hold the status head only. Rows written
// by an older relay hold the whole status; an upgraded relay must read them as they are and build
// on them.

const signal = (n: number) => suspension('legacy', n);

test('rows written before migration 5 (whole status, no change id) are read as they are and built on', async () => {
  const dir = tempDir();
  try {
    const store = await createStore({ dataDir: dir.path });
    await store.createPortal({
      id: 'legacy',
      name: null,
      signingSecretSealed: 's',
      inboundTokenHash: 'h',
      salesforceSealed: null,
    });
    const first = await store.recordSignal(signal(1));
    await store.close();

    // Turn the rows into what the old relay wrote: the whole status in both, and a history the
    // changes table could not produce (so reading it back proves it was taken as stored).
    const whole: RelayedStatus = {
      ...first.status,
      history: [
        ...first.status.history,
        {
          at: '2026-10-01T00:00:00.000Z',
          state: 'cleared',
          reason: null,
          source: 'manual',
          title: 'from before',
        },
      ],
    };
    const db = new DatabaseSync(join(dir.path, 'relay.sqlite'));
    db.prepare('UPDATE portal_status SET status = ?, change_id = NULL WHERE portal_id = ?').run(
      JSON.stringify(whole),
      'legacy',
    );
    db.prepare('UPDATE outbox SET payload = ? WHERE change_id = ?').run(
      JSON.stringify(whole),
      first.change.id,
    );
    db.close();

    const upgraded = await createStore({ dataDir: dir.path });
    let nextChangeId: number;
    try {
      expect(await upgraded.getStatus('legacy')).toEqual(whole);
      const [claimed] = await upgraded.claimDeliveries('A', {
        leaseMs: 60_000,
        limit: 10,
        now: new Date(Date.now() + 1000),
      });
      expect(claimed?.status).toEqual(whole);
      // The next signal starts from the stored whole status; from then on rows hold heads.
      const next = await upgraded.recordSignal(signal(2));
      expect(next.status.history.map((h) => h.title)).toEqual([
        'event 2',
        'event 1',
        'from before',
      ]);
      expect(next.status.since).toBe(first.status.since);
      nextChangeId = next.change.id;
    } finally {
      await upgraded.close();
    }
    // Read once the store is closed: while it is open, the file is its alone (locked).
    const head = new DatabaseSync(join(dir.path, 'relay.sqlite'), { readOnly: true });
    const row = head
      .prepare('SELECT status, change_id FROM portal_status WHERE portal_id = ?')
      .get('legacy') as { status: string; change_id: number };
    head.close();
    expect(JSON.parse(row.status)).not.toHaveProperty('history');
    expect(row.change_id).toBe(nextChangeId);
  } finally {
    dir.remove();
  }
});

test("several stored heads' histories are read one query at a time: a transaction's one connection takes no second query while one runs", async () => {
  // Four heads whose changes are not among the newest one's (another portal's changes in
  // between): each is read on its own, on the same connection.
  let running = 0;
  let most = 0;
  const queries: unknown[][] = [];
  const db: SqlDb = {
    dialect: 'postgres',
    async query<T>(_sql: string, params: unknown[] = []): Promise<T[]> {
      queries.push(params);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return [];
    },
    execute: async () => 0,
    transaction: (work) => work(db),
    close: async () => undefined,
  };
  const head = (n: number) =>
    headJson({
      portalId: 'legacy',
      state: 'suspended',
      reason: 'ORG_LOCKED',
      title: `#${n}`,
      since: '2026-11-01T10:00:00.000Z',
      lastSeenAt: '2026-11-01T10:00:00.000Z',
      clearedAt: null,
      source: 'webhook',
      excerpt: null,
      history: [],
    });
  const statuses = await withHistories(
    db,
    'legacy',
    [10, 20, 30, 40].map((changeId) => ({ changeId, stored: head(changeId) })),
  );
  expect(statuses.map((s) => s.title)).toEqual(['#10', '#20', '#30', '#40']);
  expect(statuses.every((s) => Array.isArray(s.history))).toBe(true);
  // The one read up to the newest, then one per head it did not cover.
  expect(queries.map((params) => params[1])).toEqual([40, 10, 20, 30, 40]);
  expect(most).toBe(1);
});
