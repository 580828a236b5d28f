import { ApiError, bodyNotAnObject, notFound } from '../errors.js';
import { isSalesforceId } from '../ids.js';
import type { SRecord } from '../org/org.js';
import type { ObjectSchema } from '../schema.js';
import { sfDateTime } from '../org/time.js';
import { recordUrl, runQuery } from '../soql/query.js';
import {
  callerFields,
  callerRows,
  userReachesObject,
  isCustomSetting,
  userHasObjectRight,
  userReadsCustomSetting,
} from './access.js';
import {
  coerceBody,
  createRecord,
  deleteRecord,
  checkObjectRight,
  externalIdMatches,
  updateRecord,
  userSeesField,
} from './writes.js';
import { describeObject, describeObjectSummary } from './describe.js';
import { handleToolingCall } from './tooling.js';
import { handleUiApiCall } from './uiApi.js';
import type { SimState } from './state.js';
import type { ApiCall, SimResponse } from './types.js';
import { randomUUID } from 'node:crypto';

/**
 * One REST API call under /services/data/vXX.X (top-level or composite subrequest). Throws ApiError
 * for Salesforce errors; the caller turns them into responses.
 */
export function handleApiCall(state: SimState, call: ApiCall): SimResponse {
  const parts = call.path.split('/').filter(Boolean).map(decodeURIComponent);
  const [resource, ...rest] = parts;
  const method = call.method.toUpperCase();
  switch (resource) {
    case undefined:
      return ok(apiResources(call.apiVersion));
    case 'query':
    case 'queryAll':
      if (method !== 'GET') throw methodNotAllowed(method);
      return rest.length ? ok(nextBatch(state, call, rest[0]!)) : ok(query(state, call));
    case 'limits':
      if (method !== 'GET') throw methodNotAllowed(method);
      return ok(state.org.limitsDocument());
    case 'sobjects':
      return sobjects(state, call, method, rest);
    case 'tooling':
      return handleToolingCall(state, call, method, rest);
    case 'ui-api':
      return handleUiApiCall(state, call, method, rest);
    default:
      throw notFound();
  }
}

const ok = (body: unknown, status = 200): SimResponse => ({ status, body });

function methodNotAllowed(method: string): ApiError {
  return new ApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are GET`,
  );
}

function apiResources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    limits: `${base}/limits`,
    composite: `${base}/composite`,
  };
}

function batchSize(state: SimState, call: ApiCall): number {
  // Sforce-Query-Options: batchSize=N, from 200 to 2000 (a hint Salesforce may round).
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
  const header = call.headers['sforce-query-options'];
  const match = header ? /batchSize=(\d+)/i.exec(header) : null;
  if (match) return Math.min(2000, Math.max(200, Number(match[1])));
  return state.options.queryBatchSize;
}

function query(state: SimState, call: ApiCall): Record<string, unknown> {
  const soql = call.query.get('q');
  if (!soql || !soql.trim())
    throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const outcome = runQuery(
    state.org,
    soql,
    call.apiVersion,
    callerRows(state.org, call.userId),
    callerFields(state.org, call.userId),
  );
  const size = batchSize(state, call);
  if (outcome.records.length <= size)
    return { totalSize: outcome.totalSize, done: true, records: outcome.records };
  const locator = state.saveCursor({
    records: outcome.records,
    totalSize: outcome.totalSize,
    userId: call.userId,
  });
  return {
    totalSize: outcome.totalSize,
    done: false,
    nextRecordsUrl: `/services/data/v${call.apiVersion}/query/${locator}-${size}`,
    records: outcome.records.slice(0, size),
  };
}

function nextBatch(state: SimState, call: ApiCall, locatorText: string): Record<string, unknown> {
  const match = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(locatorText);
  const cursor = match ? state.cursors.get(match[1]!) : undefined;
  if (!match || !cursor) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const offset = Number(match[2]);
  const size = batchSize(state, call);
  const records = cursor.records.slice(offset, offset + size);
  const done = offset + size >= cursor.records.length;
  if (done) state.cursors.delete(match[1]!);
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done, records };
  if (!done)
    body.nextRecordsUrl = `/services/data/v${call.apiVersion}/query/${match[1]}-${offset + size}`;
  return body;
}

function requireObject(state: SimState, name: string | undefined) {
  const schema = name ? state.org.schema.get(name) : undefined;
  if (!schema) throw notFound();
  return schema;
}

function recordBody(apiVersion: string, type: string, record: SRecord): Record<string, unknown> {
  return { attributes: { type, url: recordUrl(apiVersion, type, record.Id) }, ...record };
}

function sobjects(state: SimState, call: ApiCall, method: string, rest: string[]): SimResponse {
  const org = state.org;
  if (rest.length === 0) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return ok({
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: org.schema.all().map((s) => describeObjectSummary(s, call.apiVersion)),
    });
  }
  const schema = requireObject(state, rest[0]);
  // An object the user may not read is no resource for it (object-level security).
  if (schema.kind === 'data' && !userHasObjectRight(org, call.userId, schema, 'read'))
    throw notFound();
  if (isCustomSetting(schema) && !userReadsCustomSetting(org, call.userId, schema))
    throw notFound();
  if (!userReachesObject(org, call.userId, schema)) throw notFound();
  if (rest.length === 1) {
    if (method === 'GET')
      return ok({
        objectDescribe: describeObjectSummary(schema, call.apiVersion),
        recentItems: [],
      });
    if (method !== 'POST') throw methodNotAllowed(method);
    if (schema.kind === 'event') return ok(publishEvent(state, schema.name, call), 201);
    const record = createRecord(org, schema, call.body, call.userId);
    return {
      status: 201,
      body: { id: record.Id, success: true, errors: [] },
      headers: { Location: recordUrl(call.apiVersion, schema.name, record.Id) },
    };
  }
  if (rest.length === 2 && rest[1] === 'describe') {
    if (method !== 'GET') throw methodNotAllowed(method);
    // A field the user may not see is left out of its describe (field-level security), as in an org.
    // One guard for the whole describe: the user's field permissions are worked out once.
    const guard = callerFields(org, call.userId);
    return ok(describeObject(schema, call.apiVersion, (field) => guard.sees(schema, field)));
  }
  if (rest.length === 2) {
    const id = rest[1]!;
    if (!isSalesforceId(id)) throw notFound();
    switch (method) {
      case 'GET': {
        const entry = org.getById(id);
        if (!entry || entry.type !== schema.name) throw notFound();
        const fields = call.query.get('fields');
        if (fields) checkRequestedFields(state, call, schema, fields);
        return ok(
          selectFields(
            visibleBody(
              state,
              call,
              schema,
              recordBody(call.apiVersion, schema.name, entry.record),
            ),
            fields,
          ),
        );
      }
      case 'PATCH':
        updateRecord(org, schema, id, call.body, call.userId);
        return { status: 204 };
      case 'DELETE':
        deleteRecord(org, schema, id, call.userId);
        return { status: 204 };
      default:
        throw methodNotAllowed(method);
    }
  }
  if (rest.length === 3) return upsert(state, call, method, schema.name, rest[1]!, rest[2]!);
  throw notFound();
}

/** A record as its reader may see it: without the fields field-level security hides from it. */
function visibleBody(
  state: SimState,
  call: ApiCall,
  schema: ObjectSchema,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const guard = callerFields(state.org, call.userId);
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => {
      const field = schema.fields.get(key.toLowerCase());
      return !field || guard.sees(schema, field);
    }),
  );
}

/**
 * A record GET's `?fields=`: "If you specify fields that don't exist or are inaccessible to you by
 * field-level security, a 400 error response is returned" (REST API Developer Guide, "Get Field
 * Values from a Standard Object Record"). The guide gives the status only; the body here is the
 * one SOQL answers for such a column (INVALID_FIELD "No such column"), without the query's caret.
 * Without `fields`, the fields the reader may not see are left out instead (visibleBody).
 */
function checkRequestedFields(
  state: SimState,
  call: ApiCall,
  schema: ObjectSchema,
  fields: string,
): void {
  const guard = callerFields(state.org, call.userId);
  for (const name of fields.split(',').map((f) => f.trim())) {
    if (!name) continue;
    const field = schema.fields.get(name.toLowerCase());
    if (!field || !guard.sees(schema, field))
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
  }
}

function selectFields(
  record: Record<string, unknown>,
  fields: string | null,
): Record<string, unknown> {
  if (!fields) return record;
  const wanted = new Set(fields.split(',').map((f) => f.trim().toLowerCase()));
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => key === 'attributes' || wanted.has(key.toLowerCase())),
  );
}

/**
 * sObject Rows by External ID: PATCH creates (201, created: true) or updates (200, created: false
 * from API 46.0; 204 before), 300 when the value matches several records.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
function upsert(
  state: SimState,
  call: ApiCall,
  method: string,
  type: string,
  fieldName: string,
  value: string,
): SimResponse {
  const org = state.org;
  const schema = org.schema.get(type)!;
  const field = schema.fields.get(fieldName.toLowerCase());
  if (
    !field ||
    !(field.externalId || field.name === 'Id') ||
    !userSeesField(org, schema, field, call.userId)
  ) {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  // External ids match case-insensitively unless the field is case-sensitive; Id in 15 or 18 characters.
  const matches = org.table(type).filter((r) => externalIdMatches(field, r[field.name], value));
  if (method === 'GET') {
    if (matches.length === 0) throw notFound();
    if (matches.length > 1) return multipleChoices(call.apiVersion, type, matches);
    // `?fields=` as the GET by Id reads it: a column the org lacks, or the reader may not see, is a
    // 400 INVALID_FIELD (as an org on an older package answers a reader that names a newer column).
    const fields = call.query.get('fields');
    if (fields) checkRequestedFields(state, call, schema, fields);
    return ok(
      selectFields(
        visibleBody(state, call, schema, recordBody(call.apiVersion, type, matches[0]!)),
        fields,
      ),
    );
  }
  if (method === 'DELETE') {
    if (matches.length !== 1) throw notFound();
    deleteRecord(org, schema, matches[0]!.Id, call.userId);
    return { status: 204 };
  }
  if (method !== 'PATCH' && method !== 'POST') throw methodNotAllowed(method);
  if (matches.length > 1) return multipleChoices(call.apiVersion, type, matches);
  // Spread into a record, a string or an array would give fields '0', '1'..., and null none at all.
  const given: unknown = call.body;
  if (given !== undefined && (!given || typeof given !== 'object' || Array.isArray(given)))
    throw bodyNotAnObject();
  const body = { ...(given as Record<string, unknown>) };
  const inBody = Object.keys(body).find((k) => k.toLowerCase() === field.name.toLowerCase());
  if (inBody) {
    if (String(body[inBody]) !== value) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `The value of the external ID field in the request body (${String(body[inBody])}) doesn't match the URL (${value}).`,
      );
    }
    delete body[inBody];
  }
  const modern = Number(call.apiVersion) >= 46;
  if (matches.length === 1) {
    const record = updateRecord(org, schema, matches[0]!.Id, body, call.userId);
    return modern
      ? ok({ id: record.Id, success: true, errors: [], created: false })
      : { status: 204 };
  }
  if (call.query.get('updateOnly') === 'true') throw notFound();
  const record = createRecord(org, schema, { ...body, [field.name]: value }, call.userId);
  const created: Record<string, unknown> = { id: record.Id, success: true, errors: [] };
  if (modern) created.created = true;
  return {
    status: 201,
    body: created,
    headers: { Location: recordUrl(call.apiVersion, type, record.Id) },
  };
}

function multipleChoices(apiVersion: string, type: string, matches: SRecord[]): SimResponse {
  return { status: 300, body: matches.map((r) => recordUrl(apiVersion, type, r.Id)) };
}

/**
 * Platform event publish: 201 with the event's id; from API 57.0 (high-volume events) `errors` holds
 * OPERATION_ENQUEUED with the event UUID although success is true.
 * https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_events_publish_api.htm
 */
function publishEvent(state: SimState, type: string, call: ApiCall): Record<string, unknown> {
  const org = state.org;
  const schema = org.schema.get(type)!;
  if (!call.body || typeof call.body !== 'object' || Array.isArray(call.body)) {
    throw bodyNotAnObject();
  }
  // Publishing needs Create on the event object (Platform Events Developer Guide, "Platform Event
  // Permissions"); event fields have no field-level security.
  checkObjectRight(org, schema, call.userId, 'create');
  // Event fields are validated like record fields (names, types, lengths).
  const payload = coerceBody(org, schema, call.body, 'create');
  // The hourly allocation spent: Salesforce refuses the publish at once with LIMIT_EXCEEDED
  // (Platform Events Developer Guide, "Platform Event Error Status Codes", synchronous errors).
  const allocation = org.limits.HourlyPublishedPlatformEvents;
  if (allocation && allocation.used >= allocation.Max)
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      'Hourly limit of published platform event messages exceeded',
      [],
    );
  const id = org.ids.next(schema.keyPrefix);
  const uuid = randomUUID();
  state.publishedEvents.push({
    sobjectType: schema.name,
    payload: { ...payload, EventUuid: uuid },
    at: sfDateTime(new Date()),
  });
  const hourly = org.limits.HourlyPublishedPlatformEvents;
  if (hourly) hourly.used++;
  const errors =
    Number(call.apiVersion) >= 57
      ? [{ statusCode: 'OPERATION_ENQUEUED', message: uuid, fields: [] }]
      : [];
  return { id, success: true, errors };
}
