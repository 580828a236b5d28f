import Fastify, { type FastifyInstance } from 'fastify';
import { ApiError, invalidSession, jsonParserError, requestLimitExceeded } from '../errors.js';
import { handleApiCall } from './api.js';
import {
  collections,
  deleteCollection,
  composite,
  compositeBatch,
  isCollectionsUrl,
  type SubrequestRunner,
} from './composite.js';
import { faultError, sleep, tokenEndpointFault } from './faults.js';
import { identity, tokenEndpoint, userHasApiAccess } from './oauth.js';
import type { SimState } from './state.js';
import type { ApiCall, SimResponse } from './types.js';

const API_PATH = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/;
const LATEST_VERSION = '64.0';
/** The oldest version Salesforce still serves: 21.0 to 30.0 were retired in Summer '25. */
const OLDEST_VERSION = '31.0';

/**
 * A version Salesforce does not serve: a retired one (below 31.0) answers 410 GONE ("REST API
 * returns 410: GONE", Salesforce Help "Salesforce Platform API Versions 21.0 through 30.0
 * Retirement"), one the org does not know yet (above its release's) 404 NOT_FOUND as any unknown
 * resource. The body of the 410 is not documented; the simulator words it as the 404.
 */
function unsupportedVersion(version: string): ApiError | null {
  if (Number(version) < Number(OLDEST_VERSION))
    return new ApiError(410, 'NOT_FOUND', 'The requested resource does not exist');
  if (Number(version) > Number(LATEST_VERSION))
    return new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return null;
}

interface IncomingRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * Build the Fastify app. Every request goes through `dispatch`, which applies injected faults,
 * authenticates, counts the API call, routes, and logs, so composite subrequests can reuse the
 * routing without being counted or logged twice.
 */
export function buildServer(state: SimState): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  // Salesforce's token endpoint takes form posts; everything else is JSON.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'invalid JSON';
      const failure = jsonParserError(detail) as ApiError & {
        statusCode: number;
      };
      done(failure, undefined);
    }
  });
  app.setErrorHandler((error, request, reply) => {
    // Fastify's own errors (unsupported media type, body too large) keep their 4xx status.
    const fastifyStatus = (error as { statusCode?: number }).statusCode;
    const message = error instanceof Error ? error.message : String(error);
    const apiError =
      error instanceof ApiError
        ? error
        : jsonParserError(
            message,
            fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500 ? fastifyStatus : 400,
          );
    const status = apiError.statusCode;
    state.log({ method: request.method, path: request.url, status, at: new Date().toISOString() });
    void reply.code(status).send(apiError.toBody());
  });
  app.all('/*', async (request, reply) => {
    const incoming: IncomingRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers as Record<string, string | undefined>,
      body: request.body,
    };
    const { response, subrequests } = await dispatch(state, incoming);
    const entry: {
      method: string;
      path: string;
      status: number;
      at: string;
      body?: unknown;
      subrequests?: number;
    } = {
      method: request.method,
      path: request.url,
      status: response.status,
      at: new Date().toISOString(),
    };
    if (
      state.options.logBodies &&
      request.body !== undefined &&
      !request.url.startsWith('/services/oauth2/')
    )
      entry.body = request.body;
    if (subrequests !== undefined) entry.subrequests = subrequests;
    state.log(entry);
    for (const [name, value] of Object.entries(response.headers ?? {}))
      void reply.header(name, value);
    void reply.code(response.status);
    if (response.html !== undefined)
      return reply.type('text/html;charset=UTF-8').send(response.html);
    if (response.body === undefined || response.status === 204) return reply.send();
    return reply.type('application/json;charset=UTF-8').send(JSON.stringify(response.body));
  });
  return app;
}

function errorResponse(error: unknown): SimResponse {
  if (error instanceof ApiError) return { status: error.statusCode, body: error.toBody() };
  throw error;
}

async function dispatch(
  state: SimState,
  request: IncomingRequest,
): Promise<{ response: SimResponse; subrequests?: number }> {
  const url = new URL(request.url, 'http://simulator');
  const path = url.pathname;
  const method = request.method.toUpperCase();
  const isComposite = /\/composite(\/|$)/.test(path);
  const fault = state.faults.take(method, request.url, method !== 'GET' && !isComposite);
  if (fault) {
    await sleep(fault.delayMs ?? (fault.fault === 'SLOW' ? 1000 : 0));
    if (fault.fault !== 'SLOW') {
      const tokenFault = path === '/services/oauth2/token' ? tokenEndpointFault(fault.fault) : null;
      if (tokenFault) return { response: tokenFault };
      return { response: withLimitHeader(state, path, errorResponse(faultError(fault.fault))) };
    }
  }

  if (path === '/services/oauth2/token') {
    if (method !== 'POST')
      return {
        response: {
          status: 405,
          body: { error: 'invalid_request', error_description: 'must use HTTP POST' },
        },
      };
    const form = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
      string,
      string
    >;
    return { response: tokenEndpoint(state, form) };
  }
  if (path === '/services/data' || path === '/services/data/') {
    // The versions resource needs no session and does not count against limits.
    return { response: { status: 200, body: versions() } };
  }

  const session = authenticate(state, request.headers.authorization);
  if (path === '/services/oauth2/userinfo' || path.startsWith('/id/')) {
    if (!session) return { response: { status: 403, body: 'Bad_OAuth_Token' } };
    return { response: identity(state, session) };
  }
  const match = API_PATH.exec(path);
  if (!match)
    return {
      response: errorResponse(
        new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist'),
      ),
    };
  const versionError = unsupportedVersion(match[1]!);
  if (versionError) return { response: errorResponse(versionError) };
  if (!session) return { response: errorResponse(invalidSession()) };
  const daily = state.org.apiUsage();
  if (daily.max > 0 && daily.used >= daily.max)
    return { response: withLimitHeader(state, path, errorResponse(requestLimitExceeded())) };
  if (!userHasApiAccess(state, session)) {
    return {
      response: errorResponse(
        new ApiError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User'),
      ),
    };
  }
  state.org.countApiRequest();

  const call: ApiCall = {
    method,
    path: match[2] ?? '/',
    query: url.searchParams,
    body: request.body,
    apiVersion: match[1]!,
    headers: request.headers,
    userId: session,
  };
  // A SLOW fault on a subrequest slows the whole composite answer (subrequests run synchronously).
  const slowMs = subrequestUrls(call).reduce((total, sub) => {
    const slow = state.faults.take(sub.method, sub.url, false, 'SLOW');
    return total + (slow ? (slow.delayMs ?? 1000) : 0);
  }, 0);
  if (slowMs > 0) await sleep(slowMs);
  let result: { response: SimResponse; subrequests?: number };
  try {
    result = route(state, call);
  } catch (error) {
    result = { response: errorResponse(error) };
  }
  result.response = withLimitHeader(state, path, result.response);
  return result;
}

function route(state: SimState, call: ApiCall): { response: SimResponse; subrequests?: number } {
  const run = subrequestRunner(state, call);
  const method = call.method;
  if (call.path === '/composite' || call.path === '/composite/') {
    if (method !== 'POST')
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are POST`,
      );
    return composite(state, call, run);
  }
  if (call.path === '/composite/batch') {
    if (method !== 'POST')
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are POST`,
      );
    return compositeBatch(call, run);
  }
  if (call.path === '/composite/sobjects') {
    if (method === 'DELETE') return deleteCollection(state, call, run);
    if (method !== 'POST' && method !== 'PATCH') {
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are POST, PATCH, DELETE`,
      );
    }
    return collections(state, call, run);
  }
  return { response: handleApiCall(state, call) };
}

/** The method and URL of each subrequest of a composite or batch body (empty for other calls). */
function subrequestUrls(call: ApiCall): Array<{ method: string; url: string }> {
  const body = call.body as
    { compositeRequest?: unknown; batchRequests?: unknown } | null | undefined;
  const list = call.path.startsWith('/composite/batch')
    ? body?.batchRequests
    : call.path.startsWith('/composite')
      ? body?.compositeRequest
      : undefined;
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (sub): sub is { method: string; url: string } =>
        !!sub && typeof sub.method === 'string' && typeof sub.url === 'string',
    )
    .map((sub) => ({ method: sub.method.toUpperCase(), url: sub.url }));
}

/** Subrequests: same routing and faults, no extra API count, no nested composites. */
function subrequestRunner(state: SimState, parent: ApiCall): SubrequestRunner {
  return (sub) => {
    const url = new URL(sub.url, 'http://simulator');
    const match = API_PATH.exec(url.pathname);
    if (!match) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const versionError = unsupportedVersion(match[1]!);
    if (versionError) throw versionError;
    const subPath = match[2] ?? '/';
    const method = sub.method.toUpperCase();
    // sObject Collections is the one composite resource a /composite may carry (API 43.0 and
    // later); nothing may be nested in a /composite/batch or in a collection.
    const collection = parent.path.replace(/\/$/, '') === '/composite' && isCollectionsUrl(sub.url);
    if (collection && Number(match[1]) < 43)
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `sObject Collections subrequests need API version 43.0 or later, not ${match[1]}`,
      );
    if (subPath.startsWith('/composite') && !collection)
      throw new ApiError(400, 'INVALID_INPUT', 'Composite requests cannot be nested');
    // A /composite takes sObject resources, Query, QueryAll and sObject Collections only (REST API
    // Developer Guide, "Send Multiple Requests Using Composite"); /limits and the rest are for
    // /composite/batch or a call of their own. The refusal's code and words are the simulator's:
    // the guide names what is supported, not how the rest is refused.
    if (
      parent.path.replace(/\/$/, '') === '/composite' &&
      !collection &&
      !/^\/(sobjects|query|queryAll)(\/|$)/.test(subPath)
    )
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `${url.pathname} is not supported in a composite request: it takes sObject resources, query, queryAll and sObject Collections`,
      );
    const fault = state.faults.take(method, sub.url, method !== 'GET');
    if (fault && fault.fault !== 'SLOW') throw faultError(fault.fault);
    if (collection) {
      if (method !== 'POST' && method !== 'PATCH' && method !== 'DELETE')
        throw new ApiError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${method}' not allowed. Allowed are POST, PATCH, DELETE`,
        );
      const call: ApiCall = {
        method,
        path: subPath,
        query: url.searchParams,
        body: sub.body,
        apiVersion: match[1]!,
        headers: { ...parent.headers, ...sub.headers },
        userId: parent.userId,
      };
      const outerAllOrNone = (parent.body as { allOrNone?: unknown } | null)?.allOrNone === true;
      const runner = subrequestRunner(state, call);
      return method === 'DELETE'
        ? deleteCollection(state, call, runner, outerAllOrNone).response
        : collections(state, call, runner, outerAllOrNone).response;
    }
    return handleApiCall(state, {
      method,
      path: subPath,
      query: url.searchParams,
      body: sub.body,
      apiVersion: match[1]!,
      headers: { ...parent.headers, ...sub.headers },
      userId: parent.userId,
    });
  };
}

function authenticate(state: SimState, header: string | undefined): string | undefined {
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  const session = state.sessions.get(match[1]!);
  if (!session || session.expired) return undefined;
  const user = state.org.getById(session.userId)?.record;
  return user && user.IsActive === true ? user.Id : undefined;
}

/** Sforce-Limit-Info on every REST API response: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm */
function withLimitHeader(state: SimState, path: string, response: SimResponse): SimResponse {
  if (!API_PATH.test(path)) return response;
  const { used, max } = state.org.apiUsage();
  return {
    ...response,
    headers: { ...(response.headers ?? {}), 'Sforce-Limit-Info': `api-usage=${used}/${max}` },
  };
}

/** GET /services/data: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_versions.htm */
function versions(): Array<Record<string, string>> {
  const list: Array<Record<string, string>> = [];
  for (let v = Number(OLDEST_VERSION); v <= Number(LATEST_VERSION); v++) {
    list.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return list;
}
