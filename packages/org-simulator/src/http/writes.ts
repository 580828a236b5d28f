import { checkValidationRules } from '../org/validationRules.js';
import { ApiError, fieldError, notFound } from '../errors.js';
import { sameId } from '../ids.js';
import {
  underFieldLevelSecurity,
  userFieldAccess,
  userHasObjectRight,
  userHasPermission,
  userModifiesAll,
  userReadsField,
} from './access.js';
import type { Org, SRecord } from '../org/org.js';
import type { FieldSchema, ObjectSchema } from '../schema.js';
import {
  afterPermissionCreate,
  beforePermissionCreate,
  beforePermissionDelete,
  beforePermissionUpdate,
} from './permissionRows.js';
import { checkUnique, coerceBody } from './recordValues.js';

/**
 * Record writes as the REST API validates them: the body's values (recordValues), required fields,
 * object and field security, record access, storage, and the rules of the permission objects
 * (permissionRows), so remediation through REST behaves as in an org.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm
 */
export { coerceBody, externalIdMatches } from './recordValues.js';
export { openDmlStatement } from './permissionRows.js';

/** The rules before a create (the permission objects' own first); may fill in defaults. */
function beforeCreate(
  org: Org,
  schema: ObjectSchema,
  values: Record<string, unknown>,
  userId: string,
): void {
  beforePermissionCreate(org, schema, values);
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
  afterPermissionCreate(org, schema, record);
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
  beforePermissionUpdate(org, schema, entry.record, values, merged);
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
  beforePermissionDelete(org, schema, entry.record);
  org.delete(entry.record.Id);
}
