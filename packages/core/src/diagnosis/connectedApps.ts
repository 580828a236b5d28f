/**
 * HubSpot's connected app in the org: the OAuth policies that decide, before any permission is
 * looked at, whether Salesforce lets HubSpot log in as the integration user and for how long its
 * refresh token lives. Login History (logins.ts) shows a refusal after it happened; these policies
 * say it will happen: the next refresh, the next token expiry, the next reconnect.
 */
import type { Context } from './context.js';
import {
  approveForAppRemedy,
  hubSpotAppApprovals,
  isHubSpotAppName,
  type AppApproval,
} from './hubspotApp.js';
import { RULES } from './rules.js';
import { joinList, minute } from './text.js';
import type { LoginSummary } from './types.js';
import type { ConnectedAppRecord } from '../snapshot/types.js';

const EDIT_POLICIES = (app: string) =>
  `Setup > Connected Apps > Manage Connected Apps > "${app}" > Edit Policies`;

/** Findings about HubSpot's connected apps; nothing when the section was not read. */
export function judgeConnectedApps(ctx: Context, logins: LoginSummary | null): void {
  const section = ctx.snapshot.connectedApps;
  if (!section) return;
  const apps = section.apps.filter((app) => isHubSpotAppName(app.Name));
  if (!apps.length) {
    judgeNotInstalled(ctx, logins);
    return;
  }
  for (const approval of hubSpotAppApprovals(ctx) ?? []) judgeApproval(ctx, approval, logins);
  for (const app of apps) {
    if (app.OptionsHasSessionLevelPolicy === true) judgeHighAssurance(ctx, app);
    judgeRefreshTokenPolicy(ctx, app);
  }
}

/**
 * Since September 2025 Salesforce blocks connected apps nobody installed in the org for every user
 * who had not authorized them before, unless the user holds "Approve Uninstalled Connected Apps"
 * (the standard System Administrator profile has it; PermissionSet exposes no column for it, so it
 * cannot be checked otherwise). Today's connection goes on working, so this is a note for the day
 * HubSpot is connected as another user, not a risk to the current sync.
 */
function judgeNotInstalled(ctx: Context, logins: LoginSummary | null): void {
  if (ctx.sources.profile?.displayName === 'System Administrator') return;
  const loggingIn = logins?.lastSuccessAt
    ? ` HubSpot's current connection is not affected (its last login succeeded at ${minute(logins.lastSuccessAt)}).`
    : '';
  ctx.add({
    reason: 'API_ACCESS_DISABLED',
    severity: 'info',
    subject: 'HubSpot connected app',
    rule: RULES.connectedAppNotInstalled,
    message: `HubSpot's connected app is not installed in this org.${loggingIn} Since September 2025 Salesforce refuses an uninstalled connected app to every user who had not authorized it before, unless the user holds "Approve Uninstalled Connected Apps": connecting HubSpot as another integration user will be refused until the app is installed.`,
    remedy:
      'Before connecting HubSpot as another user: in Setup > Connected Apps OAuth Usage, find HubSpot and click Install, then set its policies in Manage Connected Apps. Or give that user "Approve Uninstalled Connected Apps", which Salesforce advises only for trusted admin and integration users.',
  });
}

/**
 * The user must be approved for an admin-approved-only app. Login History's own finding about a
 * refusal "not approved" steps aside for this one (logins.ts), which names the app a fix approves
 * the user for and carries the refusal's times.
 */
function judgeApproval(ctx: Context, approval: AppApproval, logins: LoginSummary | null): void {
  const { app, approvedBy, inactive } = approval;
  if (approvedBy.length) return;
  const profile = ctx.sources.profile
    ? `the profile "${ctx.sources.profile.displayName}"`
    : "the user's profile";
  const refusal = logins?.failingSince
    ? logins.failures.find(
        (group) => group.cause === 'app-not-approved' && group.lastAt === logins.lastAttemptAt,
      )
    : undefined;
  const consequence = refusal
    ? `Salesforce has refused HubSpot's logins as this user since ${minute(logins!.failingSince!)} ("${refusal.status}" ${refusal.count === 1 ? 'once' : `${refusal.count} times`}, last at ${minute(refusal.lastAt)})`
    : `Salesforce refuses HubSpot's logins as this user from its next token refresh on (Login History then shows "Failed: Not approved for access")`;
  ctx.add({
    reason: 'API_ACCESS_DISABLED',
    // Headed by what to fix: the user's approval for the app, not the org's API access.
    cause: 'CONNECTED_APP_NOT_APPROVED',
    severity: 'error',
    subject: app.Name,
    rule: RULES.connectedAppApproval,
    ...(refusal ? {} : { pending: true }),
    message: `The connected app "${app.Name}" admits admin-approved users only, and no active profile or permission set of ${ctx.who} is approved for it${inactive.length ? ` (${joinList(inactive)} would be)` : ''}: ${consequence}.`,
    remedy: `${approveForAppRemedy(ctx.who, profile, `"${app.Name}"`)}${refusal ? '; then click "Clear Suspension" in HubSpot so it logs in again' : ''}.`,
  });
}

function judgeHighAssurance(ctx: Context, app: ConnectedAppRecord): void {
  ctx.add({
    reason: 'API_ACCESS_DISABLED',
    severity: 'warning',
    subject: app.Name,
    rule: RULES.connectedAppSessionPolicy,
    message: `The connected app "${app.Name}" requires a high-assurance session. HubSpot logs in unattended by refreshing an OAuth token, which cannot complete multi-factor verification, so Salesforce can refuse its session.`,
    remedy: `In ${EDIT_POLICIES(app.Name)}, under Session Policies, set "High assurance session required" off for HubSpot's app; protect it with IP ranges or the integration user's profile instead.`,
  });
}

function judgeRefreshTokenPolicy(ctx: Context, app: ConnectedAppRecord): void {
  const period = app.RefreshTokenValidityPeriod;
  if (period == null) return; // "Refresh token is valid until revoked"
  const afterInactivity = app.OptionsRefreshTokenValidityMetric === true;
  // The unit (hours, days, months) is in the policy but not in the API.
  const span = `${period} (hours, days or months, as the policy sets)`;
  ctx.add({
    reason: 'API_ACCESS_DISABLED',
    severity: afterInactivity ? 'info' : 'warning',
    subject: app.Name,
    rule: RULES.connectedAppTokenPolicy,
    message: afterInactivity
      ? `Refresh tokens of "${app.Name}" expire after ${span} without use. HubSpot uses its token all the time, but a sync stopped longer than that (by another suspension, say) loses its connection and needs reconnecting.`
      : `Refresh tokens of "${app.Name}" expire ${span} after they are issued, however often they are used: HubSpot then loses its connection as ${ctx.who} and the sync is suspended until someone reconnects it.`,
    remedy: `In ${EDIT_POLICIES(app.Name)}, under OAuth Policies, set the Refresh Token Policy to "Refresh token is valid until revoked"${afterInactivity ? ', or keep a period longer than any pause of the sync' : ''}.`,
  });
}
