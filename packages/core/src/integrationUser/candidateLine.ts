import type { IntegrationUserCandidate, IntegrationUserSource } from './chooseIntegrationUser.js';
import { HUBSPOT_PERMISSION_SET } from '../requirements/defaults.js';

/** Each evidence for a candidate integration user in a few words, as a candidate's line lists them. */
export const INTEGRATION_USER_EVIDENCE_LABELS: Readonly<Record<IntegrationUserSource, string>> =
  Object.freeze({
    oauth: 'HubSpot OAuth token',
    permissionSet: HUBSPOT_PERMISSION_SET,
    saved: 'saved in Sync Doctor',
  });

/**
 * 'sam.sales@acme.example (Sam Sales; inactive; HubSpot OAuth token)': a candidate integration
 * user as the CLI and the relay list them when none, or no single one, can be chosen.
 */
export function candidateLine(candidate: IntegrationUserCandidate): string {
  const details = [
    candidate.name,
    candidate.isActive ? undefined : 'inactive',
    candidate.sources.map((s) => INTEGRATION_USER_EVIDENCE_LABELS[s]).join(', '),
  ];
  return `${candidate.username} (${details.filter(Boolean).join('; ')})`;
}
