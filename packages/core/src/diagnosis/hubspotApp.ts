/**
 * HubSpot's connected app as both Login History (logins.ts) and the app's policies
 * (connectedApps.ts) see it: which app is HubSpot's, and whether the integration user is approved
 * for it. One module, so the two judges agree on both and neither imports the other.
 */
import type { Context } from './context.js';
import type { ConnectedAppRecord } from '../snapshot/types.js';

/** HubSpot's connected app ("HubSpot", "HubSpot CRM"), not its sales extension, which any rep may use. */
const HUBSPOT_APP = /hubspot/i;
const HUBSPOT_SALES_APP = /^hubspot sales/i;

/** Whether a connected app's name is HubSpot's sync app ("HubSpot", "HubSpot CRM"), not its sales extension. */
export function isHubSpotAppName(name: string): boolean {
  const app = name.trim();
  return HUBSPOT_APP.test(app) && !HUBSPOT_SALES_APP.test(app);
}

/** How to approve the user for a connected app that admits admin-approved users only. */
export function approveForAppRemedy(who: string, profile: string, app = "HubSpot's app"): string {
  return `In Setup > Connected Apps > Manage Connected Apps, open ${app} and add ${profile} (Manage Profiles) or a permission set assigned to ${who} (Manage Permission Sets), or set Permitted Users to "All users may self-authorize"`;
}

/** One HubSpot app that admits admin-approved users only, and who of the user's sources approves it. */
export interface AppApproval {
  app: ConnectedAppRecord;
  /** Labels of the user's active profile and permission sets approved for the app. */
  approvedBy: string[];
  /** The user's inactive sources that would approve it: 'Permission set: X (its assignment expired ...)'. */
  inactive: string[];
}

/**
 * HubSpot's admin-approved-only apps with the user's approvals. Null when it cannot be told: the
 * connected apps were not read, or the snapshot has no assignments. An empty list: no HubSpot app
 * is installed, or every one lets users self-authorize.
 */
export function hubSpotAppApprovals(ctx: Context): AppApproval[] | null {
  const section = ctx.snapshot.connectedApps;
  if (!section || !ctx.permissionsKnown) return null;
  return section.apps
    .filter((app) => isHubSpotAppName(app.Name) && app.OptionsAllowAdminApprovedUsersOnly === true)
    .map((app) => {
      const parents = new Set(
        section.access.filter((row) => row.SetupEntityId === app.Id).map((row) => row.ParentId),
      );
      const approving = ctx.sources.list.filter((source) => parents.has(source.id));
      return {
        app,
        approvedBy: approving.filter((source) => source.active).map((source) => source.label),
        inactive: approving
          .filter((source) => !source.active)
          .map((source) => `${source.label} (${source.inactiveBecause})`),
      };
    });
}
