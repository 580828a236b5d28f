import { joinList } from '../diagnosis/text.js';
import { friendlyPermission } from '../diagnosis/user.js';

/**
 * What a remediation plan may grant, written once: planRemediation plans nothing else, the Node
 * applier (applyRemediation) refuses a plan asking anything else before any request, and a static
 * check ties the Apex applier's own guard (SyncDoctorRemediationApplier's GRANTABLE_SYSTEM_PERMISSIONS
 * and NEVER_GRANTED; it cannot import this) to these lists. A plan is input to both appliers (the
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
 * Object rights never granted: View All and Modify All bypass sharing (every record of the object
 * would reach HubSpot, or could be changed by it). A requirement for them is a manual step.
 */
export const NEVER_GRANTED_OBJECT_RIGHTS = ['viewAll', 'modifyAll'] as const;

const OBJECT_RIGHT_LABEL: Record<(typeof NEVER_GRANTED_OBJECT_RIGHTS)[number], string> = {
  viewAll: 'View All',
  modifyAll: 'Modify All',
};

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

/** Why a plan may not grant these rights on an object (View All, Modify All); null when it may. */
export function objectRightsRefusal(grant: {
  sobjectType: string;
  viewAll?: unknown;
  modifyAll?: unknown;
}): string | null {
  for (const right of NEVER_GRANTED_OBJECT_RIGHTS) {
    // Whatever the applier would take for true (a JSON plan may say "true" or 1) is refused.
    if (grant[right])
      return `Sync Doctor never grants ${OBJECT_RIGHT_LABEL[right]} on ${grant.sobjectType}: grant it yourself if the integration user really needs it.`;
  }
  return null;
}

/**
 * The first thing in the plan Sync Doctor never grants, as the message to refuse it with; null when
 * the plan grants only what the core plans. Checks the grants' contents, not the plan's shape (the
 * applier checks names and types itself).
 */
export function planGrantRefusal(plan: {
  objectPermissions: readonly { sobjectType: string; viewAll?: unknown; modifyAll?: unknown }[];
  systemPermissions?: readonly string[];
}): string | null {
  for (const grant of plan.objectPermissions) {
    const refusal = objectRightsRefusal(grant);
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
