import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { STATUS_EVENT } from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';

/** Where the demo page listens to the org's Sync_Doctor_Event__e (the empApi stand-in's stream). */
export const ORG_EVENTS_PATH = '/preview/org-events';

/** The SSE event name the empApi stand-in reads as a platform event's payload, as it is. */
export const PLATFORM_EVENT_SSE_NAME = 'platform-event';

/** How often the org's published events are looked at while a page listens. */
const WATCH_MS = 25;
const HEARTBEAT_MS = 15_000;

/**
 * The org's Sync_Doctor_Event__e channel as Server-Sent Events, for the demo page's empApi stand-in.
 *
 * In Salesforce the page learns of a relayed change from the platform event the relay publishes in
 * the same all-or-none request as the HubSpot_Sync_Status__c record (publishStatus), published
 * after commit: the page is told only once the record is in the org, and never when its write
 * failed. The relay's own stream (/v1/portals/:id/stream) speaks as soon as the relay's store
 * changed, before (or without) any delivery into the org: a page listening to it read the record
 * too early, or was told of a suspension the org never got. So the demo streams what the simulated
 * org published (its publishedEvents), each event's fields as the payload empApi delivers.
 *
 * The simulator answers a composite request synchronously and drops the events of a rolled-back
 * one within that same turn, so whatever is in publishedEvents when the watcher looks was
 * committed. Every portal's events go to every listener, as the channel does in Salesforce; the
 * panel keeps its portal's. Ids are `<stream>-<count>`: an EventSource reconnecting to this stack
 * (Last-Event-ID) gets the events it missed, one reconnecting to another (a restarted demo) none.
 */
export function registerOrgEventStream(app: FastifyInstance, sim: OrgSimulator): void {
  const streamId = randomUUID();
  const listeners = new Set<ServerResponse>();
  let sent = sim.publishedEvents.length;
  let watcher: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;

  const frame = (index: number): string | null => {
    const event = sim.publishedEvents[index];
    if (!event || event.sobjectType !== STATUS_EVENT.name) return null;
    return `id: ${streamId}-${index + 1}\nevent: ${PLATFORM_EVENT_SSE_NAME}\ndata: ${JSON.stringify({ payload: { CreatedDate: event.at, ...event.payload } })}\n\n`;
  };

  const look = () => {
    const published = sim.publishedEvents.length;
    // Nothing but a rollback in the same turn shortens the list; never send an index twice.
    if (published < sent) sent = published;
    for (; sent < published; sent++) {
      const text = frame(sent);
      if (text) for (const listener of listeners) listener.write(text);
    }
  };

  const stop = (listener: ServerResponse) => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    if (watcher) clearInterval(watcher);
    if (heartbeat) clearInterval(heartbeat);
    watcher = heartbeat = null;
  };

  app.get(ORG_EVENTS_PATH, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n');
    look();
    // A reconnect of this stack's stream: the events published while it was away, in order.
    const last = request.headers['last-event-id'];
    const resumed =
      typeof last === 'string' && last.startsWith(`${streamId}-`)
        ? Number(last.slice(streamId.length + 1))
        : NaN;
    if (Number.isInteger(resumed) && resumed >= 0)
      for (let index = resumed; index < sent; index++) {
        const text = frame(index);
        if (text) res.write(text);
      }
    listeners.add(res);
    watcher ??= setInterval(look, WATCH_MS).unref();
    heartbeat ??= setInterval(() => {
      for (const listener of listeners) listener.write(': heartbeat\n\n');
    }, HEARTBEAT_MS).unref();
    request.raw.on('close', () => stop(res));
  });

  // Open streams end when the server closes, so shutdown never waits on a listening page.
  app.addHook('preClose', async () => {
    for (const listener of [...listeners]) {
      listener.end();
      stop(listener);
    }
  });
}
