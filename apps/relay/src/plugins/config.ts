import fp from 'fastify-plugin';
import type { RelayConfig } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: RelayConfig;
  }
}

/** Makes the configuration available to every other plugin as `app.config`. */
export default fp<{ config: RelayConfig }>(
  async (app, { config }) => {
    app.decorate('config', config);
  },
  { name: 'relay-config' },
);
