import { SUSPENSION_REASONS, isReasonCode } from '@sync-doctor/core';
import type { Style } from './style.js';
import { wrapText } from './table.js';

/** The parts of a SalesforceError the CLI shows (duck-typed: the class lives in another package). */
export interface FailureLike {
  message: string;
  reason?: string;
  errorCode?: string;
  statusCode?: number;
}

/**
 * What to do when the CLI itself could not read the org. The reason's catalog remedy is written for
 * HubSpot's session, not ours; for errors about Sync Doctor's own access, say what fixes that.
 */
const OWN_ACCESS_HINTS: Record<string, string[]> = {
  INVALID_SESSION_ID: [
    'The session Sync Doctor used is expired or invalid. Get a fresh one (sf org display --target-org ALIAS) or use --target-org / --jwt, which renew it themselves.',
  ],
  USER_NOT_FOUND: ['Check --user: give the HubSpot integration user\'s username or User id (Setup > Users).'],
  SF_CLI_NOT_FOUND: ['Install the Salesforce CLI (npm install --global @salesforce/cli), or pass --instance-url and --access-token.'],
  SF_CLI_ORG_NOT_AUTHORIZED: ['Authorise the org with the Salesforce CLI (sf org login web --alias ALIAS), then pass --target-org ALIAS.'],
  invalid_grant: [
    'The JWT was refused: check that the connected app has the certificate of --key-file, that the user is pre-authorised for the app, and that --login-url matches the org (test.salesforce.com for sandboxes).',
  ],
  invalid_client_id: ['The connected app\'s consumer key (--client-id) is not known to this login URL.'],
  REQUEST_TIMEOUT: ['Salesforce did not answer in time. Check https://status.salesforce.com for the instance, then try again.'],
  ECONNREFUSED: ['Nothing answered at the instance URL. Check --instance-url (or the org alias) and the network.'],
  ENOTFOUND: ['The instance URL\'s host name does not resolve. Check --instance-url (or the org alias).'],
  INSUFFICIENT_ACCESS: ['The user Sync Doctor connects as needs "View Setup and Configuration" to read permission sets: connect as an administrator.'],
};

export function renderFailure(failure: FailureLike, style: Style, width: number): string {
  const lines: string[] = [];
  const code = [failure.errorCode, failure.statusCode ? `HTTP ${failure.statusCode}` : undefined].filter(Boolean).join(', ');
  const reason = failure.reason && isReasonCode(failure.reason) ? failure.reason : undefined;
  lines.push(`${style.bold(style.red('Could not diagnose'))}${reason ? `: ${style.bold(reason)}` : ''}${code ? style.dim(` (${code})`) : ''}`);
  for (const line of wrapText(failure.message, width - 2)) lines.push(`  ${line}`);
  const ownHint = failure.errorCode ? OWN_ACCESS_HINTS[failure.errorCode] : undefined;
  const steps: string[] = ownHint ?? (reason ? SUSPENSION_REASONS[reason].remedy : []);
  if (steps.length > 0) {
    lines.push('');
    lines.push(style.bold('What to do'));
    steps.forEach((step, i) => wrapText(step, width - 6).forEach((line, j) => lines.push(`${j === 0 ? `  ${i + 1}. ` : '     '}${line}`)));
  }
  if (reason && !ownHint) {
    lines.push('');
    lines.push(style.dim(`If HubSpot's connector meets the same error, it suspends with "${SUSPENSION_REASONS[reason].titles.en}".`));
  }
  return `${lines.join('\n')}\n`;
}
