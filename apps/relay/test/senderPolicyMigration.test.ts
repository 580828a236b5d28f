import { createOldPortal, OLDER_SCHEMA_STORES } from './olderSchema.js';

// Migration 14 adds portals.sender_policy to a store a relay of schema 13 has been running on: the
// portals already there have no policy (their e-mails are read as before) until one is set, and a
// relay of schema 13 refuses the migrated store.

describe.each(OLDER_SCHEMA_STORES)('migration 14 on %s', (_name, setup) => {
  test('a schema-13 store with a portal: no sender policy until one is set; an older relay refuses the store', async () => {
    const { openAt, expectRefusedBy, openStore, cleanup } = await setup();
    try {
      const old = await openAt(13);
      await createOldPortal(old, 'v13');
      await old.close();

      const store = await openStore();
      expect(await store.schemaVersion()).toBe(16);
      expect((await store.getPortal('v13'))?.senderPolicy).toBeNull();
      const policy = { authservIds: ['amazonses.com'], domains: ['hubspot.com'] };
      await store.updatePortal('v13', { senderPolicy: policy });
      expect((await store.getPortal('v13'))?.senderPolicy).toEqual(policy);
      await store.close();

      await expectRefusedBy(13);
    } finally {
      await cleanup();
    }
  });
});
