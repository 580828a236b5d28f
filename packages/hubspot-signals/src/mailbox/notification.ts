import {
  classifySuspensionText,
  mentionsSuspension,
  type SuspensionTextMatch,
} from '@sync-doctor/core';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A message from the mailbox, as handed to the relay: the raw RFC 822 source plus what was read from it. */
export interface MailboxMessage {
  mailbox: string;
  uid: number;
  uidValidity: string;
  messageId: string | null;
  subject: string | null;
  from: string | null;
  /** The Date header (ISO 8601); null when there is none or it cannot be read. */
  date: string | null;
  /** The message exactly as stored: what `POST /v1/inbound/email` takes as `message/rfc822`. */
  source: Buffer;
  /**
   * The suspension reason named in subject or body (English, Danish and the core's other
   * languages), else in a message attached to it (a notice forwarded as an attachment).
   */
  classification: SuspensionTextMatch | null;
  /** Sent by HubSpot, or forwarding as an attachment a message HubSpot sent. */
  fromHubSpot: boolean;
  /** The subject and text of the message and of the messages attached to it, decoded (what the filter reads). */
  text: string;
}

// HubSpot sends account notifications from its own domains.
const HUBSPOT_SENDER =
  /@(?:[a-z0-9-]+\.)*(?:hubspot\.com|hubspot\.net|hubspotemail\.net)\s*(?:>\s*)?$/i;

const parse = (source: Buffer) =>
  simpleParser(source, { skipImageLinks: true, skipTextLinks: true });

/** The most of a message's own text that is read (a notice names its reason near its start). */
const MAX_TEXT_CHARS = 256_000;
/** The most HTML read when the parser gave no text for it. */
const MAX_HTML_CHARS = 1_000_000;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/**
 * The text of HTML the parser left without one (mailparser gives '' for HTML nested deeper than
 * 1,000 elements): tags dropped, the common entities decoded. Linear whatever the input:
 * `<[^<>]*>` never scans past the next '<' (`<[^>]+>` took a minute over 150,000 '<' in a row),
 * and a numeric entity beyond Unicode is a replacement character, not a RangeError.
 */
function textOfHtml(html: string): string {
  return html
    .slice(0, MAX_HTML_CHARS)
    .replace(/<[^<>]*>/g, ' ')
    .replace(
      /&(?:#(\d{1,8})|#x([0-9a-f]{1,7})|([a-z]{2,6}));/gi,
      (entity, decimal?: string, hex?: string, name?: string) => {
        if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
        const code = decimal !== undefined ? Number(decimal) : parseInt(hex!, 16);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      },
    );
}

/**
 * The message's date, or null when it has none or one no one can read: for an unreadable Date
 * header mailparser gives the time of parsing, which would pass a years-old notice off as new.
 */
function dateOf(mail: ParsedMail): string | null {
  if (!mail.date || Number.isNaN(mail.date.getTime())) return null;
  const readable = mail.headerLines.some(
    (header) =>
      header.key === 'date' &&
      !Number.isNaN(
        Date.parse(
          header.line
            .slice(header.line.indexOf(':') + 1)
            .replace(/\r?\n[ \t]+/g, ' ')
            .trim(),
        ),
      ),
  );
  return readable ? mail.date.toISOString() : null;
}

/** A message's subject and text (an HTML-only one's without its tags), and whether HubSpot sent it. */
function contentOf(mail: ParsedMail): { text: string; fromHubSpot: boolean } {
  const subject = mail.subject?.trim() || null;
  // The HTML is read only when the parser gave no text for it (see textOfHtml).
  const text = (mail.text || (typeof mail.html === 'string' ? textOfHtml(mail.html) : '')).slice(
    0,
    MAX_TEXT_CHARS,
  );
  const fromAddress = mail.from?.value?.[0]?.address ?? null;
  return {
    text: [subject, text].filter(Boolean).join('\n'),
    fromHubSpot: fromAddress !== null && HUBSPOT_SENDER.test(fromAddress),
  };
}

/**
 * Messages attached to a message (message/rfc822: "Forward as attachment"), read as the relay
 * reads them: two levels deep, the first five of each; an unreadable one is left out.
 */
async function attachedContents(
  mail: ParsedMail,
  depth = 1,
): Promise<{ text: string; fromHubSpot: boolean }[]> {
  const found: { text: string; fromHubSpot: boolean }[] = [];
  const attached = mail.attachments
    .filter(
      (a) => /^message\/(?:rfc822|global)$/i.test(a.contentType) && Buffer.isBuffer(a.content),
    )
    .slice(0, 5);
  for (const attachment of attached) {
    let inner: ParsedMail;
    try {
      inner = await parse(attachment.content);
    } catch {
      continue;
    }
    found.push(contentOf(inner));
    if (depth < 2) found.push(...(await attachedContents(inner, depth + 1)));
  }
  return found;
}

export async function readMessage(
  source: Buffer,
  where: { mailbox: string; uid: number; uidValidity: string },
): Promise<MailboxMessage> {
  const mail = await parse(source);
  const own = contentOf(mail);
  // A notice forwarded as an attachment: the forward's own subject and note ("VS:", "see the
  // attached") may name nothing; the attached notice does, and HubSpot sent it.
  const attached = await attachedContents(mail);
  let classification = classifySuspensionText(own.text);
  for (const inner of attached) classification ??= classifySuspensionText(inner.text);
  return {
    ...where,
    messageId: mail.messageId ?? null,
    subject: mail.subject?.trim() || null,
    from: mail.from?.text ?? null,
    date: dateOf(mail),
    source,
    classification,
    fromHubSpot: own.fromHubSpot || attached.some((inner) => inner.fromHubSpot),
    text: [own.text, ...attached.map((inner) => inner.text)].join('\n').slice(0, 512_000),
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
  const text = `${message.text}\n${message.source.subarray(0, 64_000).toString('utf8')}`;
  return mentionsSuspension(text);
}
