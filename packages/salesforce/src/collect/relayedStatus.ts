import { STATUS_OBJECT, type RelayedStatus } from '@sync-doctor/core';
import type { SubRequest } from '../composite.js';
import type { SalesforceError } from '../errors.js';
import { queryUrl } from '../soql.js';
import { DATA_PATH } from '../version.js';
import { STATUS_RECORD_COLUMNS, isoDateTime, parseStatusRecord } from '../write/publishStatus.js';

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

/**
 * The status read as a composite sub-request. One portal: its record by external id, which is not a
 * query operation, so it fits a composite whose 5 query slots are taken. All portals: a SOQL query.
 */
export function statusSubRequest(referenceId: string, portalId: string | undefined): SubRequest {
  if (portalId !== undefined) {
    return {
      referenceId,
      method: 'GET',
      url: `${DATA_PATH}/sobjects/${STATUS_OBJECT.name}/${STATUS_OBJECT.fields.portalId}/${encodeURIComponent(portalId)}?fields=${STATUS_RECORD_COLUMNS.join(',')}`,
    };
  }
  return {
    referenceId,
    method: 'GET',
    url: queryUrl(
      `SELECT ${STATUS_RECORD_COLUMNS.join(', ')} FROM ${STATUS_OBJECT.name} ORDER BY LastModifiedDate DESC LIMIT ${MAX_STATUS_RECORDS}`,
    ),
  };
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
