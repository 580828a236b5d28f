import {
  STATUS_OBJECT,
  checkSuspensionSteps,
  currentSyncErrors,
  minuteLabel,
  nothingRelayedText,
  parseSyncErrors,
  relayedReasonTitle,
  suspensionLiftedClause,
  suspensionReason,
  syncErrorGroupNames,
  syncErrorKindInfo,
  syncErrorGroupNow,
  syncErrorsOutline,
  syncErrorsView,
  type Diagnosis,
  type RelayedStatus,
  type SuspensionCheck,
  type SuspensionStep,
  type SyncErrorGroup,
  type SyncErrorKindInfo,
  type SyncErrorNow,
  type SyncErrorNowDiagnosis,
  type SyncErrorsOutlineLine,
} from '@sync-doctor/core';
import type { RelayedStatusRead, RelayedStatusRecord } from '@sync-doctor/salesforce';
import { wrapText } from './table.js';
import type { Style } from './style.js';

/** What HubSpot reported as the check shows it: the chosen portal's status and how it was chosen. */
export interface RelayedView {
  status: RelayedStatus | null;
  /** When the relay last wrote the record (its LastModifiedDate). */
  updatedAt: string | null;
  /** Where the status came from, or why there is none: the section's source line. */
  source: string;
  /** The other portals' ids the org holds a status for (pick one with --portal). */
  otherPortals: string[];
  /** Set when the object could not be read (no package, no access). */
  unavailable?: RelayedStatusRead['unavailable'];
  /** The core's reading of the reason's steps against this diagnosis (not for a cleared status). */
  check: SuspensionCheck | null;
  /**
   * Set when the sync errors hold a custom-code, duplicate-rule or picklist group and the org's
   * validation rules, duplicate rules or record types could not be read: a line per kind saying
   * why (and one per record type Salesforce did not answer for), so the groups' missing rule names
   * and record-type caveats are explained.
   */
  rulesNotRead?: string[];
}

function unavailableText(read: RelayedStatusRead): string {
  const u = read.unavailable!;
  const what =
    u.cause === 'absent'
      ? `this org shows no ${STATUS_OBJECT.name} (Sync Doctor's package is not installed, or you may not read it)`
      : u.cause === 'no-access'
        ? `you may not read ${STATUS_OBJECT.name} or one of its fields`
        : `${STATUS_OBJECT.name} could not be read`;
  return `No relayed status: ${what} [${u.errorCode}]. ${UNAVAILABLE_REMEDY[u.cause]}`;
}

/** What to do when the object cannot be read, and where to look for a suspension meanwhile. */
const UNAVAILABLE_REMEDY: Record<NonNullable<RelayedStatusRead['unavailable']>['cause'], string> = {
  absent:
    "Install Sync Doctor's package and set up its relay, or ask for read access to the object; until then, HubSpot's Salesforce integration settings show whether the sync is suspended.",
  'no-access':
    "Ask a Salesforce admin for read access to the object (Sync Doctor's permission set); until then, HubSpot's Salesforce integration settings show whether the sync is suspended.",
  error:
    "Run the check again later; meanwhile HubSpot's Salesforce integration settings show whether the sync is suspended.",
};

/**
 * The record the check shows: the portal's with --portal, else the most recently updated (the
 * reader sorts newest first). The collect step asks it before judging, for its sync errors' fields.
 */
export function chosenRecord(
  read: RelayedStatusRead,
  portal?: string,
): RelayedStatusRecord | undefined {
  if (read.unavailable) return undefined;
  return portal ? read.records.find((r) => r.status.portalId === portal) : read.records[0];
}

/** The portal's record with --portal, else the only one, else the most recently updated. */
export function chooseRelayed(
  read: RelayedStatusRead,
  diagnosis: Diagnosis,
  portal?: string,
): RelayedView {
  const none = { status: null, updatedAt: null, otherPortals: [], check: null };
  if (read.unavailable)
    return { ...none, source: unavailableText(read), unavailable: read.unavailable };
  const chosen = chosenRecord(read, portal);
  if (!chosen)
    return {
      ...none,
      // The core's sentence, which the app's panel says too: with the diagnosis, a full org's
      // missing record is no "nothing relayed" (the relay cannot create it there).
      source: nothingRelayedText(portal, diagnosis),
    };
  const others = read.records
    .map((r) => r.status.portalId)
    .filter((id) => id !== chosen.status.portalId);
  const how = portal
    ? 'chosen with --portal'
    : others.length === 0
      ? 'the only record'
      : `the most recently updated of ${read.records.length}; others: ${others.join(', ')}; pick one with --portal`;
  const { status } = chosen;
  const check =
    status.reason && status.state !== 'cleared' && suspensionReason(status.reason)
      ? // HubSpot's own words (title, excerpt) may name a field Sync Doctor checks.
        checkSuspensionSteps(status.reason, diagnosis, { status })
      : null;
  // --json carries the sync errors as the object the core reads, whatever the collector handed on
  // (Sync_Errors__c's JSON text, or the object parsed from it); a damaged one as null.
  const syncErrors = 'syncErrors' in status ? parseSyncErrors(status.syncErrors) : undefined;
  return {
    status: syncErrors === undefined ? status : { ...status, syncErrors },
    updatedAt: chosen.updatedAt,
    source: `From ${STATUS_OBJECT.name}, HubSpot portal ${status.portalId} (${how})`,
    otherPortals: others,
    check,
  };
}

/** A step's mark and colour, as the app's suspension panel badges it. */
interface StepMark {
  label: string;
  colour: (text: string) => string;
}

/**
 * The core's outcome first (what Sync Doctor read about a step it cannot mark done), then its
 * status. Both switches are exhaustive: a state the core adds is a type error here, not a step
 * silently shown with another state's mark.
 */
function stepMark(step: SuspensionStep, style: Style): StepMark {
  const { outcome, status } = step;
  if (outcome !== undefined) {
    switch (outcome) {
      // Checked and its cause absent today (below the limit): neither done nor unseen.
      case 'not-the-cause':
        return { label: 'not the cause now', colour: style.dim };
      // "Nothing is required": information, not a check Sync Doctor could not make.
      case 'nothing-to-do':
        return { label: 'nothing to do', colour: style.dim };
      // Absent now but near (a warning of this reason): the risk, not "not the cause now".
      case 'at-risk':
        return { label: 'at risk', colour: style.yellow };
      default:
        return unhandled(outcome);
    }
  }
  switch (status) {
    case 'done':
      return { label: 'done', colour: style.green };
    case 'todo':
      return { label: 'to do', colour: style.red };
    case 'unknown':
      // The app's badge word, as the box's summary names these steps.
      return { label: 'not checked', colour: style.yellow };
    default:
      return unhandled(status);
  }
}

function unhandled(state: never): never {
  throw new Error(`No mark for the suspension step state ${String(state)}`);
}

function stateLabel(status: RelayedStatus, style: Style): string {
  if (status.state === 'suspended') return style.bold(style.red('SUSPENDED'));
  if (status.state === 'suspected') return style.bold(style.yellow('SUSPECTED'));
  return style.bold(style.green('CLEARED'));
}

/**
 * What a relayed suspension means for the sync whatever Salesforce's side looks like, and how it
 * ends: the exit's stderr line (and --json's "exit") and the JUnit suspension case say it alike.
 * Reported, the reason's way out (the core's suspensionLiftedClause: "Clear Suspension", by itself,
 * or reconnecting); suspected, where to see it. Lower case, without a full stop.
 */
export function suspendedSyncText(status: Pick<RelayedStatus, 'state' | 'reason'>): string {
  return status.state === 'suspended'
    ? `the sync is stopped whatever Salesforce's side looks like, ${suspensionLiftedClause(status.reason)}`
    : "the sync may be stopped whatever Salesforce's side looks like: HubSpot's Salesforce integration settings show it";
}

/** The section's title, which a healthy verdict under a suspension points to. */
export const RELAYED_SECTION = 'HubSpot reported';

/**
 * "HubSpot reported": state, reason, since, source, and each remedy step marked against the
 * diagnosis. With `diagnosis`, each sync error group also says what it finds now of the group's
 * fields or objects (the core's `now`): the export is the past, this is whether a resync is enough.
 */
export function renderRelayed(
  view: RelayedView,
  style: Style,
  width: number,
  diagnosis?: SyncErrorNowDiagnosis | null,
): string {
  const lines = [style.bold(RELAYED_SECTION)];
  const indent = (text: string, pad = '  ', colour: (t: string) => string = (t) => t) =>
    wrapText(text, Math.max(20, width - pad.length)).map((line) => `${pad}${colour(line)}`);
  const { status, check } = view;
  if (!status) {
    lines.push(...indent(view.source, '  ', style.dim));
    return lines.join('\n');
  }
  // The core's title, as the app's panel and the copied report name the reason.
  const { title, hubspotWords } = relayedReasonTitle(status);
  lines.push(
    ...indent(
      `${stateLabel(status, style)}${title ? `  ${title}` : ''}${status.reason ? `  ${style.dim(status.reason)}` : ''}${hubspotWords ? `  ${style.dim(`(HubSpot's words: ${hubspotWords})`)}` : ''}`,
    ),
  );
  // The core's minute ('2026-11-28 08:00 UTC'), as the logins and findings say their times: the
  // relay's ISO stamps beside them read as a second kind of time.
  const when = [
    status.since ? `since ${minuteLabel(status.since)}` : null,
    status.lastSeenAt ? `last seen ${minuteLabel(status.lastSeenAt)}` : null,
    status.clearedAt ? `cleared ${minuteLabel(status.clearedAt)}` : null,
    status.source ? `reported by ${status.source}` : null,
  ].filter((x): x is string => x !== null);
  if (when.length) lines.push(...indent(when.join(', ')));
  lines.push(...indent(view.source, '  ', style.dim));
  if (check) {
    lines.push('', '  What to do, checked against this diagnosis:');
    check.steps.forEach((step, i) => {
      // The outcome's mark before the status's, as the panel and the copied report say.
      const { label, colour } = stepMark(step, style);
      const head = `  ${i + 1}. ${colour(`[${label}]`)} `;
      const pad = ' '.repeat(`  ${i + 1}. [${label}] `.length);
      const text = wrapText(step.text, Math.max(20, width - pad.length));
      lines.push(`${head}${text[0] ?? ''}`, ...text.slice(1).map((l) => `${pad}${l}`));
      lines.push(...indent(`Sync Doctor: ${step.evidence}`, pad, style.dim));
    });
    lines.push('', ...indent(check.summary));
  }
  const errors = syncErrorsView(status, { lines: SYNC_ERROR_LINES, diagnosis: diagnosis ?? null });
  if (errors) {
    lines.push('');
    // The core's one order (syncErrorsOutline, as --report and --junit say it), a level deeper:
    // the stale warning yellow, the label bold, "Now:" green when a resync is all it needs (else
    // the warning's yellow), the smaller groups dim.
    for (const line of syncErrorsOutline(errors)) {
      const text = line.label ? `${style.bold(line.label)}: ${line.text}` : line.text;
      lines.push(...indent(text, '  '.repeat(line.depth + 1), outlineColour(line, style)));
    }
    for (const line of view.rulesNotRead ?? []) lines.push(...indent(line, '  ', style.dim));
  }
  return lines.join('\n');
}

/** The colour of a sync errors line in the CLI's text. */
function outlineColour(line: SyncErrorsOutlineLine, style: Style): (text: string) => string {
  if (line.part === 'stale') return style.yellow;
  if (line.part === 'now') return line.ok ? style.green : style.yellow;
  if (line.part === 'more') return style.dim;
  return (text) => text;
}

/** The sync error groups listed under "HubSpot reported"; --json carries them all. */
export const SYNC_ERROR_LINES = 10;

/**
 * A sync error group as --json carries it: the relay's keys as they were, then the core's words
 * for it, so a pipeline need not reimplement them. Added within schemaVersion 1.
 */
export interface SyncErrorGroupJson extends SyncErrorGroup, SyncErrorKindInfo {
  /** The Salesforce 'Object.Field' names the group names (every candidate), [] for none. */
  fields: string[];
  /** The Salesforce objects an object-permission group names, [] for other groups. */
  objects: string[];
  /**
   * What the diagnosis finds now of the group's fields or objects (the core's syncErrorNow): ok
   * when a resync is all its records need. Null for kinds no right settles, or when the diagnosis
   * judged none of them.
   */
  now: SyncErrorNow | null;
}

/**
 * One group as --json says it. The advice is the group's own (syncErrorKindInfo), never left out
 * as the view leaves out a repeat: a pipeline reads each group alone.
 */
export function syncErrorGroupJson(
  group: SyncErrorGroup,
  diagnosis: SyncErrorNowDiagnosis | null,
): SyncErrorGroupJson {
  const { kind, label, advice } = syncErrorKindInfo(group);
  // The core's one reading of what a group is about, as the text's lines use it.
  const { fields, objects } = syncErrorGroupNames(group, kind);
  return {
    ...group,
    kind,
    label,
    advice,
    fields,
    objects,
    now: diagnosis ? syncErrorGroupNow(group, diagnosis, kind) : null,
  };
}

/**
 * The view as --json prints it: each of the status's sync error groups with the core's words, and
 * what `diagnosis` finds now of its fields or objects.
 */
export function relayedJson(view: RelayedView, diagnosis: SyncErrorNowDiagnosis): RelayedView {
  const syncErrors = view.status?.syncErrors;
  if (!view.status || !syncErrors || typeof syncErrors !== 'object') return view;
  // An export from before the suspension was cleared speaks of nothing now, as the text says.
  const now = currentSyncErrors(view.status) ? diagnosis : null;
  return {
    ...view,
    status: {
      ...view.status,
      syncErrors: {
        ...syncErrors,
        groups: syncErrors.groups.map((g) => syncErrorGroupJson(g, now)),
      },
    },
  };
}
