import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { createOldPortal, OLDER_SCHEMA_STORES } from './olderSchema.js';

// Migration 15 adds the detector's last check and the checks handed to it to a store a relay of
// schema 14 has been running on, its portals and tokens there: no last check and no request for
// them until one is saved; both go with the portal. A relay of schema 14 refuses the migrated store.

describe.each(OLDER_SCHEMA_STORES)('migration 15 on %s', (_name, setup) => {
  test('a schema-14 store with a portal and its token: no last check until one is saved, gone with the portal, and an older relay refuses the store', async () => {
    const { openAt, expectRefusedBy, openStore, cleanup } = await setup();
    try {
      const old = await openAt(14);
      await createOldPortal(old, 'v14');
      await old.execute(
        'INSERT INTO portal_hubspot (portal_id, token_sealed, updated_at) VALUES ($1, $2, $3)',
        ['v14', 'sealed-v14', Date.now()],
      );
      await old.close();

      const store = await openStore();
      expect(await store.schemaVersion()).toBe(16);
      const hubspot = hubspotStoreOf(store);
      expect(await hubspot.getHubSpotCheck('v14')).toBeNull();
      expect(await hubspot.pendingHubSpotChecks()).toEqual([]);
      const check = {
        at: '2026-12-01T10:00:00.000Z',
        verdict: 'stalled',
        state: 'suspected',
        error: null,
        warnings: [],
        checkedBy: 'a',
      };
      expect(await hubspot.saveHubSpotCheck('v14', 'sealed-v14', check)).toEqual({
        ...check,
        failingSince: null,
      });
      expect(await hubspot.requestHubSpotCheck('v14', 'r1')).toBe(true);
      await store.close();

      // The relay before this migration (it knows up to 14) does not start on the store.
      await expectRefusedBy(14);

      const again = await openStore();
      const kept = hubspotStoreOf(again);
      expect(await kept.getHubSpotCheck('v14')).toMatchObject({ verdict: 'stalled' });
      expect(await again.deletePortal('v14')).toBe(true);
      expect(await kept.getHubSpotCheck('v14')).toBeNull();
      expect(await kept.pendingHubSpotChecks()).toEqual([]);
      await again.close();
    } finally {
      await cleanup();
    }
  });
});
