import type { RelayedStatus } from '@sync-doctor/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { blankStatus } from '../domain/signal.js';
import { HttpError } from '../errors.js';
import type { StatusEvent } from './signals.js';

export interface StreamsService {
  /** Turns the reply into a Server-Sent Events stream of one portal's changes. */
  open(request: FastifyRequest, reply: FastifyReply, portalId: string): Promise<void>;
  readonly count: number;
  /** Streams dropped because their client left more than the buffer limit unread. */
  readonly dropped: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    streams: StreamsService;
  }
}

const HEARTBEAT_MS = 15_000;
/** A client that missed more changes than this gets the current status instead of a replay. */
export const REPLAY_LIMIT = 100;
/** Last-Event-ID 0: before the first change, i.e. replay the portal's changes from the start. */
const FROM_THE_START = 0;

interface Opening {
  /** Status events to send first, oldest first; `id` is the change each status follows. */
  events: { id: number | null; status: RelayedStatus | null }[];
  /** Why the stream starts afresh although the client asked to resume, if it does. */
  note: string | null;
  /** The change the client already has, when it resumes. */
  resumedAfter: number | null;
}

/** The Last-Event-ID a reconnecting EventSource sends: a change id, or null when absent or not one. */
function lastEventId(request: FastifyRequest): number | null {
  const value = request.headers['last-event-id'];
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/**
 * Server-Sent Events. Every `status` event has the id of the change its status follows. A new
 * stream starts with the current status; a reconnecting one (Last-Event-ID) gets the status after
 * each change it missed, in order, up to REPLAY_LIMIT, and otherwise the current status with a
 * comment saying so. Then one event per change, and a comment line every 15 s so proxies keep
 * the connection open. Open streams end when the server closes, so shutdown never waits on idle
 * browsers.
 */
export default fp(
  async (app) => {
    const open = new Set<() => void>();
    const limits = app.config.streams;
    /** Streams open or opening per client IP; a slot is taken before any await, so bursts cannot overshoot. */
    const perIp = new Map<string, number>();
    let opened = 0;
    let dropped = 0;
    const take = (ip: string, reply: FastifyReply): (() => void) => {
      if (opened >= limits.maxTotal) {
        reply.header('retry-after', '30');
        throw new HttpError(
          503,
          'TOO_MANY_STREAMS',
          `this instance has ${limits.maxTotal} event streams open (RELAY_MAX_STREAMS); try again later`,
        );
      }
      const mine = perIp.get(ip) ?? 0;
      if (mine >= limits.maxPerIp) {
        reply.header('retry-after', '30');
        throw new HttpError(
          429,
          'TOO_MANY_STREAMS',
          `${limits.maxPerIp} event streams are already open from this address (RELAY_MAX_STREAMS_PER_IP); close one first`,
        );
      }
      perIp.set(ip, mine + 1);
      opened++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        opened--;
        const left = (perIp.get(ip) ?? 1) - 1;
        if (left <= 0) perIp.delete(ip);
        else perIp.set(ip, left);
      };
    };
    /** The open streams' end functions by portal: a deleted portal's streams end. */
    const byPortal = new Map<string, Set<() => void>>();
    const { store } = app;
    app.portals.onDeleted((portalId) => {
      for (const end of [...(byPortal.get(portalId) ?? [])]) end();
    });

    // A portal that never had a signal reads as GET state shows it: cleared, with no dates.
    const currentStatus = async (portalId: string): Promise<RelayedStatus> =>
      (await store.getStatus(portalId)) ?? blankStatus(portalId);

    const opening = async (portalId: string, resumeAfter: number | null): Promise<Opening> => {
      // The newest change id is read before the status: if a change lands in between, the
      // status is the newer one and that change still arrives as a live event.
      const newest = (await store.listChanges(portalId, { limit: 1 })).items[0]?.id ?? null;
      if (resumeAfter !== null && newest !== null) {
        if (resumeAfter === newest) return { events: [], note: null, resumedAfter: resumeAfter };
        // 0 is before every change (ids start at 1): the whole history, when it is short enough.
        const known =
          resumeAfter === FROM_THE_START || (await store.getChange(portalId, resumeAfter)) !== null;
        if (resumeAfter < newest && known) {
          const missed = await store.listChangesAfter(portalId, resumeAfter, REPLAY_LIMIT + 1);
          if (missed.length <= REPLAY_LIMIT) {
            const events = [];
            for (const change of missed)
              events.push({ id: change.id, status: await store.statusAt(portalId, change.id) });
            return { events, note: null, resumedAfter: resumeAfter };
          }
        }
      }
      // Resuming from the start of a portal without changes: its current status is all there is.
      const upToDate = resumeAfter === null || (resumeAfter === FROM_THE_START && newest === null);
      const note = upToDate
        ? null
        : `cannot resume after ${resumeAfter}: the current status follows`;
      return {
        events: [{ id: newest, status: await currentStatus(portalId) }],
        note,
        resumedAfter: null,
      };
    };

    const service: StreamsService = {
      get count() {
        return open.size;
      },
      get dropped() {
        return dropped;
      },
      async open(request, reply, portalId) {
        const release = take(request.ip, reply);
        // Listen before reading, so nothing committed meanwhile is lost; hold those events until
        // the opening events are out, then send the ones it did not already cover.
        const held: StatusEvent[] = [];
        let write: ((event: StatusEvent) => void) | null = null;
        const unsubscribe = app.signals.subscribe(portalId, (event) =>
          write ? write(event) : held.push(event),
        );
        let first: Opening;
        try {
          first = await opening(portalId, lastEventId(request));
        } catch (error) {
          unsubscribe();
          release();
          throw error;
        }
        reply.hijack();
        const res = reply.raw;
        if (res.destroyed || request.raw.socket?.destroyed) {
          // The client went away while the opening was read: nothing to stream, the slot is free.
          unsubscribe();
          release();
          return;
        }
        res.writeHead(200, {
          // What onRequest hooks set on the reply (the API's security headers): a hijacked reply
          // does not send them by itself.
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        let lastSent = first.resumedAfter ?? 0;
        // Back-pressure: a client that stops reading would have every later event kept for it in
        // memory. Once what the socket could not yet hand to the kernel passes the limit it is
        // dropped; EventSource reconnects with Last-Event-ID and catches up from the store.
        let ended = false;
        const overLimit = () => {
          if (res.writableLength <= limits.maxBufferedBytes || ended) return false;
          dropped++;
          request.log.warn(
            { portalId, buffered: res.writableLength },
            'event stream dropped: its client does not read',
          );
          res.destroy();
          end();
          return true;
        };
        const send = (status: RelayedStatus | null, id: number | null) => {
          if (ended) return;
          if (id !== null) lastSent = Math.max(lastSent, id);
          res.write(
            `${id !== null ? `id: ${id}\n` : ''}event: status\ndata: ${JSON.stringify(status)}\n\n`,
          );
        };
        res.write('retry: 3000\n\n');
        if (first.note) res.write(`: ${first.note}\n\n`);
        // The opening is bounded (REPLAY_LIMIT events): it is not held against the client yet.
        for (const event of first.events) send(event.status, event.id);
        for (const event of held)
          if (event.change.id > lastSent) send(event.status, event.change.id);
        // Checked before each write, on what earlier writes left unsent: one large event never
        // drops a client that reads, a client that read nothing of the last ones is dropped.
        write = (event) => {
          if (!overLimit()) send(event.status, event.change.id);
        };
        const heartbeat = setInterval(() => {
          if (ended || overLimit()) return;
          res.write(': keep-alive\n\n');
        }, HEARTBEAT_MS);
        heartbeat.unref();
        function end() {
          if (ended) return;
          ended = true;
          release();
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(end);
          const ofPortal = byPortal.get(portalId);
          ofPortal?.delete(end);
          if (ofPortal?.size === 0) byPortal.delete(portalId);
          if (!res.writableEnded && !res.destroyed) res.end();
        }
        open.add(end);
        let ofPortal = byPortal.get(portalId);
        if (!ofPortal) byPortal.set(portalId, (ofPortal = new Set()));
        ofPortal.add(end);
        request.raw.on('close', end);
        res.on('close', end);
      },
    };
    app.decorate('streams', service);
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });
  },
  { name: 'relay-sse', dependencies: ['relay-signals', 'relay-portals'] },
);
