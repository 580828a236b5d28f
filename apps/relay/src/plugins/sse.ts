import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { StatusEvent } from './signals.js';

export interface StreamsService {
  /** Turns the reply into a Server-Sent Events stream of one portal's changes. */
  open(request: FastifyRequest, reply: FastifyReply, portalId: string): Promise<void>;
  readonly count: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    streams: StreamsService;
  }
}

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events: the first event is the current status, then one `status` event per change
 * (id = change id), and a comment line every 15 s so proxies keep the connection open.
 * Open streams are ended when the server closes, so shutdown never waits on idle browsers.
 */
export default fp(
  async (app) => {
    const open = new Set<() => void>();

    const service: StreamsService = {
      get count() {
        return open.size;
      },
      async open(request, reply, portalId) {
        const current = await app.store.getStatus(portalId);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const send = (event: string, data: unknown, id?: number) =>
          res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        res.write('retry: 3000\n\n');
        send('status', current);
        const unsubscribe = app.signals.subscribe(portalId, (event: StatusEvent) => send('status', event.status, event.change.id));
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        const end = () => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(end);
          if (!res.writableEnded) res.end();
        };
        open.add(end);
        request.raw.on('close', end);
      },
    };
    app.decorate('streams', service);
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });
  },
  { name: 'relay-sse', dependencies: ['relay-signals'] },
);
