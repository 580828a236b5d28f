/**
 * What the diagnosis says now about the fields and objects a sync-error group names: whether the
 * integration user has the rights today (then the records only need a resync), which it still
 * lacks, or, for "Insufficient access or missing Salesforce record" with the rights in place,
 * whether sharing hides the records; and, by kind, what the org shows now of a picklist's values
 * (syncErrorPicklistNow.ts), an inactive owner's permission, a validation rule (validationRules.ts)
 * or duplicate rules (duplicateRules.ts). The export is a picture of the past; this is the present.
 */
import { RULES } from '../diagnosis/rules.js';
import { INACTIVE_OWNERS_PERMISSION } from '../diagnosis/user.js';
import { joinList } from '../diagnosis/text.js';
import {
  isActivity,
  syncErrorGroupNames,
  syncErrorKind,
  type SyncErrorKind,
} from './syncErrorKinds.js';
import type { SyncErrorGroup } from './syncErrors.js';
import {
  goneNow,
  inOrder,
  lacking,
  same,
  type SyncErrorNow,
  type SyncErrorNowDiagnosis,
} from './syncErrorNowBasics.js';
import { picklistNow } from './syncErrorPicklistNow.js';
import { validationRuleNow } from './validationRules.js';
import { duplicateRuleNow } from './duplicateRules.js';

export type { SyncErrorNow, SyncErrorNowDiagnosis };

function fieldsNow(
  names: readonly string[],
  diagnosis: SyncErrorNowDiagnosis,
): SyncErrorNow | null {
  // Only what was read and exists: a candidate the org lacks (Lead's copy of a contact's field)
  // is not judged, and a field not read yet says nothing rather than something wrong.
  const results = inOrder(diagnosis.fields.filter(same(names)), names);
  if (results.length === 0) return goneNow(names, diagnosis);
  const short = results.filter((f) => !(f.effective.read && f.effective.edit));
  if (short.length)
    return {
      ok: false,
      text: `Now: the integration user still lacks ${joinList(short.map(lacking))}.`,
    };
  return {
    ok: true,
    text: `Now: the integration user can read and edit ${joinList(results.map((f) => f.name))}; resync these records.`,
  };
}

function objectsNow(
  kind: SyncErrorKind,
  names: readonly string[],
  diagnosis: SyncErrorNowDiagnosis,
): SyncErrorNow | null {
  const results = inOrder(diagnosis.objects.filter(same(names)), names);
  if (results.length === 0) return null;
  const short = results.filter((o) => !(o.effective.read && o.effective.edit));
  if (short.length)
    return {
      ok: false,
      text: `Now: the integration user still lacks ${joinList(short.map(lacking))}.`,
    };
  const found = joinList(results.map((o) => o.name));
  // The rights are there: sharing (the org-wide default) is what hides or locks records next.
  const isResult = same(results.map((o) => o.name));
  const sharing = diagnosis.findings.find(
    (f) => f.rule === RULES.orgWideDefault && isResult({ name: f.subject }),
  );
  if (sharing)
    return { ok: false, text: `Now: read and edit on ${found} are there. ${sharing.message}` };
  if (kind === 'record-access')
    return {
      ok: true,
      text: `Now: read and edit on ${found} are there and no sharing limit shows, so look at the records: a link to a record the integration user cannot see, one deleted, merged or converted, or a value Salesforce refuses.`,
    };
  return { ok: true, text: `Now: read and edit on ${found} are there; resync these records.` };
}

/**
 * An inactive-owner group now: whether the integration user may update records whose owner is
 * inactive ("Update Records with Inactive Owners"), the way out when the records must keep their
 * owner; how to grant it is the group's advice, said once. Salesforce's permission does not cover
 * activities; null for them, and when the permissions were not read.
 */
function ownerNow(object: string | null, diagnosis: SyncErrorNowDiagnosis): SyncErrorNow | null {
  if (isActivity(object)) return null;
  const grant = diagnosis.sideGrants?.find((g) => g.name === INACTIVE_OWNERS_PERMISSION);
  if (!grant) return null;
  if (grant.absent)
    return {
      ok: false,
      text: 'Now: this org does not offer "Update Records with Inactive Owners": its User Interface setting is off (or the edition lacks it).',
    };
  if (grant.granted === undefined) return null;
  if (grant.granted)
    return {
      ok: true,
      text: `Now: the integration user has "Update Records with Inactive Owners" (${grant.by.join(', ')}); resync these records. A record HubSpot creates still needs an active owner.`,
    };
  return {
    ok: false,
    text: 'Now: the integration user lacks "Update Records with Inactive Owners".',
  };
}

/**
 * What the diagnosis says now of a group's fields (field permission), its picklist's values
 * (picklist: `values` are the ones Salesforce refused), objects (object permission, record
 * access), whether the integration user may update records with an inactive owner (owner),
 * which active validation rule sends a custom-code group's message (validationRuleNow), or which
 * active duplicate rules refuse a duplicate group's writes (duplicateRuleNow); null for
 * other kinds, or when the diagnosis has none of them.
 */
export function syncErrorNow(
  line: {
    kind: SyncErrorKind;
    fields: readonly string[];
    objects: readonly string[];
    values?: readonly string[];
    /** The export's object (an owner group's: Salesforce's permission does not cover tasks). */
    object?: string | null;
    /** The group's example (a custom-code group's: its message names the validation rule). */
    example?: string | null;
    /** A custom-code group's rules as the relay found them (SyncErrorGroup.validationRules). */
    validationRules?: SyncErrorGroup['validationRules'];
  },
  diagnosis: SyncErrorNowDiagnosis,
): SyncErrorNow | null {
  if (line.kind === 'owner') return ownerNow(line.object ?? null, diagnosis);
  if (line.kind === 'custom-code')
    return validationRuleNow(
      {
        object: line.object ?? null,
        example: line.example ?? null,
        ...(line.validationRules ? { validationRules: line.validationRules } : {}),
      },
      diagnosis.validationRules,
    );
  if (line.kind === 'duplicate')
    return duplicateRuleNow(
      { object: line.object ?? null, example: line.example ?? null },
      diagnosis.duplicateRules,
    );
  if (line.kind === 'field-permission' && line.fields.length)
    return fieldsNow(line.fields, diagnosis);
  if (line.kind === 'picklist' && line.fields.length)
    return picklistNow(line.fields, line.values ?? [], diagnosis);
  if ((line.kind === 'object-permission' || line.kind === 'record-access') && line.objects.length)
    return objectsNow(line.kind, line.objects, diagnosis);
  return null;
}

/**
 * What the diagnosis says now of one exported group (syncErrorNow of the group's checked fields,
 * objects and refused values, as syncErrorGroupNames reads them): the app's panel, the report and
 * the CLI's text and JSON all ask it so.
 */
export function syncErrorGroupNow(
  group: Pick<SyncErrorGroup, 'reason' | 'errorType' | 'object' | 'field' | 'example'> &
    Partial<Pick<SyncErrorGroup, 'validationRules'>>,
  diagnosis: SyncErrorNowDiagnosis,
  kind: SyncErrorKind = syncErrorKind(group),
): SyncErrorNow | null {
  const { checked, objects, values } = syncErrorGroupNames(group, kind);
  return syncErrorNow(
    {
      kind,
      fields: checked,
      objects,
      values,
      object: group.object,
      example: group.example,
      ...(group.validationRules ? { validationRules: group.validationRules } : {}),
    },
    diagnosis,
  );
}
