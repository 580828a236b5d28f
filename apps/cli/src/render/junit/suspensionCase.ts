/*
 * The testcase of HubSpot's relayed status: failing while the relay says the sync is suspended,
 * passing once cleared, skipped when the status record could not be read.
 */
import {
  isSuspendedState,
  relayedReasonTitle,
  minuteLabel,
  syncErrorsOutline,
  syncErrorsView,
  type Diagnosis,
} from '@sync-doctor/core';
import { SYNC_ERROR_LINES, suspendedSyncText, type RelayedView } from '../relayed.js';
import { attributes, xmlText, type RenderedCase } from './xml.js';

/** The suite and testcase of HubSpot's relayed status: one name, failing or passing run to run. */
export const SUSPENSION_SUITE = 'HubSpot reported';
export const SUSPENSION_CASE = 'sync not suspended';

/**
 * The status record could not be read (no package, no access): the suspension case is skipped, not
 * passed, as the exit is 3 then: a suspension may be there unseen.
 */
export function statusUnreadCase(relayed: RelayedView): RenderedCase {
  const open = `    <testcase${attributes({ classname: SUSPENSION_SUITE, name: SUSPENSION_CASE, time: 0 })}>`;
  return {
    xml: [
      open,
      `      <skipped${attributes({ message: relayed.source })}/>`,
      '    </testcase>',
    ].join('\n'),
    failed: false,
    skipped: true,
  };
}

/**
 * HubSpot's exported sync errors under the suspension, as the CLI's "HubSpot reported" says them,
 * each with what the diagnosis finds now of its rights. A right still missing is no testcase of its
 * own here: its field or object already fails its own testcase, so it is said, not counted again.
 */
function syncErrorLines(
  status: NonNullable<RelayedView['status']>,
  diagnosis: Diagnosis,
): string[] {
  const view = syncErrorsView(status, { lines: SYNC_ERROR_LINES, diagnosis });
  if (!view) return [];
  // The core's one order, as --report says it.
  return syncErrorsOutline(view).map(
    (line) => `${'  '.repeat(line.depth)}${line.label ? `${line.label}: ` : ''}${line.text}`,
  );
}

/**
 * A status record relayed from HubSpot: a failing testcase while it says suspended (or suspected),
 * as the exit code is 1 then whatever the findings say; passing once cleared. No record, no testcase.
 */
export function suspensionCase(relayed: RelayedView, diagnosis: Diagnosis): RenderedCase {
  const status = relayed.status!;
  const open = `    <testcase${attributes({ classname: SUSPENSION_SUITE, name: SUSPENSION_CASE, time: 0 })}`;
  if (!isSuspendedState(status)) {
    const note = [
      `Cleared${status.clearedAt ? ` ${minuteLabel(status.clearedAt)}` : ''}.`,
      relayed.source,
    ].join('\n');
    return {
      xml: [`${open}>`, `      <system-out>${xmlText(note)}</system-out>`, '    </testcase>'].join(
        '\n',
      ),
      failed: false,
    };
  }
  const { title, hubspotWords } = relayedReasonTitle(status);
  const head =
    status.state === 'suspended'
      ? 'HubSpot reports the sync suspended'
      : 'The relay suspects HubSpot suspended the sync';
  const message = `${head}: ${title || 'reason not given'}`;
  const body = [
    `${message}${status.reason ? ` (${status.reason})` : ''}`,
    ...(hubspotWords ? [`HubSpot's words: ${hubspotWords}`] : []),
    ...(status.since ? [`Since ${minuteLabel(status.since)}`] : []),
    relayed.source,
    `${capital(suspendedSyncText(status))}.`,
    ...(relayed.check ? [relayed.check.summary] : []),
    ...syncErrorLines(status, diagnosis),
    // Why a custom-code or duplicate group names no rule, as the text and --report say it.
    ...(relayed.rulesNotRead ?? []),
  ].join('\n');
  return {
    xml: [
      `${open}>`,
      `      <failure${attributes({ message, type: status.reason ?? 'SUSPENDED' })}>${xmlText(body)}</failure>`,
      '    </testcase>',
    ].join('\n'),
    failed: true,
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
