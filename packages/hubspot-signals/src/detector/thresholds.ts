/**
 * When the stalled-sync detector calls a portal's sync stalled, and why these defaults.
 *
 * HubSpot's Salesforce connector writes `salesforcelastsynctime` on every record it syncs, in either
 * direction, and a running connector syncs something every few minutes in any portal where people
 * work. A suspended connector syncs nothing at all while records keep changing. So the detector asks
 * two questions each interval, per object type:
 *   1. when did the connector last sync anything (newest `salesforcelastsynctime`)?
 *   2. which records that carry a Salesforce id changed since, and how far behind is each one's own
 *      sync time (last-modified minus `salesforcelastsynctime`)?
 * A portal is *stalled* when nothing synced for `staleAfterMs` and at least `minLaggingRecords`
 * records with a Salesforce id changed after that last sync (and more than `graceMs` ago).
 * Changes made to properties that are not mapped (e-mail opens, analytics) bump the modified date
 * without a sync, which is why one lagging record proves nothing and the portal-wide "last sync"
 * decides. A quiet portal (nothing changed) stays *inconclusive*: no alarm without evidence.
 */
export interface DetectorThresholds {
  /**
   * Nothing synced for this long while synced records changed = stalled. Default 2 hours: a healthy
   * connector syncs changes within minutes and polls Salesforce every few minutes, so two hours is
   * many missed cycles, yet short enough to beat a week of unread suspension e-mails.
   */
  staleAfterMs: number;
  /** Changes younger than this are ignored: they may simply be queued. Default 30 minutes. */
  graceMs: number;
  /**
   * Records that must lag before a portal is called stalled. Default 5: one or two stuck records are
   * record-level sync errors (Sync Health shows those), not a suspension of the whole connector.
   */
  minLaggingRecords: number;
  /** Records sampled per object type, newest changes first (one search page; HubSpot's maximum is 200). Default 100. */
  sampleSize: number;
  /** Example record ids kept in the evidence. Default 5. */
  maxExamples: number;
  /**
   * After HubSpot itself failed a check of the portal (5xx, no answer), no stall is called for this
   * long. A HubSpot outage stops the connector too, and its backlog takes a while to sync once
   * HubSpot is back: without this pause the first check after a long outage would raise a
   * suspicion (and alert) for every portal the relay watches. Default 1 hour; 0 turns it off.
   */
  outageCatchUpMs: number;
}

export const DEFAULT_THRESHOLDS: DetectorThresholds = {
  staleAfterMs: 2 * 60 * 60 * 1000,
  graceMs: 30 * 60 * 1000,
  minLaggingRecords: 5,
  sampleSize: 100,
  maxExamples: 5,
  outageCatchUpMs: 60 * 60 * 1000,
};

/** Merges partial thresholds over the defaults and rejects values that make no sense. */
export function resolveThresholds(partial: Partial<DetectorThresholds> = {}): DetectorThresholds {
  const t = { ...DEFAULT_THRESHOLDS, ...partial };
  const positive = (
    name: keyof DetectorThresholds,
    min: number,
    max = Number.MAX_SAFE_INTEGER,
  ): void => {
    const v = t[name];
    if (!Number.isFinite(v) || v < min || v > max)
      throw new RangeError(
        `detector threshold ${name} must be a number from ${min} to ${max}, got ${v}`,
      );
  };
  positive('staleAfterMs', 60_000);
  positive('graceMs', 0);
  positive('minLaggingRecords', 1, 10_000);
  positive('sampleSize', 1, 200);
  positive('maxExamples', 0, 50);
  positive('outageCatchUpMs', 0, 24 * 60 * 60 * 1000);
  return t;
}
