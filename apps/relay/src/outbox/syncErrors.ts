import {
  summarizeSyncErrors,
  type RelayedSyncErrors,
  type SyncErrorReportLike,
} from '@sync-doctor/core';
import type { FastifyBaseLogger } from 'fastify';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';

/** Portals whose summary is kept in memory at most (the oldest goes first). */
const MAX_KEPT = 1000;

/**
 * Attaches the portal's newest sync-errors summary to the statuses of a run, as it is sent.
 *
 * When it is sent, not when the delivery is queued: every send then carries the newest summary,
 * whichever delivery goes (a delivery queued before the upload, one re-queued by hand or by the
 * automatic re-queue of outbox/recovery.ts, the newest sent again after a connection change), so
 * an old delivery sent again never puts an older summary over a newer one; the what-landed check
 * compares what Salesforce holds with what would be sent now; and the outbox needs no column (no
 * store migration) and no copy of the summary per change. The report a send carried is recorded
 * in its result (syncErrorsReportId), which carrySyncErrors compares with the newest to decide
 * whether the newest status must go again.
 */
export class SyncErrorsCarrier {
  /** The newest summary read, per portal, by report id: read again only when a newer one came. */
  private readonly kept = new Map<string, { id: number; summary: RelayedSyncErrors }>();

  constructor(private readonly deps: { store: RelayStore; log: FastifyBaseLogger }) {}

  /**
   * The run with each status carrying the summary and the report's id. A portal with no export
   * (0) sends statuses whose sync errors are null, which clears Sync_Errors__c: the status record
   * is upserted by portal id and outlives the relay's portal, so a portal deleted and created
   * again (or one whose reports are otherwise gone) would otherwise show the old portal's errors
   * for ever. The relay is the field's only writer, so null written again changes nothing; an org
   * whose package predates the field gets the status without it (publisher/salesforce.ts
   * `carrying`, which says nothing of sync errors it had none to carry). When the store cannot
   * say, the run goes as it came (no id: nothing to catch up with after it, and the field left as
   * it is: a read that failed is no sign the errors are gone).
   */
  async attach(run: ClaimedDelivery[]): Promise<ClaimedDelivery[]> {
    const portalId = run[0]?.portalId;
    if (portalId === undefined) return run;
    let carried: { id: number; summary: RelayedSyncErrors } | null;
    try {
      carried = await this.newest(portalId);
    } catch (error) {
      this.deps.log.warn(
        { err: error, portalId },
        "could not read the portal's sync errors; the status goes without them",
      );
      return run;
    }
    if (!carried)
      return run.map((delivery) => ({
        ...delivery,
        status: { ...delivery.status, syncErrors: null },
        syncErrorsReportId: 0,
      }));
    return run.map((delivery) => ({
      ...delivery,
      status: { ...delivery.status, syncErrors: carried.summary },
      syncErrorsReportId: carried.id,
    }));
  }

  private async newest(
    portalId: string,
  ): Promise<{ id: number; summary: RelayedSyncErrors } | null> {
    const { store } = this.deps;
    const latest = await store.latestSyncErrorReportId(portalId);
    if (!latest) {
      this.kept.delete(portalId);
      return null;
    }
    const kept = this.kept.get(portalId);
    if (kept?.id === latest.id) return kept;
    const record = await store.latestSyncErrorReport(portalId);
    if (!record) return null;
    // The relay saved it (inputs/syncErrors.ts); a damaged one summarizes as no groups.
    const report = record.report as Partial<SyncErrorReportLike>;
    const summary = summarizeSyncErrors(
      {
        rows: report.rows ?? 0,
        findings: Array.isArray(report.findings) ? report.findings : [],
        truncatedGroups: report.truncatedGroups === true,
        // With an affected-records column the findings count records: the summary says so, or
        // the app and the CLI would call 212 records '212 rows'.
        ...(typeof report.records === 'number' ? { records: report.records } : {}),
      },
      record.receivedAt,
    );
    this.kept.delete(portalId);
    this.kept.set(portalId, { id: record.id, summary });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return { id: record.id, summary };
  }
}
