import { OBJECT_RIGHT_LABELS, joinList } from '../diagnosis/text.js';
import { friendlyPermission } from '../diagnosis/user.js';
import { OBJECT_RIGHTS, OBJECT_RIGHT_DEPENDENCIES } from '../requirements/objectRights.js';
import type { ObjectAccess } from '../requirements/types.js';

/**
 * What a remediation plan may grant, written once: planRemediation plans nothing else, the Node
 * applier (applyRemediation) refuses a plan asking anything else before any request, and a static
 * check ties the Apex applier's own guard (SyncDoctorRemediationApplier's GRANTABLE_SYSTEM_PERMISSIONS,
 * NEVER_GRANTED, GRANTABLE_OBJECT_RIGHTS and OBJECT_RIGHT_DEPENDENCIES; it cannot import this) to
 * these lists. A plan is input to both appliers (the
 * page posts it, the CLI and the preview read it as JSON), so what the core would never plan is
 * refused whoever made the plan.
 */
/**
 * The only system permissions a plan may turn on: those the core plans from the checks Sync Doctor
 * runs (API Enabled, which HubSpot requires; Edit Tasks and Edit Events for synced activities; View
 * All Users for the owners HubSpot maps). Anything else (Modify Metadata, Reset Passwords, Manage
 * Sharing, ...) a requirements document may ask for is a manual step, never a grant.
 */
export const GRANTABLE_SYSTEM_PERMISSIONS: readonly string[] = [
  'PermissionsApiEnabled',
  'PermissionsEditTask',
  'PermissionsEditEvent',
  'PermissionsViewAllUsers',
];

/**
 * The worst of the rest, refused with their own message, and the rights a permission set a plan
 * assigns may not hold (permissionSetAssignmentRefusal): rights that reach far beyond syncing
 * (change any record, any permission, any code, any user; take over an admin's account by resetting
 * its password; open any record through sharing or the role hierarchy).
 * Deliberately NOT here: Modify Metadata (PermissionsModifyMetadata) and Download AppExchange
 * Packages (PermissionsInstallPackaging). HubSpot's own "HubSpot Integration Permissions" set, whose
 * contents Sync Doctor does not know, may hold them, and refusing them would block the one
 * assignment the core plans. A plan still never grants them itself (they are not grantable).
 */
export const NEVER_GRANTED_SYSTEM_PERMISSIONS: readonly string[] = [
  'PermissionsAssignPermissionSets',
  'PermissionsAuthorApex',
  'PermissionsCustomizeApplication',
  'PermissionsManageInternalUsers',
  'PermissionsManageProfilesPermissionsets',
  'PermissionsManageRoles',
  'PermissionsManageSharing',
  'PermissionsManageUsers',
  'PermissionsModifyAllData',
  'PermissionsResetPasswords',
  'PermissionsViewAllData',
];

/**
 * The object rights a plan may grant: Read, Create, Edit and Delete. Delete is among them: HubSpot's
 * suspension article asks only Read and Edit, and the default requirements never ask Delete, but a
 * HubSpot integration whose settings delete Salesforce records (its "Creating and deleting
 * contacts" settings, say) needs it on those objects, so a requirements document may ask it, the
 * plan grants it, and both appliers apply it, with the Edit and Read Salesforce requires beside it
 * (OBJECT_RIGHT_DEPENDENCIES) listed in the same row.
 */
export const GRANTABLE_OBJECT_RIGHTS: readonly ObjectAccess[] = [
  'read',
  'create',
  'edit',
  'delete',
];

/**
 * Object rights never granted: View All and Modify All bypass sharing (every record of the object
 * would reach HubSpot, or could be changed by it). A requirement for them is a manual step.
 */
export const NEVER_GRANTED_OBJECT_RIGHTS: readonly ObjectAccess[] = OBJECT_RIGHTS.filter(
  (right) => !GRANTABLE_OBJECT_RIGHTS.includes(right),
);

/** "API Enabled, Edit Tasks, Edit Events and View All Users": the list above, in the findings' words. */
export const GRANTABLE_SYSTEM_PERMISSIONS_TEXT = joinList(
  GRANTABLE_SYSTEM_PERMISSIONS.map(friendlyPermission),
);

const lowerCased = (names: readonly string[]) => new Set(names.map((name) => name.toLowerCase()));
const GRANTABLE = lowerCased(GRANTABLE_SYSTEM_PERMISSIONS);
const NEVER = lowerCased(NEVER_GRANTED_SYSTEM_PERMISSIONS);

/** Whether a plan may turn on this PermissionSet column (any case, as Salesforce reads it). */
export function isGrantableSystemPermission(permission: string): boolean {
  return GRANTABLE.has(permission.toLowerCase());
}

/** Why a plan may not turn on this system permission; null when it may. */
export function systemPermissionRefusal(permission: string): string | null {
  if (isGrantableSystemPermission(permission)) return null;
  if (NEVER.has(permission.toLowerCase()))
    return `Sync Doctor never grants ${permission}: grant it yourself if you really mean to.`;
  return `Sync Doctor grants only the system permissions HubSpot's sync needs and its checks cover (${GRANTABLE_SYSTEM_PERMISSIONS.map(friendlyPermission).join(', ')}), not ${permission}: grant it yourself if you really mean to.`;
}

/** One row of a plan's objectPermissions, as an applier receives it (JSON: anything may be there). */
export type ObjectGrantInput = { sobjectType: string } & Partial<Record<ObjectAccess, unknown>>;

/** One row of a plan's fieldPermissions, as an applier receives it. */
export type FieldGrantInput = { field?: unknown; read?: unknown; edit?: unknown };

/** Why a right's value is no answer at all (true, false or absent); null when it is one. */
function flagRefusal(key: string, value: unknown): string | null {
  if (value === undefined || typeof value === 'boolean') return null;
  return `${key} must be true or false, not ${JSON.stringify(value) ?? String(value)}.`;
}

/**
 * Why a plan may not grant this row on an object; null when it may. The row is refused when:
 * - a right is neither true nor false (a JSON plan saying "true" or 1);
 * - it asks a right outside GRANTABLE_OBJECT_RIGHTS (View All, Modify All);
 * - it asks a right without one Salesforce requires beside it in the row (Delete without Edit,
 *   Create, Edit or Delete without Read: OBJECT_RIGHT_DEPENDENCIES). The core always lists them, and
 *   the appliers grant exactly the rights a row lists: adding Edit the admin was never shown would
 *   grant more than the plan said, and leaving it out would fail in Salesforce after other changes.
 * The Apex applier refuses the same rows in the same words (objectRightsRefusal), held to this by
 * a static check.
 */
export function objectRightsRefusal(grant: ObjectGrantInput): string | null {
  for (const right of OBJECT_RIGHTS) {
    const refusal = flagRefusal(right, grant[right]);
    if (refusal) return refusal;
  }
  for (const right of NEVER_GRANTED_OBJECT_RIGHTS) {
    if (grant[right] === true)
      return `Sync Doctor never grants ${OBJECT_RIGHT_LABELS[right]} on ${grant.sobjectType}: grant it yourself if the integration user really needs it.`;
  }
  for (const right of OBJECT_RIGHTS) {
    if (grant[right] !== true) continue;
    for (const needed of OBJECT_RIGHT_DEPENDENCIES[right])
      if (grant[needed] !== true)
        return `The plan asks ${OBJECT_RIGHT_LABELS[right]} on ${grant.sobjectType} without ${OBJECT_RIGHT_LABELS[needed]}, which Salesforce requires with it: Sync Doctor grants exactly the rights a plan lists. Plan the fix again.`;
  }
  return null;
}

/** Why a plan may not grant this row on a field (a right neither true nor false); null when it may. */
export function fieldRightsRefusal(grant: FieldGrantInput): string | null {
  return flagRefusal('read', grant.read) ?? flagRefusal('edit', grant.edit);
}

/**
 * The first thing in the plan Sync Doctor never grants, as the message to refuse it with; null when
 * the plan grants only what the core plans. Checks the grants' contents, not the plan's shape (the
 * applier checks names and types itself).
 */
export function planGrantRefusal(plan: {
  objectPermissions: readonly ObjectGrantInput[];
  fieldPermissions?: readonly FieldGrantInput[];
  systemPermissions?: readonly string[];
}): string | null {
  for (const grant of plan.objectPermissions) {
    const refusal = objectRightsRefusal(grant);
    if (refusal) return refusal;
  }
  for (const grant of plan.fieldPermissions ?? []) {
    const refusal = fieldRightsRefusal(grant);
    if (refusal) return refusal;
  }
  for (const permission of plan.systemPermissions ?? []) {
    const refusal = systemPermissionRefusal(permission);
    if (refusal) return refusal;
  }
  return null;
}

/**
 * The NEVER_GRANTED_SYSTEM_PERMISSIONS in Salesforce's own words (the labels Setup shows), as a
 * refusal names them. The Apex applier keeps the same labels (NEVER_GRANTED_LABELS), which a static
 * check holds equal to these.
 */
export const NEVER_GRANTED_PERMISSION_LABELS: Readonly<Record<string, string>> = {
  PermissionsAssignPermissionSets: 'Assign Permission Sets',
  PermissionsAuthorApex: 'Author Apex',
  PermissionsCustomizeApplication: 'Customize Application',
  PermissionsManageInternalUsers: 'Manage Internal Users',
  PermissionsManageProfilesPermissionsets: 'Manage Profiles and Permission Sets',
  PermissionsManageRoles: 'Manage Roles',
  PermissionsManageSharing: 'Manage Sharing',
  PermissionsManageUsers: 'Manage Users',
  PermissionsModifyAllData: 'Modify All Data',
  PermissionsResetPasswords: 'Reset User Passwords and Unlock Users',
  PermissionsViewAllData: 'View All Data',
};

/**
 * A PermissionSet row as the appliers read it for each set a plan names: its names, whether a
 * profile owns it, and the NEVER_GRANTED_SYSTEM_PERMISSIONS columns (true when the set grants one).
 * A column the org lacks (an edition without it) is left out of the query, and absent here: no set
 * of that org can hold it.
 */
export interface AssignableSetRow {
  Name?: unknown;
  Label?: unknown;
  NamespacePrefix?: unknown;
  IsOwnedByProfile?: unknown;
  [column: string]: unknown;
}

/** 'Label (namespace__Name)', as Setup (and both appliers) tell two sets apart. */
export function describePermissionSet(set: AssignableSetRow): string {
  const namespace = typeof set.NamespacePrefix === 'string' && set.NamespacePrefix;
  return `${String(set.Label ?? set.Name)} (${namespace ? `${namespace}__` : ''}${String(set.Name)})`;
}

/**
 * Why a plan may not assign this permission set; null when it may. `assignPermissionSets` names
 * sets to assign as they are (by default HubSpot's own "HubSpot Integration Permissions", whose
 * contents Sync Doctor does not know), so without this a hand-made plan could assign any set of the
 * org, one holding Modify All Data say, and get round every rule above. A set is refused when:
 * - a profile owns it (IsOwnedByProfile): it is the profile's, never assigned on its own;
 * - it grants any of NEVER_GRANTED_SYSTEM_PERMISSIONS (every one it grants is named).
 * Deliberately NOT refused: View All or Modify All on objects in the set. HubSpot's own set may hold
 * them on HubSpot's objects, and refusing them would block the one assignment the core plans; the
 * rule against them is about the rights Sync Doctor writes itself (objectRightsRefusal).
 * Only `=== true` counts as held: the appliers read the columns from Salesforce, which answers
 * booleans.
 */
export function permissionSetAssignmentRefusal(set: AssignableSetRow): string | null {
  const described = describePermissionSet(set);
  if (set.IsOwnedByProfile === true)
    return `Sync Doctor never assigns the permission set ${described}: it belongs to a profile. Change the profile in Setup instead if you really mean to.`;
  const held = new Set(
    Object.entries(set)
      .filter(([, value]) => value === true)
      .map(([column]) => column.toLowerCase()),
  );
  const granted = NEVER_GRANTED_SYSTEM_PERMISSIONS.filter((permission) =>
    held.has(permission.toLowerCase()),
  ).map((permission) => NEVER_GRANTED_PERMISSION_LABELS[permission] ?? permission);
  if (granted.length === 0) return null;
  return `Sync Doctor never assigns the permission set ${described}: it grants ${joinList(granted)}, far beyond what HubSpot's sync needs. Assign it yourself in Setup if the integration user really needs it.`;
}

/** The first refusal among the sets a plan names (permissionSetAssignmentRefusal); null when none. */
export function assignmentRefusal(sets: readonly AssignableSetRow[]): string | null {
  for (const set of sets) {
    const refusal = permissionSetAssignmentRefusal(set);
    if (refusal) return refusal;
  }
  return null;
}
