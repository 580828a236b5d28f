/**
 * Which record types offer the value a picklist group's records were refused. A restricted
 * picklist refuses a value its record's record type does not offer, even when the field has it
 * among its active values (the error is the same). The field's describe gives the field's values
 * only; the User Interface API's picklist values of each record type give the rest, read by the
 * Node collector for the objects of an export's picklist groups (one request per active record
 * type, only when such a group is shown). The app's Apex cannot reach that resource, so the app
 * keeps saying "if they fail again, the records' record type may not offer the value".
 */
import type { RecordTypePicklistsOfObject } from '../diagnosis/types.js';
import type { FieldDescribe } from '../snapshot/types.js';
import { parseSyncErrors, type RelayedSyncErrors } from './syncErrors.js';
import { syncErrorGroupNames, syncErrorKind } from './syncErrorKinds.js';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * Whether the record types of `name`'s object can matter to its picklist group: as `fields` (the
 * snapshot's describes) say, the field is a restricted picklist that has every refused value
 * among its own active values. Anything else (not restricted, still lacking the value, the value
 * not read) is settled, or not, by the field itself.
 */
function recordTypesMatter(
  fields: Record<string, FieldDescribe> | undefined,
  name: string,
  refused: readonly string[],
): boolean {
  if (!fields) return true;
  const key = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
  const field = key ? fields[key] : undefined;
  if (!field?.restrictedPicklist || !Array.isArray(field.picklistValues) || !refused.length)
    return false;
  const multi = field.type?.toLowerCase() === 'multipicklist';
  const asked = multi ? refused.flatMap((v) => v.split(';').map((one) => one.trim())) : refused;
  return asked.filter(Boolean).every((v) => field.picklistValues!.includes(v));
}

/**
 * The objects whose record types HubSpot's sync errors ask about: those of each picklist group's
 * fields (a HubSpot contact's: Contact and Lead), in the export's order; given the snapshot's
 * field describes, only those of fields whose record types can matter (a restricted picklist that
 * has the refused value now). [] costs no request.
 */
export function syncErrorsRecordTypeObjects(
  syncErrors: RelayedSyncErrors | string | null | undefined,
  fields?: Record<string, FieldDescribe>,
): string[] {
  const objects = new Map<string, string>();
  for (const group of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (syncErrorKind(group) !== 'picklist') continue;
    const names = syncErrorGroupNames(group, 'picklist');
    for (const field of names.fields) {
      if (!recordTypesMatter(fields, field, names.values)) continue;
      const object = field.split('.')[0]!;
      if (!objects.has(object.toLowerCase())) objects.set(object.toLowerCase(), object);
    }
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
 * object's record types were not read. A record type whose answer lists no such field is left out:
 * what was not read is not said.
 */
export function recordTypesLacking(
  read: readonly RecordTypePicklistsOfObject[] | undefined,
  object: string,
  field: string,
  values: readonly string[],
): string[] | null {
  const of = read?.find((r) => r.object.toLowerCase() === object.toLowerCase());
  if (!of) return null;
  return of.recordTypes
    .filter((rt) => {
      const offered = rt.values[field.toLowerCase()];
      return offered !== undefined && values.some((v) => !offered.includes(v));
    })
    .map((rt) => rt.name);
}
