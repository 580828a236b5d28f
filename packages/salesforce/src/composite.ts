import type { Connection } from 'jsforce';
import { SalesforceError, errorFromBody } from './errors.js';
import { sendRest } from './transport.js';
import { DATA_PATH } from './version.js';

/**
 * The Composite resource: up to 25 sub-requests in one HTTP request that counts as one API call,
 * of which at most 5 may be query operations (Query, QueryAll, and "query more" via
 * nextRecordsUrl) or sObject Collections. Later sub-requests may refer to earlier results with
 * `@{referenceId.path}`. (REST API Developer Guide, "Composite" and "Send Multiple Requests Using Composite".)
 */
export const COMPOSITE_MAX_SUBREQUESTS = 25;
export const COMPOSITE_MAX_QUERIES = 5;

export interface SubRequest {
  referenceId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}

export interface SubResponse {
  referenceId: string;
  httpStatusCode: number;
  body: unknown;
}

export function isQueryOperation(sub: Pick<SubRequest, 'url'>): boolean {
  return (
    /\/services\/data\/v[\d.]+\/(query|queryAll)(\/|\?|$)/.test(sub.url) ||
    /\/composite\/sobjects/.test(sub.url)
  );
}

/** Packs independent sub-requests into as few composites as the limits allow, in order. */
export function packSubRequests(subs: readonly SubRequest[]): SubRequest[][] {
  const packs: SubRequest[][] = [];
  let current: SubRequest[] = [];
  let queries = 0;
  for (const sub of subs) {
    const isQuery = isQueryOperation(sub);
    if (
      current.length >= COMPOSITE_MAX_SUBREQUESTS ||
      (isQuery && queries >= COMPOSITE_MAX_QUERIES)
    ) {
      packs.push(current);
      current = [];
      queries = 0;
    }
    current.push(sub);
    if (isQuery) queries += 1;
  }
  if (current.length > 0) packs.push(current);
  return packs;
}

/** Sends one composite request and returns the sub-responses by reference id. */
export async function sendComposite(
  conn: Connection,
  subrequests: readonly SubRequest[],
  options: { allOrNone?: boolean; collateSubrequests?: boolean; label?: string } = {},
): Promise<Map<string, SubResponse>> {
  if (subrequests.length === 0) return new Map();
  if (
    subrequests.length > COMPOSITE_MAX_SUBREQUESTS ||
    subrequests.filter(isQueryOperation).length > COMPOSITE_MAX_QUERIES
  ) {
    throw new Error(
      `A composite request holds at most ${COMPOSITE_MAX_SUBREQUESTS} sub-requests and ${COMPOSITE_MAX_QUERIES} queries`,
    );
  }
  const body = {
    allOrNone: options.allOrNone ?? false,
    // Sent only when asked: collation (the default from API 49.0) may run same-method /sobjects
    // subrequests out of order.
    ...(options.collateSubrequests === undefined
      ? {}
      : { collateSubrequests: options.collateSubrequests }),
    compositeRequest: subrequests.map(({ referenceId, method, url, body: subBody }) =>
      subBody === undefined
        ? { method, url, referenceId }
        : { method, url, referenceId, body: subBody },
    ),
  };
  const response = await sendRest<{ compositeResponse?: SubResponse[] }>(conn, {
    method: 'POST',
    url: `${DATA_PATH}/composite`,
    body,
    label: options.label ?? 'POST /composite',
  });
  if (!response || !Array.isArray(response.compositeResponse)) {
    throw new SalesforceError({
      errorCode: 'UNEXPECTED_RESPONSE',
      message: 'The composite response had no compositeResponse array',
      request: options.label,
    });
  }
  const byReference = new Map<string, SubResponse>();
  for (const sub of response.compositeResponse) byReference.set(sub.referenceId, sub);
  return byReference;
}

/** The body of a successful sub-response, or the SalesforceError it carries. */
export function subResult<T>(response: SubResponse | undefined, referenceId: string): T {
  if (!response) {
    throw new SalesforceError({
      errorCode: 'UNEXPECTED_RESPONSE',
      message: `No sub-response for ${referenceId}`,
      request: `composite:${referenceId}`,
    });
  }
  if (response.httpStatusCode >= 400)
    throw errorFromBody(response.body, response.httpStatusCode, `composite:${referenceId}`);
  return response.body as T;
}

/** Like subResult, but returns the error instead of throwing it. */
export function subOutcome<T>(
  response: SubResponse | undefined,
  referenceId: string,
): { ok: true; value: T } | { ok: false; error: SalesforceError } {
  try {
    return { ok: true, value: subResult<T>(response, referenceId) };
  } catch (error) {
    if (error instanceof SalesforceError) return { ok: false, error };
    throw error;
  }
}

/**
 * With allOrNone, one failing sub-request rolls back the others, which then report
 * PROCESSING_HALTED; the error worth showing is the one that did not.
 */
export function firstFailure(responses: Map<string, SubResponse>): SalesforceError | null {
  let halted: SalesforceError | null = null;
  for (const [referenceId, response] of responses) {
    if (response.httpStatusCode < 400) continue;
    const error = errorFromBody(response.body, response.httpStatusCode, `composite:${referenceId}`);
    if (error.errorCode !== 'PROCESSING_HALTED') return error;
    halted ??= error;
  }
  return halted;
}
