/** What a handler answers: status, JSON body (undefined for 204) and extra headers. */
export interface SimResponse {
  status: number;
  body?: unknown;
  /** An HTML page instead of a JSON body (what Salesforce's login servers answer when down). */
  html?: string;
  headers?: Record<string, string>;
  /**
   * Internal, never sent: an sObject Collections answer (200) whose all-or-none request was
   * rolled back, so a composite carrying it counts the subrequest as failed.
   */
  rolledBack?: boolean;
}

/** One API call as the dispatcher sees it (a top-level request or a composite subrequest). */
export interface ApiCall {
  method: string;
  /** Path after /services/data/vXX.X, e.g. '/sobjects/Contact/describe'. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  apiVersion: string;
  headers: Record<string, string | undefined>;
  /** The session's user. */
  userId: string;
}

export type FaultKind =
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'API_DISABLED_FOR_ORG'
  | 'INVALID_SESSION_ID'
  | 'UNABLE_TO_LOCK_ROW'
  | 'SERVER_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'NOT_FOUND'
  | 'SLOW';

export interface FaultSpec {
  /** A RegExp tested against the path with its query string, or a substring of the path. */
  path: RegExp | string;
  method?: string;
  fault: FaultKind;
  /** How many matching requests fail; unlimited when absent. */
  times?: number;
  /** For SLOW (default 1000 ms); other faults answer after this delay too. */
  delayMs?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query string as received. */
  path: string;
  status: number;
  at: string;
  body?: unknown;
  /** Subrequests of a composite, batch or collection request. */
  subrequests?: number;
}

export interface PublishedEvent {
  sobjectType: string;
  payload: Record<string, unknown>;
  at: string;
}
