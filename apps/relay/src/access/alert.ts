import { createHash } from 'node:crypto';
import { SUSPENSION_REASONS, type ReasonCode } from '@sync-doctor/core';
import {
  alertEmailBodies,
  alertSlackBlocks,
  clip,
  escapeHtml,
  escapeSlack,
  slackSection,
} from '@sync-doctor/hubspot-signals';
import { unreadRules, type AccessFinding } from './check.js';

/**
 * Access alerts' dedup keys start with this, so the alert outbox (alert_deliveries) is also where
 * the watch reads what it last alerted: the outbox rows are durable and shared by every instance,
 * so a restart or a new leader never alerts the same findings again.
 */
export const ACCESS_ALERT_PREFIX = 'access-';

export type AccessAlertKind = 'worse' | 'restored';

/** What an access alert said, as kept in its outbox row (`message.access`). */
export interface AccessAlertRecord {
  kind: AccessAlertKind;
  /** The error findings' identities at that alert (empty for 'restored'). */
  errors: string[];
}

/** A finding's identity across checks: what and where, not its wording. */
export const findingId = (f: Pick<AccessFinding, 'reason' | 'rule' | 'subject'>): string =>
  `${f.reason}|${f.rule ?? '-'}|${f.subject}`;

/**
 * The errors alerted before that this check could neither see nor rule out: their section (the
 * frozen state, Login History, the connected app) went unread (an ACCESS_SECTION_UNREAD warning).
 * They count as still there, so a section read one hour and not the next never alerts "restored"
 * and then "worse" again.
 */
function unknownErrors(alerted: readonly string[], findings: AccessFinding[]): string[] {
  const rules = unreadRules(findings);
  if (rules.size === 0) return [];
  const now = new Set(findings.filter((f) => f.severity === 'error').map(findingId));
  return alerted.filter((id) => !now.has(id) && rules.has(id.split('|')[1] ?? ''));
}

/**
 * Whether a concluded check calls for an alert, given what the last access alert said: 'worse'
 * when an error finding appeared that it did not list, 'restored' when errors were alerted and
 * none are left; otherwise none (the same findings, or fewer but not none, alert nothing).
 */
export function accessAlertKind(
  previous: AccessAlertRecord | null,
  findings: AccessFinding[],
): AccessAlertKind | null {
  const alerted = new Set(previous?.kind === 'worse' ? previous.errors : []);
  const errors = [
    ...findings.filter((f) => f.severity === 'error').map(findingId),
    ...unknownErrors(previous?.kind === 'worse' ? previous.errors : [], findings),
  ];
  if (errors.some((id) => !alerted.has(id))) return 'worse';
  if (errors.length === 0 && alerted.size > 0) return 'restored';
  return null;
}

const reasonTitle = (reason: string): string | null =>
  SUSPENSION_REASONS[reason as ReasonCode]?.titles.en ?? null;

/** "…cannot Create and Edit Contact records (it has Read). HubSpot suspends the sync at its next write that needs it (Object permissions missing)." */
function consequence(f: AccessFinding): string {
  const title = reasonTitle(f.reason);
  return `${f.message.replace(/\.?$/, '.')} HubSpot suspends the sync at its next write that needs it${title ? ` ("${title}")` : ''}.`;
}

/**
 * The alert for a change of the integration user's access, in the shape the alert outbox sends
 * (`sendAlert`: key, webhookBody, slack, email; headline for GET alerts). Its key chains the
 * previous access alert's, so the same findings coming back after a restore alert again, and a
 * key is made once per episode whichever instance makes it.
 */
export function buildAccessAlert(o: {
  portalId: string;
  kind: AccessAlertKind;
  previousKey: string | null;
  findings: AccessFinding[];
  previousErrors: string[];
  user: { id: string | null; username: string };
  checkedAt: string;
  appUrl: string | null;
}): Record<string, unknown> {
  const errors = o.findings.filter((f) => f.severity === 'error');
  // Errors of an unread section alerted before stay in the record (see unknownErrors).
  const ids = [
    ...errors.map(findingId),
    ...(o.kind === 'worse' ? unknownErrors(o.previousErrors, o.findings) : []),
  ].sort();
  const key = `${ACCESS_ALERT_PREFIX}${createHash('sha256')
    .update([o.portalId, o.kind, o.previousKey ?? '-', ...ids].join('\n'))
    .digest('hex')
    .slice(0, 32)}`;
  const before = new Set(o.previousErrors);
  const fresh = errors.filter((f) => !before.has(findingId(f)));
  const lead = fresh[0] ?? errors[0];
  const headline =
    o.kind === 'worse'
      ? `HubSpot's integration user lost access the sync needs: ${clip(lead ? lead.message : '', 200)}`
      : "HubSpot's integration user has the access the sync needs again";
  const remedy = o.kind === 'worse' ? [...new Set(errors.map((f) => f.remedy))] : [];
  const findingsOut = o.findings.map((f) => ({
    severity: f.severity,
    reason: f.reason,
    rule: f.rule,
    subject: f.subject,
    message: f.message,
    remedy: f.remedy,
    new: f.severity === 'error' && !before.has(findingId(f)),
  }));
  const webhookBody: Record<string, unknown> = {
    type: o.kind === 'worse' ? 'sync-doctor.access.worse' : 'sync-doctor.access.restored',
    id: key,
    portalId: o.portalId,
    integrationUser: o.user,
    checkedAt: o.checkedAt,
    headline,
    findings: findingsOut,
    remedy,
    appUrl: o.appUrl,
  };
  const lines =
    o.kind === 'worse'
      ? errors.map((f) => `${before.has(findingId(f)) ? '' : '[new] '}${consequence(f)}`)
      : ['No error finding is left: HubSpot can write again where it needs to.'];
  const facts: [string, string][] = [
    ['Portal', o.portalId],
    ['Integration user', o.user.username],
    ['Checked at', o.checkedAt],
  ];
  const { text, html } = alertEmailBodies({
    headline,
    facts,
    before: [
      { text: lines, html: `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` },
    ],
    remedy,
    after: [],
    appUrl: o.appUrl,
    key,
  });
  const blocks = alertSlackBlocks({
    headline,
    facts,
    before: [slackSection(lines.map((l) => `• ${escapeSlack(l)}`).join('\n'))],
    remedy,
    after: [],
    appUrl: o.appUrl,
    resolved: o.kind === 'restored',
  });
  const access: AccessAlertRecord = { kind: o.kind, errors: ids };
  return {
    key,
    access,
    headline,
    remedy,
    webhookBody,
    slack: { text: `${headline}: portal ${o.portalId}`, blocks },
    email: {
      subject: clip(`[Sync Doctor] ${headline} — portal ${o.portalId}`, 250),
      text,
      html,
    },
  };
}
