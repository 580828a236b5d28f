import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import { OUTBOX_COUNTS_SQL, OLDEST_UNDELIVERED_SQL } from '../src/store/sqlStore.js';
import { openSqlite } from '../src/store/sqlite.js';
import { OLDER_SCHEMA_STORES } from './olderSchema.js';
import { tempDir } from './helpers.js';

// /health counts the outbox by state on every probe and /metrics on every scrape, and both read
// the age of the oldest undelivered change. Delivered rows are kept for good, so those reads must
// not walk them: on SQLite they run on the event loop (2 million delivered rows: ~0.5-1.5 s per
// probe measured, every few seconds, longer than the load shedder's 1 s lag limit). Migration 5
// dropped the index on state these queries were written for; migration 10 indexes the
// undelivered rows only (cheap to keep: a row leaves it once delivered).
describe('the outbox reads of /health and /metrics', () => {
  it('find the undelivered rows through an index, never by scanning the outbox (SQLite)', async () => {
    const dir = tempDir();
    const db = openSqlite(dir.path);
    try {
      await migrate(db);
      for (const sql of [OUTBOX_COUNTS_SQL, OLDEST_UNDELIVERED_SQL]) {
        const plan = (await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)).map(
          (row) => row.detail,
        );
        const undelivered = plan.filter((detail) => !/^(COMPOUND|LEFT-MOST|UNION)/.test(detail));
        // The one full read left: COUNT(*) of the whole table, through its smallest index.
        const scans = undelivered.filter((detail) => /^SCAN outbox\b/.test(detail));
        expect(scans.length).toBeLessThanOrEqual(sql === OUTBOX_COUNTS_SQL ? 1 : 0);
        expect(undelivered).toContainEqual(
          expect.stringMatching(/USING .*INDEX outbox_undelivered/),
        );
      }
    } finally {
      await db.close();
      dir.remove();
    }
  });
});

describe.each(OLDER_SCHEMA_STORES)('a %s store from before migration 10', (_kind, make) => {
  it('is upgraded with its outbox counted and aged as before', async () => {
    const store = await make();
    try {
      const raw = await store.openRaw();
      await migrate(
        raw,
        store.lock,
        MIGRATIONS.filter((m) => m.version < 10),
      );
      await raw.execute(
        `INSERT INTO portals (id, name, signing_secret, inbound_token_hash, salesforce, salesforce_version, created_at, updated_at) VALUES ('p', 'p', 'x', 'h', NULL, 0, 1, 1)`,
      );
      const states = ['delivered', 'delivered', 'delivered', 'pending', 'failed', 'pending'];
      for (const [i, state] of states.entries()) {
        await raw.execute(
          `INSERT INTO changes (portal_id, event_id, source, state, occurred_at, received_at) VALUES ('p', $1, 'webhook', 'suspended', '2026-01-01', 0)`,
          [`e${i}`],
        );
        await raw.execute(
          `INSERT INTO outbox (portal_id, change_id, payload, state, next_attempt_at, created_at) VALUES ('p', (SELECT MAX(id) FROM changes), '{}', $1, 0, $2)`,
          [state, 1000 + i],
        );
      }
      await raw.close();

      const opened = await store.openStore();
      try {
        expect(await opened.schemaVersion()).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
        expect(await opened.countDeliveries()).toEqual({
          pending: 2,
          delivered: 3,
          failed: 1,
          waitingForConnection: 0,
        });
        expect(await opened.oldestUndelivered()).toEqual({ pending: 1003, failed: 1004 });
      } finally {
        await opened.close();
      }
    } finally {
      await store.cleanup();
    }
  });
});
