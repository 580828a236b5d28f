/**
 * Field access: one pass over FieldPermissions for the mapped fields, then the rules an admin knows:
 * field access needs object access; View All Fields on the object grants read on its fields; Modify
 * All Data and View All Data grant no field access at all ("users with these permissions must still
 * be assigned field permissions"); a non-permissionable field has no FieldPermissions rows and is
 * accessible whenever its object is; a calculated field is read-only by nature, so edit is never
 * required of it; nor is it of a field nobody can write (CreatedDate and the other system fields),
 * which a warning names instead, since the requirement asks what no permission can give.
 */
import type { FieldAccess, FieldRequirement } from '../requirements/types.js';
import type { FieldDescribe } from '../snapshot/types.js';
import { mutedInGroupsHint, mutingFirst, mutingRemedy, type Context } from './context.js';
import { editableSetHint, type ObjectWork } from './objects.js';
import { RULES } from './rules.js';
import { HUBSPOT_MAPPINGS_PLACE } from './hubspotPlaces.js';
import { writableByNobody } from './readOnlyFields.js';
import { joinList } from './text.js';
import type { FieldResult, ObjectResult } from './types.js';

interface FieldWork {
  requirement: FieldRequirement;
  objectKey: string;
  read: boolean;
  edit: boolean;
  by: Set<string>;
  inactive: { label: string; because: string; rights: FieldAccess[] }[];
}

const FIELD_LABEL: Record<FieldAccess, string> = { read: 'Read', edit: 'Edit' };

/**
 * Whether a mapped field stands in HubSpot's way: it is not in the org, a permission set must still
 * add field-level security, or it lacks a right it needs. A field blocked by its object's access
 * fails too, though the core reports that once, on the object. One rule for every view that counts
 * failing fields (the CLI's "Fields that fail", the app's field table).
 */
export function fieldFails(
  field: Pick<FieldResult, 'exists' | 'missing' | 'required' | 'effective'>,
): boolean {
  return (
    field.exists === false ||
    (field.missing?.length ?? 0) > 0 ||
    field.required.some((r) => (r === 'read' || r === 'edit') && field.effective[r] !== true)
  );
}

export function judgeFields(
  ctx: Context,
  objects: Map<string, ObjectWork>,
  objectResults: Map<string, ObjectResult>,
): FieldResult[] {
  const works = new Map<string, FieldWork>();
  for (const requirement of ctx.requirements.fields) {
    const dot = requirement.name.indexOf('.');
    if (dot <= 0 || dot === requirement.name.length - 1) {
      // A mapped field must be 'Object.Field'; say so instead of silently judging nothing.
      ctx.add({
        reason: 'FIELD_MAPPINGS_MISSING',
        severity: 'warning',
        subject: requirement.name,
        rule: RULES.invalidRequirement,
        message: `The required field '${requirement.name}' is not of the form Object.Field, so it could not be judged.`,
        remedy: "Correct it in Sync Doctor's settings (extra fields), for example 'Contact.Email'.",
      });
      continue;
    }
    works.set(requirement.name.toLowerCase(), {
      requirement,
      objectKey: requirement.name.slice(0, dot).toLowerCase(),
      read: false,
      edit: false,
      by: new Set(),
      inactive: [],
    });
  }
  if (works.size === 0) return [];

  // The one pass over (possibly 100,000) FieldPermissions rows: a map lookup and a few booleans each.
  // Rows on objects without mapped fields are skipped on their SobjectType (few distinct values, cached).
  const objectKeys = new Set([...works.values()].map((w) => w.objectKey));
  // FieldPermissions.Field and the describe keys both come from Salesforce in its canonical case, so
  // with a describe an exact lookup suffices; without one, requirements may differ in case: lower-case.
  const describesKnown = ctx.snapshot.fields != null;
  const exact = new Map<string, FieldWork>();
  for (const w of works.values())
    exact.set(ctx.canonicalField(w.requirement.name) ?? w.requirement.name, w);
  const relevantType = new Map<string, boolean>();
  for (const row of ctx.snapshot.fieldPermissions ?? []) {
    let relevant = relevantType.get(row.SobjectType);
    if (relevant === undefined) {
      relevant = objectKeys.has(row.SobjectType.toLowerCase());
      relevantType.set(row.SobjectType, relevant);
    }
    if (!relevant) continue;
    const w = describesKnown ? exact.get(row.Field) : works.get(row.Field.toLowerCase());
    if (!w) continue;
    const source = ctx.sources.byId.get(row.ParentId);
    if (!source) continue;
    const edit = row.PermissionsEdit === true;
    const read = row.PermissionsRead === true || edit; // edit without read cannot exist
    if (!read) continue;
    if (source.active) {
      w.read = true;
      if (edit) w.edit = true;
      w.by.add(source.label);
    } else {
      w.inactive.push({
        label: source.label,
        because: source.inactiveBecause ?? '',
        rights: edit ? ['read', 'edit'] : ['read'],
      });
    }
  }

  const flsKnown = ctx.permissionsKnown && ctx.snapshot.fieldPermissions != null;
  const mad = ctx.system('PermissionsModifyAllData');
  const vad = ctx.system('PermissionsViewAllData');
  const results: FieldResult[] = [];
  /** Fields hidden from the reader whose field-level security the permission sets do not show, by object. */
  const unjudged = new Map<string, string[]>();

  for (const w of works.values()) {
    const { requirement } = w;
    const name = requirement.name;
    const object = objectResults.get(w.objectKey);
    const objectWork = objects.get(w.objectKey);
    const objectRead = object?.effective.read === true;
    const objectEdit = object?.effective.edit === true;
    // Hidden from whoever read the org (its object or the field itself): the describe says nothing.
    const hidden = ctx.hiddenFromReader(name);
    const describe: FieldDescribe | undefined = hidden ? undefined : ctx.describe(name);
    // A field required only if the org has it (a HubSpot contact's field, on Lead or Contact):
    // absent, it is not this org's field, and no finding.
    if (
      requirement.ifExists &&
      (ctx.objectExists(name.slice(0, name.indexOf('.'))) === false ||
        (!hidden && (describe?.exists === false || (describesKnown && !describe))))
    )
      continue;
    const result: FieldResult = {
      name,
      required: [...requirement.access],
      effective: { read: false, edit: false },
      grantedBy: [],
    };
    if (requirement.hubspotProperty) result.hubspotProperty = requirement.hubspotProperty;
    if (Array.isArray(describe?.picklistValues)) {
      result.picklist = {
        restricted: describe.restrictedPicklist === true,
        values: describe.picklistValues.filter((v): v is string => typeof v === 'string'),
      };
      if (describe.type?.toLowerCase() === 'multipicklist') result.picklist.multi = true;
    }
    const mapped = requirement.hubspotProperty
      ? ` (mapped from HubSpot's '${requirement.hubspotProperty}')`
      : '';
    results.push(result);

    const objectName = name.slice(0, name.indexOf('.'));
    if (ctx.objectExists(objectName) === false) {
      // The object's own finding names this field: one cause, one finding.
      result.exists = false;
      result.missing = [];
      result.note = `Its object ${objectName} does not exist in this org.`;
      continue;
    }
    if (hidden) {
      // Its object's own finding names it when the object was hidden: one cause, one finding.
      if (!ctx.hiddenFromReader(objectName)) reportHiddenField(ctx, name, mapped);
    } else if (describe?.exists === false) {
      // The org says the field does not exist: the mapping points at nothing. That is a broken field
      // mapping, fixed in HubSpot's mapping screen (or by restoring the field), not a permission.
      result.exists = false;
      result.missing = [];
      result.note = 'The field does not exist in this org.';
      ctx.add({
        reason: 'FIELD_MAPPINGS_MISSING',
        severity: 'error',
        subject: name,
        rule: RULES.fieldDeleted,
        message: `${name}${mapped} does not exist in this Salesforce org, yet HubSpot maps it: every sync of that record fails.`,
        remedy: `Restore the field (Setup > Object Manager > ${name.split('.')[0]} > Fields & Relationships, Deleted Fields) or remove or re-point the mapping in ${HUBSPOT_MAPPINGS_PLACE}.`,
      });
      continue;
    }
    if (describesKnown && !describe && !hidden) {
      // Absent from the describe: deleted, or hidden from whoever described it. Salesforce answers
      // both with INVALID_FIELD, which HubSpot reports as missing field permissions.
      result.exists = false;
      result.missing = [];
      result.note =
        'Not found among the fields Sync Doctor read: deleted, or hidden from the user who read the org.';
      ctx.add({
        reason: 'FIELD_PERMISSIONS_MISSING',
        severity: 'error',
        subject: name,
        rule: RULES.fieldNotFound,
        message: `${name}${mapped} was not found when Sync Doctor read the org's fields: it was deleted, or ${ctx.who} cannot see it. Salesforce rejects both with INVALID_FIELD.`,
        remedy: `Check Setup > Object Manager > ${name.split('.')[0]} > Fields & Relationships. If the field exists, give ${ctx.who} ${joinList(requirement.access.map((a) => FIELD_LABEL[a]))} on it (Field Permissions); if it was deleted, remove the mapping in HubSpot.`,
      });
      continue;
    }

    // An auto-number field is numbered by Salesforce: its field-level security is Read at most, as
    // a calculated one's, and a FieldPermissions row asking Edit is refused.
    const autoNumber = describe?.autoNumber === true;
    const calculated = describe?.calculated === true || autoNumber;
    const notWritable =
      !calculated && requirement.access.includes('edit') && writableByNobody(ctx, describe, name);
    const required =
      calculated || notWritable
        ? requirement.access.filter((a) => a !== 'edit')
        : [...requirement.access];
    if (!required.includes('read') && required.length) required.unshift('read');
    result.required = required;
    const notes: string[] = [];
    if (autoNumber)
      notes.push('Auto-number (Salesforce numbers it): read-only by nature, edit is not required.');
    else if (calculated)
      notes.push('Calculated (formula or roll-up): read-only by nature, edit is not required.');
    if (notWritable) {
      // Like a calculated field, read-only by nature: Edit leaves `required`, so neither the FLS
      // judgement nor the plan asks for it. Unlike a calculated one, which HubSpot maps read-only,
      // the requirement asked Edit of a field Salesforce fills in itself: say so once.
      notes.push(
        'Not writable by anyone (Salesforce sets it): edit cannot be granted and is not judged.',
      );
      ctx.add({
        reason: 'FIELD_PERMISSIONS_MISSING',
        severity: 'warning',
        subject: name,
        rule: RULES.fieldNotWritable,
        message: `Edit is required on ${name}${mapped}, but nobody can write it: Salesforce sets this field itself (it is neither createable nor updateable, and no field-level security applies to it). No permission can meet this requirement; a sync that writes it fails with INVALID_FIELD_FOR_INSERT_UPDATE.`,
        remedy: `Require only Read on ${name} (remove Edit from it in Sync Doctor's requirements)${requirement.hubspotProperty ? `, and let Salesforce's value win for '${requirement.hubspotProperty}' in ${HUBSPOT_MAPPINGS_PLACE} ("Always use Salesforce")` : ''}.`,
      });
    }

    if (!ctx.permissionsKnown) {
      result.note = [...notes, 'Not judged: Sync Doctor read no permission set assignments.'].join(
        ' ',
      );
      continue;
    }

    if (describe && describe.permissionable === false) {
      // No FieldPermissions rows exist for it: it follows the object (required and system fields).
      result.effective = { read: objectRead, edit: objectEdit && !calculated && !notWritable };
      result.grantedBy = object ? [...object.grantedBy] : [];
      result.missing = [];
      notes.push('Not permissionable: accessible whenever the object is.');
      if (!objectRead || (required.includes('edit') && !objectEdit))
        notes.push(`Blocked by the object access on ${object?.name ?? w.objectKey}.`);
      result.note = notes.join(' ');
      continue;
    }

    if (!flsKnown) {
      result.note = [...notes, 'Not judged: Sync Doctor read no field permissions.'].join(' ');
      continue;
    }

    const viewAllFieldsBy = objectWork?.viewAllFieldsBy ?? [];
    const flsRead = w.read || viewAllFieldsBy.length > 0;
    const flsEdit = w.edit;
    result.effective = { read: flsRead && objectRead, edit: flsEdit && objectEdit && !calculated };
    result.grantedBy = [
      ...w.by,
      ...viewAllFieldsBy.filter((l) => !w.by.has(l)).map((l) => `${l} (View All Fields)`),
    ];
    const missing = required.filter((a) => (a === 'read' ? !flsRead : !flsEdit));
    result.missing = missing;
    if (!objectRead || (required.includes('edit') && !objectEdit))
      notes.push(`Blocked by the object access on ${object?.name ?? w.objectKey}.`);
    if (missing.length && hidden) {
      // Without its describe a field with no field-level security (a required or system field) cannot
      // be told from one lacking it: not judged, and said once per object below.
      delete result.missing;
      notes.push(
        `Field-level security not judged: ${ctx.reader}, who read the org, cannot see the field's definition.`,
      );
      const list = unjudged.get(objectName) ?? [];
      list.push(name);
      unjudged.set(objectName, list);
    }
    if (notes.length) result.note = notes.join(' ');
    if (missing.length === 0 || hidden) continue;

    const hints: string[] = [];
    for (const i of w.inactive) {
      const would = i.rights.filter((r) => missing.includes(r));
      if (would.length)
        hints.push(
          `${i.label} grants ${joinList(would.map((r) => FIELD_LABEL[r]))}, but ${i.because}.`,
        );
    }
    const muted = mutedInGroupsHint(ctx);
    if (muted) hints.push(muted);
    const admin = adminGrants(mad.by, vad.by);
    if (admin.length) {
      hints.push(
        `${joinList(admin)}, but those grant object access only: field permissions must still be given (a classic trap with admin-like integration users).`,
      );
    }
    const toGrant = missing.includes('edit') ? 'Read and Edit' : 'Read';
    const objectLabel = object?.name ?? name.split('.')[0];
    ctx.add({
      reason: 'FIELD_PERMISSIONS_MISSING',
      // Without the describe we cannot tell a non-permissionable field from one lacking FLS: do not guess.
      severity: describesKnown ? 'error' : 'warning',
      subject: name,
      rule: admin.length ? RULES.adminDataPermissionsNoFls : RULES.fieldLevelSecurity,
      message: `${ctx.who} cannot ${missing.includes('read') ? (required.includes('edit') ? 'read or edit' : 'read') : 'edit'} ${name}${mapped}: no active profile or permission set gives it ${joinList(missing.map((r) => FIELD_LABEL[r]))} access.${hints.length ? ' ' + hints.join(' ') : ''}${describesKnown ? '' : ' (Sync Doctor read no field definitions, so this may be a field without field-level security.)'}`,
      remedy: mutingFirst(
        mutingRemedy(
          ctx,
          `${joinList(missing.map((r) => FIELD_LABEL[r]))} on ${name}`,
          `Object Settings > ${objectLabel} > Field Permissions`,
          missing.length > 1 ? 'them' : 'it',
        ),
        `Give the user ${toGrant} on ${name}`,
        `: Object Settings > ${objectLabel} > Field Permissions in ${editableSetHint(ctx)}.`,
      ),
    });
  }
  for (const [objectName, names] of unjudged) reportUnjudgedFields(ctx, objectName, names);
  return results;
}

/**
 * A mapped field the user who read the org cannot see (no field-level security of its own):
 * Salesforce leaves it out of that user's describe as if it did not exist, so whether it exists
 * could not be checked. Not an error: a deleted field read by an admin still is one.
 */
function reportHiddenField(ctx: Context, name: string, mapped: string): void {
  ctx.add({
    reason: 'FIELD_MAPPINGS_MISSING',
    severity: 'warning',
    subject: name,
    rule: RULES.sectionAbsent,
    message: `Could not check that ${name}${mapped} exists in this Salesforce org: ${ctx.reader}, the user who read the org, cannot see it, and Salesforce hides such a field from it as if it did not exist.`,
    remedy: `Give ${ctx.reader} Read on ${name} (Object Settings > ${name.split('.')[0]} > Field Permissions in a permission set assigned to it) so that it can check, or check as an admin (the Sync Doctor app, or sync-doctor check).`,
  });
}

/**
 * Mapped fields hidden from the reader for which no permission set of the integration user shows
 * field-level security: fine if they have none (required and system fields), missing otherwise.
 * Only their describe tells, and the reader could not read it.
 */
function reportUnjudgedFields(ctx: Context, objectName: string, names: readonly string[]): void {
  const s = names.length > 1 ? 's' : '';
  ctx.add({
    reason: 'FIELD_PERMISSIONS_MISSING',
    severity: 'warning',
    subject: names.length > 1 ? `${objectName} fields` : names[0]!,
    rule: RULES.sectionAbsent,
    message: `Could not judge the access of ${ctx.who} to ${joinList(names)}: no permission set of it gives field-level security on ${names.length > 1 ? 'them' : 'it'}, which is right only for a field without field-level security (a required or system field), and ${ctx.reader}, the user who read the org, cannot see ${names.length > 1 ? 'their definitions' : 'its definition'} to tell.`,
    remedy: `Give ${ctx.reader} Read on ${objectName} and on the field${s} so that it can check, or check as an admin (the Sync Doctor app, or sync-doctor check).`,
  });
}

/** 'Profile: X grants Modify All Data and View All Data', one clause per source. */
function adminGrants(modifyAllBy: readonly string[], viewAllBy: readonly string[]): string[] {
  const bySource = new Map<string, string[]>();
  for (const l of modifyAllBy) bySource.set(l, ['Modify All Data']);
  for (const l of viewAllBy) bySource.set(l, [...(bySource.get(l) ?? []), 'View All Data']);
  return [...bySource].map(([label, what]) => `${label} grants ${joinList(what)}`);
}
