import type { FastifyInstance } from 'fastify';
import { HttpError, badRequest } from '../errors.js';
import type { PortalRecord, RecordResult } from '../store/types.js';
import { secondsAhead } from '../domain/signal.js';
import { looksLikeMessage, parseNotification } from './email.js';

export type InboundEmailOutcome = { recognised: true; result: RecordResult } | { recognised: false; messageId: string; portalId: string };

/**
 * The one path of a HubSpot notification e-mail into the store: `POST /v1/inbound/email` and the
 * mailbox reader both call it. Resolves only after the durable write; idempotent by Message-ID
 * (the change's eventId is `email:<Message-ID>`). Throws an HttpError (4xx) for a message the
 * relay will never accept.
 *
 * `portal` is the portal the sender is authenticated for (inbound token, or a portal's own
 * mailbox); null for a shared mailbox, where the portal is the first configured one the
 * message names.
 */
export async function ingestInboundEmail(app: FastifyInstance, raw: Buffer, portal: PortalRecord | null): Promise<InboundEmailOutcome> {
  const { limits } = app.config;
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw badRequest('EMPTY_BODY', 'the request body is empty; send the raw e-mail');
  if (raw.length > limits.emailBodyBytes) throw new HttpError(413, 'BODY_TOO_LARGE', `the message is larger than ${limits.emailBodyBytes} bytes`);
  if (!looksLikeMessage(raw)) throw badRequest('NOT_A_MESSAGE', 'the body is not an RFC 822 message (no header lines)');

  const mail = await parseNotification(raw);
  let target = portal;
  if (target) {
    if (mail.portalIds.length > 0 && !mail.portalIds.includes(target.id)) {
      throw new HttpError(422, 'PORTAL_MISMATCH', `the message is about portal ${mail.portalIds.join(', ')}, but the token belongs to portal ${target.id}`);
    }
  } else {
    for (const id of mail.portalIds) {
      target = await app.store.getPortal(id);
      if (target) break;
    }
    if (!target) {
      throw new HttpError(422, 'UNKNOWN_PORTAL', mail.portalIds.length > 0 ? `the message names portal ${mail.portalIds.join(', ')}, none of them configured on this relay` : 'the message names no portal (hub id)');
    }
  }

  const keep = raw.subarray(0, limits.emailKeepBytes);
  await app.store.saveInboundMessage({
    portalId: target.id,
    messageId: mail.messageId,
    subject: mail.subject,
    raw: keep.toString('utf8'),
    truncated: keep.length < raw.length,
    sizeBytes: raw.length,
  });
  if (!mail.mentionsSuspension) return { recognised: false, messageId: mail.messageId, portalId: target.id };
  const result = await app.signals.record({
    portalId: target.id,
    source: 'email',
    state: 'suspended',
    reason: mail.reason,
    title: mail.subject,
    excerpt: mail.text.slice(0, 4000),
    // A mail dated in the future (a sender's clock is wrong) counts from when it arrived: a mail
    // cannot be refused usefully, and its date would become the suspension's `since`.
    occurredAt: mail.date && secondsAhead(mail.date, new Date(), app.config.signatureToleranceSeconds) === null ? mail.date : new Date().toISOString(),
    eventId: `email:${mail.messageId}`,
    detail: { language: mail.language, from: mail.from },
  });
  return { recognised: true, result };
}
