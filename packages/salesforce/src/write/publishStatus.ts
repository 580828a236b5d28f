import type { Connection } from 'jsforce';
import {
  STATUS_EVENT,
  STATUS_FIELD_LIMITS,
  STATUS_OBJECT,
  type RelayedStatus,
} from '@sync-doctor/core';
import { firstFailure, sendComposite, subResult } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { DATA_PATH } from '../version.js';
import { historyJson, truncate } from './truncate.js';

export interface PublishResult {
  /** Id of the HubSpot_Sync_Status__c record. */
  id: string;
  /** true when the upsert created the record, false when it updated it. */
  created: boolean;
  /** Id Salesforce gave the published Sync_Doctor_Event__e (its EventUuid-like publish id). */
  eventId?: string;
}

/** Upsert response: 201 `{ id, success, errors, created: true }` or 200 `{ ..., created: false }` (REST API, "Insert or Update (Upsert) a Record Using an External ID"). */
interface UpsertBody {
  id?: string;
  created?: boolean;
}

export function statusRecordFields(status: RelayedStatus): Record<string, string | null> {
  const f = STATUS_OBJECT.fields;
  // The external id travels in the URL; Salesforce refuses a body that repeats it differently.
  return {
    [f.state]: status.state,
    [f.reason]: status.reason,
    [f.title]: truncate(status.title, STATUS_FIELD_LIMITS.title),
    [f.since]: status.since,
    [f.lastSeenAt]: status.lastSeenAt,
    [f.clearedAt]: status.clearedAt,
    [f.source]: status.source,
    [f.excerpt]: truncate(status.excerpt, STATUS_FIELD_LIMITS.excerpt),
    [f.history]: historyJson(status.history ?? []),
  };
}

export function statusEventFields(
  status: RelayedStatus,
  occurredAt: string,
): Record<string, string | null> {
  const f = STATUS_EVENT.fields;
  return {
    [f.portalId]: status.portalId,
    [f.state]: status.state,
    [f.reason]: status.reason,
    [f.title]: truncate(status.title, STATUS_FIELD_LIMITS.title),
    [f.occurredAt]: occurredAt,
    [f.source]: status.source,
  };
}

/**
 * Writes a portal's suspension status into Salesforce in one composite request: the upsert of
 * HubSpot_Sync_Status__c by Portal_Id__c, and the Sync_Doctor_Event__e that tells open Sync Doctor
 * pages (lightning/empApi) to reload. The event goes only if the record was written.
 */
export async function publishStatus(
  conn: Connection,
  status: RelayedStatus,
): Promise<PublishResult> {
  const portalId = status?.portalId?.trim();
  if (!portalId || portalId.length > 64 || /[\s/?#]/.test(portalId))
    throw new TypeError(`Not a HubSpot portal id: '${status?.portalId}'`);
  const occurredAt =
    status.lastSeenAt ?? status.clearedAt ?? status.since ?? new Date().toISOString();
  const responses = await sendComposite(
    conn,
    [
      {
        referenceId: 'status',
        method: 'PATCH',
        url: `${DATA_PATH}/sobjects/${STATUS_OBJECT.name}/${STATUS_OBJECT.fields.portalId}/${encodeURIComponent(portalId)}`,
        body: statusRecordFields(status),
      },
      {
        referenceId: 'event',
        method: 'POST',
        url: `${DATA_PATH}/sobjects/${STATUS_EVENT.name}`,
        body: statusEventFields({ ...status, portalId }, occurredAt),
      },
    ],
    // allOrNone: a status record that failed must not announce itself with an event.
    { allOrNone: true, label: 'POST /composite (publishStatus)' },
  );
  const failure = firstFailure(responses);
  if (failure) throw failure;
  const upsert = subResult<UpsertBody>(responses.get('status'), 'status');
  const event = subResult<{ id?: string }>(responses.get('event'), 'event');
  if (!upsert?.id) {
    throw new SalesforceError({
      errorCode: 'UNEXPECTED_RESPONSE',
      message: 'The upsert of the status record returned no id',
      request: 'composite:status',
    });
  }
  const statusCode = responses.get('status')?.httpStatusCode;
  return {
    id: upsert.id,
    created: upsert.created ?? statusCode === 201,
    ...(event?.id ? { eventId: event.id } : {}),
  };
}
