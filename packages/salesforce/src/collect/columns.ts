/**
 * The columns the collector reads, and which of them an org may lack. System permission columns
 * of PermissionSet vary with the edition and enabled features, and some columns are younger than
 * orgs on older releases; a query naming an absent column fails whole with INVALID_FIELD, so those
 * columns are marked optional and the collector retries without them.
 */

export const USER_COLUMNS = [
  'Id',
  'Username',
  'Name',
  'IsActive',
  'UserPermissionsMarketingUser',
  'ProfileId',
  'Profile.Name',
];

export const ORGANIZATION_COLUMNS = [
  'Id',
  'Name',
  'InstanceName',
  'IsSandbox',
  'OrganizationType',
  'DefaultAccountAccess',
  'DefaultContactAccess',
  'DefaultLeadAccess',
  'DefaultOpportunityAccess',
  'DefaultCampaignAccess',
  'DefaultCaseAccess',
  'DefaultCalendarAccess',
];
export const ORGANIZATION_OPTIONAL = ORGANIZATION_COLUMNS.filter((c) => c.startsWith('Default'));

/**
 * The system permissions the snapshot type names; the requirements may add more.
 * PermissionsUpdateWithInactiveOwner ("Update Records with Inactive Owners") is never required:
 * the core reads it to answer an inactive-owner sync error (its SIDE_PERMISSIONS). Its column
 * exists only once Setup > User Interface > 'Enable "Set Audit Fields upon Record Creation" and
 * "Update Records with Inactive Owners" User Permissions' is on (off as Salesforce ships it): an
 * org with the setting off costs the assignments query's retry without it, and the snapshot lists
 * it in absentPermissions ("this org does not offer it"), never "not granted".
 */
export const SYSTEM_PERMISSION_COLUMNS: readonly string[] = [
  'PermissionsApiEnabled',
  'PermissionsViewSetup',
  'PermissionsModifyAllData',
  'PermissionsViewAllData',
  'PermissionsEditTask',
  'PermissionsViewAllUsers',
  'PermissionsUpdateWithInactiveOwner',
];

/**
 * Task and Event have no object permissions: "Edit Tasks" / "Edit Events" govern their create and
 * edit (the core's objects rule). Edit Tasks is always read (HubSpot logs tasks); Edit Events only
 * when an Event is judged, so an org without that column costs no retry otherwise.
 */
const ACTIVITY_PERMISSION_COLUMNS: Readonly<Record<string, string>> = {
  task: 'PermissionsEditTask',
  event: 'PermissionsEditEvent',
};

/** The activity permissions the judged objects need read, beyond SYSTEM_PERMISSION_COLUMNS. */
export function activityPermissionColumns(objects: readonly string[]): string[] {
  return objects
    .map((o) => ACTIVITY_PERMISSION_COLUMNS[o.toLowerCase()])
    .filter((p): p is string => p !== undefined);
}

/**
 * User has no object permissions either: creating or editing users takes "Manage Users" (the
 * core's user-visibility rule). Read only when the requirements ask to change users; HubSpot only
 * reads them, so the default check does not name the column.
 */
export function userPermissionColumns(
  objects: readonly { name: string; access: readonly string[] }[],
): string[] {
  const changesUsers = objects.some(
    (o) => o.name.toLowerCase() === 'user' && o.access.some((a) => a !== 'read' && a !== 'viewAll'),
  );
  return changesUsers ? ['PermissionsManageUsers'] : [];
}

export function assignmentColumns(systemPermissions: readonly string[]): {
  columns: string[];
  optional: string[];
} {
  const permissions = [...new Set([...SYSTEM_PERMISSION_COLUMNS, ...systemPermissions])];
  const columns = [
    'Id',
    'PermissionSetId',
    'PermissionSetGroupId',
    'ExpirationDate',
    'PermissionSet.Id',
    'PermissionSet.Name',
    'PermissionSet.Label',
    'PermissionSet.Type',
    'PermissionSet.IsOwnedByProfile',
    'PermissionSet.HasActivationRequired',
    'PermissionSet.Profile.Name',
    ...permissions.map((p) => `PermissionSet.${p}`),
    'PermissionSetGroup.Id',
    'PermissionSetGroup.DeveloperName',
    'PermissionSetGroup.MasterLabel',
    'PermissionSetGroup.Status',
    'PermissionSetGroup.HasActivationRequired',
  ];
  const optional = [
    'PermissionSetGroupId',
    'ExpirationDate',
    'PermissionSet.Type',
    'PermissionSet.HasActivationRequired',
    ...permissions.map((p) => `PermissionSet.${p}`),
    'PermissionSetGroup.Id',
    'PermissionSetGroup.DeveloperName',
    'PermissionSetGroup.MasterLabel',
    'PermissionSetGroup.Status',
    'PermissionSetGroup.HasActivationRequired',
  ];
  return { columns, optional };
}

export const OBJECT_PERMISSION_COLUMNS = [
  'ParentId',
  'SobjectType',
  'PermissionsRead',
  'PermissionsCreate',
  'PermissionsEdit',
  'PermissionsDelete',
  'PermissionsViewAllRecords',
  'PermissionsModifyAllRecords',
  'PermissionsViewAllFields',
];
export const OBJECT_PERMISSION_OPTIONAL = ['PermissionsViewAllFields'];

export const FIELD_PERMISSION_COLUMNS = [
  'ParentId',
  'SobjectType',
  'Field',
  'PermissionsRead',
  'PermissionsEdit',
];

/**
 * The optional columns an INVALID_FIELD error points at: Salesforce names the column without its
 * relationship path ("No such column 'PermissionsFoo' on entity 'PermissionSet'"), so every
 * optional column whose last segment matches goes (and, for a relationship, any column under it).
 */
export function columnsToDrop(
  columns: readonly string[],
  optional: ReadonlySet<string>,
  missing: string,
): string[] {
  // Some answers name the whole path ('PermissionSet.PermissionsFoo'); its last segment decides.
  const lower = missing.toLowerCase();
  const last = lower.split('.').pop()!;
  return columns.filter((column) => {
    if (!optional.has(column)) return false;
    const path = column.toLowerCase();
    const segments = path.split('.');
    if (lower.includes('.')) return path === lower || path.endsWith(`.${lower}`);
    return segments[segments.length - 1] === last || segments.slice(0, -1).includes(last);
  });
}
