import type { DetectorThresholds } from './thresholds.js';

export type CrmObjectType = 'contacts' | 'companies' | 'deals';

/** One record as the detector reads it from a search result. */
export interface SampledRecord {
  objectType: CrmObjectType;
  id: string;
  /** The Salesforce id the record carries (contact, lead, account or opportunity id). */
  salesforceId: string;
  modifiedAt: number;
  lastSyncAt: number | null;
}

export interface ObjectSample {
  objectType: CrmObjectType;
  /** Newest `salesforcelastsynctime` of the object type, null when none carries one. */
  newestSyncAt: number | null;
  records: SampledRecord[];
  /** Set when this object type could not be read (missing scope, repeated 5xx ...). */
  error?: string;
  /**
   * The token lacks the object's read scope: the object is left out for good (a configuration, not
   * an outage). Any other error leaves a hole in the evidence: the object may have synced.
   */
  skipped?: boolean;
}

export interface LaggingExample {
  objectType: CrmObjectType;
  id: string;
  salesforceId: string;
  modifiedAt: string;
  lastSyncAt: string | null;
  lagMs: number | null;
}

export interface DetectorEvidence {
  checkedAt: string;
  /** Newest `salesforcelastsynctime` over all object types read. */
  lastSyncAt: string | null;
  /** now - lastSyncAt. */
  sinceLastSyncMs: number | null;
  sampled: number;
  /** Records with a Salesforce id changed after the last sync and lagging beyond the threshold. */
  lagging: number;
  oldestLagMs: number | null;
  examples: LaggingExample[];
  perObject: Partial<
    Record<
      CrmObjectType,
      { sampled: number; lagging: number; newestSyncAt: string | null; error?: string }
    >
  >;
}

export type DetectorVerdict = 'stalled' | 'syncing' | 'inconclusive';

/** How long after a record's own sync its modified date may move because of the sync's own write. */
export const SYNC_WRITE_TOLERANCE_MS = 5 * 60_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Pure: what the samples of one check say about the portal's sync. */
export function evaluateSamples(
  samples: ObjectSample[],
  now: number,
  t: DetectorThresholds,
): { verdict: DetectorVerdict; evidence: DetectorEvidence } {
  const read = samples.filter((s) => !s.error);
  const syncTimes = read.map((s) => s.newestSyncAt).filter((x): x is number => x !== null);
  // Sampled records' own sync times count too (a search page may be newer than the sorted probe).
  for (const s of read)
    for (const r of s.records) if (r.lastSyncAt !== null) syncTimes.push(r.lastSyncAt);
  const lastSyncAt = syncTimes.length > 0 ? Math.max(...syncTimes) : null;

  const perObject: DetectorEvidence['perObject'] = {};
  const lagging: (SampledRecord & { lagMs: number | null })[] = [];
  let sampled = 0;
  for (const s of samples) {
    let objectLagging = 0;
    const eligible = s.records.filter((r) => r.modifiedAt <= now - t.graceMs);
    sampled += eligible.length;
    for (const r of eligible) {
      const lagMs = r.lastSyncAt === null ? null : r.modifiedAt - r.lastSyncAt;
      // Changed after the connector's last sync anywhere, and older than the grace period: a running
      // connector would have synced it by now. Its own lag (modified minus its own sync time) is only
      // evidence: a record synced just before the outage and changed again just after it (the records
      // people work on) is as stuck as one last synced a year ago.
      // The connector's own write of the sync time bumps the modified date seconds later: a change
      // within SYNC_WRITE_TOLERANCE_MS of the record's own sync is that write, not a pending change.
      const changedAfterLastSync = lastSyncAt === null || r.modifiedAt > lastSyncAt;
      if (changedAfterLastSync && (lagMs === null || lagMs > SYNC_WRITE_TOLERANCE_MS)) {
        lagging.push({ ...r, lagMs });
        objectLagging += 1;
      }
    }
    perObject[s.objectType] = {
      sampled: eligible.length,
      lagging: objectLagging,
      newestSyncAt: iso(s.newestSyncAt),
      ...(s.error ? { error: s.error } : {}),
    };
  }
  // The most telling examples first: the longest lag.
  lagging.sort(
    (a, b) => (b.lagMs ?? Number.MAX_SAFE_INTEGER) - (a.lagMs ?? Number.MAX_SAFE_INTEGER),
  );
  const lags = lagging.map((r) => r.lagMs).filter((x): x is number => x !== null);
  const sinceLastSyncMs = lastSyncAt === null ? null : now - lastSyncAt;
  const evidence: DetectorEvidence = {
    checkedAt: new Date(now).toISOString(),
    lastSyncAt: iso(lastSyncAt),
    sinceLastSyncMs,
    sampled,
    lagging: lagging.length,
    oldestLagMs: lags.length > 0 ? Math.max(...lags) : null,
    examples: lagging.slice(0, t.maxExamples).map((r) => ({
      objectType: r.objectType,
      id: r.id,
      salesforceId: r.salesforceId,
      modifiedAt: new Date(r.modifiedAt).toISOString(),
      lastSyncAt: iso(r.lastSyncAt),
      lagMs: r.lagMs,
    })),
    perObject,
  };

  let verdict: DetectorVerdict;
  if (read.length === 0) verdict = 'inconclusive';
  else if (sinceLastSyncMs !== null && sinceLastSyncMs <= t.staleAfterMs) verdict = 'syncing';
  // "Nothing synced" is only known when every object that should be read was read: an object that
  // failed (5xx, timeout) may be the one that synced, so its failure must never read as a stall.
  else if (samples.some((s) => s.error && !s.skipped)) verdict = 'inconclusive';
  else if (lagging.length >= t.minLaggingRecords) verdict = 'stalled';
  else verdict = 'inconclusive';
  return { verdict, evidence };
}
