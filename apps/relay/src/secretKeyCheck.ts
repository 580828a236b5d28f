import { decryptSecret } from './crypto/secrets.js';
import type { RelayStore } from './store/types.js';

/**
 * The store's secrets are sealed with RELAY_SECRET_KEY (or the data directory's generated
 * secret.key). With another key (a store restored beside another secret.key, a key rotated in the
 * environment but not in the store, instances started with different keys) every signed webhook
 * and every delivery would fail, one 500 at a time. One sealed secret, opened at start, tells it
 * before the relay takes traffic. (A SQLite store with no secret.key beside it, and no
 * RELAY_SECRET_KEY, is refused earlier, by the configuration: config.ts keyFromDataDir.)
 */
export async function assertSecretKeyOpensStore(store: RelayStore, key: Buffer): Promise<void> {
  const [portal] = await store.listPortals();
  if (!portal) return;
  try {
    decryptSecret(key, portal.signingSecretSealed);
  } catch {
    throw Object.assign(
      new Error(
        `the secret key does not open the secrets in the store (portal ${portal.id}'s signing secret): ` +
          'start with the RELAY_SECRET_KEY the store was written with, or, for a SQLite store, restore ' +
          'the secret.key that was beside it (sync-doctor-relay backup copies both)',
      ),
      { code: 'SECRET_KEY_MISMATCH' },
    );
  }
}
