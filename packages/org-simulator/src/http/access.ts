import { sameId } from '../ids.js';
import type { Org, SRecord } from '../org/org.js';
import type { ObjectSchema } from '../schema.js';
import { unsupportedType } from '../soql/errors.js';
import type { RowSource } from '../soql/query.js';

/** Whether the user holds a system permission through any of its unexpired assignments (profile included). */
export function userHasPermission(org: Org, userId: string, column: string): boolean {
  const now = org.now().getTime();
  return org.table('PermissionSetAssignment').some((assignment) => {
    if (!sameId(assignment.AssigneeId, userId)) return false;
    if (
      typeof assignment.ExpirationDate === 'string' &&
      Date.parse(assignment.ExpirationDate.replace('+0000', 'Z')) <= now
    )
      return false;
    const set = org.getById(assignment.PermissionSetId)?.record;
    return set?.[column] === true;
  });
}

/**
 * What SOQL shows the session's user where Salesforce filters by caller:
 * - LoginHistory: every user's attempts need "Manage Users" or "Monitor Login History"; since API 37.0 anyone may read their
 *   own, so without it the query succeeds with the caller's rows only (Object Reference,
 *   LoginHistory, "Special Access Rules"): no error, which is why a collector must ask first.
 * - UserPermissionAccess: one row, the caller's own system permissions (API 41.0 and later).
 * - ConnectedApplication: reading connected apps needs "Customize Application" AND either "Modify
 *   All Data" OR "Manage Connected Apps" (Salesforce Help, "Manage OAuth Access Policies for a
 *   Connected App", User Permissions Needed); without them the simulator hides the object, and SOQL
 *   answers INVALID_TYPE "sObject type 'ConnectedApplication' is not supported", as Salesforce does
 *   for any object the caller may not see. Whether Salesforce refuses or answers empty without the
 *   second permission is undocumented: the refusal is the one a reader can tell from "none".
 * - SetupEntityAccess: only users with "View Setup and Configuration" may access it (Object
 *   Reference, SetupEntityAccess, "Special Access Rules", Spring '20); likewise INVALID_TYPE.
 * - ObjectPermissions and FieldPermissions: the same rule since Summer '20 (Object Reference,
 *   "Special Access Rules"), so a user without View Setup cannot read anyone's object or field
 *   rights, which is what a collector connected as such a user meets.
 * - PermissionSetGroupComponent: the same rule since Spring '20 (Object Reference,
 *   PermissionSetGroupComponent, "Special Access Rules"), also as the sub-select of a semi-join.
 */
export function callerRows(org: Org, userId: string): RowSource {
  return (objectName, soql) => {
    switch (objectName.toLowerCase()) {
      case 'connectedapplication':
        if (
          !userHasPermission(org, userId, 'PermissionsCustomizeApplication') ||
          !(
            userHasPermission(org, userId, 'PermissionsModifyAllData') ||
            userHasPermission(org, userId, 'PermissionsManageConnectedApps')
          )
        )
          throw unsupportedType(soql, objectName);
        return undefined;
      case 'setupentityaccess':
      case 'objectpermissions':
      case 'fieldpermissions':
      case 'permissionsetgroupcomponent':
        if (!userHasPermission(org, userId, 'PermissionsViewSetup'))
          throw unsupportedType(soql, objectName);
        return undefined;
      case 'loginhistory':
        return userHasPermission(org, userId, 'PermissionsManageUsers') ||
          userHasPermission(org, userId, 'PermissionsMonitorLoginHistory')
          ? undefined
          : org.table('LoginHistory').filter((row) => sameId(row.UserId, userId));
      case 'userpermissionaccess': {
        const row: SRecord = { Id: '000000000000000AAA', LastCacheUpdate: null };
        for (const field of org.schema.get('UserPermissionAccess')?.fields.values() ?? []) {
          if (field.name.startsWith('Permissions'))
            row[field.name] = userHasPermission(org, userId, field.name);
        }
        return [row];
      }
      default: {
        // An object the user may not read does not exist for it (Object Reference, "Factors that
        // Affect Data Access": object-level security): INVALID_TYPE, as for an unknown object.
        const schema = org.schema.get(objectName);
        if (schema && !userHasObjectRight(org, userId, schema, 'read'))
          throw unsupportedType(soql, objectName);
        return undefined;
      }
    }
  };
}

/** Whether the user holds "Modify All" on an object through any of its unexpired assignments. */
export function userModifiesAll(org: Org, userId: string, object: string): boolean {
  const now = org.now().getTime();
  const sets = org
    .table('PermissionSetAssignment')
    .filter(
      (a) =>
        sameId(a.AssigneeId, userId) &&
        !(
          typeof a.ExpirationDate === 'string' &&
          Date.parse(a.ExpirationDate.replace('+0000', 'Z')) <= now
        ),
    )
    .map((a) => a.PermissionSetId);
  return org
    .table('ObjectPermissions')
    .some(
      (o) =>
        sets.some((id) => sameId(o.ParentId, id)) &&
        String(o.SobjectType).toLowerCase() === object.toLowerCase() &&
        o.PermissionsModifyAllRecords === true,
    );
}

export type ObjectRight = 'read' | 'create' | 'edit';

const RIGHT_COLUMN: Record<ObjectRight, string> = {
  read: 'PermissionsRead',
  create: 'PermissionsCreate',
  edit: 'PermissionsEdit',
};

/**
 * The permission sets whose object and field rights a user holds now: its profile's and every
 * unexpired, active assignment's (a permission set group's through its aggregate set, mutings
 * applied). A session-based permission set (HasActivationRequired) grants nothing until a session
 * activates it, which the simulator never does.
 */
function grantingSets(org: Org, userId: string): Set<string> {
  const now = org.now().getTime();
  const ids = new Set<string>();
  for (const assignment of org.table('PermissionSetAssignment')) {
    if (!sameId(assignment.AssigneeId, userId) || assignment.IsActive === false) continue;
    if (
      typeof assignment.ExpirationDate === 'string' &&
      Date.parse(assignment.ExpirationDate.replace('+0000', 'Z')) <= now
    )
      continue;
    const set = org.getById(assignment.PermissionSetId)?.record;
    if (!set || set.HasActivationRequired === true) continue;
    ids.add(String(set.Id).slice(0, 15));
  }
  return ids;
}

/**
 * Whether Salesforce checks this object's rights against ObjectPermissions rows: data objects it
 * governs so (not User, Task or Event, which system permissions govern) and platform events (Read,
 * Create). Setup objects are guarded by system permissions where the simulator models them.
 */
export function governedByObjectPermissions(schema: ObjectSchema): boolean {
  return (schema.kind === 'data' && schema.objectPermissions) || schema.kind === 'event';
}

/**
 * Whether the user holds an object right: "Modify All Data" holds every right on every object (and
 * "View All Data" Read), else one of its permission sets (profile included) must grant it.
 */
export function userHasObjectRight(
  org: Org,
  userId: string,
  schema: ObjectSchema,
  right: ObjectRight,
): boolean {
  if (!governedByObjectPermissions(schema)) return true;
  if (userHasPermission(org, userId, 'PermissionsModifyAllData')) return true;
  if (right === 'read' && userHasPermission(org, userId, 'PermissionsViewAllData')) return true;
  const sets = grantingSets(org, userId);
  const object = schema.name.toLowerCase();
  return org
    .table('ObjectPermissions')
    .some(
      (row) =>
        sets.has(String(row.ParentId).slice(0, 15)) &&
        String(row.SobjectType).toLowerCase() === object &&
        row[RIGHT_COLUMN[right]] === true,
    );
}

/**
 * The user's field-level security on an object's permissionable fields, keyed by lower-case field
 * name: 'edit' or 'read'; a field missing is hidden. null when nothing restricts the user: the
 * object has no field-level security (setup objects, platform events) or the user has "Modify All
 * Data" (the simulator's administrators hold every field, as the System Administrator profile does).
 */
export function userFieldAccess(
  org: Org,
  userId: string,
  schema: ObjectSchema,
): Map<string, 'read' | 'edit'> | null {
  if (schema.kind !== 'data') return null;
  if (userHasPermission(org, userId, 'PermissionsModifyAllData')) return null;
  const sets = grantingSets(org, userId);
  const prefix = `${schema.name.toLowerCase()}.`;
  const levels = new Map<string, 'read' | 'edit'>();
  for (const row of org.table('FieldPermissions')) {
    if (!sets.has(String(row.ParentId).slice(0, 15))) continue;
    const field = String(row.Field).toLowerCase();
    if (!field.startsWith(prefix)) continue;
    const name = field.slice(prefix.length);
    if (row.PermissionsEdit === true) levels.set(name, 'edit');
    else if (row.PermissionsRead === true && !levels.has(name)) levels.set(name, 'read');
  }
  return levels;
}
