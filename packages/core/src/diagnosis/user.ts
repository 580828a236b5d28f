/**
 * Checks about the user and its permission sources: active user, system permissions (API Enabled),
 * the required permission set, and what the assignments themselves say (expired, session-based,
 * group being recalculated, profile missing from the snapshot).
 */
import type { Context } from './context.js';
import { inactiveHint, mutedInGroupsHint, mutingFirst, mutingRemedy } from './context.js';
import { normalizeSetName, permissionSetNames } from './sources.js';
import { hubSpotAppApprovals } from './hubspotApp.js';
import { HUBSPOT_SALESFORCE_PLACE } from './hubspotPlaces.js';
import { DEFAULT_REQUIREMENTS, HUBSPOT_PERMISSION_SET } from '../requirements/defaults.js';
import { RULES } from './rules.js';
import { PERMISSION_SET_FIELDS } from '../snapshot/schema.js';
import { joinList, quoteAll } from './text.js';
import type { GrantCheck } from './types.js';

const FRIENDLY: Record<string, string> = {
  PermissionsApiEnabled: 'API Enabled',
  PermissionsViewSetup: 'View Setup and Configuration',
  PermissionsEditTask: 'Edit Tasks',
  PermissionsEditEvent: 'Edit Events',
  PermissionsManageUsers: 'Manage Users',
  PermissionsViewAllUsers: 'View All Users',
  PermissionsModifyAllData: 'Modify All Data',
  PermissionsViewAllData: 'View All Data',
  PermissionsUpdateWithInactiveOwner: 'Update Records with Inactive Owners',
};

/**
 * System permissions judged only to answer HubSpot's sync errors, never required: "Update Records
 * with Inactive Owners" lets the integration user update a record whose owner is inactive, the
 * second way out of INACTIVE_OWNER_OR_USER after giving the record an active owner.
 */
export const INACTIVE_OWNERS_PERMISSION = 'PermissionsUpdateWithInactiveOwner';
export const SIDE_PERMISSIONS: readonly string[] = [INACTIVE_OWNERS_PERMISSION];

/**
 * The side permissions with what grants them (sideGrants): `granted` absent when they were not
 * read (an older snapshot: no permission set carries the column), `absent` when the org has no
 * such column. Empty when the assignments were not read.
 */
export function sideGrants(ctx: Context): GrantCheck[] {
  if (!ctx.permissionsKnown) return [];
  return SIDE_PERMISSIONS.map((name) => {
    const grant = ctx.system(name);
    const check: GrantCheck = { kind: 'systemPermission', name, by: [...grant.by] };
    if (grant.absent && !grant.granted) check.absent = true;
    else if (grant.granted || ctx.sources.list.some((s) => name in s.record))
      check.granted = grant.granted;
    return check;
  });
}

export function friendlyPermission(name: string): string {
  return FRIENDLY[name] ?? name.replace(/^Permissions/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function checkUser(ctx: Context): void {
  const user = ctx.snapshot.user;
  if (!user) return;
  if (user.IsActive === false) {
    // An inactive user cannot log in: every API call and token refresh fails. We report it as
    // API_ACCESS_DISABLED because that is HubSpot's reason for "this user cannot use the API at all"
    // and its remedy is the right one: fix the user, then re-enter the Salesforce credentials in HubSpot.
    // Its cause heads it ("Integration user inactive"): the org's API access itself is fine.
    ctx.add({
      reason: 'API_ACCESS_DISABLED',
      cause: 'USER_INACTIVE',
      severity: 'error',
      subject: user.Username,
      rule: RULES.inactiveUser,
      message: `${ctx.who} is inactive: it cannot log in, so HubSpot cannot call Salesforce at all.`,
      remedy: `Reactivate ${ctx.who} in Setup > Users (it needs a free license), or connect HubSpot with another active integration user; then re-enter the Salesforce credentials in ${HUBSPOT_SALESFORCE_PLACE}; reconnecting clears a suspension for it.`,
    });
  } else if (user.IsFrozen === true) {
    // Freezing (Setup > Users > Freeze) blocks every login while the user stays active: same effect.
    ctx.add({
      reason: 'API_ACCESS_DISABLED',
      cause: 'USER_FROZEN',
      severity: 'error',
      subject: user.Username,
      rule: RULES.frozenUser,
      message: `${ctx.who} is frozen: it stays active but cannot log in, so HubSpot cannot call Salesforce at all.`,
      remedy: `Open ${ctx.who} in Setup > Users and click Unfreeze; then re-enter the Salesforce credentials in ${HUBSPOT_SALESFORCE_PLACE}; reconnecting clears a suspension for it.`,
    });
  }
}

export function checkSystemPermissions(ctx: Context): void {
  if (!ctx.permissionsKnown) return;
  for (const permission of ctx.requirements.systemPermissions) {
    const grant = ctx.system(permission);
    if (grant.granted) continue;
    if (grant.absent) {
      reportAbsentPermission(ctx, permission);
      continue;
    }
    const friendly = friendlyPermission(permission);
    const api = permission === 'PermissionsApiEnabled';
    const muted = mutedInGroupsHint(ctx, permission);
    ctx.add({
      reason: api ? 'API_ACCESS_DISABLED' : 'OBJECT_PERMISSIONS_MISSING',
      severity: 'error',
      subject: permission,
      rule: api ? RULES.apiEnabled : RULES.systemPermission,
      message: `${ctx.who} lacks "${friendly}": no active profile or permission set grants it${api ? ', so every API call HubSpot makes is refused' : ''}.${inactiveHint(grant.inactive)}${muted ? ` ${muted}` : ''}`,
      remedy: mutingFirst(
        mutingRemedy(ctx, `"${friendly}"`, 'System Permissions', 'it', permission),
        `Turn on "${friendly}" (System Permissions)`,
        ` in the user's profile or in a permission set assigned to ${ctx.who}${api ? ', then re-enter the Salesforce credentials in HubSpot to clear the suspension' : ''}.`,
      ),
    });
  }
}

const HUBSPOT_SYSTEM_PERMISSIONS = new Set(
  DEFAULT_REQUIREMENTS.systemPermissions.map((p) => p.toLowerCase()),
);
/** Standard PermissionSet columns the core knows: absent only where the edition or a feature lacks them. */
const KNOWN_SYSTEM_PERMISSIONS = new Set(
  PERMISSION_SET_FIELDS.filter((f) => f.startsWith('Permissions')).map((p) => p.toLowerCase()),
);

/**
 * A required permission the org has no PermissionSet column for. One HubSpot needs, or another
 * standard one the core knows: the org's API does not expose it (edition, feature), so it cannot
 * be read, only checked by hand. Any other one the requirements add: most likely misspelt, or of
 * another edition; either way the requirements are wrong.
 */
function reportAbsentPermission(ctx: Context, permission: string): void {
  const api = permission === 'PermissionsApiEnabled';
  const reason = api ? 'API_ACCESS_DISABLED' : 'OBJECT_PERMISSIONS_MISSING';
  const hubspotNeeds = HUBSPOT_SYSTEM_PERMISSIONS.has(permission.toLowerCase());
  if (hubspotNeeds || KNOWN_SYSTEM_PERMISSIONS.has(permission.toLowerCase())) {
    const friendly = friendlyPermission(permission);
    ctx.add({
      reason,
      severity: 'warning',
      subject: permission,
      rule: RULES.permissionNotInOrg,
      message: `This org's API does not expose "${friendly}" (PermissionSet has no ${permission} column), so Sync Doctor cannot tell whether ${ctx.who} has it.${hubspotNeeds ? ` HubSpot needs it${api ? ' for every API call it makes' : ''}.` : ''}`,
      remedy: `Check by hand: open ${ctx.who}'s profile and permission sets in Setup and confirm "${friendly}" is on under System Permissions.${api ? " If the org's edition has no API access at all (Professional without the API add-on), HubSpot cannot sync with it." : ''}`,
    });
    return;
  }
  ctx.add({
    reason,
    severity: 'warning',
    subject: permission,
    rule: RULES.invalidRequirement,
    message: `The requirements ask for the system permission '${permission}', which this org does not have (PermissionSet has no such column), so it could not be judged.`,
    remedy: `Correct '${permission}' in the requirements (a PermissionSet field name such as 'PermissionsViewSetup'), or remove it if it belongs to another edition or feature.`,
  });
}

/** The active groups that hold a set of these names (their sets read), and those whose sets were not read. */
function groupsHolding(ctx: Context, names: readonly string[]) {
  const groups = ctx.sources.active.filter((s) => s.kind === 'group');
  return {
    holding: groups.filter((g) =>
      g.groupSetNames?.some((set) => set.some((n) => names.includes(n))),
    ),
    unread: groups.filter((g) => g.groupSetNames === undefined),
  };
}

export function checkRequiredPermissionSets(ctx: Context): void {
  if (!ctx.permissionsKnown) return;
  for (const wanted of ctx.requirements.permissionSets) {
    const names = normalizeSetName(wanted);
    const matches = ctx.sources.list.filter(
      (s) =>
        s.kind === 'permissionSet' && permissionSetNames(s.record).some((n) => names.includes(n)),
    );
    if (matches.some((s) => s.active)) continue;
    // Held through a group (PermissionSetGroupComponent): assigned, whatever the group's muting
    // sets take away (their findings say so).
    const { holding, unread } = groupsHolding(ctx, names);
    if (holding.length) continue;
    const inactive = matches.find((s) => !s.active);
    if (inactive) ctx.explainedSources.add(inactive.id);
    // A group whose sets could not be read may hold it: say so, and where Setup shows it.
    const inGroupMaybe = !inactive && unread.length > 0;
    const groupList = joinList(quoteAll(unread.map((g) => g.displayName)), 'or');
    const hubspot = normalizeSetName(HUBSPOT_PERMISSION_SET).some((n) => names.includes(n));
    ctx.add({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: inGroupMaybe ? 'warning' : 'error',
      subject: wanted,
      rule: RULES.requiredPermissionSet,
      message: inactive
        ? `The permission set '${wanted}' is assigned to ${ctx.who}, but ${inactive.inactiveBecause}.`
        : `The permission set '${wanted}' is not assigned to ${ctx.who}${inGroupMaybe ? ` (unless it is part of the permission set group ${groupList}, whose sets could not be read: see Setup > Permission Set Groups > ${groupList} > Permission Sets in Group)` : ''}.${hubspot ? ` HubSpot names a missing '${wanted}' as one of the two usual causes of missing object permissions.` : ''}`,
      remedy: `${inGroupMaybe ? `If the group does not hold it, open` : 'Open'} ${ctx.who} in Setup > Users > Permission Set Assignments > Edit Assignments, and add '${wanted}'${inactive ? ' without an expiration date (or as a regular, not session-based, set)' : ''}. ${hubspot ? "If it is not offered, reinstall HubSpot's Salesforce package." : `If it is not offered, check in Setup > Permission Sets that a set of that name exists, and correct the name in the requirements if it does not.`}`,
    });
  }
}

export function checkSources(ctx: Context): void {
  if (!ctx.permissionsKnown) return;
  for (const source of ctx.sources.list) {
    if (
      source.sessionBased &&
      !source.inactiveBecause?.startsWith('its assignment expired') &&
      !ctx.explainedSources.has(source.id)
    ) {
      ctx.add({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'warning',
        subject: source.displayName,
        rule: RULES.sessionBased,
        message: `${source.label} is session-based: it grants nothing until a session activates it, and HubSpot's API sessions never do. Its rights are not counted.`,
        remedy: `Give ${ctx.who} these rights through a regular permission set (one without "Session Activation Required").`,
      });
    } else if (
      source.inactiveBecause?.startsWith('its assignment expired') &&
      !ctx.explainedSources.has(source.id)
    ) {
      ctx.add({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'info',
        subject: source.displayName,
        rule: RULES.expiredAssignment,
        message: `${source.label} is still listed for ${ctx.who}, but ${source.inactiveBecause}: it grants nothing.`,
        remedy: `If ${ctx.who} still needs it, edit the assignment in Setup > Users > Permission Set Assignments and remove or extend the expiration date.`,
      });
    }
    if (source.kind === 'group' && source.groupStatus && source.groupStatus !== 'Updated') {
      ctx.add({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'warning',
        subject: source.displayName,
        rule: RULES.groupStatus,
        message: `${source.label} has status '${source.groupStatus}': Salesforce has not (or could not) recalculate what it grants, so its rights may change once it does.`,
        remedy: `Open Setup > Permission Set Groups > ${source.displayName} and click Recalculate; check again afterwards.`,
      });
    }
  }
  const user = ctx.snapshot.user;
  if (!ctx.sources.profile && user?.ProfileId) {
    ctx.add({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'warning',
      subject: user.Profile?.Name ?? user.ProfileId,
      rule: RULES.profileMissing,
      message: `Sync Doctor read no assignment of the permission set of the profile${user.Profile?.Name ? ` '${user.Profile.Name}'` : ''} of ${ctx.who}: rights granted by the profile were not counted, so some findings may be wrong.`,
      remedy:
        "Check again. If this stays, the org was read without the profile's own permission set assignment (PermissionSet.IsOwnedByProfile = true), as a file made by hand or by an older Sync Doctor can be: read the org again with the current Sync Doctor.",
    });
  }
}

/**
 * The required system permissions and permission sets with the sources that grant them: the
 * evidence behind "API Enabled is on" or "the HubSpot set is assigned" when no finding says so;
 * and, when the connected apps were read, the user's approval for each HubSpot app that admits
 * admin-approved users only (what planRemediation approves).
 */
export function requiredGrants(ctx: Context): GrantCheck[] {
  const grants: GrantCheck[] = [];
  for (const name of ctx.requirements.systemPermissions) {
    const check: GrantCheck = { kind: 'systemPermission', name, by: [] };
    if (ctx.permissionsKnown) {
      const grant = ctx.system(name);
      if (!grant.absent || grant.granted) {
        check.granted = grant.granted;
        check.by = [...grant.by];
      }
    }
    grants.push(check);
  }
  for (const wanted of ctx.requirements.permissionSets) {
    const check: GrantCheck = { kind: 'permissionSet', name: wanted, by: [] };
    if (ctx.permissionsKnown) {
      const names = normalizeSetName(wanted);
      const active = ctx.sources.active.filter(
        (s) =>
          s.kind === 'permissionSet' && permissionSetNames(s.record).some((n) => names.includes(n)),
      );
      const { holding, unread } = groupsHolding(ctx, names);
      // Not assigned directly but maybe inside a group whose sets were not read: not judged.
      if (active.length || holding.length || unread.length === 0)
        check.granted = active.length + holding.length > 0;
      check.by = [...active, ...holding].map((s) => s.label);
    }
    grants.push(check);
  }
  for (const { app, approvedBy } of hubSpotAppApprovals(ctx) ?? [])
    grants.push({
      kind: 'connectedApp',
      name: app.Name,
      id: app.Id,
      granted: approvedBy.length > 0,
      by: approvedBy,
    });
  return grants;
}
