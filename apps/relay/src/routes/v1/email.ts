import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HttpError, badRequest, unauthorized } from '../../errors.js';
import { looksLikeMessage, parseNotification } from '../../inputs/email.js';
import { SignalAccepted, errorResponses } from './schemas/common.js';

const TOKEN_HEADER = 'x-sync-doctor-token';

/**
 * A HubSpot notification e-mail, forwarded raw by an inbound-mail service. The per-portal token
 * (URL `?token=` or header) says which portal; the message itself says why. Every accepted
 * message is kept (size-limited) for audit, even when it names no suspension.
 */
const emailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { limits } = app.config;
  app.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: limits.emailBodyBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/inbound/email',
    {
      bodyLimit: limits.emailBodyBytes,
      config: { contentTypes: ['message/rfc822'] },
      schema: {
        summary: 'Forwarded HubSpot notification e-mail (raw message/rfc822)',
        tags: ['inputs'],
        security: [{ inboundToken: [] }],
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: {
          200: SignalAccepted,
          202: Type.Union([SignalAccepted, Type.Object({ recognised: Type.Literal(false), messageId: Type.String(), note: Type.String() })]),
          422: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const header = request.headers[TOKEN_HEADER];
      const token = (Array.isArray(header) ? header[0] : header) ?? request.query.token;
      if (!token) throw unauthorized('TOKEN_MISSING', `send the portal's inbound token as ?token= or the ${TOKEN_HEADER} header`);
      const portal = await app.portals.byInboundToken(token);
      if (!portal) throw unauthorized('TOKEN_INVALID', 'the inbound token matches no portal');
      const raw = request.body as Buffer;
      if (!Buffer.isBuffer(raw) || raw.length === 0) throw badRequest('EMPTY_BODY', 'the request body is empty; send the raw e-mail');
      if (!looksLikeMessage(raw)) throw badRequest('NOT_A_MESSAGE', 'the body is not an RFC 822 message (no header lines)');

      const mail = await parseNotification(raw);
      const otherPortal = mail.portalIds.length > 0 && !mail.portalIds.includes(portal.id);
      if (otherPortal) {
        throw new HttpError(422, 'PORTAL_MISMATCH', `the message is about portal ${mail.portalIds.join(', ')}, but the token belongs to portal ${portal.id}`);
      }
      const keep = raw.subarray(0, limits.emailKeepBytes);
      await app.store.saveInboundMessage({
        portalId: portal.id,
        messageId: mail.messageId,
        subject: mail.subject,
        raw: keep.toString('utf8'),
        truncated: keep.length < raw.length,
        sizeBytes: raw.length,
      });
      if (!mail.mentionsSuspension) {
        return reply.status(202).send({ recognised: false as const, messageId: mail.messageId, note: 'kept for audit; the message names no suspension' });
      }
      const result = await app.signals.record({
        portalId: portal.id,
        source: 'email',
        state: 'suspended',
        reason: mail.reason,
        title: mail.subject,
        excerpt: mail.text.slice(0, 4000),
        occurredAt: mail.date ?? new Date().toISOString(),
        eventId: `email:${mail.messageId}`,
        detail: { language: mail.language, from: mail.from },
      });
      return reply.status(result.duplicate ? 200 : 202).send(result);
    },
  );
};

export default emailRoutes;
