import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { createOldPortal, OLDER_SCHEMA_STORES } from './olderSchema.js';

// Migration 11 adds portal_hubspot_failures to a store a relay of schema 10 has been running on:
// the portals already there get no row (no failure seen), take one as the detector saves it, and
// lose it with the portal (ON DELETE CASCADE, which SQLite honours only with foreign keys on).
// A relay of schema 10 started on the migrated store refuses it and leaves it as it is.

describe.each(OLDER_SCHEMA_STORES)('migration 11 on %s', (_name, setup) => {
  test('a schema-10 store with portals: no failure for them until one is saved, gone with its portal, and an older relay refuses the store', async () => {
    const { openAt, expectRefusedBy, openStore, cleanup } = await setup();
    try {
      const old = await openAt(10);
      for (const id of ['v10a', 'v10b']) await createOldPortal(old, id);
      await old.close();

      const store = await openStore();
      expect(await store.schemaVersion()).toBe(16);
      const hubspot = hubspotStoreOf(store);
      expect(await hubspot.lastHubSpotFailure('v10a')).toBeNull();
      const at = Date.now();
      await hubspot.saveHubSpotFailure('v10a', at);
      await hubspot.saveHubSpotFailure('v10b', at - 1000);
      expect(await hubspot.lastHubSpotFailure('v10a')).toBe(at);
      expect(await store.deletePortal('v10a')).toBe(true);
      expect(await hubspot.lastHubSpotFailure('v10a')).toBeNull();
      expect(await hubspot.lastHubSpotFailure('v10b')).toBe(at - 1000);
      await store.close();

      // The relay before this migration (it knows up to 10) does not start on the store.
      await expectRefusedBy(10);
      const again = await openStore();
      expect(await hubspotStoreOf(again).lastHubSpotFailure('v10b')).toBe(at - 1000);
      await again.close();
    } finally {
      await cleanup();
    }
  });
});
