import { classifySuspensionText, type SuspensionTextMatch } from '@sync-doctor/core';
import { simpleParser } from 'mailparser';

/** A message from the mailbox, as handed to the relay: the raw RFC 822 source plus what was read from it. */
export interface MailboxMessage {
  mailbox: string;
  uid: number;
  uidValidity: string;
  messageId: string | null;
  subject: string | null;
  from: string | null;
  date: string | null;
  /** The message exactly as stored: what `POST /v1/inbound/email` takes as `message/rfc822`. */
  source: Buffer;
  /** The suspension reason named in subject or body (English, Danish and the core's other languages). */
  classification: SuspensionTextMatch | null;
  fromHubSpot: boolean;
}

// HubSpot sends account notifications from its own domains.
const HUBSPOT_SENDER =
  /@(?:[a-z0-9-]+\.)*(?:hubspot\.com|hubspot\.net|hubspotemail\.net)\s*>?\s*$/i;
const SUSPENSION_WORDS = /\bsuspen(?:ded|sion|deret|sionen|dert|dido|dida|du|due)\b/i;

export async function readMessage(
  source: Buffer,
  where: { mailbox: string; uid: number; uidValidity: string },
): Promise<MailboxMessage> {
  const mail = await simpleParser(source, { skipImageLinks: true, skipTextLinks: true });
  const subject = mail.subject?.trim() || null;
  const html = typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, ' ') : '';
  const text = (mail.text ?? html).slice(0, 256_000);
  const fromAddress = mail.from?.value?.[0]?.address ?? null;
  return {
    ...where,
    messageId: mail.messageId ?? null,
    subject,
    from: mail.from?.text ?? null,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    source,
    classification: classifySuspensionText([subject, text].filter(Boolean).join('\n')),
    fromHubSpot: fromAddress !== null && HUBSPOT_SENDER.test(fromAddress),
  };
}

/**
 * The default filter: a message that names a suspension reason, or one from HubSpot that speaks of
 * a Salesforce suspension in other words (the relay still records it, reason unknown). Everything
 * else in a shared mailbox is left alone, unflagged.
 */
export function isHubSpotNotification(message: MailboxMessage): boolean {
  if (message.classification !== null) return true;
  if (!message.fromHubSpot) return false;
  const text = `${message.subject ?? ''}\n${message.source.subarray(0, 64_000).toString('utf8')}`;
  return /salesforce/i.test(text) && SUSPENSION_WORDS.test(text);
}
