/**
 * Which record types offer the value a picklist group's records were refused. A restricted
 * picklist refuses a value its record's record type does not offer, even when the field has it
 * among its active values (the error is the same). The field's describe gives the field's values
 * only; the User Interface API's picklist values of each record type give the rest, read by the
 * Node collector for the objects of an export's picklist groups (one request per active record
 * type, only when such a group is shown), and in the app by SyncDoctorRecordTypePicklistReader.cls
 * (ConnectApi.RecordUi, the same resource from Apex) for the fields the panel asks about. Where
 * they were not read, the line keeps saying "if they fail again, the records' record type may not
 * offer the value".
 */
import type { FieldResult, RecordTypePicklistsOfObject } from '../diagnosis/types.js';
import type { FieldDescribe } from '../snapshot/types.js';
import { parseSyncErrors, type RelayedSyncErrors } from './syncErrors.js';
import { syncErrorGroupNames, syncErrorKind } from './syncErrorKinds.js';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** What the record-type check needs of a picklist field, from a describe or a diagnosis' result. */
interface PicklistShape {
  restricted: boolean;
  values: readonly string[];
  multi: boolean;
}

/**
 * The picklists a caller knows: the snapshot's field describes (the CLI, keyed 'Object.Field' in
 * any case) or the diagnosis' field results (the app's panel, which has the diagnosis and not the
 * describes). Both say the same of a field: FieldResult.picklist is read from its describe.
 */
export type KnownPicklists = Record<string, FieldDescribe> | readonly FieldResult[];

function picklistOf(known: KnownPicklists, name: string): PicklistShape | undefined {
  const lower = name.toLowerCase();
  if (Array.isArray(known)) {
    const result = (known as readonly FieldResult[]).find((r) => r.name.toLowerCase() === lower);
    if (!result?.picklist) return undefined;
    return {
      restricted: result.picklist.restricted,
      values: result.picklist.values,
      multi: result.picklist.multi === true,
    };
  }
  const describes = known as Record<string, FieldDescribe>;
  const key = Object.keys(describes).find((k) => k.toLowerCase() === lower);
  const field = key ? describes[key] : undefined;
  if (!field || !Array.isArray(field.picklistValues)) return undefined;
  return {
    restricted: field.restrictedPicklist === true,
    values: field.picklistValues,
    multi: field.type?.toLowerCase() === 'multipicklist',
  };
}

/**
 * Whether the record types of `name`'s object can matter to its picklist group: as `known` says,
 * the field is a restricted picklist that has every refused value among its own active values.
 * Anything else (not restricted, still lacking the value, the value not read) is settled, or not,
 * by the field itself. Without `known`, every picklist group's field may.
 */
function recordTypesMatter(
  known: KnownPicklists | undefined,
  name: string,
  refused: readonly string[],
): boolean {
  if (!known) return true;
  const picklist = picklistOf(known, name);
  if (!picklist?.restricted || !refused.length) return false;
  const asked = picklist.multi
    ? refused.flatMap((v) => v.split(';').map((one) => one.trim()))
    : refused;
  return asked.filter(Boolean).every((v) => picklist.values.includes(v));
}

/**
 * The fields ('Lead.LeadSource') whose record types HubSpot's sync errors ask about: each picklist
 * group's fields (a HubSpot contact's: on Contact and on Lead), in the export's order, once each;
 * given what is known of the picklists, only those whose record types can matter (a restricted
 * picklist that has the refused value now). [] costs no read.
 */
export function syncErrorsRecordTypeFields(
  syncErrors: RelayedSyncErrors | string | null | undefined,
  known?: KnownPicklists,
): string[] {
  const fields = new Map<string, string>();
  for (const group of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (syncErrorKind(group) !== 'picklist') continue;
    const names = syncErrorGroupNames(group, 'picklist');
    for (const field of names.fields) {
      if (!recordTypesMatter(known, field, names.values)) continue;
      if (!fields.has(field.toLowerCase())) fields.set(field.toLowerCase(), field);
    }
  }
  return [...fields.values()];
}

/** The objects of syncErrorsRecordTypeFields, in its order, once each: what the CLI reads. */
export function syncErrorsRecordTypeObjects(
  syncErrors: RelayedSyncErrors | string | null | undefined,
  known?: KnownPicklists,
): string[] {
  const objects = new Map<string, string>();
  for (const field of syncErrorsRecordTypeFields(syncErrors, known)) {
    const object = field.split('.')[0]!;
    if (!objects.has(object.toLowerCase())) objects.set(object.toLowerCase(), object);
  }
  return [...objects.values()];
}

/**
 * The record types read, as facts: `raw` is one entry per object read, `{ apiName, recordTypes:
 * [{ name, developerName, picklistFieldValues }] }`, each record type's picklistFieldValues as the
 * User Interface API answers it (GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}:
 * each picklist field's `values`, `{ value, label }`). An object without active record types reads
 * as []: its records all take the field's own values. Undefined when none was read.
 */
export function recordTypePicklistFacts(raw: unknown): RecordTypePicklistsOfObject[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const read: RecordTypePicklistsOfObject[] = [];
  for (const entry of raw as Record<string, unknown>[]) {
    const object = entry && typeof entry === 'object' ? text(entry.apiName) : undefined;
    if (!object) continue;
    const recordTypes: RecordTypePicklistsOfObject['recordTypes'] = [];
    for (const r of Array.isArray(entry.recordTypes) ? (entry.recordTypes as unknown[]) : []) {
      const recordType = r && typeof r === 'object' ? (r as Record<string, unknown>) : {};
      const name = text(recordType.name);
      const fieldValues = recordType.picklistFieldValues;
      if (!name || !fieldValues || typeof fieldValues !== 'object') continue;
      const values: Record<string, string[]> = {};
      for (const [field, answer] of Object.entries(fieldValues as Record<string, unknown>)) {
        const listed = (answer as { values?: unknown } | null)?.values;
        if (!Array.isArray(listed)) continue;
        values[field.toLowerCase()] = listed
          .map((v) => text((v as { value?: unknown } | null)?.value))
          .filter((v): v is string => v !== undefined);
      }
      recordTypes.push({ name, values });
    }
    read.push({ object, recordTypes });
  }
  return read;
}

/**
 * The record types of `object` that do not offer every one of `values` for `field`; null when the
 * object's record types were not read, or when none is known to lack them but one's answer lists
 * no such field (a field the reader may not see): "every active record type offers it" must
 * never stand on part of them. What was not read is not said either way.
 */
export function recordTypesLacking(
  read: readonly RecordTypePicklistsOfObject[] | undefined,
  object: string,
  field: string,
  values: readonly string[],
): string[] | null {
  const of = read?.find((r) => r.object.toLowerCase() === object.toLowerCase());
  if (!of) return null;
  const lacking: string[] = [];
  let unread = false;
  for (const recordType of of.recordTypes) {
    const offered = recordType.values[field.toLowerCase()];
    if (offered === undefined) unread = true;
    else if (values.some((v) => !offered.includes(v))) lacking.push(recordType.name);
  }
  return lacking.length || !unread ? lacking : null;
}

/**
 * The line that says the record types were not read and what that leaves unsaid, `reason` in
 * words ("more than 20 active record types on Contact and Lead"): the CLI's and the app's.
 */
export function recordTypesNotReadLine(reason: string): string {
  return `Record types not read: ${reason.trim().replace(/[.;]$/, '')}; the picklist groups do not say which record types offer the value.`;
}

/**
 * recordTypesNotReadLine's reason when the fields' objects have more active record types than are
 * read at once (`most`, the readers' cap): the words SyncDoctorRecordTypePicklistReader.cls writes.
 */
export function recordTypesTooMany(objects: readonly string[], most: number): string {
  return `more than ${most} active record types on ${objects.join(' and ')}, the most read at once`;
}

/**
 * recordTypesNotReadLine's reason for one record type whose values went unread (its object is left
 * out of the read): the words SyncDoctorRecordTypePicklistReader.cls writes too.
 */
export function recordTypeNotAnswered(object: string, recordType: string): string {
  return `Salesforce did not answer for ${object}'s record type ${recordType}`;
}
