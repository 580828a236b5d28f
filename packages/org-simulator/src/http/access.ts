import { sameId } from '../ids.js';
import type { Org, SRecord } from '../org/org.js';
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
      default:
        return undefined;
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
