import type { RelayedStatus } from '@sync-doctor/core';
import type { DetectorObservation, DetectorState } from './checkPortal.js';
import type { CrmObjectType } from './evaluate.js';

/**
 * How the relay merges the detector into a portal's status. The rule: a *suspected* suspension
 * never overrides one HubSpot confirmed in its own words (webhook, e-mail, sync errors), and the
 * detector only lifts what the detector raised. The relay keeps no separate detector state: the
 * stored status says what the detector believed (state 'suspected' with source 'detector').
 */
export interface DetectorSignal {
  portalId: string;
  source: 'detector';
  state: 'suspected' | 'cleared';
  reason: null;
  title: string;
  excerpt: string;
  occurredAt: string;
  /** Stable per outage, so a repeated observation is an idempotent redelivery. */
  eventId: string;
  detail: Record<string, unknown>;
}

/** The `previous` to pass to checkPortal, read from the relay's stored status. */
export function detectorPreviousState(current: RelayedStatus | null): DetectorState {
  return current?.state === 'suspected' && current.source === 'detector' ? 'suspected' : 'clear';
}

const SINGULAR: Record<CrmObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
};

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

/** The plain-text evidence a person reads (status excerpt, alert body). */
export function describeEvidence(observation: DetectorObservation): string {
  const e = observation.evidence;
  if (!e) return observation.error ?? 'No evidence.';
  const parts: string[] = [];
  if (e.lastSyncAt && e.sinceLastSyncMs !== null)
    parts.push(
      `HubSpot last synced a record with Salesforce ${duration(e.sinceLastSyncMs)} ago (${e.lastSyncAt}).`,
    );
  else parts.push('No record carries a Salesforce sync time.');
  parts.push(
    `${e.lagging} of the ${e.sampled} most recently changed records with a Salesforce id changed after that without syncing.`,
  );
  if (e.oldestLagMs !== null) parts.push(`Oldest lag: ${duration(e.oldestLagMs)}.`);
  if (e.examples.length > 0)
    parts.push(
      `Examples: ${e.examples.map((x) => `${SINGULAR[x.objectType]} ${x.id} (Salesforce ${x.salesforceId})`).join(', ')}.`,
    );
  return parts.join(' ');
}

/**
 * The signal the relay should apply for an observation, given the portal's current status, or null
 * when nothing changes. Feed it to the relay's own applySignal/ingest path like any other signal.
 */
export function detectorSignalFor(
  current: RelayedStatus | null,
  observation: DetectorObservation,
): DetectorSignal | null {
  if (!observation.evidence) return null; // no conclusion (rate-limited, every object failed)
  const outage = observation.evidence.lastSyncAt ?? 'never';
  const detail = { verdict: observation.verdict, evidence: observation.evidence };
  if (observation.state === 'suspected') {
    // A confirmed suspension (or a suspicion already raised) stays as it is.
    if (current?.state === 'suspended' || current?.state === 'suspected') return null;
    return {
      portalId: observation.portalId,
      source: 'detector',
      state: 'suspected',
      reason: null,
      title: 'Salesforce sync appears stalled',
      excerpt: describeEvidence(observation),
      occurredAt: observation.at,
      eventId: `detector:${observation.portalId}:suspected:${outage}`,
      detail,
    };
  }
  if (
    observation.verdict === 'syncing' &&
    current?.state === 'suspected' &&
    current.source === 'detector'
  ) {
    return {
      portalId: observation.portalId,
      source: 'detector',
      state: 'cleared',
      reason: null,
      title: 'Salesforce sync resumed',
      excerpt: describeEvidence(observation),
      occurredAt: observation.at,
      eventId: `detector:${observation.portalId}:lifted:${outage}`,
      detail,
    };
  }
  return null;
}
