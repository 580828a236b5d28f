import {
  summarizeSyncErrors,
  syncErrorsAskValidationRules,
  withValidationRules,
  type RelayedSyncErrors,
  type SyncErrorReportLike,
} from '@sync-doctor/core';
import type { FastifyBaseLogger } from 'fastify';
import type { DeliveryTarget, StatusPublisher } from '../publisher/types.js';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';

/**
 * How long a send waits for the validation rules: the run's lease runs meanwhile, and a status
 * late for a rule's name is worse than one without it (the next send tries again).
 */
const RULES_READ_MS = 5_000;

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
  /** Portals whose user was found unable to read validation rules: said once, not per export. */
  private readonly rulesRefused = new Set<string>();

  constructor(
    private readonly deps: {
      store: RelayStore;
      log: FastifyBaseLogger;
      publisher?: Pick<StatusPublisher, 'validationRules'>;
    },
  ) {}

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
  async attach(run: ClaimedDelivery[], target?: DeliveryTarget): Promise<ClaimedDelivery[]> {
    const portalId = run[0]?.portalId;
    if (portalId === undefined) return run;
    let carried: { id: number; summary: RelayedSyncErrors } | null;
    try {
      carried = await this.newest(portalId, target);
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
    target?: DeliveryTarget,
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
    const ruled = await this.withRules(summary, target);
    // A read that failed (Salesforce unreachable a moment) is tried again with the next send.
    if (ruled.final) {
      this.kept.delete(portalId);
      this.kept.set(portalId, { id: record.id, summary: ruled.summary });
      if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    }
    return { id: record.id, summary: ruled.summary };
  }

  /**
   * The summary with the org's validation rules named in its custom-code groups
   * (withValidationRules), read once per export through the portal's session: the app's Apex
   * cannot reach the Tooling API, so without this an admin in the app hunts through every rule
   * for the message. Only an export with a custom-code group costs the request. `final` is false
   * when the read failed and may succeed later; a user that may not read the rules (null) is
   * final: the summary goes without them, as from an older relay.
   */
  private async withRules(
    summary: RelayedSyncErrors,
    target: DeliveryTarget | undefined,
  ): Promise<{ summary: RelayedSyncErrors; final: boolean }> {
    const read = this.deps.publisher?.validationRules?.bind(this.deps.publisher);
    if (!target || !read || !syncErrorsAskValidationRules(summary)) return { summary, final: true };
    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${RULES_READ_MS / 1000} s`)),
          RULES_READ_MS,
        );
      });
      const records = await Promise.race([read(target), late]);
      if (records === null) {
        this.saidRulesRefused(target.portalId);
        return { summary, final: true };
      }
      this.rulesRefused.delete(target.portalId);
      return { summary: withValidationRules(summary, records), final: true };
    } catch (error) {
      this.deps.log.warn(
        { err: error, portalId: target.portalId },
        "could not read the org's validation rules; the sync errors go without their names",
      );
      return { summary, final: false };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A setup to fix, not a passing failure: the SRE hears it once per portal (and again only after
   * a read succeeded), since every export of the portal would otherwise say it again.
   */
  private saidRulesRefused(portalId: string): void {
    if (this.rulesRefused.has(portalId)) return;
    if (this.rulesRefused.size >= MAX_KEPT) this.rulesRefused.clear();
    this.rulesRefused.add(portalId);
    this.deps.log.warn(
      { portalId },
      'the Salesforce user may not read validation rules (it needs "View Setup and Configuration": assign Sync_Doctor_Relay_Access_Watch); custom-code sync errors go without their rule\'s name',
    );
  }
}
