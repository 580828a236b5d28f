/**
 * The plan's steps in HubSpot that a finding's remedy does not say, for a view that prints each
 * finding with its remedy (the CLI's 'Also:', the copied report's): the org's API limit is fixed in
 * two places, and its remedy names only Salesforce's (who uses the calls) while the plan, which the
 * app's Fix card shows, adds HubSpot's ("Allocated to HubSpot").
 */
import {
  HUBSPOT_MAPPINGS_PLACE,
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
} from '../diagnosis/hubspotPlaces.js';
import type { Finding } from '../diagnosis/types.js';
import type { ReasonCode } from '../reasons/codes.js';
import type { RemediationPlan } from './types.js';

/** Where in HubSpot a remedy can send the admin (the core's words for its settings). */
const HUBSPOT_PLACES = [
  HUBSPOT_SALESFORCE_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
  HUBSPOT_MAPPINGS_PLACE,
];

export interface HubspotStepsOptions {
  /**
   * The reason HubSpot reported whose steps the view lists with their marks (checkSuspensionSteps),
   * HubSpot's included: a finding of that very reason gets none here, or they are said twice.
   */
  listedReason?: ReasonCode | null;
}

/**
 * Not said twice: a step that is the remedy itself (or contains it, or is contained in it); a
 * finding whose remedy already sends the admin to HubSpot's settings (a frozen user's: re-enter the
 * credentials there); a finding of `listedReason`.
 */
export function hubspotStepsBeyondRemedy(
  finding: Finding,
  plan: Pick<RemediationPlan, 'manualSteps'>,
  options: HubspotStepsOptions = {},
): string[] {
  const remedy = typeof finding.remedy === 'string' ? finding.remedy : '';
  if (HUBSPOT_PLACES.some((place) => remedy.includes(place))) return [];
  if (options.listedReason && finding.reason === options.listedReason) return [];
  return plan.manualSteps
    .filter(
      (step) =>
        step.where === 'hubspot' &&
        step.reason === finding.reason &&
        step.subject === finding.subject &&
        !(remedy && (step.step.includes(remedy) || remedy.includes(step.step))),
    )
    .map((step) => step.step);
}
