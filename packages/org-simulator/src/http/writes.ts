import { checkValidationRules } from '../org/validationRules.js';
import { ApiError, bodyNotAnObject, jsonParserError, notFound } from '../errors.js';
import { isSalesforceId, sameId } from '../ids.js';
import {
  underFieldLevelSecurity,
  userFieldAccess,
  userHasObjectRight,
  userHasPermission,
  userModifiesAll,
  userReadsField,
} from './access.js';
import type { Org, SRecord } from '../org/org.js';
import { parseDateTime, sfDateTime } from '../org/time.js';
import { parentObjectsOf, type FieldSchema, type ObjectSchema } from '../schema.js';

/**
 * Record writes as the REST API validates them: field names, createable/updateable, types, lengths,
 * required fields, and the rules of the permission objects (Edit needs Read, one row per parent and
 * object or field, no duplicate assignment), so remediation through REST behaves as in an org.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm
 */
type Mode = 'create' | 'update';

function fieldError(errorCode: string, message: string, fields: string[]): ApiError {
  return new ApiError(400, errorCode, message, fields);
}

/** Validate and convert a request body into stored values (schema spelling of names). */
export function coerceBody(
  org: Org,
  schema: ObjectSchema,
  body: unknown,
  mode: Mode,
): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw bodyNotAnObject();
  }
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const field = schema.fields.get(key.toLowerCase());
    if (!field) {
      throw fieldError(
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${schema.name}`,
        [key],
      );
    }
    if (field.name === 'Id' && mode === 'update') continue;
    const allowed = mode === 'create' ? field.createable : field.updateable;
    if (!allowed) {
      throw fieldError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [field.name],
      );
    }
    values[field.name] = coerceValue(org, field, raw);
  }
  return values;
}

function coerceValue(org: Org, field: FieldSchema, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  const wrongType = () =>
    jsonParserError(
      `Cannot deserialize instance of ${field.type} from ${typeof raw} value ${JSON.stringify(raw)} or request may be missing a required field`,
    );
  switch (field.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw wrongType();
      return raw;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (Number.isNaN(n)) throw wrongType();
      return field.type === 'int' ? Math.trunc(n) : n;
    }
    case 'datetime': {
      // Salesforce reads ISO 8601 date-times only ('2026-11-28T09:00:00.000Z', '...+0000',
      // '...+00:00', a bare date); Date.parse would take 'Nov 28 2026' or a Date's toString().
      if (typeof raw !== 'string' || !ISO_DATE_TIME.test(raw)) throw wrongType();
      const ms = parseDateTime(raw);
      if (Number.isNaN(ms)) throw wrongType();
      return sfDateTime(new Date(ms));
    }
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw wrongType();
      return raw;
    }
    case 'reference':
    case 'id': {
      if (typeof raw !== 'string' || !isSalesforceId(raw)) {
        throw fieldError(
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${String(raw)}`,
          [field.name],
        );
      }
      const target = org.getById(raw);
      if (!target || (field.referenceTo.length && !field.referenceTo.includes(target.type))) {
        throw fieldError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
      }
      return target.record.Id;
    }
    default: {
      if (typeof raw === 'object') throw wrongType();
      const text = String(raw);
      // Only active values: a restricted picklist refuses a deactivated one as any unknown value.
      if (field.restrictedPicklist && !field.picklistValues.includes(text)) {
        throw fieldError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${text}`,
          [field.name],
        );
      }
      if (field.length && text.length > field.length) {
        throw fieldError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 40)}${text.length > 40 ? '...' : ''} (max length=${field.length})`,
          [field.name],
        );
      }
      return text;
    }
  }
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The value as a unique field compares it: text case-insensitively unless the field says not. */
function uniqueKey(field: FieldSchema, value: unknown): string {
  const text = String(value);
  return field.caseSensitive || !isTextualType(field.type) ? text : text.toLowerCase();
}

function isTextualType(type: FieldSchema['type']): boolean {
  return ![
    'boolean',
    'int',
    'double',
    'currency',
    'percent',
    'date',
    'datetime',
    'id',
    'reference',
  ].includes(type);
}

/**
 * Unique fields (an external id such as HubSpot_Sync_Status__c.Portal_Id__c): a create or update
 * whose value another record already holds fails with DUPLICATE_VALUE naming the field and that
 * record, compared case-insensitively unless the field is case-sensitive.
 */
function checkUnique(
  org: Org,
  schema: ObjectSchema,
  values: Record<string, unknown>,
  self?: SRecord,
): void {
  for (const field of schema.fields.values()) {
    if (!field.unique || field.name === 'Id') continue;
    const value = values[field.name];
    if (value === undefined || value === null || value === '') continue;
    const key = uniqueKey(field, value);
    const clash = org
      .table(schema.name)
      .find(
        (r) =>
          r !== self &&
          r[field.name] !== null &&
          r[field.name] !== undefined &&
          uniqueKey(field, r[field.name]) === key,
      );
    if (clash)
      throw new ApiError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${clash.Id}`,
        [],
      );
  }
}

/** Whether a record's value of an external id field matches the value an upsert URL names. */
export function externalIdMatches(field: FieldSchema, stored: unknown, value: string): boolean {
  if (stored === null || stored === undefined) return false;
  if (field.type === 'id') return sameId(stored, value);
  return uniqueKey(field, stored) === uniqueKey(field, value);
}

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

/** Object-specific rules before a create; may fill in defaults. */
function beforeCreate(
  org: Org,
  schema: ObjectSchema,
  values: Record<string, unknown>,
  userId: string,
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
      if (values.ParentId == null || values.SetupEntityId == null) break; // REQUIRED_FIELD_MISSING below
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
  if (schema.fields.has('ownerid') && values.OwnerId === undefined) values.OwnerId = userId;
  const autoNumber = [...schema.fields.values()].find((f) => f.autoNumber);
  if (autoNumber)
    values[autoNumber.name] =
      `${schema.keyPrefix.toUpperCase()}-${String(org.table(schema.name).length + 1).padStart(5, '0')}`;
  const missing = [...schema.fields.values()]
    .filter(
      (f) =>
        !f.nillable &&
        f.createable &&
        f.type !== 'boolean' &&
        f.type !== 'picklist' &&
        f.name !== 'OwnerId',
    )
    .filter((f) => values[f.name] === undefined || values[f.name] === null || values[f.name] === '')
    .map((f) => f.name);
  if (missing.length)
    throw fieldError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
}

function isDataStorageFull(org: Org): boolean {
  const storage = org.limits.DataStorageMB;
  return !!storage && storage.used > storage.Max;
}

/**
 * Who may create rows Salesforce guards by permission. SetupEntityAccess: the object is hidden
 * without "View Setup and Configuration" (as SOQL on it answers INVALID_TYPE, a POST finds no such
 * resource), and approving a connected app asks what managing one asks, "Customize Application"
 * and either "Modify All Data" or "Manage Connected Apps" (Salesforce Help, "Manage OAuth Access
 * Policies for a Connected App"), the same the simulator asks to read ConnectedApplication; without
 * them the app is out of the caller's reach, INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY.
 */
function checkCreateAccess(org: Org, schema: ObjectSchema, userId: string): void {
  if (schema.name !== 'SetupEntityAccess') return;
  if (!userHasPermission(org, userId, 'PermissionsViewSetup')) throw notFound();
  if (
    !userHasPermission(org, userId, 'PermissionsCustomizeApplication') ||
    !(
      userHasPermission(org, userId, 'PermissionsModifyAllData') ||
      userHasPermission(org, userId, 'PermissionsManageConnectedApps')
    )
  )
    throw fieldError(
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'insufficient access rights on cross-reference id',
      ['SetupEntityId'],
    );
}

/**
 * Object-level security on a write, as Salesforce enforces it on the API for every user without
 * "Modify All Data": an object the user cannot read is no resource at all (404 NOT_FOUND); one it
 * reads but may not create or edit answers CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY "entity type cannot
 * be inserted: <label>" ("... updated: ..."). Rights come from the profile and the assigned
 * permission sets (the package's ones as force-app defines them), group mutings applied.
 */
export function checkObjectRight(
  org: Org,
  schema: ObjectSchema,
  userId: string,
  right: 'create' | 'edit',
): void {
  if (schema.kind !== 'event' && !userHasObjectRight(org, userId, schema, 'read')) throw notFound();
  if (!userHasObjectRight(org, userId, schema, right))
    throw new ApiError(
      400,
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be ${right === 'create' ? 'inserted' : 'updated'}: ${schema.label}`,
      [],
    );
}

/**
 * Field-level security on a write: a field the user cannot read does not exist for it
 * (INVALID_FIELD "No such column"), one it reads but may not edit is refused with
 * INVALID_FIELD_FOR_INSERT_UPDATE naming every such field of the body. Fields without field-level
 * security (required, master-detail, system, autonumber; platform event fields) pass. "Modify All Data" does not:
 * an administrator edits a field because its profile grants Edit on it (see userFieldAccess).
 */
function checkFieldSecurity(org: Org, schema: ObjectSchema, body: unknown, userId: string): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const levels = userFieldAccess(org, userId, schema);
  if (!levels) return;
  const readOnly: string[] = [];
  for (const key of Object.keys(body)) {
    const field = schema.fields.get(key.toLowerCase());
    if (!field || !underFieldLevelSecurity(field)) continue;
    const level = levels.get(field.name.toLowerCase());
    if (!level)
      throw fieldError(
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${schema.name}`,
        [key],
      );
    if (level === 'read') readOnly.push(field.name);
  }
  if (readOnly.length)
    throw fieldError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
}

/** Whether the user sees a field (field-level security Read or Edit, or no security on it). */
export function userSeesField(
  org: Org,
  schema: ObjectSchema,
  field: FieldSchema,
  userId: string,
): boolean {
  return userReadsField(org, userId, schema, field);
}

export function createRecord(
  org: Org,
  schema: ObjectSchema,
  body: unknown,
  userId: string,
): SRecord {
  if (!schema.createable || schema.kind === 'event') {
    throw new ApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type ${schema.name} does not support create`,
    );
  }
  checkObjectRight(org, schema, userId, 'create');
  checkFieldSecurity(org, schema, body, userId);
  checkCreateAccess(org, schema, userId);
  const values = coerceBody(org, schema, body, 'create');
  beforeCreate(org, schema, values, userId);
  checkValidationRules(schema.validationRules, null, values);
  checkUnique(org, schema, values);
  // A full data storage refuses new data records; setup metadata does not count against it.
  if (schema.kind === 'data' && isDataStorageFull(org)) {
    throw new ApiError(400, 'STORAGE_LIMIT_EXCEEDED', 'storage limit exceeded', []);
  }
  const record = org.insert(schema.name, values, userId);
  const scope = dmlScopes.get(org);
  if (scope && schema.name === 'ObjectPermissions')
    scope.rows.push({ index: scope.current, id: String(record.Id) });
  return record;
}

/**
 * Record-level access where the organization-wide default is Public Read Only or Private: everyone
 * may read (Read), but only the owner edits, unless "Modify All Data" or the object's
 * "Modify All" says otherwise (Salesforce Help, "Organization-Wide Sharing Defaults"). Role
 * hierarchies and sharing rules are not modelled: no simulated user gains access through them.
 */
function checkEditAccess(org: Org, schema: ObjectSchema, record: SRecord, userId: string): void {
  if (!schema.sharingModel || record.OwnerId === undefined || record.OwnerId === null) return;
  if (sameId(record.OwnerId, userId)) return;
  if (userHasPermission(org, userId, 'PermissionsModifyAllData')) return;
  if (userModifiesAll(org, userId, schema.name)) return;
  throw new ApiError(
    400,
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'insufficient access rights on object id',
    [],
  );
}

export function updateRecord(
  org: Org,
  schema: ObjectSchema,
  id: string,
  body: unknown,
  userId: string,
): SRecord {
  checkObjectRight(org, schema, userId, 'edit');
  const entry = org.getById(id);
  if (!entry || entry.type !== schema.name) throw notFound();
  checkEditAccess(org, schema, entry.record, userId);
  checkFieldSecurity(org, schema, body, userId);
  const values = coerceBody(org, schema, body, 'update');
  const merged = { ...entry.record, ...values };
  checkValidationRules(schema.validationRules, entry.record, merged);
  checkUnique(org, schema, values, entry.record);
  if (schema.name === 'ObjectPermissions') {
    checkDependencies(merged, PERMISSION_DEPENDENCIES);
    const scope = dmlScopes.get(org);
    if (scope) scope.rows.push({ index: scope.current, id: String(entry.record.Id) });
    else {
      checkParentObjects(org, merged);
      if (entry.record.PermissionsRead === true && merged.PermissionsRead !== true)
        checkChildObjects(org, entry.record);
    }
  }
  if (schema.name === 'FieldPermissions')
    checkDependencies(merged, [['PermissionsEdit', 'PermissionsRead']]);
  if (schema.name === 'PermissionSet' && values.Name !== undefined) {
    const clash = org
      .table('PermissionSet')
      .find(
        (p) =>
          p !== entry.record && String(p.Name).toLowerCase() === String(values.Name).toLowerCase(),
      );
    if (clash)
      throw new ApiError(400, 'DUPLICATE_DEVELOPER_NAME', 'The API name is already in use.', [
        'Name',
      ]);
  }
  return org.update(entry.record.Id, values, userId);
}

/**
 * Delete rights, as Salesforce enforces them on the API for a user without "Modify All Data": an
 * object it cannot read is no resource (404 NOT_FOUND); without the object's Delete the call is
 * refused with INSUFFICIENT_ACCESS_OR_READONLY "insufficient access rights on object id" (the
 * status code the SOAP API guide gives for "you don't have sufficient permissions"; the exact
 * message a REST delete answers is not documented). Record level: only the owner deletes a record,
 * or a user with the object's "Modify All" (Salesforce Help, "Error 'Insufficient Privileges' when
 * you try to delete records"; the role hierarchy that also lets a manager delete is not modelled).
 */
function checkDeleteAccess(org: Org, schema: ObjectSchema, record: SRecord, userId: string): void {
  if (!userHasObjectRight(org, userId, schema, 'read')) throw notFound();
  const refused = () =>
    new ApiError(
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
      'insufficient access rights on object id',
      [],
    );
  if (!userHasObjectRight(org, userId, schema, 'delete')) throw refused();
  if (
    schema.kind === 'data' &&
    record.OwnerId !== undefined &&
    record.OwnerId !== null &&
    !sameId(record.OwnerId, userId) &&
    !userHasPermission(org, userId, 'PermissionsModifyAllData') &&
    !userModifiesAll(org, userId, schema.name)
  )
    throw refused();
}

export function deleteRecord(org: Org, schema: ObjectSchema, id: string, userId: string): void {
  const entry = org.getById(id);
  if (!entry || entry.type !== schema.name) throw notFound();
  checkDeleteAccess(org, schema, entry.record, userId);
  if (schema.name === 'PermissionSetAssignment') {
    const set = org.getById(entry.record.PermissionSetId)?.record;
    if (set?.IsOwnedByProfile) {
      throw new ApiError(
        400,
        'DELETE_FAILED',
        "You can't assign or unassign this permission set because it's associated with a profile.",
      );
    }
  }
  if (schema.name === 'ObjectPermissions' && entry.record.PermissionsRead === true)
    checkChildObjects(org, entry.record);
  if (schema.name === 'PermissionSet') {
    if (entry.record.IsOwnedByProfile || entry.record.Type === 'Group')
      throw new ApiError(400, 'DELETE_FAILED', 'This permission set cannot be deleted.');
    if (org.table('PermissionSetAssignment').some((a) => sameId(a.PermissionSetId, id))) {
      throw new ApiError(
        400,
        'DELETE_FAILED',
        'Your attempt to delete this permission set failed because it is assigned to users.',
      );
    }
    for (const table of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess']) {
      for (const row of [...org.table(table)]) if (sameId(row.ParentId, id)) org.delete(row.Id);
    }
  }
  org.delete(entry.record.Id);
}
