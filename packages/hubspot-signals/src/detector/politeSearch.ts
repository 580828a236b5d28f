import { Client } from '@hubspot/api-client';
import { pageText } from '@sync-doctor/core';
import type { CrmObjectType } from './evaluate.js';

/**
 * One CRM search through the official client, retried the polite way. The client's own retry
 * decorator waits fixed times and ignores Retry-After, so it is switched off
 * (`numberOfApiCallRetries: 0`, the default) and retries happen here:
 * - 429: wait what Retry-After says (HubSpot sends seconds) plus a little jitter; when it asks for
 *   longer than `maxRetryAfterMs`, give up this check with a RateLimitedError so the scheduler
 *   postpones the portal instead of holding a worker;
 * - 5xx and network errors: exponential backoff with jitter, `maxAttempts` in all;
 * - other 4xx (401 bad token, 403 missing scope, 400): no retry, a HubSpotRequestError.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxRetryAfterMs: number;
  /**
   * How long one request may take before it counts as failed (and is retried like a 5xx). The
   * client sets no deadline of its own (Node's fetch waits up to 5 minutes for headers), and the
   * scheduler runs one check at a time: without this, a HubSpot that accepts connections but does
   * not answer would hold every portal's checks for up to 45 minutes per portal. Default 30 s.
   */
  requestTimeoutMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxRetryAfterMs: 30_000,
  requestTimeoutMs: 30_000,
};

/** A request HubSpot did not answer within the policy's requestTimeoutMs. */
class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`HubSpot did not answer within ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(ms)), ms);
  });
  // The request itself cannot be aborted through the client; its late answer is dropped.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export class HubSpotRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly category: string | null,
  ) {
    super(message);
    this.name = 'HubSpotRequestError';
  }
}

export class RateLimitedError extends HubSpotRequestError {
  constructor(readonly retryAfterMs: number) {
    super(`HubSpot asked to wait ${Math.round(retryAfterMs / 1000)} s (429)`, 429, 'RATE_LIMITS');
    this.name = 'RateLimitedError';
  }
}

export interface SearchBody {
  filterGroups: { filters: { propertyName: string; operator: string; value?: string }[] }[];
  sorts: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  properties: string[];
  limit: number;
}

export interface SearchResult {
  id: string;
  properties: Record<string, string | null>;
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client per portal: the private-app token, and `basePath` for anything but api.hubapi.com (the simulator). */
export function createHubSpotClient(accessToken: string, basePath?: string): Client {
  return new Client({ accessToken, numberOfApiCallRetries: 0, ...(basePath ? { basePath } : {}) });
}

function retryAfterMs(headers: Record<string, string> | undefined): number {
  const raw = headers?.['retry-after'] ?? headers?.['Retry-After'];
  if (raw === undefined) return 1000;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - Date.now());
}

interface ApiErrorLike {
  code?: unknown;
  headers?: Record<string, string>;
  body?: { message?: string; category?: string } | string;
}

export interface SearchCounters {
  requests: number;
}

export async function politeSearch(
  client: Client,
  objectType: CrmObjectType,
  body: SearchBody,
  options: {
    policy?: RetryPolicy;
    sleep?: Sleep;
    random?: () => number;
    counters?: SearchCounters;
  } = {},
): Promise<SearchResult[]> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  // The codegen types `sorts` as string[]; HubSpot takes { propertyName, direction } objects, which
  // the client's serializer passes through unchanged.
  const request = body as unknown as Parameters<
    Client['crm']['contacts']['searchApi']['doSearch']
  >[0];
  for (let attempt = 1; ; attempt++) {
    if (options.counters) options.counters.requests += 1;
    try {
      const api = client.crm[objectType].searchApi;
      const timeoutMs = policy.requestTimeoutMs ?? DEFAULT_RETRY_POLICY.requestTimeoutMs!;
      const page = await withDeadline(api.doSearch(request), timeoutMs);
      return page.results.map((r) => ({ id: r.id, properties: r.properties }));
    } catch (caught) {
      const error = caught as ApiErrorLike;
      const status = typeof error.code === 'number' ? error.code : null;
      const parsed = typeof error.body === 'string' ? safeJson(error.body) : error.body;
      const message =
        parsed?.message ??
        (status !== null ? answerExcerpt(status, error.body) : failureMessage(caught));
      if (status === 429) {
        const wait = retryAfterMs(error.headers);
        if (wait > policy.maxRetryAfterMs || attempt >= policy.maxAttempts)
          throw new RateLimitedError(Math.max(wait, 1000));
        await sleep(wait + Math.floor(random() * 250));
        continue;
      }
      const transient = status === null || status >= 500;
      if (transient && attempt < policy.maxAttempts) {
        await sleep(policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + random()));
        continue;
      }
      throw new HubSpotRequestError(
        `HubSpot search on ${objectType} failed${status ? ` (${status})` : ''}: ${message}`,
        status,
        parsed?.category ?? null,
      );
    }
  }
}

/**
 * An answer without HubSpot's JSON error (an HTML page from its edge during an outage): its status
 * and the first words of its text. The client's own message would carry the whole page and every
 * response header into lastCheck.error, /health and the log.
 */
function answerExcerpt(status: number, body: unknown): string {
  const text = typeof body === 'string' ? pageText(body) : '';
  return `HTTP ${status}${text ? `: ${text.length > 200 ? `${text.slice(0, 199)}…` : text}` : ''}`;
}

/**
 * A request that got no answer: Node's fetch says only "fetch failed" and keeps why (ECONNREFUSED,
 * ENOTFOUND, a TLS error) in its cause, which is what an admin needs to see.
 */
function failureMessage(caught: unknown): string {
  const e = caught as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const message = typeof e?.message === 'string' ? e.message : String(caught);
  const cause =
    typeof e?.cause?.code === 'string'
      ? e.cause.code
      : typeof e?.cause?.message === 'string'
        ? e.cause.message
        : null;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

function safeJson(text: string): { message?: string; category?: string } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as { message?: string; category?: string })
      : undefined;
  } catch {
    return undefined;
  }
}
