import type { RelayedStatus } from '@sync-doctor/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { blankStatus } from '../domain/signal.js';
import { HttpError } from '../errors.js';
import type { ChangeEvent } from './changeFeed.js';
import { clientAddressKey } from './clientAddress.js';

interface StreamsService {
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
const REPLAY_LIMIT = 100;
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
    /**
     * The open streams' end functions by portal, each with when the portal it streams was
     * created: a deleted portal's streams end, as do those of one deleted and created again.
     */
    const byPortal = new Map<string, Map<() => void, string | null>>();
    const { store } = app;
    app.portals.onDeleted((portalId) => {
      for (const end of [...(byPortal.get(portalId)?.keys() ?? [])]) end();
    });

    // A portal that never had a signal reads as GET state shows it: cleared, with no dates.
    const currentStatus = async (portalId: string): Promise<RelayedStatus> =>
      (await store.getStatus(portalId)) ?? blankStatus(portalId);

    const newestChange = async (portalId: string): Promise<number | null> =>
      (await store.listChanges(portalId, { limit: 1 })).items[0]?.id ?? null;

    /**
     * The status after each change of the portal after `after` (0: from the start), oldest first,
     * for a stream that was sent `after`: what a reconnect with Last-Event-ID replays, and what
     * open streams replay when LISTEN comes back. [] when nothing is missed, null when it cannot be
     * replayed (more than REPLAY_LIMIT changes, or `after` is not a change of the portal).
     */
    const missedSince = async (
      portalId: string,
      after: number,
      newest: number | null,
    ): Promise<Opening['events'] | null> => {
      if (newest === null) return after === FROM_THE_START ? [] : null;
      if (after === newest) return [];
      // 0 is before every change (ids start at 1): the whole history, when it is short enough.
      const known = after === FROM_THE_START || (await store.getChange(portalId, after)) !== null;
      if (after < newest && known) {
        const missed = await store.listChangesAfter(portalId, after, REPLAY_LIMIT + 1);
        if (missed.length <= REPLAY_LIMIT) {
          // Their statuses in one batch, as another instance's changes are read (signals.ts).
          const read = await store.changesWithStatus(
            portalId,
            missed.map((change) => change.id),
          );
          const statuses = new Map(read.map(({ change, status }) => [change.id, status]));
          return missed.map((change) => ({
            id: change.id,
            status: statuses.get(change.id) ?? null,
          }));
        }
      }
      return null;
    };

    /** The newest change and the current status, with why the stream does not replay instead. */
    const afresh = async (
      portalId: string,
      newest: number | null,
      note: string | null,
    ): Promise<Opening> => ({
      events: [{ id: newest, status: await currentStatus(portalId) }],
      note,
      resumedAfter: null,
    });

    const opening = async (portalId: string, resumeAfter: number | null): Promise<Opening> => {
      // The newest change id is read before the status: if a change lands in between, the
      // status is the newer one and that change still arrives as a live event.
      const newest = await newestChange(portalId);
      if (resumeAfter !== null && newest !== null) {
        const missed = await missedSince(portalId, resumeAfter, newest);
        if (missed) return { events: missed, note: null, resumedAfter: resumeAfter };
      }
      // Resuming from the start of a portal without changes: its current status is all there is.
      const upToDate = resumeAfter === null || (resumeAfter === FROM_THE_START && newest === null);
      return afresh(
        portalId,
        newest,
        upToDate ? null : `cannot resume after ${resumeAfter}: the current status follows`,
      );
    };

    /**
     * What an open stream that was sent change `after` (0: none yet) missed while LISTEN was down:
     * read as a reconnect with Last-Event-ID reads it; nothing when it missed nothing.
     */
    const catchUp = async (portalId: string, after: number): Promise<Opening> => {
      const newest = await newestChange(portalId);
      const missed = await missedSince(portalId, after, newest);
      if (missed) return { events: missed, note: null, resumedAfter: after };
      return afresh(
        portalId,
        newest,
        `cannot replay the changes after ${after} stored while other instances could not be heard: the current status follows`,
      );
    };

    // PostgreSQL: while LISTEN is down, changes other instances store never reach this one's
    // streams. Streams send nothing meanwhile (changes stored here wait too, so order holds);
    // once LISTEN is back each reads what it missed from the store and sends it, in order.
    let listenLost = false;
    /** How many times LISTEN was lost: what a resume began is dropped if it is lost again meanwhile. */
    let losses = 0;
    /** How many times LISTEN came back: a stream still opening then catches up once it is open. */
    let resumes = 0;
    const catchUps = new Set<() => void>();
    const stopHearingGaps = store.onListenGap?.((state) => {
      if (state === 'lost') {
        listenLost = true;
        losses++;
        return;
      }
      // A portal another instance deleted meanwhile was not notified either: first forget those
      // no longer stored, or stored as created at another time (deleted and created again under
      // the same id), here and in the portal caches (their streams end instead of reading an
      // emptied history, or another portal's as if it were theirs). Streams still send nothing
      // until then: the catch-up reads it all.
      const lossesBefore = losses;
      const held = [...byPortal].flatMap(([id, ends]) =>
        [...new Set(ends.values())].map((createdAt) => ({ id, createdAt })),
      );
      void app.portals
        .forgetVanished(held)
        .catch((error: unknown) =>
          app.log.warn(
            { err: error },
            'could not check which portals were deleted while LISTEN was down',
          ),
        )
        .then(() => {
          // Lost again meanwhile: the next resume does this.
          if (losses !== lossesBefore) return;
          listenLost = false;
          resumes++;
          for (const catchUpStream of [...catchUps]) catchUpStream();
        });
    });
    if (stopHearingGaps) app.addHook('onClose', async () => stopHearingGaps());

    const service: StreamsService = {
      get count() {
        return open.size;
      },
      get dropped() {
        return dropped;
      },
      async open(request, reply, portalId) {
        const release = take(clientAddressKey(request.ip), reply);
        // Listen before reading, so nothing committed meanwhile is lost; hold those events until
        // the opening events are out, then send the ones it did not already cover.
        const held: ChangeEvent[] = [];
        const resumesBefore = resumes;
        let write: ((event: ChangeEvent) => void) | null = null;
        const unsubscribe = app.changes.subscribe(portalId, (event) =>
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
        // While LISTEN is down they wait for the catch-up, which reads them from the store.
        if (!listenLost)
          for (const event of held)
            if (event.change.id > lastSent) send(event.status, event.change.id);
        held.length = 0;
        /** A catch-up is reading: live events wait in `held`. */
        let catchingUp = false;
        // Checked before each write, on what earlier writes left unsent: one large event never
        // drops a client that reads, a client that read nothing of the last ones is dropped.
        // A live event can come after the opening or a catch-up already sent its change (another
        // instance's change is notified, then read: its reading may end after the opening read
        // it from the store), or after a newer one: each change goes out once, in order.
        write = (event) => {
          if (listenLost) return;
          if (catchingUp) held.push(event);
          else if (event.change.id > lastSent && !overLimit()) send(event.status, event.change.id);
        };
        let catchingUpDone = Promise.resolve();
        const catchUpStream = (): void => {
          catchingUpDone = catchingUpDone.then(async () => {
            // Lost again: the next resume catches up.
            if (ended || listenLost) return;
            catchingUp = true;
            try {
              const missed = await catchUp(portalId, lastSent);
              if (ended) return;
              if (missed.note) res.write(`: ${missed.note}\n\n`);
              // Bounded (REPLAY_LIMIT events), as the opening.
              for (const event of missed.events) send(event.status, event.id);
              if (!listenLost)
                for (const event of held)
                  if (event.change.id > lastSent && !overLimit())
                    send(event.status, event.change.id);
            } catch (error) {
              // Its client reconnects with Last-Event-ID and catches up from the store itself.
              request.log.warn(
                { err: error, portalId },
                'event stream ended: the changes stored while LISTEN was down could not be read',
              );
              end();
            } finally {
              catchingUp = false;
              held.length = 0;
            }
          });
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
          catchUps.delete(catchUpStream);
          const ofPortal = byPortal.get(portalId);
          ofPortal?.delete(end);
          if (ofPortal?.size === 0) byPortal.delete(portalId);
          if (!res.writableEnded && !res.destroyed) res.end();
        }
        open.add(end);
        let ofPortal = byPortal.get(portalId);
        if (!ofPortal) byPortal.set(portalId, (ofPortal = new Map()));
        // The portal the route checked (requireReader): the one whose history this stream reads.
        ofPortal.set(end, request.portal?.createdAt ?? null);
        catchUps.add(catchUpStream);
        // LISTEN came back while the stream was opening: what it read may predate changes stored
        // while LISTEN was down.
        if (resumes !== resumesBefore && !listenLost) catchUpStream();
        request.raw.on('close', end);
        res.on('close', end);
      },
    };
    app.decorate('streams', service);
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });
  },
  { name: 'relay-sse', dependencies: ['relay-change-feed', 'relay-portals'] },
);
