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
 * The worst of the rest, refused with their own message: rights that reach far beyond syncing
 * (change any record, any permission, any code).
 */
export const NEVER_GRANTED_SYSTEM_PERMISSIONS: readonly string[] = [
  'PermissionsAssignPermissionSets',
  'PermissionsAuthorApex',
  'PermissionsCustomizeApplication',
  'PermissionsManageProfilesPermissionsets',
  'PermissionsManageUsers',
  'PermissionsModifyAllData',
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
