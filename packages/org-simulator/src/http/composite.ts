import { ApiError } from '../errors.js';
import { isSalesforceId } from '../ids.js';
import { openDmlStatement } from './writes.js';
import type { SimState } from './state.js';
import type { ApiCall, SimResponse } from './types.js';

/**
 * Composite resources. Each counts as ONE API request however many subrequests it carries.
 * - /composite: up to 25 subrequests (at most 5 of them queries or sObject Collections),
 *   `@{ref.field}` references, allOrNone.
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 *   An sObject Collections subrequest (/composite/sobjects, API 43.0 and later) is the only
 *   composite resource a composite may carry; with the composite's allOrNone true it is all or
 *   none too, whatever its own flag says, and one failed record rolls back the whole composite:
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_allornone.htm
 * - /composite/batch: up to 25 independent subrequests, haltOnError.
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_batch.htm
 * - /composite/sobjects: create, update or delete up to 200 records (sObject Collections).
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
export type SubrequestRunner = (sub: {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string | undefined>;
}) => SimResponse;

const ROLLED_BACK = [
  {
    errorCode: 'PROCESSING_HALTED',
    message:
      'The transaction was rolled back since another operation in the same transaction failed.',
  },
];

interface CompositeSubrequest {
  method?: unknown;
  url?: unknown;
  referenceId?: unknown;
  body?: unknown;
  httpHeaders?: unknown;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'INVALID_INPUT', message);
}

export function composite(
  state: SimState,
  call: ApiCall,
  run: SubrequestRunner,
): { response: SimResponse; subrequests: number } {
  const body = call.body as { allOrNone?: unknown; compositeRequest?: unknown } | null;
  const requests = body?.compositeRequest;
  if (!Array.isArray(requests) || requests.length === 0)
    throw invalid('compositeRequest: a non-empty array of subrequests is required');
  if (requests.length > 25) throw invalid('compositeRequest: at most 25 subrequests are allowed');
  const seen = new Set<string>();
  let queries = 0;
  for (const raw of requests as CompositeSubrequest[]) {
    if (!raw || typeof raw !== 'object') throw invalid('each subrequest must be an object');
    if (
      typeof raw.method !== 'string' ||
      !['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(raw.method)
    ) {
      throw invalid(`Invalid method ${String(raw.method)}: use GET, POST, PUT, PATCH or DELETE`);
    }
    if (typeof raw.url !== 'string' || !raw.url.startsWith('/services/data/'))
      throw invalid(`Invalid url ${String(raw.url)}`);
    if (
      typeof raw.referenceId !== 'string' ||
      !/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(raw.referenceId)
    ) {
      throw invalid(
        `Invalid referenceId ${String(raw.referenceId)}: letters, numbers and underscores, starting with a letter or number`,
      );
    }
    if (seen.has(raw.referenceId)) throw invalid(`Duplicate referenceId ${raw.referenceId}`);
    seen.add(raw.referenceId);
    if (/\/(query|queryAll)(\/|\?|$)/.test(raw.url) || isCollectionsUrl(raw.url)) queries++;
  }
  if (queries > 5)
    throw invalid(
      'A composite request can contain at most 5 query operations and sObject Collections subrequests',
    );

  const allOrNone = body?.allOrNone === true;
  const transaction = state.org.transaction();
  const eventsBefore = state.publishedEvents.length;
  const results: Array<{ referenceId: string; response: SimResponse; failed: boolean }> = [];
  const outputs = new Map<string, unknown>();
  let failedAt = -1;
  for (const raw of requests as CompositeSubrequest[]) {
    const referenceId = raw.referenceId as string;
    let response: SimResponse;
    try {
      const url = substitute(raw.url as string, outputs, true) as string;
      const subBody = raw.body === undefined ? undefined : substitute(raw.body, outputs, false);
      const headers = lowerCaseHeaders(raw.httpHeaders);
      response = run({ method: raw.method as string, url, body: subBody, headers });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = { status: error.statusCode, body: error.toBody() };
    }
    // A collection answers 200 with a result per record; one failed record under allOrNone
    // failed the subrequest (and so, with the composite's allOrNone, the composite).
    const failed = response.status >= 400 || response.rolledBack === true;
    if (!failed) outputs.set(referenceId, response.body);
    results.push({ referenceId, response, failed });
    if (failed && allOrNone) {
      failedAt = results.length - 1;
      break;
    }
  }
  if (failedAt >= 0) {
    transaction.rollback();
    state.publishedEvents.length = eventsBefore;
  } else {
    transaction.end();
  }
  const compositeResponse = (requests as CompositeSubrequest[]).map((raw, i) => {
    const result = results[i];
    if (failedAt >= 0 && i !== failedAt) {
      return {
        body: ROLLED_BACK,
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: raw.referenceId,
      };
    }
    return {
      body: result!.response.body ?? null,
      httpHeaders: result!.response.headers ?? {},
      httpStatusCode: result!.response.status,
      referenceId: raw.referenceId,
    };
  });
  return { response: { status: 200, body: { compositeResponse } }, subrequests: results.length };
}

/** /services/data/vXX.X/composite/sobjects (an sObject Collections request), without its query. */
export function isCollectionsUrl(url: string): boolean {
  return /^\/services\/data\/v[\d.]+\/composite\/sobjects\/?(\?|$)/.test(url);
}

function lowerCaseHeaders(raw: unknown): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>))
      headers[key.toLowerCase()] = String(value);
  }
  return headers;
}

/** Replace `@{ref.path}` references (dot and [index] notation) in a URL or a JSON body. */
function substitute(value: unknown, outputs: Map<string, unknown>, inUrl: boolean): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]+)\}$/.exec(value);
    if (whole && !inUrl) return resolveReference(whole[1]!, outputs);
    return value.replace(/@\{([^}]+)\}/g, (_m, expr: string) => {
      const resolved = resolveReference(expr, outputs);
      return inUrl ? encodeURIComponent(String(resolved)) : String(resolved);
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, outputs, inUrl));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, outputs, inUrl)]),
    );
  }
  return value;
}

function resolveReference(expr: string, outputs: Map<string, unknown>): unknown {
  const [referenceId = '', ...path] = expr.replace(/\[(\d+)\]/g, '.$1').split('.');
  let current: unknown = outputs.get(referenceId);
  for (const key of path) {
    if (current === null || current === undefined) break;
    current = (current as Record<string, unknown>)[key];
  }
  if (current === undefined || current === null || !outputs.has(referenceId)) {
    throw new ApiError(
      400,
      'PROCESSING_HALTED',
      `Invalid reference specified. No value for ${expr} found in ${referenceId}. Provided referenceId ('${referenceId}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
    );
  }
  return current;
}

export function compositeBatch(
  call: ApiCall,
  run: SubrequestRunner,
): { response: SimResponse; subrequests: number } {
  const body = call.body as { batchRequests?: unknown; haltOnError?: unknown } | null;
  const requests = body?.batchRequests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw invalid('batchRequests: a non-empty array of subrequests is required');
  if (requests.length > 25) throw invalid('batchRequests: at most 25 subrequests are allowed');
  const haltOnError = body?.haltOnError === true;
  let halted = false;
  let hasErrors = false;
  const results = (requests as Array<{ method?: unknown; url?: unknown; richInput?: unknown }>).map(
    (raw) => {
      if (halted) {
        return {
          statusCode: 412,
          result: [
            {
              errorCode: 'BATCH_PROCESSING_HALTED',
              message: 'Batch processing halted per request',
            },
          ],
        };
      }
      let response: SimResponse;
      try {
        if (typeof raw?.method !== 'string' || typeof raw.url !== 'string')
          throw invalid('each batch request needs method and url');
        const url = raw.url.startsWith('/services/data/')
          ? raw.url
          : `/services/data/${raw.url.replace(/^\//, '')}`;
        response = run({ method: raw.method, url, body: raw.richInput, headers: {} });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        response = { status: error.statusCode, body: error.toBody() };
      }
      if (response.status >= 400) {
        hasErrors = true;
        if (haltOnError) halted = true;
      }
      return { statusCode: response.status, result: response.body ?? null };
    },
  );
  return { response: { status: 200, body: { hasErrors, results } }, subrequests: requests.length };
}

/**
 * sObject Collections delete (`DELETE .../composite/sobjects?ids=a,b&allOrNone=true`): up to 200
 * records by id, each deleted as its own DELETE would be (the session user's Delete rights and
 * ownership included), one result per id in the order given. A malformed id is MALFORMED_ID; a
 * well-formed one that names no record is ENTITY_IS_DELETED, as Salesforce answers for a record
 * already deleted (the simulator keeps no recycle bin; which code a never-existing id gets is not
 * documented). allOrNone rolls every delete back when one fails.
 */
export function deleteCollection(
  state: SimState,
  call: ApiCall,
  run: SubrequestRunner,
  forceAllOrNone = false,
): { response: SimResponse; subrequests: number } {
  const ids = (call.query.get('ids') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw invalid('ids: a comma-separated list of record ids is required');
  if (ids.length > 200)
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  const allOrNone = forceAllOrNone || call.query.get('allOrNone') === 'true';
  const transaction = state.org.transaction();
  const results: Array<Record<string, unknown>> = ids.map((id) => {
    const failure = (statusCode: string, message: string) => ({
      success: false,
      errors: [{ statusCode, message, fields: [] }],
    });
    if (!isSalesforceId(id)) return failure('MALFORMED_ID', `malformed id ${id}`);
    const entry = state.org.getById(id);
    if (!entry) return failure('ENTITY_IS_DELETED', 'entity is deleted');
    let response: SimResponse;
    try {
      response = run({
        method: 'DELETE',
        url: `/services/data/v${call.apiVersion}/sobjects/${entry.type}/${entry.record.Id}`,
        body: undefined,
        headers: {},
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = { status: error.statusCode, body: error.toBody() };
    }
    if (response.status < 400) return { id: entry.record.Id, success: true, errors: [] };
    const errors = (
      response.body as Array<{ errorCode: string; message: string; fields?: string[] }>
    ).map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }));
    return { id: entry.record.Id, success: false, errors };
  });
  const failed = results.some((result) => result.success === false);
  if (failed && allOrNone) {
    transaction.rollback();
    markRolledBack(results, { keepIds: true });
  } else {
    transaction.end();
  }
  return {
    response: { status: 200, body: results, ...(failed && allOrNone ? { rolledBack: true } : {}) },
    subrequests: ids.length,
  };
}

/**
 * After an all-or-none failure, the records that had succeeded read as rolled back, as Salesforce
 * answers them; a save's result loses the id it would have had, a delete's keeps the record's.
 */
function markRolledBack(
  results: Array<Record<string, unknown>>,
  { keepIds }: { keepIds: boolean },
): void {
  for (const result of results) {
    if (result.success !== true) continue;
    result.success = false;
    if (!keepIds) delete result.id;
    result.errors = [
      {
        statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        message:
          'Record rolled back because not all records were valid and the request was using AllOrNone header',
        fields: [],
      },
    ];
  }
}

/** sObject Collections create/update: one result per record, all-or-none optional. */
export function collections(
  state: SimState,
  call: ApiCall,
  run: SubrequestRunner,
  /** Inside a composite whose allOrNone is true: all or none, whatever the request's own flag. */
  forceAllOrNone = false,
): { response: SimResponse; subrequests: number } {
  const body = call.body as { allOrNone?: unknown; records?: unknown } | null;
  const records = body?.records;
  if (!Array.isArray(records) || records.length === 0)
    throw invalid('records: a non-empty array is required');
  if (records.length > 200)
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  const method = call.method.toUpperCase();
  const allOrNone = forceAllOrNone || body?.allOrNone === true;
  const list = records as Array<Record<string, unknown>>;
  const saveOne = (record: Record<string, unknown>): SimResponse => {
    const type = (record?.attributes as { type?: string } | undefined)?.type;
    try {
      if (!type)
        throw new ApiError(400, 'INVALID_FIELD', 'No type provided in the attributes of a record');
      // An update names its record by Id; a create must not set one ("don't set the id field for
      // any object"), so a non-null Id stays in the body and the create refuses it.
      const fields = Object.fromEntries(
        Object.entries(record).filter(
          ([key, value]) =>
            key !== 'attributes' &&
            !(key === 'Id' && (method !== 'POST' || value === null || value === undefined)),
        ),
      );
      const Id = record.Id;
      const base = `/services/data/v${call.apiVersion}/sobjects/${type}`;
      return method === 'POST'
        ? run({ method: 'POST', url: base, body: fields, headers: {} })
        : run({ method: 'PATCH', url: `${base}/${String(Id ?? '')}`, body: fields, headers: {} });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { status: error.statusCode, body: error.toBody() };
    }
  };
  // One DML statement: the records' ObjectPermissions Read dependencies are checked together at
  // its end (openDmlStatement). Without allOrNone, a record refused there is left out and the rest
  // saved again, as Salesforce retries the records that passed of a partial-success statement.
  const refusedAt = new Map<number, SimResponse>();
  let saved = new Map<number, SimResponse>();
  let transaction = state.org.transaction();
  let eventsBefore = state.publishedEvents.length;
  for (;;) {
    saved = new Map();
    let refusedAtEnd = 0;
    const statement = openDmlStatement(state.org);
    try {
      list.forEach((record, index) => {
        if (refusedAt.has(index)) return;
        statement.record(index);
        const response = saveOne(record);
        if (response.status >= 400) refusedAt.set(index, response);
        else saved.set(index, response);
      });
    } finally {
      for (const [index, error] of statement.close()) {
        saved.delete(index);
        refusedAt.set(index, { status: error.statusCode, body: error.toBody() });
        refusedAtEnd += 1;
      }
    }
    if (allOrNone || refusedAtEnd === 0) break;
    // Records refused at the statement's end: roll back and save the others again.
    transaction.rollback();
    state.publishedEvents.length = eventsBefore;
    transaction = state.org.transaction();
    eventsBefore = state.publishedEvents.length;
  }
  const failed = refusedAt.size > 0;
  const results: Array<Record<string, unknown>> = list.map((record, index) => {
    const refused = refusedAt.get(index);
    if (refused) {
      const errors = (
        refused.body as Array<{ errorCode: string; message: string; fields?: string[] }>
      ).map((e) => ({
        statusCode: e.errorCode,
        message: e.message,
        fields: e.fields ?? [],
      }));
      return { success: false, errors };
    }
    // A record's SaveResult as its own create gave it: an event's carries OPERATION_ENQUEUED and
    // its EventUuid in `errors` although it succeeded (Platform Events Developer Guide, "Publish
    // Event Messages with Salesforce APIs").
    const body = saved.get(index)?.body as { id?: string; errors?: unknown[] } | undefined;
    return { id: body?.id ?? record.Id, success: true, errors: body?.errors ?? [] };
  });
  if (failed && allOrNone) {
    transaction.rollback();
    // The project's events are PublishAfterCommit: a rolled-back transaction publishes none.
    state.publishedEvents.length = eventsBefore;
    markRolledBack(results, { keepIds: false });
  } else {
    transaction.end();
  }
  return {
    response: { status: 200, body: results, ...(failed && allOrNone ? { rolledBack: true } : {}) },
    subrequests: records.length,
  };
}
