import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, preValidationHookHandler } from 'fastify';
import { TIMESTAMP_HEADER } from '../../crypto/signature.js';
import { reasonFor } from '../../domain/classify.js';
import { secondsAhead } from '../../domain/signal.js';
import { badRequest } from '../../errors.js';
import { PortalParams, SignalAccepted, errorResponses } from './schemas/common.js';
import { ClearBody, SuspensionBody } from './schemas/signals.js';

/**
 * The instant an RFC 3339 `date-time` names. The schema's format accepts a leap second
 * ("2016-12-31T23:59:60Z", as RFC 3339 allows), which JavaScript's Date cannot read: taken as it
 * was, it became an Invalid Date and a 500. It is read as POSIX time reads it, the second after
 * :59 (the next minute's :00).
 */
function instantOf(dateTime: string): Date {
  const date = new Date(dateTime);
  if (!Number.isNaN(date.getTime())) return date;
  const leap = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:)60(?=[.zZ+-])/.exec(dateTime);
  return leap ? new Date(Date.parse(`${leap[1]}59${dateTime.slice(leap[0].length)}`) + 1000) : date;
}

/** A POST without a body (no Content-Type, nothing sent) is validated as an empty object. */
const bodyOptional: preValidationHookHandler = (request, _reply, done) => {
  request.body ??= {};
  done();
};

/** Signed webhook and "Clear Suspension": the two JSON inputs. */
const signalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { signatureToleranceSeconds } = app.config;
  /** The sender's date, refused when it lies in the future beyond clock skew. */
  const occurredAtOf = (occurredAt: string): string => {
    const instant = instantOf(occurredAt);
    if (Number.isNaN(instant.getTime()))
      throw badRequest('VALIDATION_FAILED', 'occurredAt is not a date-time this relay can read');
    const ahead = secondsAhead(instant.toISOString(), new Date(), signatureToleranceSeconds);
    if (ahead !== null) {
      throw badRequest(
        'OCCURRED_AT_IN_FUTURE',
        `occurredAt is ${ahead} seconds ahead of the relay's clock; send when it happened, in ISO 8601 with its time zone`,
      );
    }
    return instant.toISOString();
  };

  app.post(
    '/portals/:portalId/suspensions',
    {
      // The portal's limit counts signed requests only (security.ts).
      preValidation: [app.requireSignature, app.portalRateLimit],
      config: { contentTypes: ['application/json'] },
      schema: {
        summary: 'Report a suspension (signed webhook)',
        description:
          'Body signed with the portal signing secret: x-sync-doctor-signature: v1=<hex HMAC-SHA256 of timestamp + "." + raw body>, x-sync-doctor-timestamp: unix seconds (5-minute window). The reason is taken from `reason`, else classified from title and message.',
        tags: ['inputs'],
        security: [{ signature: [] }],
        params: PortalParams,
        body: SuspensionBody,
        response: { 200: SignalAccepted, 202: SignalAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { portalId } = request.params;
      const body = request.body;
      if (!body.reason && !body.title && !body.message)
        throw badRequest(
          'REASON_MISSING',
          'send a reason code, or the title or message HubSpot showed',
        );
      const { reason, classifiedFrom, language } = reasonFor(body);
      const result = await app.changes.record({
        portalId,
        source: 'webhook',
        state: 'suspended',
        reason,
        title: body.title ?? null,
        excerpt: body.message ?? null,
        occurredAt: occurredAtOf(body.occurredAt),
        eventId: body.eventId,
        detail: { classifiedFrom, language },
      });
      return reply.status(result.duplicate ? 200 : 202).send(result);
    },
  );

  /**
   * The id of a signed clear sent without one: its timestamp and body, which its signature covers.
   * A signed request is good to anyone holding a copy for the signature window; without an id, each
   * copy of a clear was a new clearance, so one captured before a suspension arrived cleared it
   * when sent again. Now a copy is a duplicate; a new clear is signed at another second (or says
   * its eventId). The admin token's clears keep no id: each is meant.
   */
  const signedRequestId = (request: FastifyRequest): string | null => {
    if (app.isAdmin(request)) return null;
    const body = createHash('sha256')
      .update(request.rawBody ?? Buffer.alloc(0))
      .digest('hex');
    return `signed:${String(request.headers[TIMESTAMP_HEADER])}:${body}`;
  };

  app.post(
    '/portals/:portalId/clear',
    {
      preValidation: [app.requireAdminOrSignature, app.portalRateLimit, bodyOptional],
      config: { contentTypes: ['application/json'] },
      schema: {
        summary: 'Record that the suspension was cleared ("Clear Suspension" in HubSpot)',
        description:
          'Signed like the suspension webhook (a signature over an empty body when none is sent), or with the admin token. Body optional: a request without one clears now.',
        tags: ['inputs'],
        security: [{ signature: [] }, { adminToken: [] }],
        params: PortalParams,
        body: ClearBody,
        response: { 200: SignalAccepted, 202: SignalAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await app.changes.record({
        portalId: request.params.portalId,
        source: 'manual',
        state: 'cleared',
        reason: null,
        title: null,
        excerpt: body.note ?? null,
        occurredAt: body.occurredAt ? occurredAtOf(body.occurredAt) : new Date().toISOString(),
        eventId: body.eventId ?? signedRequestId(request),
      });
      return reply.status(result.duplicate ? 200 : 202).send(result);
    },
  );
};

export default signalRoutes;
