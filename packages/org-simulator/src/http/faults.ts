import { ApiError } from '../errors.js';
import type { FaultKind, FaultSpec, SimResponse } from './types.js';

/**
 * Injected failures, each as Salesforce reports it:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#exceptioncode_topic
 */
export const FAULT_KINDS: readonly FaultKind[] = [
  'REQUEST_LIMIT_EXCEEDED',
  'API_DISABLED_FOR_ORG',
  'INVALID_SESSION_ID',
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'NOT_FOUND',
  'SLOW',
];

export function faultError(kind: Exclude<FaultKind, 'SLOW'>): ApiError {
  switch (kind) {
    case 'REQUEST_LIMIT_EXCEEDED':
      return new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    case 'API_DISABLED_FOR_ORG':
      return new ApiError(
        403,
        'API_DISABLED_FOR_ORG',
        'The REST API is not enabled for this Organization.',
      );
    case 'INVALID_SESSION_ID':
      return new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    case 'UNABLE_TO_LOCK_ROW':
      return new ApiError(
        400,
        'UNABLE_TO_LOCK_ROW',
        'unable to obtain exclusive access to this record or 1 records',
        [],
      );
    case 'SERVER_UNAVAILABLE':
      return new ApiError(
        503,
        'SERVER_UNAVAILABLE',
        'Server temporarily unavailable. Please try again later.',
      );
    case 'INTERNAL_SERVER_ERROR':
      return new ApiError(
        500,
        'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support: 1933346542-101375 (-1138477611)',
      );
    // A resource gone between two requests (a record type deleted after the query that found it),
    // or one the user may not see: Salesforce answers both alike.
    case 'NOT_FOUND':
      return new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
}

/**
 * The token endpoint (POST /services/oauth2/token) is not the REST API and never answers REST
 * error arrays: when Salesforce's login servers are down or in maintenance they answer 503 with an
 * HTML page, and a passing failure of the grant itself is the OAuth error `unknown_error` /
 * `retry your request` (reported by clients of the JWT, password and refresh-token flows alike).
 * The other kinds keep the REST shape there (no OAuth counterpart is documented).
 */
export function tokenEndpointFault(kind: Exclude<FaultKind, 'SLOW'>): SimResponse | null {
  switch (kind) {
    case 'SERVER_UNAVAILABLE':
      return {
        status: 503,
        html: '<html><head><title>Service Unavailable</title></head><body><p>Salesforce is temporarily unavailable. Please try again later.</p></body></html>',
      };
    case 'INTERNAL_SERVER_ERROR':
      return {
        status: 500,
        body: { error: 'unknown_error', error_description: 'retry your request' },
      };
    default:
      return null;
  }
}

interface ActiveFault extends FaultSpec {
  hits: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.fault)) {
      throw new Error(`Unknown fault '${String(spec.fault)}'. Known: ${FAULT_KINDS.join(', ')}`);
    }
    if (!(spec.path instanceof RegExp) && typeof spec.path !== 'string')
      throw new Error('injectFault needs a path (RegExp or string)');
    this.faults.push({ ...spec, hits: 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * The fault for this request, if any; consumes one of its `times`. UNABLE_TO_LOCK_ROW only hits
   * writes (`isWrite`), since a read never locks a row.
   */
  take(
    method: string,
    pathWithQuery: string,
    isWrite: boolean,
    only?: FaultKind,
  ): ActiveFault | undefined {
    const path = pathWithQuery.split('?')[0] ?? pathWithQuery;
    for (const fault of this.faults) {
      if (only && fault.fault !== only) continue;
      if (fault.times !== undefined && fault.hits >= fault.times) continue;
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) continue;
      if (fault.fault === 'UNABLE_TO_LOCK_ROW' && !isWrite) continue;
      const matches =
        fault.path instanceof RegExp ? fault.path.test(pathWithQuery) : path.includes(fault.path);
      if (!matches) continue;
      fault.hits++;
      return fault;
    }
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
