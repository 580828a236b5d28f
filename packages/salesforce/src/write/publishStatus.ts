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
  parseSyncErrors,
  syncErrorsJson,
} from '@sync-doctor/core';
import { firstFailure, sendComposite, subResult, type SubResponse } from '../composite.js';
import { InputError, SalesforceError } from '../errors.js';
import { DATA_PATH } from '../version.js';
import { describeRefused } from './given.js';
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

/**
 * Sync_Errors__c's JSON for a status: null clears it (the relay holds none). Read through the
 * core's parser first, so a summary handed on as text or from elsewhere is written clipped as any.
 */
function syncErrorsValue(syncErrors: RelayedStatus['syncErrors']): string | null {
  return syncErrorsJson(parseSyncErrors(syncErrors));
}

export function statusRecordFields(status: RelayedStatus): Record<string, string | null> {
  const f = STATUS_OBJECT.fields;
  // The external id travels in the URL; Salesforce refuses a body that repeats it differently.
  // Sync_Errors__c only when the status says something of sync errors (null clears them): a
  // writer that knows nothing of them (undefined) leaves what the relay wrote there alone.
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
    ...(status.syncErrors === undefined
      ? {}
      : { [f.syncErrors]: syncErrorsValue(status.syncErrors) }),
  };
}

/**
 * Whether Salesforce refused a request for the status record's `field` itself: no such column
 * (an org whose installed package predates it) or not writable by the user (a permission set from
 * before it). Salesforce names the column in the message (INVALID_FIELD "No such column
 * 'Sync_Errors__c' on sobject of type HubSpot_Sync_Status__c").
 */
export function refusedStatusField(error: unknown, field: string): boolean {
  const e = error as { errorCode?: unknown; message?: unknown } | null;
  return (
    (e?.errorCode === 'INVALID_FIELD' || e?.errorCode === 'INVALID_FIELD_FOR_INSERT_UPDATE') &&
    String(e.message).includes(field)
  );
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

function syncErrorsOf(value: unknown): Pick<RelayedStatus, 'syncErrors'> {
  const syncErrors = parseSyncErrors(value);
  return syncErrors ? { syncErrors } : {};
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
    // Only when there are some: a record without (cleared, or read from an org whose package
    // predates the column) reads as a status that says nothing of sync errors.
    ...syncErrorsOf(record[f.syncErrors]),
  };
}

function statusEventFields(
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
      : failure.request === 'composite:event' || failure.request === 'composite:events'
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

function checkedPortalId(status: RelayedStatus | undefined): string {
  const given: unknown = (status as { portalId?: unknown } | undefined)?.portalId;
  const portalId = typeof given === 'string' ? given.trim() : '';
  // Longer than Portal_Id__c holds: Salesforce would refuse every delivery (STRING_TOO_LONG).
  // Refused, it is described, not echoed: a token pasted as the portal id is not written to a log.
  if (!portalId || portalId.length > STATUS_FIELD_LIMITS.portalId || /[\s/?#]/.test(portalId))
    throw new InputError(`Not a HubSpot portal id: ${describeRefused(given)}`);
  return portalId;
}

/** The composite subrequest that upserts the status record by portal id (referenceId 'status'). */
function statusUpsert(portalId: string, status: RelayedStatus, options: PublishOptions = {}) {
  return {
    referenceId: 'status',
    method: 'PATCH' as const,
    url: `${DATA_PATH}/sobjects/${STATUS_OBJECT.name}/${STATUS_OBJECT.fields.portalId}/${encodeURIComponent(portalId)}`,
    body: {
      ...statusRecordFields(status),
      ...(options.sequence === undefined
        ? {}
        : { [STATUS_OBJECT.fields.relaySequence]: options.sequence }),
    },
  };
}

export interface PublishOptions {
  /**
   * Written into Relay_Sequence__c: larger with each write of the relay. The record's validation
   * rule refuses a write carrying a smaller one than it holds (a request Salesforce finished after
   * the relay gave up on it), rolling back the request and its events.
   */
  sequence?: number;
}

function occurredAtOf(status: RelayedStatus): string {
  return status.lastSeenAt ?? status.clearedAt ?? status.since ?? new Date().toISOString();
}

/**
 * Writes a portal's suspension status into Salesforce in one composite request: the upsert of
 * HubSpot_Sync_Status__c by Portal_Id__c, and the Sync_Doctor_Event__e that tells open Sync Doctor
 * pages (lightning/empApi) to reload. The event goes only if the record was written.
 */
export async function publishStatus(
  conn: Connection,
  status: RelayedStatus,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const portalId = checkedPortalId(status);
  const occurredAt = occurredAtOf(status);
  const responses = await sendComposite(
    conn,
    [
      statusUpsert(portalId, status, options),
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

/**
 * How many changes `publishStatuses` carries in one request: their events travel in one sObject
 * Collections subrequest, which holds at most 200 records (REST API Developer Guide, "sObject
 * Collections"; a composite may carry one from API 43.0 on, this package speaks 64.0).
 */
export const PUBLISH_BATCH_MAX = 200;

export interface PublishBatchResult {
  /** Id of the HubSpot_Sync_Status__c record. */
  id: string;
  /** true when the upsert created the record. */
  created: boolean;
  /** The id Salesforce gave each change's Sync_Doctor_Event__e, in the order of the changes. */
  eventIds: Array<string | undefined>;
}

/**
 * A batch Salesforce refused. `batchIndex` names the change that caused it when the answer says
 * so (its event refused, or the status record, which is the last change's); absent when the
 * request as a whole failed.
 */
export type PublishBatchError = SalesforceError & { batchIndex?: number };

interface CollectionResult {
  id?: string;
  success?: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

/** The first record a collection refused for itself (not rolled back because of another), if any. */
function refusedRecord(
  response: SubResponse | undefined,
): { index: number; error: SalesforceError } | null {
  if (!response || !Array.isArray(response.body)) return null;
  const results = response.body as CollectionResult[];
  for (const [index, result] of results.entries()) {
    if (!result || typeof result !== 'object' || result.success !== false) continue;
    const error = result.errors?.[0];
    if (!error || error.statusCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK') continue;
    return {
      index,
      error: new SalesforceError({
        errorCode: String(error.statusCode ?? 'UNKNOWN_ERROR'),
        statusCode: response.httpStatusCode >= 400 ? response.httpStatusCode : 400,
        message: String(error.message ?? 'the event was refused'),
        fields: error.fields,
        request: 'composite:events',
      }),
    };
  }
  return null;
}

/**
 * Writes a run of one portal's consecutive changes (oldest first, at most PUBLISH_BATCH_MAX) in
 * ONE composite request, one API call: the upsert of HubSpot_Sync_Status__c with the last change's
 * status (whose history carries the earlier ones), then one sObject Collections subrequest
 * publishing every change's Sync_Doctor_Event__e, in order. A single change is sent exactly as
 * `publishStatus` sends it (same request, same cost).
 *
 * All or none: the composite's allOrNone applies to the collection too, whatever its own flag
 * (REST API Developer Guide, "allOrNone Parameters in Composite and Collections Requests"), so one
 * refused event or a refused upsert rolls back the whole request. Sync_Doctor_Event__e is defined
 * with publishBehavior PublishAfterCommit (force-app/.../Sync_Doctor_Event__e.object-meta.xml):
 * its messages are published only when the transaction commits and not at all when it fails
 * (Platform Events Developer Guide, "Platform Event Fields", publish behavior), so the events of
 * a rolled-back batch are never seen by subscribers, and sending the batch again (or its changes
 * one by one) publishes each event once. `collateSubrequests: false` keeps the subrequests in the
 * order given.
 */
export async function publishStatuses(
  conn: Connection,
  statuses: readonly RelayedStatus[],
  options: PublishOptions = {},
): Promise<PublishBatchResult> {
  if (!Array.isArray(statuses) || statuses.length === 0)
    throw new InputError('publishStatuses needs a list of at least one status');
  if (statuses.length > PUBLISH_BATCH_MAX)
    throw new RangeError(
      `publishStatuses carries at most ${PUBLISH_BATCH_MAX} changes, not ${statuses.length}`,
    );
  const portalId = checkedPortalId(statuses[0]);
  for (const status of statuses)
    if (checkedPortalId(status) !== portalId)
      throw new InputError('publishStatuses carries the changes of one portal');
  if (statuses.length === 1) {
    const one = await publishStatus(conn, statuses[0]!, options);
    return { id: one.id, created: one.created, eventIds: [one.eventId] };
  }
  const last = statuses[statuses.length - 1]!;
  const responses = await sendComposite(
    conn,
    [
      statusUpsert(portalId, last, options),
      {
        referenceId: 'events',
        method: 'POST',
        url: `${DATA_PATH}/composite/sobjects`,
        body: {
          allOrNone: true,
          records: statuses.map((status) => ({
            attributes: { type: STATUS_EVENT.name },
            ...statusEventFields({ ...status, portalId }, occurredAtOf(status)),
          })),
        },
      },
    ],
    { allOrNone: true, collateSubrequests: false, label: 'POST /composite (publishStatuses)' },
  );
  const refused = refusedRecord(responses.get('events'));
  if (refused) throw Object.assign(explainMissing(refused.error), { batchIndex: refused.index });
  const failure = firstFailure(responses);
  if (failure) {
    const explained = explainMissing(failure);
    throw failure.request === 'composite:status'
      ? Object.assign(explained, { batchIndex: statuses.length - 1 })
      : explained;
  }
  const upsert = subResult<UpsertBody>(responses.get('status'), 'status');
  const events = subResult<CollectionResult[]>(responses.get('events'), 'events');
  if (!upsert?.id || !Array.isArray(events) || events.length !== statuses.length) {
    throw new SalesforceError({
      errorCode: 'UNEXPECTED_RESPONSE',
      message: 'The batch answered no status record id, or not one result per event',
      request: 'composite:status',
    });
  }
  return {
    id: upsert.id,
    created: upsert.created ?? responses.get('status')?.httpStatusCode === 201,
    eventIds: events.map((event) => event?.id),
  };
}
