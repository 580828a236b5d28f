import { createHash } from 'node:crypto';
import type { RelayedStatus } from '@sync-doctor/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  PageQuery,
  PortalParams,
  RelayedStatusSchema,
  errorResponses,
  pageLimit,
} from './schemas/common.js';
import { DATINGS, DeliveriesQuery, DeliveriesResponse, HistoryResponse } from './schemas/reads.js';
import { blankStatus } from '../../domain/signal.js';

/** From a change's detail, which date it counts from (e-mails set it); the rest stays inside. */
function datingOf(detail: Record<string, unknown> | null): {
  dated?: (typeof DATINGS)[number];
  dateNote?: string;
} {
  const dated = detail?.dated;
  if (!(DATINGS as readonly unknown[]).includes(dated)) return {};
  const note = detail?.dateNote;
  return {
    dated: dated as (typeof DATINGS)[number],
    ...(typeof note === 'string' ? { dateNote: note } : {}),
  };
}

/** State, history, live stream and deliveries of a portal. */
const readRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = {
    preValidation: app.requireReader,
    schema: { tags: ['outputs'], security: [{ adminToken: [] }], params: PortalParams },
  };

  // The serialised body and ETag of each status object, made once: the store hands out the same
  // object until the status changes (SQLite keeps it in memory; PostgreSQL reads a new one, which
  // is then serialised once per read, as before). Weak, so replaced statuses are collected.
  const bodies = new WeakMap<RelayedStatus, { body: string; etag: string }>();
  app.get(
    '/portals/:portalId/state',
    {
      ...common,
      schema: {
        ...common.schema,
        summary:
          'Current suspension state (a portal never suspended reads as cleared with no dates); ETag and If-None-Match supported',
        response: {
          200: RelayedStatusSchema,
          304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const status =
        (await app.store.getStatus(request.params.portalId)) ??
        blankStatus(request.params.portalId);
      let cached = bodies.get(status);
      if (!cached) {
        // The route's own response serializer (fast-json-stringify of RelayedStatusSchema), so
        // the body is exactly what the schema allows.
        const body = reply.serializeInput(
          status as unknown as Record<string, unknown>,
          '200',
        ) as string;
        cached = {
          body,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        };
        bodies.set(status, cached);
      }
      // Revalidate, don't refuse to cache: the ETag is what makes polling this route cheap. Only the
      // browser may keep it (the request carries a bearer token, which shared caches must not store).
      reply.header('etag', cached.etag).header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match'] === cached.etag)
        return reply.code(304).send(undefined as never);
      // Already JSON: Fastify sends a string with a JSON content type as it is.
      return reply.type('application/json; charset=utf-8').send(cached.body as never);
    },
  );

  app.get(
    '/portals/:portalId/history',
    {
      ...common,
      schema: {
        ...common.schema,
        summary: 'Every change, newest first, paged with `cursor`',
        querystring: PageQuery,
        response: { 200: HistoryResponse, ...errorResponses },
      },
    },
    async (request) => {
      const page = await app.store.listChanges(request.params.portalId, {
        cursor: request.query.cursor ?? null,
        limit: pageLimit(request.query.limit),
      });
      return {
        items: page.items.map(({ detail, ...change }) => ({ ...change, ...datingOf(detail) })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/portals/:portalId/deliveries',
    {
      ...common,
      schema: {
        ...common.schema,
        summary:
          'Deliveries into Salesforce, newest first: pending, delivered, failed (with the last error)',
        querystring: DeliveriesQuery,
        response: { 200: DeliveriesResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { cursor, limit, state } = request.query;
      const page = await app.store.listDeliveries(request.params.portalId, {
        cursor: cursor ?? null,
        limit: pageLimit(limit),
        ...(state ? { state } : {}),
      });
      return {
        items: page.items.map((d) => ({
          id: d.id,
          changeId: d.changeId,
          state: d.state,
          attempts: d.attempts,
          nextAttemptAt: d.nextAttemptAt,
          lastError: d.lastError,
          deliveredAt: d.deliveredAt,
          result: d.result,
          createdAt: d.createdAt,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/portals/:portalId/stream',
    {
      ...common,
      schema: {
        ...common.schema,
        summary:
          'Server-Sent Events: `status` events, the current status first, then one per change',
        description:
          'Each event has the id of the change its status follows. A client reconnecting with Last-Event-ID (EventSource does) gets the status after each change it missed, in order (up to 100), instead of the current status; Last-Event-ID 0 replays from the first change. A portal without changes streams the blank status GET state shows.',
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.streams.open(request, reply, request.params.portalId);
    },
  );
};

export default readRoutes;
