import { createOldPortal, OLDER_SCHEMA_STORES } from './olderSchema.js';

// Migration 16 adds the automatic re-queue's columns to the outbox of a store a relay of schema 15
// has been running on: a delivery it gave up stays as it was (no check due, never re-queued by
// itself: whether its failure was passing is not known), and a relay of schema 15 refuses the store.

describe.each(OLDER_SCHEMA_STORES)('migration 16 on %s', (_name, setup) => {
  test('a schema-15 store with a failed delivery: no automatic re-queue for it; an older relay refuses the store', async () => {
    const { openAt, expectRefusedBy, openStore, cleanup } = await setup();
    try {
      const old = await openAt(15);
      await createOldPortal(old, 'v15');
      await old.execute(
        `INSERT INTO changes (portal_id, event_id, source, state, occurred_at, received_at) VALUES ('v15', 'e1', 'webhook', 'suspended', '2026-01-01', 0)`,
      );
      await old.execute(
        `INSERT INTO outbox (portal_id, change_id, payload, state, attempts, next_attempt_at, last_error, created_at)
         VALUES ('v15', (SELECT MAX(id) FROM changes), '{}', 'failed', 12, 0, 'SERVER_UNAVAILABLE (503): down', 0)`,
      );
      await old.close();

      const store = await openStore();
      expect(await store.schemaVersion()).toBe(16);
      const [failed] = (await store.listDeliveries('v15', { limit: 10 })).items;
      expect(failed).toMatchObject({
        state: 'failed',
        recoverAt: null,
        recoverSince: null,
        recoveries: 0,
        lastError: 'SERVER_UNAVAILABLE (503): down',
      });
      expect(await store.dueRecoveries(new Date(), 10)).toEqual([]);
      await store.close();

      await expectRefusedBy(15);
    } finally {
      await cleanup();
    }
  });
});
