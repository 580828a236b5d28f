// How `sync-doctor check` ends when it did diagnose: the exit code and why, for the shell, for
// --json's `exit` key and for the one line on stderr. A gate must never go green on an org it
// could not vouch for, nor while HubSpot reports the sync stopped.
import {
  compareSeverity,
  isPartlyChecked,
  isSuspendedState,
  STATUS_OBJECT,
  relayedReasonTitle,
  type Diagnosis,
  type RelayedStatus,
} from '@sync-doctor/core';
import type { ExitReason } from '../../checkJsonSchema.js';
import { EXIT } from '../../io.js';
import { suspendedSyncText } from '../../render/relayed.js';

export interface ExitDecision {
  code: number;
  reason: ExitReason;
  /** One sentence: what the exit means for this org. */
  message: string;
}

export interface ExitOptions {
  failOn: 'error' | 'warning';
  /** --allow-unchecked: a check the reader could not make does not exit 3. */
  allowUnchecked?: boolean;
  /**
   * Why HubSpot_Sync_Status__c could not be read (the package absent, the reader without access to
   * it, a failed read): whether HubSpot suspended the sync is then unknown, a check not made.
   */
  statusUnread?: { cause: string; errorCode: string } | null;
}

/** The relayed status as an unmade check is named in the exit message. */
export const STATUS_UNREAD_LABEL = "HubSpot's relayed suspension status";

/** Why the status is unread, and where to see a suspension meanwhile: the exit message's last sentence. */
function statusUnreadText(unread: { errorCode: string }): string {
  return ` ${STATUS_OBJECT.name} could not be read [${unread.errorCode}]: HubSpot's Salesforce integration settings show whether the sync is suspended.`;
}

/** 1 when a finding is at or above the --fail-on level, else 0. The diagnosis decides severities; this only compares. */
export function exitCodeFor(diagnosis: Diagnosis, failOn: 'error' | 'warning'): number {
  return failingFindings(diagnosis, failOn) > 0 ? EXIT.findings : EXIT.ok;
}

function failingFindings(diagnosis: Diagnosis, failOn: 'error' | 'warning'): number {
  // compareSeverity is negative when the finding is worse than failOn, 0 when it is the same.
  return diagnosis.findings.filter((f) => compareSeverity(f.severity, failOn) <= 0).length;
}

/**
 * The exit of a diagnosis: 1 (a finding at or above --fail-on, or HubSpot's suspension) over 3 (not
 * every check made, without --allow-unchecked) over 0. Usage mistakes (2) and failures to
 * diagnose (2, 75) never reach here.
 */
export function decideExit(
  diagnosis: Diagnosis,
  status: Pick<RelayedStatus, 'state' | 'reason' | 'title'> | null | undefined,
  { failOn, allowUnchecked = false, statusUnread }: ExitOptions,
): ExitDecision {
  const failing = failingFindings(diagnosis, failOn);
  const findingsText = `${failing} finding${failing === 1 ? '' : 's'} at or above --fail-on ${failOn}`;
  if (isSuspendedState(status)) {
    const { title } = relayedReasonTitle(status);
    const what =
      status.state === 'suspended'
        ? 'HubSpot reports the sync suspended'
        : 'the relay suspects HubSpot suspended the sync';
    return {
      code: EXIT.findings,
      reason: 'suspended',
      message: `${what}${title ? ` (${title})` : ''}: ${suspendedSyncText(status)}${failing > 0 ? `; also ${findingsText}` : ''}.`,
    };
  }
  if (failing > 0)
    return { code: EXIT.findings, reason: 'findings', message: `${capital(findingsText)}.` };
  // An unread status record is no "nothing relayed": a suspension may be there, unseen.
  if (isPartlyChecked(diagnosis) || statusUnread) {
    const labels = joinList([
      ...(diagnosis.unchecked ?? []).map((u) => u.label),
      ...(statusUnread ? [STATUS_UNREAD_LABEL] : []),
    ]);
    return allowUnchecked
      ? {
          code: EXIT.ok,
          reason: 'unchecked-allowed',
          message: `Nothing fails in what was read; not checked (accepted with --allow-unchecked): ${labels}.${statusUnread ? statusUnreadText(statusUnread) : ''}`,
        }
      : {
          code: EXIT.unchecked,
          reason: 'unchecked',
          message: `Nothing fails in what was read, but not everything could be checked (${labels}), so this run cannot vouch for the org: check those by hand or run as an admin who can read them, or pass --allow-unchecked to accept a partial check.${statusUnread ? statusUnreadText(statusUnread) : ''}`,
        };
  }
  return {
    code: EXIT.ok,
    reason: 'healthy',
    message: 'Every check made; nothing at or above --fail-on; no suspension relayed.',
  };
}

/** 'a', 'a and b', 'a, b and c'. */
function joinList(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
