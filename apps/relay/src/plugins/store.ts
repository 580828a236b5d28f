import fp from 'fastify-plugin';
import { assertSecretKeyOpensStore } from '../secretKeyCheck.js';
import { createStore } from '../store/index.js';
import type { RelayStore } from '../store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: RelayStore;
  }
}

/**
 * Opens the store (SQLite, or PostgreSQL when DATABASE_URL is set), migrates it, checks that the
 * secret key opens its secrets, and closes it last.
 */
export default fp(
  async (app) => {
    const { databaseUrl, databaseSchema, dataDir, listenPing } = app.config;
    const store = await createStore({
      databaseUrl,
      databaseSchema,
      dataDir,
      listenPingMs: listenPing?.intervalMs,
      listenPingTimeoutMs: listenPing?.timeoutMs,
      log: {
        info: (message) => app.log.info({ dataDir }, message),
        warn: (message) => app.log.warn({ dataDir }, message),
      },
    });
    try {
      await assertSecretKeyOpensStore(store, app.config.secretKey);
    } catch (error) {
      await store.close();
      throw error;
    }
    app.decorate('store', store);
    app.log.info({ store: store.kind, schemaVersion: await store.schemaVersion() }, 'store ready');
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'relay-store', dependencies: ['relay-config'] },
);
