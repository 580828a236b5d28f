/**
 * The rules of the permission objects (PermissionSet, ObjectPermissions, FieldPermissions,
 * PermissionSetAssignment, SetupEntityAccess) on a write: Edit needs Read, a child object's rights
 * need Read on its parent in the same set, one row per parent and object or field, no duplicate
 * assignment, no change to a profile's set. Remediation through REST meets them as in an org.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm
 */
import { ApiError, fieldError } from '../errors.js';
import { sameId } from '../ids.js';
import type { Org, SRecord } from '../org/org.js';
import { parentObjectsOf, type ObjectSchema } from '../schema.js';

const PERMISSION_DEPENDENCIES: Array<[string, string]> = [
  ['PermissionsCreate', 'PermissionsRead'],
  ['PermissionsEdit', 'PermissionsRead'],
  ['PermissionsDelete', 'PermissionsEdit'],
  ['PermissionsViewAllRecords', 'PermissionsRead'],
  ['PermissionsModifyAllRecords', 'PermissionsDelete'],
  ['PermissionsModifyAllRecords', 'PermissionsViewAllRecords'],
  ['PermissionsViewAllFields', 'PermissionsRead'],
];

function label(column: string): string {
  return column.replace(/^Permissions/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

function checkDependencies(record: Record<string, unknown>, pairs: Array<[string, string]>): void {
  for (const [right, needs] of pairs) {
    if (record[right] === true && record[needs] !== true) {
      throw fieldError(
        'FIELD_INTEGRITY_EXCEPTION',
        `Permission ${label(right)} depends on permission(s): ${label(needs)}`,
        [right],
      );
    }
  }
}

/**
 * Rights on a child object need Read on its parent in the same permission set: Salesforce judges
 * each set on its own, so Read on Account granted elsewhere does not count ("Permission Read Contact
 * depends on permission(s): Read Account"). Checked for the row written, and for the children of
 * its object in the same set when the row loses Read (an update, a delete).
 */
function objectReadOf(org: Org, parentId: unknown, object: string, except?: SRecord): boolean {
  return org
    .table('ObjectPermissions')
    .some(
      (o) =>
        o !== except &&
        sameId(o.ParentId, parentId) &&
        String(o.SobjectType).toLowerCase() === object.toLowerCase() &&
        o.PermissionsRead === true,
    );
}

function parentDependencyError(child: string, parent: string): ApiError {
  return fieldError(
    'FIELD_INTEGRITY_EXCEPTION',
    `Permission Read ${child} depends on permission(s): Read ${parent}`,
    ['PermissionsRead'],
  );
}

/**
 * One DML statement's ObjectPermissions rows: Salesforce validates the rows of one statement (an
 * Apex insert of a list, an sObject Collections request) together, so rows that need each other's
 * Read (Account and Contact with Person Accounts) are saved by one statement and by no sequence of
 * single-row ones. While a scope is open, the parent and child Read checks of the rows written wait
 * for its end and then see every row of the statement; outside one, each write is its own statement.
 */
interface DmlScope {
  /** Index, in the statement, of the record being written. */
  current: number;
  /** ObjectPermissions rows written by the statement: the record's index and the row's Id. */
  rows: Array<{ index: number; id: string }>;
}

const dmlScopes = new WeakMap<Org, DmlScope>();

/**
 * Opens the DML statement `record(index)` then marks each record of; `close()` runs the deferred
 * Read checks against the rows as the statement left them and returns the refusals by record index
 * (the caller rolls the statement back, all or none, or saves it again without the refused ones).
 */
export function openDmlStatement(org: Org): {
  record(index: number): void;
  close(): Map<number, ApiError>;
} {
  if (dmlScopes.has(org)) throw new Error('DML statements do not nest');
  const scope: DmlScope = { current: 0, rows: [] };
  dmlScopes.set(org, scope);
  return {
    record(index) {
      scope.current = index;
    },
    close() {
      dmlScopes.delete(org);
      const refused = new Map<number, ApiError>();
      for (const { index, id } of scope.rows) {
        if (refused.has(index)) continue;
        const row = org.getById(id)?.record;
        if (!row) continue;
        try {
          checkParentObjects(org, row);
          if (row.PermissionsRead !== true) checkChildObjects(org, row);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          refused.set(index, error);
        }
      }
      return refused;
    },
  };
}

function checkParentObjects(org: Org, record: Record<string, unknown>): void {
  if (record.PermissionsRead !== true) return;
  const object = org.schema.get(String(record.SobjectType ?? ''));
  if (!object) return;
  for (const parent of parentObjectsOf(object)) {
    if (parent.toLowerCase() === object.name.toLowerCase()) continue;
    if (!objectReadOf(org, record.ParentId, parent))
      throw parentDependencyError(object.name, parent);
  }
}

/** A row of `parent` losing Read while a child object's row in the same set still has it. */
function checkChildObjects(org: Org, row: SRecord): void {
  const parent = String(row.SobjectType);
  for (const child of org.table('ObjectPermissions')) {
    if (child === row || !sameId(child.ParentId, row.ParentId) || child.PermissionsRead !== true)
      continue;
    const object = org.schema.get(String(child.SobjectType));
    if (!object) continue;
    if (parentObjectsOf(object).some((p) => p.toLowerCase() === parent.toLowerCase()))
      throw parentDependencyError(object.name, parent);
  }
}

function requirePermissionSet(org: Org, id: unknown, field = 'ParentId'): SRecord {
  const entry = org.getById(id);
  if (!entry || entry.type !== 'PermissionSet') {
    throw fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field]);
  }
  return entry.record;
}

function duplicate(existing: SRecord): ApiError {
  return new ApiError(
    400,
    'DUPLICATE_VALUE',
    `duplicate value found: <unknown> duplicates value on record with id: ${existing.Id}`,
    [],
  );
}

/** The permission objects' own rules before a create; may fill in their defaults. */
export function beforePermissionCreate(
  org: Org,
  schema: ObjectSchema,
  values: Record<string, unknown>,
): void {
  switch (schema.name) {
    case 'PermissionSet': {
      const name = String(values.Name ?? '');
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.includes('__') || name.endsWith('_')) {
        throw fieldError(
          'FIELD_INTEGRITY_EXCEPTION',
          'API Name: The name can only contain underscores and alphanumeric characters, must begin with a letter, and cannot end with an underscore or contain two consecutive underscores.',
          ['Name'],
        );
      }
      const existing = org
        .table('PermissionSet')
        .find((p) => String(p.Name).toLowerCase() === name.toLowerCase());
      if (existing)
        throw new ApiError(400, 'DUPLICATE_DEVELOPER_NAME', 'The API name is already in use.', [
          'Name',
        ]);
      const defaults: Record<string, unknown> = {
        Type: 'Regular',
        IsOwnedByProfile: false,
        IsCustom: true,
        ProfileId: null,
        PermissionSetGroupId: null,
        NamespacePrefix: null,
        HasActivationRequired: false,
      };
      for (const field of schema.fields.values())
        if (field.name.startsWith('Permissions')) defaults[field.name] = false;
      for (const [key, value] of Object.entries(defaults))
        if (values[key] === undefined) values[key] = value;
      break;
    }
    case 'ObjectPermissions': {
      const parent = requirePermissionSet(org, values.ParentId);
      const object = org.schema.get(String(values.SobjectType ?? ''));
      if (!object || !object.objectPermissions) {
        throw fieldError(
          'FIELD_INTEGRITY_EXCEPTION',
          `SObject Type Name: bad value for restricted picklist field: ${String(values.SobjectType)}`,
          ['SobjectType'],
        );
      }
      values.SobjectType = object.name;
      for (const field of schema.fields.values()) {
        if (field.type === 'boolean' && values[field.name] === undefined)
          values[field.name] = false;
      }
      checkDependencies(values, PERMISSION_DEPENDENCIES);
      if (!dmlScopes.has(org)) checkParentObjects(org, values);
      const existing = org
        .table('ObjectPermissions')
        .find((o) => sameId(o.ParentId, parent.Id) && o.SobjectType === object.name);
      if (existing) throw duplicate(existing);
      break;
    }
    case 'FieldPermissions': {
      const parent = requirePermissionSet(org, values.ParentId);
      const [objectName = '', fieldName = ''] = String(values.Field ?? '').split('.');
      const object = org.schema.get(objectName);
      const field = object?.fields.get(fieldName.toLowerCase());
      if (!object || !field || !field.permissionable) {
        throw fieldError(
          'FIELD_INTEGRITY_EXCEPTION',
          `Field Name: bad value for restricted picklist field: ${String(values.Field)}`,
          ['Field'],
        );
      }
      values.Field = `${object.name}.${field.name}`;
      if (
        values.SobjectType !== undefined &&
        String(values.SobjectType).toLowerCase() !== object.name.toLowerCase()
      ) {
        throw fieldError(
          'FIELD_INTEGRITY_EXCEPTION',
          `SObject Type Name does not match the field ${String(values.Field)}`,
          ['SobjectType'],
        );
      }
      values.SobjectType = object.name;
      values.PermissionsRead ??= false;
      values.PermissionsEdit ??= false;
      checkDependencies(values, [['PermissionsEdit', 'PermissionsRead']]);
      const existing = org
        .table('FieldPermissions')
        .find((f) => sameId(f.ParentId, parent.Id) && f.Field === values.Field);
      if (existing) throw duplicate(existing);
      break;
    }
    case 'PermissionSetAssignment': {
      const user = org.getById(values.AssigneeId);
      if (!user || user.type !== 'User')
        throw fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
          'AssigneeId',
        ]);
      if (values.PermissionSetGroupId) {
        const aggregate = org
          .table('PermissionSet')
          .find(
            (p) =>
              sameId(p.PermissionSetGroupId, values.PermissionSetGroupId) && p.Type === 'Group',
          );
        if (!aggregate)
          throw fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
            'PermissionSetGroupId',
          ]);
        values.PermissionSetId = aggregate.Id;
      } else {
        const set = requirePermissionSet(org, values.PermissionSetId, 'PermissionSetId');
        if (set.IsOwnedByProfile) {
          throw fieldError(
            'FIELD_INTEGRITY_EXCEPTION',
            "You can't assign or unassign this permission set because it's associated with a profile.",
            ['PermissionSetId'],
          );
        }
        values.PermissionSetGroupId = null;
      }
      values.ExpirationDate ??= null;
      values.IsActive ??= true;
      const existing = org
        .table('PermissionSetAssignment')
        .find(
          (a) =>
            sameId(a.AssigneeId, values.AssigneeId) &&
            sameId(a.PermissionSetId, values.PermissionSetId),
        );
      if (existing) throw duplicate(existing);
      break;
    }
    case 'SetupEntityAccess': {
      // Approving a connected app for a permission set (Manage Connected Apps > the app > Manage
      // Permission Sets): one row per parent and entity; Salesforce sets SetupEntityType itself,
      // from the type of the entity (any SetupEntityId points to; the simulated org has only
      // connected apps among them).
      // Without either, writes.ts's required-fields check answers REQUIRED_FIELD_MISSING.
      if (values.ParentId == null || values.SetupEntityId == null) break;
      const parent = requirePermissionSet(org, values.ParentId);
      const app = org.getById(values.SetupEntityId);
      if (!app || !schema.fields.get('setupentityid')!.referenceTo.includes(app.type))
        throw fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
          'SetupEntityId',
        ]);
      values.SetupEntityType = app.type;
      const existing = org
        .table('SetupEntityAccess')
        .find((a) => sameId(a.ParentId, parent.Id) && sameId(a.SetupEntityId, app.record.Id));
      if (existing) throw duplicate(existing);
      break;
    }
    default:
      break;
  }
}

/** An ObjectPermissions row created in a DML statement: its Read checks wait for its end. */
export function afterPermissionCreate(org: Org, schema: ObjectSchema, record: SRecord): void {
  const scope = dmlScopes.get(org);
  if (scope && schema.name === 'ObjectPermissions')
    scope.rows.push({ index: scope.current, id: String(record.Id) });
}

/** The permission objects' own rules before `record` is updated with `values` into `merged`. */
export function beforePermissionUpdate(
  org: Org,
  schema: ObjectSchema,
  record: SRecord,
  values: Record<string, unknown>,
  merged: Record<string, unknown>,
): void {
  if (schema.name === 'ObjectPermissions') {
    checkDependencies(merged, PERMISSION_DEPENDENCIES);
    const scope = dmlScopes.get(org);
    if (scope) scope.rows.push({ index: scope.current, id: String(record.Id) });
    else {
      checkParentObjects(org, merged);
      if (record.PermissionsRead === true && merged.PermissionsRead !== true)
        checkChildObjects(org, record);
    }
  }
  if (schema.name === 'FieldPermissions')
    checkDependencies(merged, [['PermissionsEdit', 'PermissionsRead']]);
  if (schema.name === 'PermissionSet' && values.Name !== undefined) {
    const clash = org
      .table('PermissionSet')
      .find(
        (p) => p !== record && String(p.Name).toLowerCase() === String(values.Name).toLowerCase(),
      );
    if (clash)
      throw new ApiError(400, 'DUPLICATE_DEVELOPER_NAME', 'The API name is already in use.', [
        'Name',
      ]);
  }
}

/** The permission objects' own rules before `record` is deleted (a set takes its rows with it). */
export function beforePermissionDelete(org: Org, schema: ObjectSchema, record: SRecord): void {
  if (schema.name === 'PermissionSetAssignment') {
    const set = org.getById(record.PermissionSetId)?.record;
    if (set?.IsOwnedByProfile) {
      throw new ApiError(
        400,
        'DELETE_FAILED',
        "You can't assign or unassign this permission set because it's associated with a profile.",
      );
    }
  }
  if (schema.name === 'ObjectPermissions' && record.PermissionsRead === true)
    checkChildObjects(org, record);
  if (schema.name === 'PermissionSet') {
    if (record.IsOwnedByProfile || record.Type === 'Group')
      throw new ApiError(400, 'DELETE_FAILED', 'This permission set cannot be deleted.');
    if (org.table('PermissionSetAssignment').some((a) => sameId(a.PermissionSetId, record.Id))) {
      throw new ApiError(
        400,
        'DELETE_FAILED',
        'Your attempt to delete this permission set failed because it is assigned to users.',
      );
    }
    for (const table of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess']) {
      for (const row of [...org.table(table)])
        if (sameId(row.ParentId, record.Id)) org.delete(row.Id);
    }
  }
}
