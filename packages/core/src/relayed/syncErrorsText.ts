/**
 * How HubSpot's exported sync errors read beside the relayed suspension: in the app's suspension
 * panel, the CLI's "HubSpot reported" and the copied report alike, so each says the same.
 */
import { joinList, minute, salesforceTime, thousands } from '../diagnosis/text.js';
import { suspensionReason } from '../reasons/catalog.js';
import type { ReasonCode } from '../reasons/codes.js';
import type { RelayedStatus } from './status.js';
import { inactiveOwnerId, validationExceptionMessage } from './salesforceErrorText.js';
import {
  syncErrorFieldCandidates,
  syncErrorFieldChoices,
  syncErrorFieldName,
} from './syncErrorFields.js';
import { currentSyncErrors, parseSyncErrors, type SyncErrorGroup } from './syncErrors.js';
import {
  SYNC_ERRORS_RESYNC,
  syncErrorGroupNames,
  syncErrorKindInfo,
  type SyncErrorKind,
} from './syncErrorKinds.js';
import { syncErrorPicklistFieldChoices } from './syncErrorRequirements.js';
import {
  syncErrorGroupNow,
  type SyncErrorNow,
  type SyncErrorNowDiagnosis,
} from './syncErrorsNow.js';

export interface SyncErrorLine {
  /** What the group is about: 'Contact.Score__c' when it names a Salesforce field, else the object or field as exported, else null. */
  subject: string | null;
  /** The field's Salesforce name when it is one the app and the CLI now check (a field-permission group), else null. */
  field: string | null;
  /**
   * Every Salesforce field the group names, each candidate ('Contact.Score__c' and 'Lead.Score__c'
   * for a HubSpot contact's field): a row to link to is whichever the field table has.
   */
  fields: string[];
  /**
   * The Salesforce objects an object-permission group names ('Opportunity' for HubSpot's deals,
   * 'Contact' and 'Lead' for its contacts), each checked now: a row to link to in the object matrix.
   */
  objects: string[];
  reason: ReasonCode | null;
  count: number;
  /** 'Contact.Score__c: Salesforce field permission, 312 rows (Missing field permissions)'. */
  text: string;
  /** What kind of error the group is (syncErrorKind): most are not about the integration user's rights. */
  kind: SyncErrorKind;
  /** The kind's short name ('Custom code in Salesforce'). */
  label: string;
  /**
   * What to do about the group, naming its Salesforce field or objects where it names them; null
   * when a line above gives the same advice (said once, under the first: sixteen picklist groups
   * need one "add the value to the picklist").
   */
  advice: string | null;
  /**
   * What the diagnosis says now of the group's fields or objects (syncErrorNow), when the view was
   * given one: the export is the past, this is whether the records need only a resync. Null
   * otherwise, and for kinds no right settles.
   */
  now: SyncErrorNow | null;
}

export interface SyncErrorsView {
  /** "HubSpot's exported sync errors (received 2026-12-01 09:30 UTC): 1,204 rows". */
  heading: string;
  /**
   * Said when the export was received before the current suspension began: it may not show what
   * suspended the sync now. Null otherwise.
   */
  stale: string | null;
  /** The largest groups, at most `lines` of them. */
  lines: SyncErrorLine[];
  /** 'and 12 smaller groups', when some are not listed; null otherwise. */
  more: string | null;
  /** How HubSpot syncs the fixed records again (its Resync button), when any group is listed; null otherwise. */
  resync: string | null;
  /**
   * Which fields Sync Doctor checks because the export names them ("Sync Doctor checks
   * Contact.Score__c because HubSpot failed on it."), null when it names none.
   */
  checks: string | null;
}

/** Fields the checks line names before 'and N more'. */
const CHECKS_LISTED = 10;

const rows = (n: number) => `${thousands(n)} ${n === 1 ? 'row' : 'rows'}`;
const records = (n: number) => `${thousands(n)} ${n === 1 ? 'record' : 'records'}`;

/** A validation message in a line: its first MESSAGE_SHOWN characters, cut at a word. */
const MESSAGE_SHOWN = 60;
function shortened(message: string): string {
  if (message.length <= MESSAGE_SHOWN) return message;
  const cut = message.slice(0, MESSAGE_SHOWN);
  const space = cut.lastIndexOf(' ');
  const shown = space > MESSAGE_SHOWN / 2 ? cut.slice(0, space) : cut;
  // At most MESSAGE_SHOWN characters.
  // eslint-disable-next-line regexp/no-super-linear-move
  return `${shown.replace(/[\s,;:.]+$/, '')}…`;
}

/** `counted` words a group's count: rows, or records when the export has an affected-records column. */
function line(
  g: SyncErrorGroup,
  counted: (n: number) => string,
  diagnosis: SyncErrorNowDiagnosis | null,
): SyncErrorLine {
  const name = syncErrorFieldName(g);
  const permission = g.reason === 'FIELD_PERMISSIONS_MISSING';
  const field = permission ? name : null;
  // Every field Salesforce's message names ('Lead.Industry, Lead.Rating'); without one, the
  // export's words as they are, never joined into what would read as a Salesforce name
  // ('Contact (hs_lead_source)', not 'Contact.hs_lead_source').
  const named = syncErrorFieldCandidates(g).map((candidates) => candidates[0]!);
  const named3 = named.length
    ? `${named.slice(0, 3).join(', ')}${named.length > 3 ? ` and ${named.length - 3} more` : ''}`
    : g.object && g.field
      ? `${g.object} (${g.field})`
      : (g.object ?? g.field);
  // What sets the group apart from others of its field (the relay groups by it): the value a
  // picklist refused, the inactive owner, or a validation rule's message (shortened).
  const { kind, label, advice } = syncErrorKindInfo(g);
  const { checked: fields, objects, values } = syncErrorGroupNames(g, kind);
  const owner = kind === 'owner' ? inactiveOwnerId(g.example) : null;
  const refusal = kind === 'custom-code' ? validationExceptionMessage(g.example) : null;
  const detail = values.length
    ? values.map((v) => `'${v}'`).join(', ')
    : owner
      ? `owner ${owner}`
      : refusal
        ? `'${shortened(refusal)}'`
        : null;
  const subject = named3 && detail ? `${named3} (${detail})` : (named3 ?? detail);
  const title = suspensionReason(g.reason)?.titles.en;
  return {
    subject,
    field,
    fields,
    objects,
    reason: g.reason,
    count: g.count,
    text: `${subject ? `${subject}: ` : ''}${g.errorType}, ${counted(g.count)}${title ? ` (${title})` : ''}`,
    kind,
    label,
    advice,
    now: diagnosis ? syncErrorGroupNow(g, diagnosis, kind) : null,
  };
}

/**
 * The relayed status's sync errors as the admin reads them, or null when it carries none (none
 * uploaded, an older relay, a damaged field). `lines` caps the groups listed (10 unless given);
 * with `diagnosis`, each line says what it finds now of the group's fields or objects (`now`).
 */
export function syncErrorsView(
  status:
    Partial<Pick<RelayedStatus, 'syncErrors' | 'since' | 'state' | 'clearedAt'>> | null | undefined,
  options: { lines?: number; diagnosis?: SyncErrorNowDiagnosis | null } = {},
): SyncErrorsView | null {
  // Whatever reached here (the Apex's JSON text, or an object) is read by the one parser.
  const syncErrors = parseSyncErrors(status?.syncErrors);
  if (!syncErrors) return null;
  const max = Math.max(0, options.lines ?? 10);
  const counted = syncErrors.records === undefined ? rows : records;
  const said = new Set<string>();
  // Only an export that speaks for the org now asks for checks (currentSyncErrors), and only
  // such an export is said what the org shows now of it.
  const asking = currentSyncErrors(status);
  const listed = syncErrors.groups
    .slice(0, max)
    .map((g) => line(g, counted, asking ? (options.diagnosis ?? null) : null))
    .map((l) => {
      const repeated = l.advice !== null && said.has(l.advice);
      if (l.advice !== null) said.add(l.advice);
      return repeated ? { ...l, advice: null } : l;
    });
  const unlisted = syncErrors.groups.length - listed.length + syncErrors.groupsLeftOut;
  const received = salesforceTime(syncErrors.receivedAt);
  const since = status?.since ? salesforceTime(status.since) : Number.NaN;
  const current = status?.state === 'suspended' || status?.state === 'suspected';
  // The fields HubSpot failed to write: field permissions, then picklists refusing a value.
  const choices = [...syncErrorFieldChoices(asking), ...syncErrorPicklistFieldChoices(asking)];
  const contactField = choices.some((names) => names.length > 1);
  // 'Contact.Score__c (and Lead.Score__c)': one field of HubSpot's, on both objects.
  const fields = choices.map(([first, ...others]) =>
    others.length ? `${first} (and ${others.join(', ')})` : first!,
  );
  const listedFields = fields.slice(0, CHECKS_LISTED);
  const moreFields = fields.length - listedFields.length;
  return {
    heading: `HubSpot's exported sync errors (received ${minute(syncErrors.receivedAt)}): ${rows(syncErrors.rows)}${syncErrors.records === undefined ? '' : ` (${records(syncErrors.records)})`}`,
    stale:
      current && received < since
        ? `Exported before this suspension began (${minute(status!.since!)}): it may not show what suspended the sync. Export the errors again from Sync Health and send them to the relay.`
        : !asking
          ? `Exported before the suspension was cleared${status?.clearedAt ? ` (${minute(status.clearedAt)})` : ''}: it shows a cause HubSpot no longer reports, and Sync Doctor checks nothing it names.`
          : null,
    lines: listed,
    resync: listed.length ? SYNC_ERRORS_RESYNC : null,
    more:
      unlisted > 0
        ? `and ${thousands(unlisted)} smaller ${unlisted === 1 ? 'group' : 'groups'}`
        : null,
    checks: fields.length
      ? `Sync Doctor checks ${fields.length === 1 && !contactField ? 'the field' : 'the fields'} ${joinList([...listedFields, ...(moreFields ? [`${thousands(moreFields)} more`] : [])])} because HubSpot failed to write ${fields.length === 1 && !contactField ? 'it' : 'them'}${contactField ? " (a HubSpot contact's field on Contact and on Lead, where the org has it)" : ''}.`
      : null,
  };
}

/** One line of the sync errors as plain text says them, in syncErrorsOutline's order. */
export interface SyncErrorsOutlineLine {
  part: 'heading' | 'stale' | 'group' | 'advice' | 'now' | 'more' | 'checks' | 'resync';
  /** 0 for the view's own sentences, 1 for a group, 2 for what is said under a group. */
  depth: 0 | 1 | 2;
  text: string;
  /** The kind's label an advice line is headed by ('Picklist value'), so a renderer may set it apart. */
  label?: string;
  /** A "Now:" line's ok (the rights are there), so a renderer may colour it. */
  ok?: boolean;
}

/**
 * The view in the one order every plain-text rendering says it (the report, the CLI's text and
 * its JUnit body): heading, stale warning, each group with its advice and what is found now,
 * the smaller groups, the checks, the resync. Renderers only indent, wrap and colour.
 */
export function syncErrorsOutline(view: SyncErrorsView): SyncErrorsOutlineLine[] {
  const out: SyncErrorsOutlineLine[] = [{ part: 'heading', depth: 0, text: view.heading }];
  if (view.stale) out.push({ part: 'stale', depth: 0, text: view.stale });
  for (const line of view.lines) {
    out.push({ part: 'group', depth: 1, text: line.text });
    // What to do, under the first group it is for.
    if (line.advice) out.push({ part: 'advice', depth: 2, text: line.advice, label: line.label });
    if (line.now) out.push({ part: 'now', depth: 2, text: line.now.text, ok: line.now.ok });
  }
  if (view.more) out.push({ part: 'more', depth: 1, text: view.more });
  if (view.checks) out.push({ part: 'checks', depth: 0, text: view.checks });
  if (view.resync) out.push({ part: 'resync', depth: 0, text: view.resync });
  return out;
}
