/**
 * What the plan does with each finding: a right it grants by itself, a permission set to assign, or
 * a manual step, in Salesforce or in HubSpot, worded for the admin who does it.
 */
import { HUBSPOT_ALLOCATION_PLACE, HUBSPOT_SALESFORCE_PLACE } from '../diagnosis/limits.js';
import { RULES } from '../diagnosis/rules.js';
import type { Finding } from '../diagnosis/types.js';
import { friendlyPermission } from '../diagnosis/user.js';
import { GRANTABLE_SYSTEM_PERMISSIONS_TEXT, isGrantableSystemPermission } from './grantable.js';
import type { ManualStep, ManualStepPlace } from './types.js';

/** Rules whose findings the plan fixes by itself (the rest become manual steps). */
const AUTOMATIC_RULES = new Set<string>([
  RULES.objectPermissions,
  RULES.lookupTarget,
  RULES.fieldLevelSecurity,
  RULES.adminDataPermissionsNoFls,
  RULES.apiEnabled,
  RULES.systemPermission,
  RULES.taskEditTasks,
]);

/** How the HubSpot step of an inactive or frozen user ends, from the relayed suspension. */
export type SuspensionEnding = 'if-suspended' | 'clear' | 'reconnect-clears';

const SUSPENSION_ENDINGS: Record<SuspensionEnding, string> = {
  'if-suspended': ', then clear the suspension if HubSpot suspended the sync.',
  clear: ', then clear the suspension.',
  'reconnect-clears': ': reconnecting clears the suspension.',
};

/** Rules whose remedy is done in HubSpot's settings first (see stepPlace). */
const HUBSPOT_RULES = new Set<string>([
  // The cap on HubSpot's own connected app: lower HubSpot's API call allocation (in HubSpot); asking
  // Salesforce for a higher per-app limit is a support case, not a click in Setup.
  RULES.connectedAppApiLimit,
  // HubSpot's last login failed for a cause fixed since: HubSpot logs in again when told to there
  // (re-entered credentials, "Clear Suspension"); nothing is left to do in Salesforce.
  RULES.loginFailureCleared,
]);

/**
 * Where the admin does a finding's step, from what the finding is, never from its remedy's words:
 * - a symptom (SYNC_STOPPED, NO_RECENT_LOGIN) says HubSpot is not syncing as this user, for a reason
 *   only HubSpot's integration settings show (a suspension, a pause, another user): HubSpot;
 * - HUBSPOT_API_LIMIT_EXCEEDED is HubSpot's own allocation of Salesforce calls, set in HubSpot;
 * - the rules in HUBSPOT_RULES, whose remedy is a HubSpot setting;
 * - anything else is fixed in Salesforce (Setup, Object Manager, sharing, storage, users). A remedy
 *   that ends with "then clear the suspension in HubSpot" stays in Salesforce: the fix is there.
 */
function stepPlace(finding: Finding): ManualStepPlace {
  if (finding.symptom) return 'hubspot';
  if (finding.reason === 'HUBSPOT_API_LIMIT_EXCEEDED') return 'hubspot';
  if (finding.rule && HUBSPOT_RULES.has(finding.rule)) return 'hubspot';
  return 'salesforce';
}

export function handleFinding(
  finding: Finding,
  plan: {
    systemPermissions: Set<string>;
    assignPermissionSets: string[];
    manualSteps: ManualStep[];
    /** Names of the connected apps the plan approves the user for. */
    approvedApps: ReadonlySet<string>;
    /** Another finding's step already lowers HubSpot's API allocation. */
    allocationStepped: boolean;
    /** How the HubSpot step of an inactive or frozen user ends (PlanRemediationOptions). */
    ending: SuspensionEnding;
  },
): void {
  // Notes, and the session-based warning (the plan grants the rights it withholds), need no step.
  if (finding.severity === 'info' || finding.rule === RULES.sessionBased) return;
  switch (finding.rule) {
    case RULES.apiEnabled:
    case RULES.systemPermission:
      // A requirements document may ask any system permission; the plan grants only the few on
      // GRANTABLE_SYSTEM_PERMISSIONS (the appliers refuse the rest), the others are done by hand.
      if (isGrantableSystemPermission(finding.subject)) {
        plan.systemPermissions.add(finding.subject);
        return;
      }
      plan.manualSteps.push({
        reason: finding.reason,
        subject: finding.subject,
        step: `Sync Doctor does not grant "${friendlyPermission(finding.subject)}" (it grants only ${GRANTABLE_SYSTEM_PERMISSIONS_TEXT}): decide whether the integration user really needs it. ${finding.remedy}`,
        where: 'salesforce',
      });
      return;
    case RULES.taskEditTasks:
      plan.systemPermissions.add(
        finding.subject.toLowerCase() === 'event' ? 'PermissionsEditEvent' : 'PermissionsEditTask',
      );
      return;
    case RULES.requiredPermissionSet:
      if (finding.severity === 'error') {
        if (!plan.assignPermissionSets.includes(finding.subject))
          plan.assignPermissionSets.push(finding.subject);
        return;
      }
      break;
    case RULES.userVisibility:
      plan.systemPermissions.add('PermissionsViewAllUsers');
      return;
    case RULES.connectedAppApproval:
      if (plan.approvedApps.has(finding.subject)) return;
      break;
    case RULES.inactiveUser:
    case RULES.frozenUser: {
      // Two places, two steps: the user is fixed in Salesforce, but HubSpot only tries again once its
      // credentials are re-entered there (one step "by hand in Salesforce" hid the HubSpot half).
      const user = `the integration user '${finding.subject}'`;
      plan.manualSteps.push(
        {
          reason: finding.reason,
          subject: finding.subject,
          step:
            finding.rule === RULES.frozenUser
              ? `Open ${user} in Setup > Users and click Unfreeze.`
              : `Reactivate ${user} in Setup > Users (it needs a free license), or choose another active user for HubSpot to connect as.`,
          where: 'salesforce',
        },
        {
          reason: finding.reason,
          subject: finding.subject,
          step: `In ${HUBSPOT_SALESFORCE_PLACE}, re-enter the Salesforce credentials of ${finding.rule === RULES.frozenUser ? user : `${user} (or of the active user chosen instead)`}${SUSPENSION_ENDINGS[plan.ending]}`,
          where: 'hubspot',
        },
      );
      return;
    }
    case RULES.apiLimit:
      // The org's API calls near or over its limit: the Salesforce step finds who uses them, but
      // HubSpot is one of those users and its share is set in HubSpot, a step the remedy (in
      // Salesforce's place) does not name. Two places, two steps, as for an inactive user.
      plan.manualSteps.push({
        reason: finding.reason,
        subject: finding.subject,
        step: finding.remedy,
        where: 'salesforce',
      });
      if (!plan.allocationStepped)
        plan.manualSteps.push({
          reason: finding.reason,
          subject: finding.subject,
          step: `In ${HUBSPOT_ALLOCATION_PLACE}, lower "Allocated to HubSpot" to what the org can spare and click Update: HubSpot's calls count against the same daily limit as every other integration's.`,
          where: 'hubspot',
        });
      return;
    default:
      if (finding.rule && AUTOMATIC_RULES.has(finding.rule)) return;
  }
  plan.manualSteps.push({
    reason: finding.reason,
    subject: finding.subject,
    step: finding.remedy,
    ...(finding.action ? { action: finding.action } : {}),
    where: stepPlace(finding),
  });
}
