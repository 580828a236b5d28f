import {
  HUBSPOT_MAPPINGS_PLACE,
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
  isSuspendedState,
  planRemediation,
  type Diagnosis,
  type Finding,
  type RemediationPlan,
} from '@sync-doctor/core';
import type { CheckContext } from './context.js';

/**
 * Whether HubSpot reported a suspension (a relayed status 'suspended' or 'suspected'): the core's
 * one rule (isSuspendedState), which the verdict's sentence and the plan are asked by.
 */
export function relayedSuspension(context: Pick<CheckContext, 'relayed'>): boolean {
  return isSuspendedState(context.relayed?.status);
}

/**
 * The core's remediation plan, asked with HubSpot's relayed status, so a frozen or inactive user's
 * HubSpot step ends 'then clear the suspension' only when one is known (the core decides by the
 * same rule, and by its reason how the suspension is lifted).
 */
export function planOf(
  diagnosis: Diagnosis,
  context: Pick<CheckContext, 'relayed'>,
): RemediationPlan {
  return planRemediation(diagnosis, { status: context.relayed?.status ?? null });
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
 * which the app's "Fix it" card shows, adds HubSpot's ("Allocated to HubSpot"). Not said twice: a
 * step that is the remedy itself; a finding whose remedy already sends the admin to HubSpot's
 * settings (a frozen user's: re-enter the credentials there); a finding of the very reason HubSpot
 * reported, whose steps, HubSpot's included, "HubSpot reported" lists above with their marks.
 */
export function hubspotStepsBeyondRemedy(
  finding: Finding,
  plan: RemediationPlan,
  context: Pick<CheckContext, 'relayed'>,
): string[] {
  if (HUBSPOT_PLACES.some((place) => finding.remedy.includes(place))) return [];
  const relayed = context.relayed;
  if (relayed?.check && finding.reason && relayed.status?.reason === finding.reason) return [];
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
