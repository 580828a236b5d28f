import {
  HUBSPOT_MAPPINGS_PLACE,
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
  planRemediation,
  type Diagnosis,
  type Finding,
  type RemediationPlan,
} from '@sync-doctor/core';
import type { CheckContext } from './context.js';

/**
 * Whether HubSpot reported a suspension: a relayed status 'suspended' or 'suspected'. The one rule
 * the CLI asks the core by, for the verdict's sentence and for the plan alike (the app's too).
 */
export function relayedSuspension(context: Pick<CheckContext, 'relayed'>): boolean {
  const state = context.relayed?.status?.state;
  return state === 'suspended' || state === 'suspected';
}

/**
 * The core's remediation plan, asked as the app asks it: with HubSpot's relayed suspension, so a
 * frozen or inactive user's HubSpot step ends 'then clear the suspension' only when one is known.
 */
export function planOf(
  diagnosis: Diagnosis,
  context: Pick<CheckContext, 'relayed'>,
): RemediationPlan {
  return planRemediation(diagnosis, { suspended: relayedSuspension(context) });
}

/** Where in HubSpot a remedy can send the admin (the core's words for its settings). */
const HUBSPOT_PLACES = [
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
  HUBSPOT_MAPPINGS_PLACE,
];

/**
 * The plan's steps in HubSpot for a finding whose remedy does not say them: the org's API limit is
 * fixed in two places, and its remedy names only Salesforce's (who uses the calls) while the plan,
 * which the app's "Fix it" card shows, adds HubSpot's ("Allocated to HubSpot"). A step that is the
 * remedy itself, or whose finding's remedy already sends the admin to HubSpot's settings (a frozen
 * user's: re-enter the credentials there), is not said twice.
 */
export function hubspotStepsBeyondRemedy(finding: Finding, plan: RemediationPlan): string[] {
  if (HUBSPOT_PLACES.some((place) => finding.remedy.includes(place))) return [];
  return plan.manualSteps
    .filter(
      (step) =>
        step.where === 'hubspot' &&
        step.reason === finding.reason &&
        step.subject === finding.subject &&
        !step.step.includes(finding.remedy) &&
        !finding.remedy.includes(step.step),
    )
    .map((step) => step.step);
}
