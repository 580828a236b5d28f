import { connectedAppsNotReadLine } from '@sync-doctor/core';
import { wrapText } from '../table.js';
import type { CheckContext, RenderOptions } from './context.js';

/**
 * One line when whether the integration user is frozen could not be read (UserLogin needs Manage
 * Users): no frozen-user finding then means "not checked", not "not frozen". Nothing when it was
 * read (a frozen user is a finding) or not asked for.
 */
export function renderFrozenNotRead(
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const read = context.frozen;
  if (!read || read.read) return '';
  const why =
    read.cause === 'needs-manage-users'
      ? 'Not read (needs Manage Users): whether the user is frozen was not checked.'
      : `Not read${read.message ? `: ${read.message.replace(/^Whether the user is frozen was not read: /, '')}` : '.'}`;
  return [
    style.bold('Frozen state'),
    ...wrapText(why, Math.max(30, width - 2)).map((l) => `  ${style.dim(l)}`),
  ].join('\n');
}

/**
 * One line when HubSpot's connected app could not be read: its policies were then not judged, which
 * the findings alone would not tell. Nothing when it was read (its findings say the rest) or not
 * asked for.
 */
export function renderConnectedAppNotRead(
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const read = context.connectedApps;
  if (!read || read.read) return '';
  // The core words it, as in the report the app copies.
  const why = connectedAppsNotReadLine(read) ?? 'Not read.';
  return [
    style.bold("HubSpot's connected app"),
    ...wrapText(why, Math.max(30, width - 2)).map((l) => `  ${style.dim(l)}`),
  ].join('\n');
}
