// The report step of `sync-doctor check`: what goes to stdout for a diagnosis, as --json, as
// --report, or as the tables.
import { connectedAppsNotReadLine, formatReport, loginsNotReadLine } from '@sync-doctor/core';
import type { CheckArgs } from '../../args.js';
import { CHECK_JSON_SCHEMA_VERSION } from '../../checkJsonSchema.js';
import { renderDiagnosis, type CheckContext, type RenderOptions } from '../../render/diagnosis.js';
import { printableDeep } from '../../render/printable.js';
import { relayedJson } from '../../render/relayed.js';
import type { Judged } from './collect.js';
import type { ExitDecision } from './exit.js';

/** Where the org was read from, and the requests spent finding the user (the footer counts them). */
interface ReadFrom {
  source: string;
  findingRequests: number;
}

export function renderOutput(
  args: Pick<CheckArgs, 'json' | 'report'>,
  { collected, diagnosis, relayed }: Judged,
  { source, findingRequests }: ReadFrom,
  { style, width }: RenderOptions,
  exit?: ExitDecision,
): string {
  // The diagnosis's own keys stay as they were; what HubSpot reported and whether the user's
  // frozen state, Login History and HubSpot's connected app were read (unread, no finding
  // about them is no proof) are keys beside them.
  if (args.json)
    return `${JSON.stringify(
      {
        // First, so a pipeline (or a person) sees which contract the document keeps.
        schemaVersion: CHECK_JSON_SCHEMA_VERSION,
        ...diagnosis,
        // Each sync error group with the core's kind, label, advice, fields and objects beside it,
        // and what this diagnosis finds now of them.
        hubspotReported: relayed ? relayedJson(relayed, diagnosis) : null,
        frozen: collected.frozen ?? null,
        loginHistory: collected.loginHistory ?? null,
        connectedApps: collected.connectedApps ?? null,
        // Added within schemaVersion 1: the exit code and why, so a pipeline reading the document
        // alone (a stored artifact) knows what the gate decided.
        ...(exit ? { exit } : {}),
      },
      null,
      2,
    )}\n`;
  if (args.report)
    return `${formatReport(printableDeep(diagnosis), {
      snapshot: printableDeep(collected.snapshot),
      status: printableDeep(relayed?.status ?? null),
      // The not-read lines are the core's, as in the app's copied report and the human output.
      ...(collected.loginHistory && !collected.loginHistory.read
        ? { loginsNotRead: loginsNotReadLine(collected.loginHistory) }
        : {}),
      // Worded by the core from the cause, as the app's copied report is.
      ...(collected.frozen && !collected.frozen.read ? { frozenRead: collected.frozen } : {}),
      ...(collected.connectedApps && !collected.connectedApps.read
        ? { connectedAppsNotRead: connectedAppsNotReadLine(collected.connectedApps) }
        : {}),
      ...(relayed?.rulesNotRead ? { rulesNotRead: printableDeep(relayed.rulesNotRead) } : {}),
    }).trimEnd()}\n`;
  const context: CheckContext = {
    snapshot: collected.snapshot,
    apiUsage: collected.apiUsage,
    requests: collected.requests + findingRequests,
    source,
    absentColumns: collected.absentColumns,
    relayed,
    loginHistory: collected.loginHistory,
    frozen: collected.frozen,
    connectedApps: collected.connectedApps,
  };
  // The org's own words (labels, names) and HubSpot's e-mail text are shown, never obeyed.
  return renderDiagnosis(printableDeep(diagnosis), printableDeep(context), {
    style,
    width,
  });
}
