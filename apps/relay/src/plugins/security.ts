import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { clientAddressKey } from './clientAddress.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts a request against its portal's limit (`:portalId` of the route, else the portal the
     * request was authenticated for, as by an inbound e-mail token), and throws a 429
     * once the limit is reached. Run it only after the request is authenticated: counted before,
     * anyone who knows a portal id could spend its budget and lock its real webhooks out.
     */
    portalRateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * The headers OWASP's REST Security Cheat Sheet asks of every API response (besides an exact
 * Content-Type): no caching of what may be sensitive, no framing, HTTPS only, no MIME sniffing.
 * Helmet's other defaults (COOP, Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-XSS-Protection,
 * ...) instruct a browser about an HTML document; on JSON they protect nothing, and each header
 * costs every answer (measured with callgrind: ~3,600 instructions per header per request on GET
 * state, a third of what a bare Fastify route spends on a whole request, and the load generator
 * parses each one too). The one HTML the relay serves, /docs, gets @fastify/helmet (swagger.ts).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/**
 * Route config of what infrastructure scrapes (health, metrics): never throttled. Set per route
 * rather than by an allowList, which @fastify/rate-limit would await on every other request.
 */
export const NOT_THROTTLED = { rateLimit: false } as const;

/**
 * The relay's JSON API, which gets API_SECURITY_HEADERS. Only these: an embedder (the preview)
 * registers its own HTML routes on the app, and a CSP of default-src 'none' would stop its page.
 * Answers for paths no route matched get them from the not-found handler (errors.ts).
 */
const isApiPath = (url: string): boolean =>
  url.startsWith('/v1/') || url.startsWith('/health') || url.startsWith('/metrics');

const headerNames = Object.keys(API_SECURITY_HEADERS);
const headerValues = Object.values(API_SECURITY_HEADERS);
export function setApiSecurityHeaders(reply: FastifyReply): void {
  for (let i = 0; i < headerNames.length; i++) reply.header(headerNames[i]!, headerValues[i]);
}

// Thrown as an error so the one error handler answers it like every other 4xx.
const rateLimited = (
  _request: FastifyRequest,
  context: { statusCode: number; max: number; after: string },
) =>
  Object.assign(
    new Error(
      `rate limit of ${context.max} requests per minute exceeded; retry after ${context.after}`,
    ),
    { statusCode: context.statusCode, code: 'RATE_LIMITED' },
  );

/** Security headers, and rate limits per client IP and per portal. (Load shedding: loadShedding.ts.) */
export default fp(
  async (app) => {
    const { rateLimit: limits } = app.config;
    // Set in onRequest, so the API's error answers carry them too; fixed values, set without
    // running a middleware chain per request.
    // X-Forwarded-For is read from no peer unless RELAY_TRUST_PROXY names it: behind source NAT
    // or a TCP balancer every client arrives from a private address, and trusting those let any
    // client pick a new address per request (past the per-IP limits). Said once, so a balancer
    // that does send it finds the setting in the log.
    let forwardedIgnored = app.config.trustProxy !== false;
    app.addHook('onRequest', (request, reply, done) => {
      if (!forwardedIgnored && request.headers['x-forwarded-for'] !== undefined) {
        forwardedIgnored = true;
        request.log.warn(
          { peer: request.socket.remoteAddress },
          'X-Forwarded-For ignored: no proxy is trusted; if this peer is your load balancer, set RELAY_TRUST_PROXY to its addresses (the per-IP limits count it as one client until then)',
        );
      }
      reply.header('x-request-id', request.id);
      if (isApiPath(request.url)) setApiSecurityHeaders(reply);
      done();
    });
    await app.register(rateLimit, {
      global: true,
      max: limits.perIpPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => clientAddressKey(request.ip),
      errorResponseBuilder: rateLimited,
      // x-ratelimit-* on every success costs each response three headers; a 429 still says when to retry.
      addHeadersOnExceeding: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
      },
    });
    // createRateLimit, not rateLimit: the hook rateLimit makes runs once per request whichever
    // limiter it belongs to, so after the per-IP limiter (onRequest) it would count nothing.
    const portalLimiter = app.createRateLimit({
      max: limits.perPortalPerMinute,
      timeWindow: 60_000,
      // Without a `:portalId` (the e-mail inputs: the token says which portal), the portal the
      // request was authenticated for; else every such request would share one budget.
      keyGenerator: (request) =>
        `portal:${(request.params as { portalId?: string } | undefined)?.portalId ?? request.portal?.id ?? ''}`,
    });
    app.decorate('portalRateLimit', async (request: FastifyRequest, reply: FastifyReply) => {
      const verdict = await portalLimiter(request);
      if (verdict.isAllowed || !verdict.isExceeded) return;
      reply.header('retry-after', verdict.ttlInSeconds);
      throw rateLimited(request, {
        statusCode: 429,
        max: verdict.max,
        after: `${verdict.ttlInSeconds} seconds`,
      });
    });
  },
  { name: 'relay-security', dependencies: ['relay-config'] },
);
