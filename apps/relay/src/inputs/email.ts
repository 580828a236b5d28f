import { createHash } from 'node:crypto';
import {
  classifySuspensionText,
  mentionsSuspension,
  stripHtml,
  type ReasonCode,
} from '@sync-doctor/core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { HttpError } from '../errors.js';
import { findForwardedHeader } from './forwarded.js';
import { formatOffset, offsetOfDateHeader, parseQuotedDate, readDateHeader } from './mailDates.js';
import { stripGatewayTags, stripSubjectPrefixes } from './subjectPrefixes.js';

/** How a notice reached the relay when an admin forwarded it, and the forward's own facts. */
interface ForwardInfo {
  as: 'attachment' | 'inline';
  /** The forwarder. */
  from: string | null;
  /** The forward's own Message-ID, subject and date (the notice's are in ParsedNotification). */
  messageId: string;
  subject: string | null;
  date: string | null;
}

/**
 * Which date `date` is: the message's own ('message'), the forwarded notice's ('original': its Date
 * header when attached, the quoted date when inline), or the forward's because the notice's could
 * not be read or was later than the forward ('forward'; `dateNote` says why). Null with no date.
 */
type DatedBy = 'message' | 'original' | 'forward';

interface ParsedNotification {
  /** The received message's own Message-ID (the kept copy is filed under it). */
  messageId: string;
  /**
   * What makes two deliveries the same notification, however each came (sent straight to the
   * relay, attached to a forward, quoted in an inline forward): a digest of the notice's subject
   * and HubSpot's date, to the minute (`noticeKey`). Without both, the notice's own Message-ID
   * when the relay has it, else `messageId`.
   */
  eventKey: string;
  /**
   * The key an older relay gave the same message (the notice's Message-ID rather than its subject
   * and date): a change stored under it before an upgrade is the same change.
   */
  legacyKey: string;
  /**
   * The notice's own Message-ID (the message's when HubSpot's notice came straight, the attached
   * notice's when forwarded as an attachment); null when forwarded inline, which quotes none.
   */
  noticeMessageId: string | null;
  /**
   * The notice's subject (HubSpot's, without the forward's "Fwd:" or the tags mail gateways put
   * before it, "[EXTERNAL]"...).
   */
  subject: string | null;
  /** The received message's own subject, as it arrived (the kept copy is filed under it). */
  receivedSubject: string | null;
  /** The notice's sender. */
  from: string | null;
  /** The date that counts (ISO), see `dated`. */
  date: string | null;
  dated: DatedBy | null;
  /**
   * Why the forward's date stands in for the notice's, or which time zone a quoted date was read
   * in; without a date, why the notice's own could not be read, when known (an ambiguous zone).
   */
  dateNote: string | null;
  /**
   * True when `date` is an inline forward's quoted time that names no zone, read in the forward's
   * own: it may be off by the difference between two zones (hours), so it must not decide the order
   * of signals (a suspension must not be judged older than a clearance on it).
   */
  dateApproximate: boolean;
  /** The notice's text (without the forwarder's note when it could be told apart). */
  text: string;
  /** Portal (hub) ids the message names, in order of appearance. */
  portalIds: string[];
  reason: ReasonCode | null;
  language: string | null;
  /** Whether the message speaks of a suspension at all (with or without a known reason). */
  mentionsSuspension: boolean;
  /** Set when the notice came forwarded by an admin. */
  forwarded: ForwardInfo | null;
}

// HubSpot links carry the hub id as the path segment after the tool name
// (app.hubspot.com/integrations-settings/<hubId>/..., app-eu1.hubspot.com/.../<hubId>/...),
// and account e-mails name it as "Hub ID", "Portal ID", "Konto-id" / "Hub-id" in Danish.
const PORTAL_PATTERNS = [
  /https?:\/\/app(?:-[a-z0-9]+)?\.hubspot\.com\/[a-z0-9-]+\/(\d{3,12})(?=[/?#\s"'<>]|$)/gi,
  // `\s*(?:[:#]\s*)?`, not `\s*[:#]?\s*`: the same words, but two free runs of spaces made every
  // "hub id" followed by many spaces and no number cost the square of their count (35 s for 200,000).
  /\b(?:hub|portal|account|konto)[ -]?id\s*(?:[:#]\s*)?(\d{3,12})\b/gi,
];

/** Hub ids kept from one message: a real notification names one or two. */
const MAX_PORTAL_IDS = 20;

export function findPortalIds(text: string): string[] {
  // A Set, and a cap: a message naming 100,000 different ids took 14 s with a list's includes().
  const found = new Set<string>();
  for (const pattern of PORTAL_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      found.add(match[1]!);
      if (found.size === MAX_PORTAL_IDS) return [...found];
    }
  }
  return [...found];
}

/** What mailparser refuses (more than 1,000 MIME parts, a part's header over 1 MB), in words. */
function unreadable(error: unknown): HttpError {
  const code = (error as { code?: unknown })?.code;
  const why =
    code === 'EMAXLEN'
      ? 'it has too many MIME parts, or a header too large'
      : 'its MIME structure is malformed';
  return new HttpError(422, 'MESSAGE_UNREADABLE', `the message cannot be read: ${why}`);
}

/**
 * How deep attached messages are opened: a notice attached to a forward (1), or to a forward that
 * was itself forwarded as an attachment (2). Each level parses a part of the level above, so the
 * bytes parsed stay within three times the body limit.
 */
const MAX_ATTACHMENT_DEPTH = 2;
/** Attached messages looked at per message: the notice is one of the first. */
const MAX_ATTACHED_MESSAGES = 5;

/** Reads a HubSpot notification e-mail (raw RFC 822), as HubSpot sent it or as an admin forwarded it. */
export async function parseNotification(raw: Buffer): Promise<ParsedNotification> {
  return parseAt(raw, 0);
}

/**
 * The message's own date, or null when its Date header is missing or cannot be read; then `why`,
 * when the header read but for its time zone's name (mailDates.ts, readDateHeader: CET, CEST and
 * the like are read, BST or IST, which name several zones, are not). mailparser puts the time of
 * parsing in place of a Date header it cannot read: taken as the message's date, a notice was
 * keyed by the minute it arrived (a redelivery a minute later became a second change) and dated
 * `message` though HubSpot's date was never read. The first Date header that reads counts.
 */
function ownDate(mail: ParsedMail): { date: string | null; why: string | null } {
  let why: string | null = null;
  for (const { key, line } of mail.headerLines ?? []) {
    if (key !== 'date') continue;
    const read = readDateHeader(line.replace(/^date:/i, ''));
    if (read.date) return { date: read.date.toISOString(), why: null };
    why ??= read.unreadZone
      ? `the time zone "${read.unreadZone}" in its Date header is ambiguous or unknown`
      : null;
  }
  return { date: null, why };
}

/** The UTC offset the message's own Date header was written in (its sender's zone); null when it names none. */
function ownOffset(mail: ParsedMail): number | null {
  const line = mail.headerLines?.find((header) => header.key === 'date')?.line;
  return line ? offsetOfDateHeader(line.replace(/^date:/i, '')) : null;
}

async function parseAt(raw: Buffer, depth: number): Promise<ParsedNotification> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextLinks: true,
      // A message/rfc822 part marked `Content-Disposition: inline` would otherwise be merged into
      // the text with only From/Subject/Date/To kept: its Message-ID lost, it would be read as an
      // inline forward. Kept whole, it is read like any attached notice.
      ignoreEmbedded: true,
    });
  } catch (error) {
    // A 4xx, not a 500: the same bytes fail every time (a mailbox reader marks them rejected
    // instead of stopping at them on every pass).
    throw unreadable(error);
  }
  // An HTML-only message is read the core's way (linear in hostile markup, entities decoded).
  const text = (mail.text ?? (typeof mail.html === 'string' ? stripHtml(mail.html) : '')).trim();
  const subject = mail.subject?.trim() || null;
  const searchable = [subject, text, typeof mail.html === 'string' ? mail.html : '']
    .filter(Boolean)
    .join('\n');
  const dateRead = ownDate(mail);
  const own = {
    messageId: mail.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    subject,
    from: mail.from?.text ?? null,
    date: dateRead.date,
  };
  const ownMatch = classifySuspensionText([subject, text].filter(Boolean).join('\n'));
  const ownPortals = findPortalIds(searchable);
  const ownMentions = ownMatch !== null || mentionsSuspension(searchable);

  const attached = depth < MAX_ATTACHMENT_DEPTH ? await attachedNotice(mail, depth) : null;
  if (attached) {
    const dating = notLaterThanForward(attached.date, own.date, "the attached message's date");
    const date: Pick<ParsedNotification, 'date' | 'dated' | 'dateNote' | 'dateApproximate'> =
      !dating
        ? {
            date: own.date,
            dated: own.date ? 'forward' : null,
            dateNote: `the attached message has no readable Date header${attached.forwarded === null && attached.dateNote ? ` (${attached.dateNote})` : ''}: the forward's date counts`,
            dateApproximate: false,
          }
        : dating.dated === 'original'
          ? // An attached forward keeps what it said of its own date (depth 2).
            {
              date: dating.date,
              dated: attached.dated === 'forward' ? 'forward' : 'original',
              dateNote: attached.dateNote,
              dateApproximate: attached.dateApproximate,
            }
          : { ...dating, dateApproximate: false };
    return {
      messageId: own.messageId,
      eventKey: attached.eventKey,
      legacyKey: attached.legacyKey,
      noticeMessageId: attached.noticeMessageId,
      subject: attached.subject,
      receivedSubject: subject,
      from: attached.from,
      ...date,
      text: attached.text,
      portalIds: [...new Set([...attached.portalIds, ...ownPortals])].slice(0, MAX_PORTAL_IDS),
      reason: attached.reason ?? ownMatch?.reason ?? null,
      language: attached.reason ? attached.language : (ownMatch?.language ?? null),
      mentionsSuspension: attached.mentionsSuspension || ownMentions,
      forwarded: { as: 'attachment', ...own },
    };
  }

  const header = findForwardedHeader(text);
  if (header) {
    const noticeSubject = header.subject
      ? stripSubjectPrefixes(header.subject)
      : subject
        ? stripSubjectPrefixes(subject)
        : null;
    // The notice's own words first: the forwarder's note ("is it the API limit again?") must not
    // outweigh HubSpot's heading.
    const match =
      classifySuspensionText([noticeSubject, header.body].filter(Boolean).join('\n')) ?? ownMatch;
    const offset = ownOffset(mail);
    const quoted = header.date ? parseQuotedDate(header.date, offset ?? 0) : null;
    const zoneNote =
      quoted?.zone === 'assumed'
        ? `the quoted date "${header.date}" names no time zone: read in the forward's own (${offset === null ? 'UTC, the forward names none' : formatOffset(offset)})`
        : null;
    const dating = quoted
      ? notLaterThanForward(quoted.date.toISOString(), own.date, `the quoted date "${header.date}"`)
      : null;
    const date = dating ?? {
      date: own.date,
      dated: own.date ? ('forward' as const) : null,
      dateNote: `the forwarded message's date${header.date ? ` "${header.date.slice(0, 80)}"` : ''} could not be read unambiguously: the forward's date counts`,
    };
    const readDate = date.dated === 'original' ? date.date : null;
    // Two admins forwarding the same notice inline quote the same subject and the same instant
    // (each in their own zone, to the minute): that is the notice, as HubSpot's own copy or an
    // attached one says it. Without a date, the forward.
    const eventKey = readDate && noticeSubject ? noticeKey(noticeSubject, readDate) : own.messageId;
    return {
      messageId: own.messageId,
      eventKey,
      legacyKey: eventKey,
      noticeMessageId: null,
      subject: noticeSubject,
      receivedSubject: subject,
      from: header.from,
      ...date,
      ...(date.dated === 'original' && zoneNote ? { dateNote: zoneNote } : {}),
      dateApproximate: date.dated === 'original' && zoneNote !== null,
      text: header.body || text,
      portalIds: ownPortals,
      reason: match?.reason ?? null,
      language: match?.language ?? null,
      mentionsSuspension: ownMentions || match !== null,
      forwarded: { as: 'inline', ...own },
    };
  }

  return {
    messageId: own.messageId,
    // The Date header is HubSpot's own: the same notice attached to a forward, or quoted inline,
    // gives the same key, even when it is later than a forward's and not counted from.
    eventKey: subject && own.date ? noticeKey(subject, own.date) : own.messageId,
    legacyKey: own.messageId,
    noticeMessageId: mail.messageId ?? null,
    // HubSpot's subject, without the tag a gateway may have put before it on the way ("[EXTERNAL] ...").
    subject: subject ? stripGatewayTags(subject) : null,
    receivedSubject: subject,
    from: own.from,
    date: own.date,
    dated: own.date ? 'message' : null,
    // Without a date, why (an ambiguous zone), for the record's note (inboundEmail.ts).
    dateNote: dateRead.why,
    dateApproximate: false,
    text,
    portalIds: ownPortals,
    reason: ownMatch?.reason ?? null,
    language: ownMatch?.language ?? null,
    mentionsSuspension: ownMentions,
    forwarded: null,
  };
}

/**
 * The notice's date, unless it is later than the forward that carries it (a notice cannot be
 * forwarded before it was sent: the date was misread or is wrong), then the forward's. Null when
 * the notice has no date.
 */
function notLaterThanForward(
  original: string | null,
  forward: string | null,
  what: string,
): Pick<ParsedNotification, 'date' | 'dated' | 'dateNote'> | null {
  if (!original) return null;
  if (forward && Date.parse(original) > Date.parse(forward)) {
    return {
      date: forward,
      dated: 'forward',
      dateNote: `${what} (${original}) is later than the forward's own (${forward}): the forward's date counts`,
    };
  }
  return { date: original, dated: 'original', dateNote: null };
}

/**
 * A notice's key from its subject and date (ISO, UTC; seconds dropped, as inline forwards quote
 * none). Named "forwarded:" because inline forwards were keyed so first: changes stored under it
 * stay the same changes.
 */
const noticeKey = (subject: string, date: string): string =>
  `forwarded:${createHash('sha256')
    .update(
      JSON.stringify([
        stripSubjectPrefixes(subject).replace(/\s+/g, ' ').trim().toLowerCase(),
        date.slice(0, 16),
      ]),
    )
    .digest('hex')
    .slice(0, 40)}`;

/** The first attached message (message/rfc822) that reads as a notification, parsed; null when none. */
async function attachedNotice(mail: ParsedMail, depth: number): Promise<ParsedNotification | null> {
  const messages = mail.attachments
    .filter(
      (a) =>
        /^message\/(?:rfc822|global)$/i.test(a.contentType) &&
        Buffer.isBuffer(a.content) &&
        a.content.length > 0,
    )
    .slice(0, MAX_ATTACHED_MESSAGES);
  for (const attachment of messages) {
    let notice: ParsedNotification;
    try {
      notice = await parseAt(attachment.content, depth + 1);
    } catch {
      continue; // an unreadable attachment: the forward is read without it
    }
    if (notice.reason !== null || notice.portalIds.length > 0 || notice.mentionsSuspension)
      return notice;
  }
  return null;
}

/**
 * Looks like an RFC 822 message: at least one header line before the first blank line. A mail
 * server piping a message to a command (Postfix's local delivery, procmail, `formail`) writes the
 * mbox envelope line ("From sender date") above the headers: that line is allowed first (mailparser
 * reads past it).
 */
export function looksLikeMessage(raw: Buffer): boolean {
  const head = raw
    .subarray(0, 4096)
    .toString('latin1')
    .replace(/^From [^\r\n]*\r?\n(?=[!-9;-~]+:)/, '');
  return /^[!-9;-~]+:[^\r\n]*\r?\n/.test(head);
}
