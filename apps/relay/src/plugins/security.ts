import helmet from '@fastify/helmet';
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

// Thrown as an error so the one error handler answers it like every other 4xx.
const rateLimited = (_request: FastifyRequest, context: { statusCode: number; max: number; after: string }) =>
  Object.assign(new Error(`rate limit of ${context.max} requests per minute exceeded; retry after ${context.after}`), { statusCode: context.statusCode, code: 'RATE_LIMITED' });

/** Helmet headers, rate limits per client IP and per portal, and load shedding. */
export default fp(
  async (app) => {
    const { rateLimit: limits } = app.config;
    await app.register(helmet, {
      // The API answers JSON only, where a Content-Security-Policy protects nothing, and building
      // the header costs on every request; /docs sets its own CSP (@fastify/swagger-ui staticCSP).
      contentSecurityPolicy: false,
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
