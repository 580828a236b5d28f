import {
  LOGIN_HISTORY_LIMIT,
  loginsNotReadLine,
  minuteLabel,
  type Diagnosis,
} from '@sync-doctor/core';
import { renderTable, wrapText } from '../table.js';
import type { CheckContext, RenderOptions } from './context.js';
import { formatNumber, packPieces, plural } from './shared.js';

/**
 * HubSpot's logins as the integration user: when it last got in, since when Salesforce refuses it,
 * and with which statuses from where. Nothing when Login History was not asked for; one line when
 * it could not be read.
 */
export function renderLogins(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const logins = diagnosis.logins;
  if (!logins) {
    const read = context.loginHistory;
    if (!read || read.read) return '';
    // The core words it, as in the report the app copies.
    const why = loginsNotReadLine(read) ?? 'Not read.';
    return [
      style.bold('Logins'),
      ...wrapText(why, Math.max(30, width - 2)).map((l) => `  ${style.dim(l)}`),
    ].join('\n');
  }
  const lines = [style.bold(`Logins (last ${logins.days} days)`)];
  const others = logins.otherApplications
    ? ` (${plural(logins.otherApplications, 'attempt')} of other applications left out)`
    : '';
  if (logins.attempts === 0) {
    lines.push(`  ${style.yellow(`No login by HubSpot${others}.`)}`);
    return lines.join('\n');
  }
  const facts = [
    `Last success ${logins.lastSuccessAt ? minuteLabel(logins.lastSuccessAt) : style.red('none')}`,
  ];
  if (logins.failingSince)
    facts.push(style.red(`refused since ${minuteLabel(logins.failingSince)}`));
  facts.push(`${loginAttempts(logins)}${others}`);
  for (const line of packPieces(
    facts.map((fact, i): [string, string] => [i === 0 ? '' : ' · ', fact]),
    width - 2,
  ))
    lines.push(`  ${line}`);
  if (logins.failures.length) {
    const rows = logins.failures.map((group) => [
      logins.failingSince && group.lastAt === logins.lastAttemptAt
        ? style.red(group.status)
        : style.yellow(group.status),
      formatNumber(group.count),
      minuteLabel(group.lastAt),
      group.sourceIps.join(', ') || '-',
    ]);
    lines.push(
      // The login card's and the report's headers, so the three read alike.
      renderTable(['Refused with', 'Times', 'Last at', 'From'], rows, {
        width,
        header: style.dim,
        wrap: [3],
      }),
    );
  }
  return lines.join('\n');
}

/**
 * How many login attempts, and how many Salesforce refused: '168 attempts' alone said neither what
 * was attempted nor how it went, beside a table of refusals. At the core's row cap
 * (LOGIN_HISTORY_LIMIT, newest first) they are the latest ones, not all of the window's. The
 * login card says the same.
 */
function loginAttempts(logins: NonNullable<Diagnosis['logins']>): string {
  const total = logins.attempts;
  const refused = logins.failures.reduce((sum, group) => sum + group.count, 0);
  const noun = total === 1 ? 'login attempt' : 'login attempts';
  const counted =
    total >= LOGIN_HISTORY_LIMIT
      ? `the latest ${formatNumber(total)} ${noun} (Sync Doctor reads no more)`
      : `${formatNumber(total)} ${noun}`;
  if (refused === 0) return `${counted}, ${total === 1 ? 'let in' : 'all let in'}`;
  return `${counted}: ${formatNumber(refused)} refused, ${formatNumber(total - refused)} let in`;
}
