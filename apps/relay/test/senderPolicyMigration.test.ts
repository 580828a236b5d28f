import { MIGRATIONS, migrate, SchemaTooNewError } from '../src/store/migrations.js';
import { SqlRelayStore } from '../src/store/sqlStore.js';
import { OLDER_SCHEMA_STORES } from './olderSchema.js';

// Migration 14 adds portals.sender_policy to a store a relay of schema 13 has been running on: the
// portals already there have no policy (their e-mails are read as before) until one is set, and a
// relay of schema 13 refuses the migrated store.

describe.each(OLDER_SCHEMA_STORES)('migration 14 on %s', (_name, setup) => {
  test('a schema-13 store with a portal: no sender policy until one is set; an older relay refuses the store', async () => {
    const { openRaw, lock, openStore, cleanup } = await setup();
    try {
      const old = await openRaw();
      expect(
        await migrate(
          old,
          lock,
          MIGRATIONS.filter((m) => m.version <= 13),
        ),
      ).toBe(13);
      await new SqlRelayStore(old).createPortal({
        id: 'v13',
        name: null,
        signingSecretSealed: 's',
        inboundTokenHash: 'h-v13',
        salesforceSealed: null,
      });
      await old.close();

      const store = await openStore();
      expect(await store.schemaVersion()).toBe(15);
      expect((await store.getPortal('v13'))?.senderPolicy).toBeNull();
      const policy = { authservIds: ['amazonses.com'], domains: ['hubspot.com'] };
      await store.updatePortal('v13', { senderPolicy: policy });
      expect((await store.getPortal('v13'))?.senderPolicy).toEqual(policy);
      await store.close();

      const raw = await openRaw();
      await expect(
        migrate(
          raw,
          lock,
          MIGRATIONS.filter((m) => m.version <= 13),
        ),
      ).rejects.toBeInstanceOf(SchemaTooNewError);
      await raw.close();
    } finally {
      await cleanup();
    }
  });
});
