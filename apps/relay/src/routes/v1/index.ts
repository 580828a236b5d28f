import type { FastifyPluginAsync } from 'fastify';
import accessRoutes from './access.js';
import adminRoutes from './admin.js';
import alertDeliveryRoutes from './alertDeliveries.js';
import emailRoutes from './email.js';
import readRoutes from './reads.js';
import signalRoutes from './signals.js';
import syncErrorRoutes from './syncErrors.js';
import { RequestTimeoutResponse, UnavailableResponse } from './schemas/common.js';

/** Methods Fastify reads no request body for. */
const BODYLESS = new Set(['GET', 'HEAD']);

/** Everything under /v1. */
const v1: FastifyPluginAsync = async (app) => {
  // What any route can answer besides its own statuses, listed in its OpenAPI so that a client
  // generated from /docs/json expects it; added here, so no route (nor a new one) can miss it.
  // 503: every /v1 route is under load shedding (plugins/loadShedding.ts) and reads the store.
  // 408: every request body keeps a pace (plugins/bodyPace.ts), so every route that takes one (any
  // method Fastify reads a body for, with a body schema or not) can answer it. A route's own
  // description of either comes first.
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (!response) return;
    const takesBody = [route.method].flat().some((method) => !BODYLESS.has(method));
    route.schema!.response = {
      503: UnavailableResponse,
      ...(takesBody ? { 408: RequestTimeoutResponse } : {}),
      ...response,
    };
  });
  await app.register(signalRoutes);
  await app.register(emailRoutes);
  await app.register(syncErrorRoutes);
  await app.register(readRoutes);
  await app.register(accessRoutes);
  await app.register(alertDeliveryRoutes);
  await app.register(adminRoutes, { prefix: '/admin' });
};

export default v1;
