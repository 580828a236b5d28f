import { createHash } from 'node:crypto';
import { classifySuspensionText, stripHtml, type ReasonCode } from '@sync-doctor/core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { HttpError } from '../errors.js';

export interface ParsedNotification {
  messageId: string;
  subject: string | null;
  from: string | null;
  date: string | null;
  text: string;
  /** Portal (hub) ids the message names, in order of appearance. */
  portalIds: string[];
  reason: ReasonCode | null;
  language: string | null;
  /** Whether the message speaks of a suspension at all (with or without a known reason). */
  mentionsSuspension: boolean;
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
export const MAX_PORTAL_IDS = 20;

// Words HubSpot uses for a suspension, English and Danish ("suspenderet", "suspension").
const SUSPENSION_WORDS = /\bsuspen(?:ded|sion|deret|sionen)\b/i;

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
  const why = code === 'EMAXLEN' ? 'it has too many MIME parts, or a header too large' : 'its MIME structure is malformed';
  return new HttpError(422, 'MESSAGE_UNREADABLE', `the message cannot be read: ${why}`);
}

/** Reads a forwarded HubSpot notification (raw RFC 822) into what the relay needs. */
export async function parseNotification(raw: Buffer): Promise<ParsedNotification> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  } catch (error) {
    // A 4xx, not a 500: the same bytes fail every time (a mailbox reader marks them rejected
    // instead of stopping at them on every pass).
    throw unreadable(error);
  }
  // An HTML-only message is read the core's way (linear in hostile markup, entities decoded).
  const text = (mail.text ?? (typeof mail.html === 'string' ? stripHtml(mail.html) : '')).trim();
  const subject = mail.subject?.trim() || null;
  const searchable = [subject, text, typeof mail.html === 'string' ? mail.html : ''].filter(Boolean).join('\n');
  const match = classifySuspensionText([subject, text].filter(Boolean).join('\n'));
  return {
    messageId: mail.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    subject,
    from: mail.from?.text ?? null,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    text,
    portalIds: findPortalIds(searchable),
    reason: match?.reason ?? null,
    language: match?.language ?? null,
    mentionsSuspension: match !== null || SUSPENSION_WORDS.test(searchable),
  };
}

/** Looks like an RFC 822 message: at least one header line before the first blank line. */
export function looksLikeMessage(raw: Buffer): boolean {
  const head = raw.subarray(0, 4096).toString('latin1');
  return /^[!-9;-~]+:[^\r\n]*\r?\n/.test(head);
}
