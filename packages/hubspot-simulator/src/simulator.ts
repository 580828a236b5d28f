import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { CRM_OBJECT_TYPES, READ_SCOPES, type CrmObjectType } from './properties.js';
import {
  scenarioRecords,
  SCENARIO_NAMES,
  type ScenarioName,
  type ScenarioOptions,
} from './scenarios.js';
import { parseSearchRequest, runSearch, SearchValidationError, type CrmRecord } from './search.js';

export interface HubSpotFault {
  /** Which requests: a RegExp or a substring of the path (default: every search). */
  path?: RegExp | string;
  status: 403 | 429 | 500 | 502 | 503 | 504;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Seconds in the Retry-After header of a 429 (default 1). */
  retryAfterSeconds?: number;
  /**
   * The error body's category and message of a 403 or 5xx (default: a 5xx's INTERNAL_ERROR; a 403
   * MISSING_SCOPES answer comes from `scopes`, so a 403 fault is one of another kind).
   */
  category?: string;
  message?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  objectType: CrmObjectType | null;
  status: number;
  at: string;
  authorization: 'valid' | 'invalid' | 'missing';
  body?: unknown;
}

export interface HubSpotSimulatorOptions {
  scenario?: ScenarioName;
  port?: number;
  host?: string;
  portalId?: string;
  /** Scopes granted to the private app token (default: read on contacts, companies and deals). */
  scopes?: string[];
  /** Search requests allowed per token per second (HubSpot's search limit; default 5). */
  searchRequestsPerSecond?: number;
  /** Requests per token per 10-second interval (default 190, a Professional private app). */
  requestsPerInterval?: number;
  /** Requests per day (default 625,000). */
  dailyLimit?: number;
  /** In the rate-limited scenario, how many searches are answered 429 first (default 2). */
  rateLimitedRequests?: number;
  /** Retry-After seconds of the rate-limited scenario (default 1). */
  retryAfterSeconds?: number;
  scenarioOptions?: ScenarioOptions;
  /** Clock for generating scenario data (default Date.now). */
  now?: () => number;
}

export interface HubSpotSimulator {
  url: string;
  portalId: string;
  /** A valid private-app access token (Authorization: Bearer). */
  accessToken: string;
  requests: LoggedRequest[];
  resetRequests(): void;
  scenario: ScenarioName;
  /** Regenerates every object's records for another scenario (relative to now). */
  setScenario(name: ScenarioName): void;
  records(objectType: CrmObjectType): CrmRecord[];
  setRecords(objectType: CrmObjectType, records: CrmRecord[]): void;
  injectFault(fault: HubSpotFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

// The v3 path the official client uses, and the date-versioned path of HubSpot's 2026 reference
// (`/crm/objects/2026-03/{object}/search`), which replaces v1-v3 (unsupported from September 2027).
const SEARCH_PATH = /^\/crm\/(?:v3\/objects|objects\/\d{4}-\d{2})\/([a-z_]+)\/search\/?$/;

function hubspotError(
  reply: FastifyReply,
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .send({ status: 'error', message, correlationId: randomUUID(), category, ...extra });
}

/** Starts a local HubSpot CRM API (search endpoints) on 127.0.0.1. */
export async function startHubSpotSimulator(
  options: HubSpotSimulatorOptions = {},
): Promise<HubSpotSimulator> {
  const now = options.now ?? Date.now;
  const portalId = options.portalId ?? '4711';
  const accessToken = `pat-na1-${randomBytes(16).toString('hex')}`;
  const scopes = new Set(options.scopes ?? Object.values(READ_SCOPES));
  const perSecond = options.searchRequestsPerSecond ?? 5;
  const perInterval = options.requestsPerInterval ?? 190;
  const dailyLimit = options.dailyLimit ?? 625_000;
  const tables = new Map<CrmObjectType, CrmRecord[]>();
  const faults: (HubSpotFault & { remaining: number })[] = [];
  const requests: LoggedRequest[] = [];
  const recent: number[] = [];
  let dailyUsed = 0;
  let scenario: ScenarioName = options.scenario ?? 'healthy';
  let rateLimitedLeft = 0;

  const load = (name: ScenarioName): void => {
    if (!SCENARIO_NAMES.includes(name))
      throw new Error(`unknown scenario ${name}; one of ${SCENARIO_NAMES.join(', ')}`);
    scenario = name;
    for (const type of CRM_OBJECT_TYPES)
      tables.set(type, scenarioRecords(type, name, now(), options.scenarioOptions));
    rateLimitedLeft = name === 'rate-limited' ? (options.rateLimitedRequests ?? 2) : 0;
  };
  load(scenario);

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // Every request is logged, malformed ones too (they never reach a handler).
  const logged = new WeakMap<FastifyRequest, LoggedRequest>();
  app.addHook('onRequest', async (req) => {
    const entry: LoggedRequest = {
      method: req.method,
      path: req.url.split('?')[0] ?? req.url,
      objectType: null,
      status: 0,
      at: new Date().toISOString(),
      authorization: 'missing',
    };
    logged.set(req, entry);
    requests.push(entry);
  });
  app.addHook('onResponse', async (req, reply) => {
    const entry = logged.get(req);
    if (entry) entry.status = reply.statusCode;
  });
  // Malformed JSON gets HubSpot's validation error, never a 500.
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    void hubspotError(
      reply,
      status,
      status === 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR',
      status === 500 ? 'internal error' : `Invalid input JSON: ${error.message}`,
    );
  });

  const rateHeaders = (reply: FastifyReply, t: number): void => {
    // HubSpot's rate-limit headers (developer changelog 2018-11-06 and the API usage guidelines).
    const inSecond = recent.filter((x) => t - x < 1000).length;
    const inInterval = recent.filter((x) => t - x < 10_000).length;
    reply.header('X-HubSpot-RateLimit-Daily', String(dailyLimit));
    reply.header(
      'X-HubSpot-RateLimit-Daily-Remaining',
      String(Math.max(0, dailyLimit - dailyUsed)),
    );
    reply.header('X-HubSpot-RateLimit-Interval-Milliseconds', '10000');
    reply.header('X-HubSpot-RateLimit-Max', String(perInterval));
    reply.header('X-HubSpot-RateLimit-Remaining', String(Math.max(0, perInterval - inInterval)));
    reply.header('X-HubSpot-RateLimit-Secondly', String(perSecond));
    reply.header(
      'X-HubSpot-RateLimit-Secondly-Remaining',
      String(Math.max(0, perSecond - inSecond)),
    );
  };

  const tooMany = (
    reply: FastifyReply,
    retryAfter: number,
    policyName: string,
    message: string,
  ): FastifyReply => {
    reply.header('Retry-After', String(retryAfter));
    // HubSpot's 429 body has no category, unlike its other errors: errorType, policyName and
    // groupName say which limit was hit (bodies quoted in HubSpot/hubspot-api-python#117).
    return reply.code(429).send({
      status: 'error',
      message,
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName,
      groupName: `publicapi:private-app-${policyName.toLowerCase().replace(/_/g, '-')}:${portalId}`,
    });
  };

  const searchHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const t = Date.now();
    const path = req.url.split('?')[0] ?? req.url;
    const objectType = (SEARCH_PATH.exec(path)?.[1] ?? '') as CrmObjectType;
    const entry = logged.get(req)!;
    entry.body = req.body;

    const auth = req.headers.authorization;
    entry.authorization =
      auth === undefined ? 'missing' : auth === `Bearer ${accessToken}` ? 'valid' : 'invalid';
    if (entry.authorization !== 'valid') {
      return hubspotError(
        reply,
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and private app access tokens.',
      );
    }
    if (!CRM_OBJECT_TYPES.includes(objectType))
      return hubspotError(
        reply,
        404,
        'OBJECT_NOT_FOUND',
        `Unable to infer object type from: ${objectType}`,
      );
    entry.objectType = objectType;
    if (!scopes.has(READ_SCOPES[objectType])) {
      return hubspotError(
        reply,
        403,
        'MISSING_SCOPES',
        "This app hasn't been granted all required scopes to make this call.",
        {
          errors: [
            {
              message: `One or more of the following scopes are required.`,
              context: { requiredGranularScopes: [READ_SCOPES[objectType]] },
            },
          ],
        },
      );
    }

    // Count the request, then apply the limits HubSpot applies: per second for search, per 10 s, per day.
    recent.push(t);
    while (recent.length > 0 && t - recent[0]! > 10_000) recent.shift();
    dailyUsed += 1;
    rateHeaders(reply, t);
    const fault = faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.path === undefined ||
          (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    if (fault) {
      fault.remaining -= 1;
      if (fault.status === 429)
        return tooMany(
          reply,
          fault.retryAfterSeconds ?? 1,
          'TEN_SECONDLY_ROLLING',
          'You have reached your ten_secondly_rolling limit.',
        );
      return hubspotError(
        reply,
        fault.status,
        fault.category ?? (fault.status === 403 ? 'FORBIDDEN' : 'INTERNAL_ERROR'),
        fault.message ?? (fault.status === 403 ? 'Forbidden.' : 'Internal error, please retry.'),
      );
    }
    if (rateLimitedLeft > 0) {
      rateLimitedLeft -= 1;
      return tooMany(
        reply,
        options.retryAfterSeconds ?? 1,
        'SECONDLY',
        'You have reached your secondly limit.',
      );
    }
    if (recent.filter((x) => t - x < 1000).length > perSecond)
      return tooMany(reply, 1, 'SECONDLY', 'You have reached your secondly limit.');
    if (recent.length > perInterval)
      return tooMany(
        reply,
        10,
        'TEN_SECONDLY_ROLLING',
        'You have reached your ten_secondly_rolling limit.',
      );
    if (dailyUsed > dailyLimit)
      return tooMany(reply, 3600, 'DAILY', 'You have reached your daily limit.');

    try {
      const request = parseSearchRequest(req.body);
      return reply.send(runSearch(objectType, tables.get(objectType) ?? [], request));
    } catch (error) {
      if (error instanceof SearchValidationError)
        return hubspotError(reply, 400, 'VALIDATION_ERROR', error.message);
      throw error;
    }
  };
  app.post('/crm/v3/objects/:objectType/search', searchHandler);
  app.post('/crm/objects/:version/:objectType/search', searchHandler);

  app.setNotFoundHandler((req, reply) => {
    void hubspotError(
      reply,
      404,
      'OBJECT_NOT_FOUND',
      `No route for ${req.method} ${req.url.split('?')[0]}`,
    );
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    portalId,
    accessToken,
    requests,
    resetRequests: () => void requests.splice(0),
    get scenario() {
      return scenario;
    },
    setScenario: load,
    records: (type) => tables.get(type) ?? [],
    setRecords: (type, records) => void tables.set(type, records),
    injectFault: (fault) => void faults.push({ ...fault, remaining: fault.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    close: () => app.close(),
  };
}
