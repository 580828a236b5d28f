import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook limiting requests per portal (`:portalId` of the route). */
    portalRateLimit: onRequestHookHandler;
  }
}

/** Helmet 8's defaults (https://helmetjs.github.io/), without Content-Security-Policy. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

// Thrown as an error so the one error handler answers it like every other 4xx.
const rateLimited = (_request: FastifyRequest, context: { statusCode: number; max: number; after: string }) =>
  Object.assign(new Error(`rate limit of ${context.max} requests per minute exceeded; retry after ${context.after}`), { statusCode: context.statusCode, code: 'RATE_LIMITED' });

/** Security headers, rate limits per client IP and per portal, and load shedding. */
export default fp(
  async (app) => {
    const { rateLimit: limits } = app.config;
    // The security headers @fastify/helmet (helmet 8) sends by default, fixed once here: helmet
    // runs its middleware chain on every request to produce the same constant values, which cost
    // the GET state route about a third of its throughput. No Content-Security-Policy: the API
    // answers JSON only, where it protects nothing; /docs sets its own (swagger-ui staticCSP).
    // Set in onRequest, as helmet does, so error and 404 answers carry them too.
    const headerNames = Object.keys(SECURITY_HEADERS);
    const headerValues = Object.values(SECURITY_HEADERS);
    app.addHook('onRequest', (_request, reply, done) => {
      for (let i = 0; i < headerNames.length; i++) reply.header(headerNames[i]!, headerValues[i]);
      done();
    });
    await app.register(rateLimit, {
      global: true,
      max: limits.perIpPerMinute,
      timeWindow: 60_000,
      // Health and metrics are scraped by infrastructure; they must not be throttled.
      allowList: (request: FastifyRequest) => request.url.startsWith('/health') || request.url === '/metrics',
      errorResponseBuilder: rateLimited,
      // x-ratelimit-* on every success costs each response three headers; a 429 still says when to retry.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    });
    app.decorate(
      'portalRateLimit',
      app.rateLimit({
        max: limits.perPortalPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => `portal:${(request.params as { portalId?: string }).portalId ?? ''}`,
        errorResponseBuilder: rateLimited,
      }),
    );
    await app.register(underPressure, {
      maxEventLoopDelay: app.config.maxEventLoopDelayMs,
      maxHeapUsedBytes: 0,
      maxRssBytes: 0,
      retryAfter: 5,
      pressureHandler: (_request, reply, type, value) => {
        void reply
          .status(503)
          .header('retry-after', '5')
          .send({ statusCode: 503, code: 'UNDER_PRESSURE', error: `the relay is overloaded (${type} ${value ?? ''}); retry in a few seconds` });
      },
    });
  },
  { name: 'relay-security', dependencies: ['relay-config'] },
);
