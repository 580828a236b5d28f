import underPressure, { TYPE_RSS_BYTES } from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { NOT_THROTTLED } from './security.js';

type PressureHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  value: number | undefined,
) => void;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/under-pressure's per-route handler, called instead of shedding the request. */
    pressureHandler?: PressureHandler;
  }
  interface FastifyRequest {
    /** Set on operations routes while the relay sheds load: what is over its limit. */
    pressure?: { type: string; value: number | null };
  }
}

/**
 * Operations routes answer under load: a liveness probe that fails because the relay is busy
 * gets it restarted by the orchestrator, which moves the load onto the other instances and makes
 * things worse; and metrics are most wanted exactly then. Readiness (/health) reads
 * `request.pressure` and says "overloaded" with a 503, which takes the instance out of the load
 * balancer until it recovers, without killing it.
 */
const answerUnderPressure: PressureHandler = (request, _reply, type, value) => {
  request.pressure = { type, value: value ?? null };
};

/** How often a relay shedding on resident memory says so in its log, with the heap it actually uses. */
const RSS_WARNING_EVERY_MS = 60_000;
const MB = 1024 * 1024;

/** Route config of what infrastructure reads (health, metrics): never throttled, never shed. */
export const OPERATIONS_ROUTE = { ...NOT_THROTTLED, pressureHandler: answerUnderPressure };

/**
 * Load shedding with @fastify/under-pressure: while the event loop lags (or, when configured,
 * the heap or resident memory is too large) every other request gets a 503 with Retry-After
 * before any work is done, so senders retry later (HubSpot's webhooks and inbound-mail services
 * retry on 5xx) and nothing is half stored. Counted in relay_shed_requests_total.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const shed = new Counter({
      name: 'relay_shed_requests_total',
      help: 'Requests answered 503 by load shedding, by what was over its limit',
      labelNames: ['cause'],
      registers: [app.metrics.registry],
    });
    // Resident memory grows with a burst and is not given back (measured: ~160 MB idle, ~400 MB
    // after a 200-connection burst, and it stays), while the heap in use falls back. Shedding does
    // not shrink it, so a limit below the post-burst size sheds every request until a restart and
    // readiness keeps the instance out of the balancer. Say so when it is set, and while it sheds.
    if (config.maxRssBytes > 0) {
      app.log.warn(
        { maxRssMb: Math.round(config.maxRssBytes / MB) },
        'RELAY_MAX_RSS_MB is set: resident memory grows with bursts and is not given back, so below the size after your biggest burst every request is shed until a restart; RELAY_MAX_HEAP_USED_MB is the safer guard',
      );
    }
    let lastRssWarning = -Infinity;
    const warnSheddingOnRss = (rssBytes: number | undefined) => {
      const now = Date.now();
      if (now - lastRssWarning < RSS_WARNING_EVERY_MS) return;
      lastRssWarning = now;
      app.log.warn(
        {
          rssMb: Math.round((rssBytes ?? 0) / MB),
          maxRssMb: Math.round(config.maxRssBytes / MB),
          heapUsedMb: Math.round(process.memoryUsage().heapUsed / MB),
        },
        'shedding requests: resident memory is over RELAY_MAX_RSS_MB; if the heap in use is far below it, the memory is held, not used, and shedding will not bring it down: raise the limit or restart the instance',
      );
    };
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      maxHeapUsedBytes: config.maxHeapUsedBytes,
      maxRssBytes: config.maxRssBytes,
      sampleInterval: config.pressureSampleIntervalMs,
      pressureHandler: (_request, reply, type, value) => {
        shed.inc({ cause: type });
        if (type === TYPE_RSS_BYTES) warnSheddingOnRss(value);
        void reply
          .status(503)
          .header('retry-after', '5')
          .send({
            statusCode: 503,
            code: 'UNDER_PRESSURE',
            error: `the relay is overloaded (${type} ${value ?? ''}); retry in a few seconds`,
          });
      },
    });
  },
  { name: 'relay-load-shedding', dependencies: ['relay-config', 'relay-metrics'] },
);
