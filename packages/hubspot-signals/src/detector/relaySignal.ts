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
  /**
   * When the change happened: for a suspicion, when the evidence says the sync stopped (see
   * suspicionSince); for a lift, the check that saw records sync again.
   */
  occurredAt: string;
  /** When the detector looked (the check's time): the status's lastSeenAt, apart from occurredAt. */
  seenAt: string;
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

/** Which time a suspicion counts from: the portal's last sync (the evidence), or the check itself. */
export type DetectorDating = 'last-sync' | 'detection';

export interface SuspicionSince {
  /** The suspicion's occurredAt, and so the status's `since` (ISO). */
  at: string;
  dated: DetectorDating;
  /** Why that time, in words an admin reads (kept in the change's detail). */
  dateNote: string;
}

/**
 * When a suspicion this observation raises began. An admin reads the status's `since` as "data has
 * been drifting since" and re-syncs from it, so it is the evidence's time, not the check's: the
 * newest `salesforcelastsynctime` the check read (the connector's last sync anywhere in the portal;
 * every record changed after it is unsynced). That is HubSpot's own stored date, and the verdict is
 * only `stalled` when it is older than `staleAfterMs`, so the check itself is 2 h or more later.
 *
 * Bounds:
 * - never after the check (a sync time in the future is a clock or data error, not evidence):
 *   the check's time then, as when no record carries a sync time at all (nothing dates the stall);
 * - no lower bound, deliberately, not even the detector's first look at the portal: the sync time
 *   is what HubSpot stored, as true before that look as after it (a token added at 14:00 to a
 *   portal that stopped syncing at 09:30 must say "since 09:30", which a first-look bound would
 *   turn back into the check's time), and the relay keeps no durable first-look time anyway (its
 *   last checks live in memory, reset at every restart or change of leader). It may be earlier
 *   than a clearance already in the portal's history (cleared by hand or by HubSpot while nothing
 *   synced): the history is ordered by arrival, and the earlier date is the true extent of the drift.
 * An object type the token may not read (skipped) is not in the evidence: its records may have
 * synced later, and the stall's verdict already rests on the same reading.
 */
export function suspicionSince(observation: DetectorObservation): SuspicionSince {
  const detectedAt = observation.at;
  const lastSyncAt = observation.evidence?.lastSyncAt ?? null;
  const lastSync = lastSyncAt === null ? Number.NaN : Date.parse(lastSyncAt);
  if (Number.isNaN(lastSync))
    return {
      at: detectedAt,
      dated: 'detection',
      dateNote: `no record carries a Salesforce sync time: counted from the check at ${detectedAt}`,
    };
  if (lastSync > Date.parse(detectedAt))
    return {
      at: detectedAt,
      dated: 'detection',
      dateNote: `the last Salesforce sync time (${lastSyncAt}) is after the check: counted from the check at ${detectedAt}`,
    };
  const at = new Date(lastSync).toISOString();
  return {
    at,
    dated: 'last-sync',
    dateNote: `nothing synced with Salesforce since ${at}; detected at ${detectedAt}`,
  };
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
    const since = suspicionSince(observation);
    // Stable per outage, but a suspicion raised again after a clearance that did not make the sync
    // run (someone clicked "Clear Suspension", nothing synced since) is news, not a redelivery: with
    // the plain id the relay would drop it as a duplicate and the portal would read "cleared" while
    // nothing syncs. The clearance it follows names that episode.
    const lastSync = observation.evidence.lastSyncAt;
    const clearedDuringOutage =
      current?.state === 'cleared' &&
      current.clearedAt !== null &&
      (lastSync === null || Date.parse(current.clearedAt) >= Date.parse(lastSync));
    return {
      portalId: observation.portalId,
      source: 'detector',
      state: 'suspected',
      reason: null,
      title: 'Salesforce sync appears stalled',
      excerpt: describeEvidence(observation),
      occurredAt: since.at,
      seenAt: observation.at,
      eventId: `detector:${observation.portalId}:suspected:${outage}${clearedDuringOutage ? `:after-clear:${current.clearedAt}` : ''}`,
      detail: {
        ...detail,
        detectedAt: observation.at,
        dated: since.dated,
        dateNote: since.dateNote,
      },
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
      seenAt: observation.at,
      eventId: `detector:${observation.portalId}:lifted:${outage}`,
      detail,
    };
  }
  return null;
}
