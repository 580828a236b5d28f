import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { alertStoreOf } from '../../store/alertStore.js';
import { Nullable, PageQuery, PortalParams, errorResponses, pageLimit } from './schemas/common.js';
import { AlertDeliveryStatusSchema, AlertDeliveryView } from './schemas/adminSignals.js';

/** Alerts sent to the portal's targets, newest first: pending (with the next attempt), sent, failed (with the last error). */
const alertDeliveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = alertStoreOf(app.store);
  app.get(
    '/portals/:portalId/alerts',
    {
      preValidation: app.requireReader,
      schema: {
        tags: ['outputs'],
        security: [{ adminToken: [] }],
        params: PortalParams,
        summary:
          "Alerts to the portal's targets, newest first: pending, sent, failed (with the last error)",
        querystring: Type.Evaluate(
          Type.Intersect([
            PageQuery,
            Type.Object({
              status: Type.Optional(AlertDeliveryStatusSchema),
            }),
          ]),
        ),
        response: {
          200: Type.Object({
            items: Type.Array(AlertDeliveryView),
            nextCursor: Nullable(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { cursor, limit, status } = request.query;
      const page = await store.listAlertDeliveries(request.params.portalId, {
        cursor: cursor ?? null,
        limit: pageLimit(limit),
        ...(status ? { status } : {}),
      });
      return {
        items: page.items.map(({ message, portalId: _portalId, ...row }) => ({
          ...row,
          headline: typeof message.headline === 'string' ? message.headline : null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};

export default alertDeliveryRoutes;
