import { createHash } from 'node:crypto';
import { classifySuspensionText, type ReasonCode } from '@sync-doctor/core';
import { simpleParser } from 'mailparser';

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
  /\b(?:hub|portal|account|konto)[ -]?id\s*[:#]?\s*(\d{3,12})\b/gi,
];

// Words HubSpot uses for a suspension, English and Danish ("suspenderet", "suspension").
const SUSPENSION_WORDS = /\bsuspen(?:ded|sion|deret|sionen)\b/i;

export function findPortalIds(text: string): string[] {
  const found: string[] = [];
  for (const pattern of PORTAL_PATTERNS) {
    for (const match of text.matchAll(pattern)) if (!found.includes(match[1]!)) found.push(match[1]!);
  }
  return found;
}

/** Reads a forwarded HubSpot notification (raw RFC 822) into what the relay needs. */
export async function parseNotification(raw: Buffer): Promise<ParsedNotification> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const text = (mail.text ?? (typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, ' ') : '')).trim();
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
