/**
 * What every "Now" line of a sync-error group is made of: its shape, the part of the diagnosis it
 * reads, and the diagnosis's results for the names a group gives, in the export's order.
 */
import type { Diagnosis, FieldResult, ObjectResult } from '../diagnosis/types.js';
import { joinList } from '../diagnosis/text.js';

export interface SyncErrorNow {
  /** True when the rights the group needs are there today (its records need only a resync). */
  ok: boolean;
  /** 'Now: the integration user can read and edit Contact.Score__c; resync these records.' */
  text: string;
}

export type SyncErrorNowDiagnosis = Pick<
  Diagnosis,
  | 'objects'
  | 'fields'
  | 'findings'
  | 'sideGrants'
  | 'validationRules'
  | 'duplicateRules'
  | 'recordTypePicklists'
>;

/** The results for `names` in the order of `names` (the export's), not the diagnosis's. */
export function inOrder<T extends { name: string }>(
  results: readonly T[],
  names: readonly string[],
): T[] {
  const at = (r: T) => names.findIndex((name) => name.toLowerCase() === r.name.toLowerCase());
  return [...results].sort((a, b) => at(a) - at(b));
}

export const same = (names: readonly string[]) => {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return (result: { name: string; exists?: boolean }) =>
    result.exists !== false && wanted.has(result.name.toLowerCase());
};

/** 'edit on Contact.Score__c', 'read and edit on Lead.Score__c': what a field or object still lacks. */
export const lacking = (r: FieldResult | ObjectResult) =>
  `${r.effective.read ? 'edit' : 'read and edit'} on ${r.name}`;

/**
 * Judged and not there (a custom field deleted or renamed since HubSpot mapped it): no permission
 * fixes that, only the field or HubSpot's mapping. Null when none of `names` is judged gone.
 */
export function goneNow(
  names: readonly string[],
  diagnosis: SyncErrorNowDiagnosis,
): SyncErrorNow | null {
  const gone = inOrder(
    diagnosis.fields.filter((f) => f.exists === false && same(names)({ name: f.name })),
    names,
  );
  if (gone.length === 0) return null;
  return {
    ok: false,
    text: `Now: ${joinList(
      gone.map((f) => f.name),
      'and',
    )} ${gone.length === 1 ? 'is' : 'are'} not in this org: restore ${gone.length === 1 ? 'it' : 'them'} or change HubSpot's field mapping; no permission fixes that.`,
  };
}
