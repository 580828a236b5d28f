import type { FastifyPluginAsync } from 'fastify';
import accessRoutes from './access.js';
import adminRoutes from './admin.js';
import alertDeliveryRoutes from './alertDeliveries.js';
import emailRoutes from './email.js';
import readRoutes from './reads.js';
import signalRoutes from './signals.js';
import syncErrorRoutes from './syncErrors.js';

/** Everything under /v1. */
const v1: FastifyPluginAsync = async (app) => {
  await app.register(signalRoutes);
  await app.register(emailRoutes);
  await app.register(syncErrorRoutes);
  await app.register(readRoutes);
  await app.register(accessRoutes);
  await app.register(alertDeliveryRoutes);
  await app.register(adminRoutes, { prefix: '/admin' });
};

export default v1;
