import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preParsingAsyncHookHandler,
} from 'fastify';
import { unauthorized } from '../../errors.js';
import { looksLikeMessage } from '../../inputs/email.js';
import { ingestInboundEmail } from '../../inputs/inboundEmail.js';
import { rawMessageFromForm } from '../../inputs/multipartEmail.js';
import { rawMessageFromPostmark } from '../../inputs/postmarkEmail.js';
import type { PortalRecord } from '../../store/types.js';
import { SignalAccepted, errorResponses } from './schemas/common.js';

const TOKEN_HEADER = 'x-sync-doctor-token';

/** Refusals that the same message would get again however often it is posted. */
const PERMANENT_REFUSALS = new Set([400, 403, 413, 415, 422]);

const isJson = (contentType: string | undefined): boolean =>
  /^application\/json\s*(?:;|$)/i.test(contentType ?? '');

/**
 * Mailgun, which posts to the path ending in "mime", takes only 200 as delivered and 406 as
 * refused for good: every other answer, 202 included, is posted again for 8 hours (10 minutes,
 * 15, 30, 1, 2 and 4 hours). Answered 202, each notice came twice, and a message that names no
 * suspension (202 every time) was posted and kept seven times. Postmark, the one service that
 * posts JSON, likewise takes only 200, and stops at 403 (else 10 retries over 10.5 hours). For
 * these two, success is 200 and a permanent refusal 406 or 403, its body unchanged (code and words
 * say why); a wrong token, a 429 or a 5xx stay retried.
 */
const strictCallerStatuses: onSendHookHandler = (request, reply, payload, done) => {
  const refused = request.routeOptions.url?.endsWith('/mime')
    ? 406
    : isJson(request.headers['content-type'])
      ? 403
      : null;
  if (refused !== null) {
    if (reply.statusCode >= 200 && reply.statusCode < 300) reply.code(200);
    else if (PERMANENT_REFUSALS.has(reply.statusCode)) reply.code(refused);
  }
  done(null, payload);
};

/**
 * A HubSpot notification e-mail, forwarded raw by an inbound-mail service: as message/rfc822, or
 * as multipart/form-data with the raw message in a field (SendGrid Inbound Parse, Mailgun). The
 * per-portal token (URL `?token=` or header) says which portal; the message itself says why.
 * Every accepted message is kept (size-limited) for audit, even when it names no suspension.
 */
const emailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { limits } = app.config;
  const raw = { parseAs: 'buffer' as const, bodyLimit: limits.emailBodyBytes };
  app.addContentTypeParser('message/rfc822', raw, (_request, body, done) => done(null, body));
  // A form is a little larger than the message it carries (boundaries, other fields; URL
  // encoding can triple it).
  const formLimit = { ...raw, bodyLimit: limits.emailBodyBytes * 3 + 64 * 1024 };
  app.addContentTypeParser('multipart/form-data', formLimit, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', formLimit, (_request, body, done) =>
    done(null, body),
  );
  // Postmark's JSON (the raw message in `RawEmail`, escaped), read by the route, not by the
  // relay's JSON parser with its 64 KB limit (this plugin's own, other routes keep theirs).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', formLimit, (_request, body, done) =>
    done(null, body),
  );

  /** The portal whose inbound token the request carries (header, else `?token=`); a 401 otherwise. */
  const portalOf = async (request: FastifyRequest): Promise<PortalRecord> => {
    const header = request.headers[TOKEN_HEADER];
    const query = (request.query as { token?: unknown }).token;
    const token = (Array.isArray(header) ? header[0] : header) ?? query;
    if (!token)
      throw unauthorized(
        'TOKEN_MISSING',
        `send the portal's inbound token as ?token= or the ${TOKEN_HEADER} header`,
      );
    const portal = typeof token === 'string' ? await app.portals.byInboundToken(token) : null;
    if (!portal) throw unauthorized('TOKEN_INVALID', 'the inbound token matches no portal');
    return portal;
  };

  /**
   * The token's portal, counted against the portal's RELAY_RATE_LIMIT_PORTAL like the other inputs
   * (a 429 once spent; Mailgun, Postmark and SendGrid post a 429 again later). Only once the token
   * is known good: counted before, anyone could spend a portal's budget without knowing its token.
   */
  const authenticated = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<PortalRecord> => {
    const portal = await portalOf(request);
    request.portal = portal;
    await app.portalRateLimit(request, reply);
    return portal;
  };

  /**
   * The token is checked before the body is read: a form may be 16 MB, and anyone could otherwise
   * make the relay take in and hold that much per request without knowing a token (nor could a
   * portal past its limit). The body keeps a pace as every route's does (plugins/bodyPace.ts), or a
   * client trickling it held the connection for ever.
   */
  const authenticateFirst: preParsingAsyncHookHandler = async (request, reply, payload) => {
    await authenticated(request, reply);
    return payload;
  };

  // The same route under a second path: Mailgun posts the raw message (`body-mime`) only to a
  // URL whose path ends in "mime".
  for (const path of ['/inbound/email', '/inbound/email/mime'])
    app.post(
      path,
      {
        bodyLimit: formLimit.bodyLimit,
        preParsing: authenticateFirst,
        onSend: strictCallerStatuses,
        config: {
          contentTypes: [
            'message/rfc822',
            'multipart/form-data',
            'application/x-www-form-urlencoded',
            'application/json',
          ],
        },
        schema: {
          summary:
            "Forwarded HubSpot notification e-mail (raw message/rfc822, a form with it in `email` or `body-mime`, or Postmark's JSON with `RawEmail`)",
          ...(path.endsWith('/mime')
            ? {
                description:
                  'The same as POST /v1/inbound/email, at a path ending in "mime" for Mailgun routes. Mailgun takes only 200 as delivered and 406 as refused for good (it posts any other answer again for 8 hours), so here a message taken is answered 200, new or not, and one refused for good (400, 403, 413, 415, 422 elsewhere) 406 with the same body.',
              }
            : {}),
          tags: ['inputs'],
          security: [{ inboundToken: [] }],
          querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }),
          response: {
            200: SignalAccepted,
            202: Type.Union([
              SignalAccepted,
              Type.Object({
                recognised: Type.Literal(false),
                messageId: Type.String(),
                note: Type.String(),
              }),
            ]),
            403: errorResponses[400],
            422: errorResponses[400],
            ...errorResponses,
            // Set by strictCallerStatuses after serialisation, so only the description uses it:
            // Mailgun's route is told a refusal for good by 406 alone.
            ...(path.endsWith('/mime') ? { 406: errorResponses[400] } : {}),
          },
        },
      },
      async (request, reply) => {
        const portal = request.portal ?? (await authenticated(request, reply));
        const contentType = request.headers['content-type'] ?? '';
        const body = request.body as Buffer;
        // `curl --data-binary @notice.eml` labels a raw message a URL-encoded form: a form has no
        // raw line break, a message has one after its first header line.
        const rawAsForm =
          /^application\/x-www-form-urlencoded/i.test(contentType) &&
          Buffer.isBuffer(body) &&
          looksLikeMessage(body);
        // A service's post carries its own verdict on the sender beside the message (the portal's
        // sender policy reads it); a raw message/rfc822 carries none.
        const posted = isJson(contentType)
          ? rawMessageFromPostmark(body)
          : !rawAsForm &&
              /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(contentType)
            ? await rawMessageFromForm(body, contentType, limits.emailBodyBytes)
            : { raw: body, serviceVerdict: undefined };
        const outcome = await ingestInboundEmail(app, posted.raw, portal, posted.serviceVerdict);
        if (!outcome.recognised) {
          return reply.status(202).send({
            recognised: false as const,
            messageId: outcome.messageId,
            note: 'kept for audit; the message names no suspension',
          });
        }
        return reply.status(outcome.result.duplicate ? 200 : 202).send(outcome.result);
      },
    );
};

export default emailRoutes;
