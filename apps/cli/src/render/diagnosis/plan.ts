import {
  hubspotStepsBeyondRemedy as coreHubspotStepsBeyondRemedy,
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

/**
 * The plan's steps in HubSpot for a finding whose remedy does not say them (the org's API limit:
 * "Allocated to HubSpot"), by the core's rule, which the copied report uses too. A finding of the
 * very reason HubSpot reported gets none: "HubSpot reported" lists its steps above with their marks.
 */
export function hubspotStepsBeyondRemedy(
  finding: Finding,
  plan: RemediationPlan,
  context: Pick<CheckContext, 'relayed'>,
): string[] {
  const relayed = context.relayed;
  return coreHubspotStepsBeyondRemedy(finding, plan, {
    listedReason: relayed?.check ? (relayed.status?.reason ?? null) : null,
  });
}
