import type { FastifyInstance } from 'fastify';
import { HttpError, badRequest } from '../errors.js';
import type { PortalRecord, RecordResult } from '../store/types.js';
import { secondsAhead } from '../domain/signal.js';
import { looksLikeMessage, parseNotification } from './email.js';
import { enforceSenderPolicy, type ServiceVerdict } from './senderPolicy.js';

type InboundEmailOutcome =
  | { recognised: true; result: RecordResult }
  | { recognised: false; messageId: string; portalId: string };

/**
 * The one path of a HubSpot notification e-mail into the store: `POST /v1/inbound/email` and the
 * mailbox reader both call it. Resolves only after the durable write; idempotent by the notice
 * (the change's eventId is `email:<key>`, the key made of HubSpot's subject and date however the
 * notice came, see parseNotification's `eventKey`). Throws an HttpError (4xx) for a message the
 * relay will never accept (a 403 SENDER_NOT_AUTHENTICATED when the portal's sender policy refuses
 * it: this is the one place every path applies that policy).
 *
 * `portal` is the portal the sender is authenticated for (inbound token, or a portal's own
 * mailbox); null for a shared mailbox, where the portal is the first configured one the
 * message names.
 *
 * `serviceVerdict`: the inbound mail service that posted the message and the verdict it posted
 * beside it (see ServiceVerdict), as the form or JSON reader found it; none for a message posted as
 * message/rfc822 or read from a mailbox.
 */
export async function ingestInboundEmail(
  app: FastifyInstance,
  raw: Buffer,
  portal: PortalRecord | null,
  serviceVerdict?: ServiceVerdict,
): Promise<InboundEmailOutcome> {
  const { limits } = app.config;
  if (!Buffer.isBuffer(raw) || raw.length === 0)
    throw badRequest('EMPTY_BODY', 'the request body is empty; send the raw e-mail');
  if (raw.length > limits.emailBodyBytes)
    throw new HttpError(
      413,
      'BODY_TOO_LARGE',
      `the message is larger than ${limits.emailBodyBytes} bytes`,
    );
  if (!looksLikeMessage(raw))
    throw badRequest('NOT_A_MESSAGE', 'the body is not an RFC 822 message (no header lines)');

  const mail = await parseNotification(raw);
  let target = portal;
  if (target) {
    if (mail.portalIds.length > 0 && !mail.portalIds.includes(target.id)) {
      throw new HttpError(
        422,
        'PORTAL_MISMATCH',
        `the message is about portal ${mail.portalIds.join(', ')}, but the token belongs to portal ${target.id}`,
      );
    }
  } else {
    for (const id of mail.portalIds) {
      target = await app.store.getPortal(id);
      if (target) break;
    }
    if (!target) {
      throw new HttpError(
        422,
        'UNKNOWN_PORTAL',
        mail.portalIds.length > 0
          ? `the message names portal ${mail.portalIds.join(', ')}, none of them configured on this relay`
          : 'the message names no portal (hub id)',
      );
    }
  }

  // The portal's sender policy, if it has one: a refused message stores nothing (not even the
  // audit copy) and changes nothing.
  enforceSenderPolicy(app, raw, target, { serviceVerdict });

  const keep = raw.subarray(0, limits.emailKeepBytes);
  await app.store.saveInboundMessage({
    portalId: target.id,
    messageId: mail.messageId,
    // The received message's own subject, gateway tags and "Fwd:" kept: the kept copy is the
    // message as it arrived (the forward, when forwarded).
    subject: mail.receivedSubject,
    raw: keep.toString('utf8'),
    truncated: keep.length < raw.length,
    sizeBytes: raw.length,
  });
  if (!mail.mentionsSuspension)
    return { recognised: false, messageId: mail.messageId, portalId: target.id };
  // The notice's date (a forward's own when the notice's could not be read: `dated` says which).
  // A date in the future (a sender's clock is wrong) counts from arrival: a mail cannot be refused
  // usefully, and its date would become the suspension's `since`.
  const inFuture =
    mail.date !== null &&
    secondsAhead(mail.date, new Date(), app.config.signatureToleranceSeconds) !== null;
  const occurredAt = mail.date && !inFuture ? mail.date : new Date().toISOString();
  const dated = mail.date && !inFuture ? mail.dated : 'arrival';
  const dateNote = inFuture
    ? `dated ${mail.date}, in the future: counted from arrival`
    : mail.date
      ? mail.dateNote
      : `no readable date${mail.forwarded === null && mail.dateNote ? ` (${mail.dateNote})` : ''}: counted from arrival`;
  const eventId = await storedUnderLegacyKey(app, target.id, mail.legacyKey, mail.eventKey);
  const result = await app.changes.record({
    portalId: target.id,
    source: 'email',
    state: 'suspended',
    reason: mail.reason,
    title: mail.subject,
    excerpt: mail.text.slice(0, 4000),
    occurredAt,
    ...(mail.dateApproximate && occurredAt === mail.date ? { occurredAtApproximate: true } : {}),
    // The notice's subject and date: two admins forwarding it, attached or inline, are one change.
    eventId,
    detail: {
      language: mail.language,
      from: mail.from,
      ...(mail.noticeMessageId ? { noticeMessageId: mail.noticeMessageId } : {}),
      dated,
      ...(dateNote ? { dateNote } : {}),
      ...(mail.forwarded ? { forwarded: mail.forwarded } : {}),
    },
  });
  return { recognised: true, result };
}

/**
 * Newest changes looked at for one stored under a message's legacy key: a redelivery after an
 * upgrade (a mail service retrying, a mailbox message stored but not flagged when the relay
 * stopped), or another copy of a notice carrying its Message-ID, finds its change among them. One
 * indexed query, only for a message whose key changed; an older change is not found, and the
 * notice becomes a second change.
 */
const LEGACY_LOOKBACK = 50;

/**
 * The eventId to record under: `email:<eventKey>`, unless the portal's recent changes hold the same
 * notice stored before notices were keyed by subject and date (under its Message-ID): then that
 * change's, so the message is a duplicate and not a second change.
 */
async function storedUnderLegacyKey(
  app: FastifyInstance,
  portalId: string,
  legacyKey: string,
  eventKey: string,
): Promise<string> {
  if (legacyKey === eventKey) return `email:${eventKey}`;
  const legacy = `email:${legacyKey}`;
  const { items } = await app.store.listChanges(portalId, { limit: LEGACY_LOOKBACK });
  return items.some((change) => change.source === 'email' && change.eventId === legacy)
    ? legacy
    : `email:${eventKey}`;
}
