import { STATUS_OBJECT, type RelayedStatus } from '@sync-doctor/core';
import type { SubRequest } from '../composite.js';
import type { SalesforceError } from '../errors.js';
import { queryUrl } from '../soql.js';
import { DATA_PATH } from '../version.js';
import {
  STATUS_RECORD_COLUMNS,
  isoDateTime,
  parseStatusRecord,
  refusedStatusField,
} from '../write/publishStatus.js';

/** A portal has one record (upserted by Portal_Id__c); a handful of portals is already many. */
const MAX_STATUS_RECORDS = 50;

export interface RelayedStatusRecord {
  status: RelayedStatus;
  /** The record's LastModifiedDate: when the relay last wrote it. */
  updatedAt: string | null;
}

export interface RelayedStatusRead {
  /** The portal asked for, when one was. */
  portalId?: string;
  /** Newest first (LastModifiedDate, then last seen). Empty when there are none or they could not be read. */
  records: RelayedStatusRecord[];
  /**
   * Why nothing could be read. 'absent': the org shows no HubSpot_Sync_Status__c (Sync Doctor's
   * package is not installed, or this user may not read the object: Salesforce answers both with
   * INVALID_TYPE); 'no-access': the object is there but a field or the records are not readable;
   * 'error': any other failure of that one read. Never a failure of the collection.
   */
  unavailable?: { cause: 'absent' | 'no-access' | 'error'; errorCode: string; message: string };
}

export function isPortalId(value: string): boolean {
  return value.length > 0 && value.length <= 64 && !/[\s/?#]/.test(value);
}

/** The columns an org whose installed package predates Sync_Errors__c has. */
const COLUMNS_BEFORE_SYNC_ERRORS = STATUS_RECORD_COLUMNS.filter(
  (column) => column !== STATUS_OBJECT.fields.syncErrors,
);

/**
 * The status read as a composite sub-request. One portal: its record by external id, which is not a
 * query operation, so it fits a composite whose 5 query slots are taken; asked without `?fields=`,
 * it answers every field the org has and the user may read, so an org whose package predates a
 * column (Sync_Errors__c) still answers the rest, where naming it would fail the read (INVALID_FIELD).
 * All portals: a SOQL query, which must name its columns; `withSyncErrors: false` leaves
 * Sync_Errors__c out, for the read again after such an org refused it (lacksSyncErrorsColumn).
 */
export function statusSubRequest(
  referenceId: string,
  portalId: string | undefined,
  options: { withSyncErrors?: boolean } = {},
): SubRequest {
  if (portalId !== undefined) {
    return {
      referenceId,
      method: 'GET',
      url: `${DATA_PATH}/sobjects/${STATUS_OBJECT.name}/${STATUS_OBJECT.fields.portalId}/${encodeURIComponent(portalId)}`,
    };
  }
  const columns =
    options.withSyncErrors === false ? COLUMNS_BEFORE_SYNC_ERRORS : STATUS_RECORD_COLUMNS;
  return {
    referenceId,
    method: 'GET',
    url: queryUrl(
      `SELECT ${columns.join(', ')} FROM ${STATUS_OBJECT.name} ORDER BY LastModifiedDate DESC LIMIT ${MAX_STATUS_RECORDS}`,
    ),
  };
}

/**
 * Whether a read failed only because the org lacks Sync_Errors__c (its Sync Doctor package is
 * older than the relay's): asked again with statusSubRequest(..., { withSyncErrors: false }), it
 * reads the statuses without their sync errors.
 */
export function lacksSyncErrorsColumn(read: RelayedStatusRead): boolean {
  const failure = read.unavailable;
  return (
    failure !== undefined &&
    refusedStatusField(
      { errorCode: failure.errorCode, message: failure.message },
      STATUS_OBJECT.fields.syncErrors,
    )
  );
}

function recordsOf(body: unknown): Record<string, unknown>[] {
  if (!body || typeof body !== 'object') return [];
  const page = body as { records?: unknown };
  if (Array.isArray(page.records)) return page.records as Record<string, unknown>[];
  // A GET by external id answers with the record itself.
  return 'attributes' in page || STATUS_OBJECT.fields.portalId in page
    ? [body as Record<string, unknown>]
    : [];
}

function newestFirst(a: RelayedStatusRecord, b: RelayedStatusRecord): number {
  const key = (r: RelayedStatusRecord) =>
    `${r.updatedAt ?? ''}|${r.status.lastSeenAt ?? r.status.clearedAt ?? r.status.since ?? ''}`;
  return key(b).localeCompare(key(a));
}

export function statusReadOf(
  outcome: { ok: true; value: unknown } | { ok: false; error: SalesforceError },
  portalId: string | undefined,
): RelayedStatusRead {
  const base = portalId === undefined ? {} : { portalId };
  if (!outcome.ok) {
    const { errorCode, statusCode, message } = outcome.error;
    // By external id, 404 is also "no record for this portal": that is no status, not a failure.
    if (portalId !== undefined && (errorCode === 'NOT_FOUND' || statusCode === 404))
      return { ...base, records: [] };
    const cause =
      errorCode === 'INVALID_TYPE' || errorCode === 'NOT_FOUND'
        ? 'absent'
        : errorCode === 'INVALID_FIELD' ||
            errorCode.startsWith('INSUFFICIENT_ACCESS') ||
            statusCode === 403
          ? 'no-access'
          : 'error';
    return { ...base, records: [], unavailable: { cause, errorCode, message } };
  }
  const records = recordsOf(outcome.value).flatMap((record): RelayedStatusRecord[] => {
    const status = parseStatusRecord(record);
    if (!status) return [];
    const updatedAt = isoDateTime(record.LastModifiedDate);
    return [{ status, updatedAt }];
  });
  return { ...base, records: records.sort(newestFirst) };
}
