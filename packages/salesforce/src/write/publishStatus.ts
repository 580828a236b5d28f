import type { Connection } from 'jsforce';
import {
  SIGNAL_SOURCES,
  STATUS_EVENT,
  STATUS_FIELD_LIMITS,
  STATUS_OBJECT,
  SUSPENSION_REASONS,
  SUSPENSION_STATES,
  type ReasonCode,
  type RelayedStatus,
  type SignalSource,
  type StatusChange,
  type SuspensionState,
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

const STATES: readonly SuspensionState[] = SUSPENSION_STATES;
const SOURCES: readonly SignalSource[] = SIGNAL_SOURCES;

/** The columns a reader selects: every mapped field, plus what says which record is newest. */
export const STATUS_RECORD_COLUMNS: readonly string[] = [
  'Id',
  ...Object.values(STATUS_OBJECT.fields),
  'LastModifiedDate',
];

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Salesforce answers date-times as '2026-11-28T09:00:00.000+0000'; the core's status (and what the
 * relay wrote) says '2026-11-28T09:00:00.000Z'. Anything unreadable stays as it came.
 */
export function isoDateTime(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  const time = Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(time) ? raw : new Date(time).toISOString();
}

function reasonOf(value: unknown): ReasonCode | null {
  // A code this build does not know (a newer relay) is kept out: the title still says it.
  return typeof value === 'string' && Object.hasOwn(SUSPENSION_REASONS, value)
    ? (value as ReasonCode)
    : null;
}

function historyOf(value: unknown): StatusChange[] {
  if (typeof value !== 'string' || value === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry): StatusChange[] => {
    if (!entry || typeof entry !== 'object') return [];
    const e = entry as Record<string, unknown>;
    const state = e.state as SuspensionState;
    const source = e.source as SignalSource;
    if (typeof e.at !== 'string' || !STATES.includes(state) || !SOURCES.includes(source)) return [];
    return [
      {
        at: e.at,
        state,
        reason: reasonOf(e.reason),
        source,
        ...(e.title === undefined ? {} : { title: text(e.title) }),
      },
    ];
  });
}

/**
 * The inverse of statusRecordFields: a HubSpot_Sync_Status__c record (as SOQL or a GET returns
 * it) back into the core's RelayedStatus, or null when it is not one (no portal id, a state the
 * core does not know). Unknown reason codes and sources read as null, a bad history as [].
 */
export function parseStatusRecord(record: Record<string, unknown>): RelayedStatus | null {
  const f = STATUS_OBJECT.fields;
  const portalId = text(record[f.portalId]);
  const state = record[f.state] as SuspensionState;
  if (!portalId || !STATES.includes(state)) return null;
  const source = record[f.source] as SignalSource;
  return {
    portalId,
    state,
    reason: reasonOf(record[f.reason]),
    title: text(record[f.title]),
    since: isoDateTime(record[f.since]),
    lastSeenAt: isoDateTime(record[f.lastSeenAt]),
    clearedAt: isoDateTime(record[f.clearedAt]),
    source: SOURCES.includes(source) ? source : null,
    excerpt: text(record[f.excerpt]),
    history: historyOf(record[f.history]),
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
 * Salesforce answers a write to an object the org does not have (the package not installed, or an
 * older version of it) or the user cannot see with a bare 404 NOT_FOUND "The requested resource
 * does not exist", naming nothing: say which object and what to do, keeping the code and status.
 */
function explainMissing(failure: SalesforceError): SalesforceError {
  if (failure.errorCode !== 'NOT_FOUND') return failure;
  const object =
    failure.request === 'composite:status'
      ? STATUS_OBJECT.name
      : failure.request === 'composite:event'
        ? STATUS_EVENT.name
        : null;
  if (!object) return failure;
  return new SalesforceError({
    errorCode: failure.errorCode,
    statusCode: failure.statusCode,
    fields: failure.fields,
    request: failure.request,
    message:
      `${object} is not in the org, or the connected user cannot see it: install (or upgrade) the ` +
      `Sync Doctor package and assign the user the Sync_Doctor_Relay permission set, then re-queue the failed ` +
      `deliveries. Salesforce said: ${failure.message}`,
  });
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
  if (failure) throw explainMissing(failure);
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
