// The org's rules behind HubSpot's sync errors that no permission explains: Salesforce names a
// validation rule only by its message and a duplicate rule not at all, and a picklist's field
// values do not say which record types offer them, so `sync-doctor check` reads them (only when
// the shown sync errors hold such a group) and the core names them.
import {
  syncErrorsAskValidationRules,
  syncErrorsDuplicateRuleObjects,
  recordTypeNotAnswered,
  recordTypesNotReadLine,
  syncErrorsRecordTypeObjects,
  type RelayedSyncErrors,
  type Snapshot,
} from '@sync-doctor/core';
import type { Connection } from '@sync-doctor/salesforce';
import type { Progress } from '../../progress.js';

export interface OrgRulesRead {
  /** What the snapshot gains: the rules read. */
  snapshot: Pick<Snapshot, 'validationRules' | 'duplicateRules' | 'recordTypePicklists'>;
  /** The requests the reads cost (the footer counts every request). */
  requests: number;
  /** One line per kind of rule not read: why, so a group naming no rule is explained. */
  notRead: string[];
}

/** An abort is the user's (Ctrl-C, --timeout): it ends the check, as every other read's does. */
const isAbort = (error: unknown) =>
  (error as { errorCode?: unknown } | null)?.errorCode === 'ABORTED';

/** Salesforce's messages end in a full stop ('Please try again later.'); the line goes on. */
const unstopped = (message: string) => message.trim().replace(/\.+$/, '');

/** Why `error` stopped a read, as the not-read line says it; an abort is thrown on. */
function failure(error: unknown): string {
  if (isAbort(error)) throw error;
  return unstopped(error instanceof Error ? error.message : String(error));
}

/**
 * Reads the rules the shown sync errors ask for: the active validation rules (one Tooling API
 * request) for a custom-code group, the duplicate rules of the objects a duplicate rule refused
 * (one request per object), the record types of a picklist group's objects with the values each
 * offers (one query, then one request per active record type; only for a restricted picklist that
 * has the refused value among `fields`, the snapshot's describes). A read that fails, a 503 included,
 * is not the check's failure: the groups then go without the rules, and a line says why.
 */
export async function readOrgRules(
  conn: Connection,
  syncErrors: RelayedSyncErrors | null,
  fields: Snapshot['fields'],
  progress: Progress,
  signal: AbortSignal,
): Promise<OrgRulesRead> {
  const result: OrgRulesRead = { snapshot: {}, requests: 0, notRead: [] };
  const validation = syncErrorsAskValidationRules(syncErrors);
  const duplicateObjects = syncErrorsDuplicateRuleObjects(syncErrors);
  // Only where the field has the refused value now (the snapshot's describes say): elsewhere the
  // field settles the group, and no record type is worth a request.
  const recordTypeObjects = syncErrorsRecordTypeObjects(syncErrors, fields ?? {});
  if (!validation && duplicateObjects.length === 0 && recordTypeObjects.length === 0) return result;
  // Loaded as the collector is (collectAndJudge): a check that never reads the org loads no jsforce.
  const sf = await import('@sync-doctor/salesforce');
  const before = sf.requestCount(conn);
  if (validation) {
    signal.throwIfAborted();
    progress.update("reading the org's validation rules…");
    const why = (reason: string) =>
      `Validation rules not read: ${reason}; the custom-code groups do not name their rule.`;
    try {
      const read = await sf.readValidationRules(conn);
      if (read.read) result.snapshot.validationRules = read.records;
      else
        result.notRead.push(
          why(
            read.cause === 'needs-permissions'
              ? `reading them needs ${sf.VALIDATION_RULES_PERMISSION_NEEDED}`
              : unstopped(read.message),
          ),
        );
    } catch (error) {
      result.notRead.push(why(failure(error)));
    }
  }
  if (duplicateObjects.length) {
    signal.throwIfAborted();
    progress.update("reading the org's duplicate rules…");
    const why = (reason: string) =>
      `Duplicate rules not read: ${reason}; the duplicate groups do not say which rule refuses them.`;
    try {
      const read = await sf.readDuplicateRules(conn, duplicateObjects);
      if (read.read) result.snapshot.duplicateRules = read.configs;
      else result.notRead.push(why(unstopped(read.message)));
    } catch (error) {
      result.notRead.push(why(failure(error)));
    }
  }
  if (recordTypeObjects.length) {
    signal.throwIfAborted();
    progress.update("reading the record types' picklist values…");
    try {
      const read = await sf.readRecordTypePicklists(conn, recordTypeObjects);
      if (read.read) {
        result.snapshot.recordTypePicklists = read.objects;
        for (const { object, recordType } of read.unread)
          result.notRead.push(recordTypesNotReadLine(recordTypeNotAnswered(object, recordType)));
      } else result.notRead.push(recordTypesNotReadLine(unstopped(read.message)));
    } catch (error) {
      result.notRead.push(recordTypesNotReadLine(failure(error)));
    }
  }
  result.requests = sf.requestCount(conn) - before;
  return result;
}
