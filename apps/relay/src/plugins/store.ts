import fp from 'fastify-plugin';
import { createStore } from '../store/index.js';
import type { RelayStore } from '../store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: RelayStore;
  }
}

/** Opens the store (SQLite, or PostgreSQL when DATABASE_URL is set), migrates it, closes it last. */
export default fp(
  async (app) => {
    const { databaseUrl, databaseSchema, dataDir } = app.config;
    const store = await createStore({ databaseUrl, databaseSchema, dataDir });
    app.decorate('store', store);
    app.log.info({ store: store.kind, schemaVersion: await store.schemaVersion() }, 'store ready');
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'relay-store', dependencies: ['relay-config'] },
);
