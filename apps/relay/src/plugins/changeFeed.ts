import { EventEmitter } from 'node:events';
import type { RelayedStatus } from '@sync-doctor/core';
import fp from 'fastify-plugin';
import type { Signal } from '../domain/signal.js';
import { labelledChildren } from './metrics.js';
import type { ChangeRecord, RecordResult } from '../store/types.js';

/** At most this many changes of another instance are read at once (one portal's burst). */
const FOREIGN_BATCH = 200;

export interface ChangeEvent {
  portalId: string;
  change: ChangeRecord;
  status: RelayedStatus;
}

export interface ChangeFeed {
  /** Stores the signal (change + status + outbox, atomically), then tells listeners and the outbox. */
  record(signal: Signal): Promise<RecordResult>;
  /** Listens to the changes of one portal; returns the unsubscribe function. */
  subscribe(portalId: string, listener: (event: ChangeEvent) => void): () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    changes: ChangeFeed;
  }
}

/**
 * The change feed: the one path every input's signal takes into the store (webhook, e-mail,
 * clear, detector), so counting, notifying and waking the outbox happen in one place; each change
 * stored (this instance's or, on PostgreSQL, another's) reaches the portal's live streams.
 */
export default fp(
  async (app) => {
    const bus = new EventEmitter();
    // One listener per open stream; many admins may watch one portal.
    bus.setMaxListeners(0);
    const wakers = new Set<() => void>();
    const signalCounter = labelledChildren(app.metrics.signals);

    const service: ChangeFeed & { onRecorded(waker: () => void): void } = {
      async record(signal) {
        const result = await app.store.recordSignal(signal);
        signalCounter({
          source: signal.source,
          outcome: result.duplicate ? 'duplicate' : 'stored',
        }).inc();
        if (!result.duplicate) {
          // Several instances (PostgreSQL): the streams hear this change through LISTEN, as the
          // other instances' (below).
          if (!app.store.onForeignChange)
            bus.emit(`portal:${signal.portalId}`, {
              portalId: signal.portalId,
              change: result.change,
              status: result.status,
            } satisfies ChangeEvent);
          for (const wake of wakers) wake();
        }
        return result;
      },
      subscribe(portalId, listener) {
        bus.on(`portal:${portalId}`, listener);
        return () => bus.off(`portal:${portalId}`, listener);
      },
      onRecorded(waker) {
        wakers.add(waker);
      },
    };
    app.decorate('changes', service);

    // Several instances on PostgreSQL: a change stored by another instance reaches this one's
    // live streams too (the outbox needs no signal: it polls). Each event carries the status right
    // after its change, read from the store as a stream's replay reads it, never the portal's
    // current one: a later change may already be stored when an earlier one is read (a burst,
    // notifications held back by a slow connection). The changes heard of a portal are read
    // together, one batch at a time, and sent in order: a burst costs a few reads per portal,
    // whatever the number of changes or of streams.
    const heard = new Map<string, number[]>();
    const readHeard = async (portalId: string, ids: number[]): Promise<void> => {
      // Let the rest of a burst come in first (one packet holds many notifications).
      await new Promise((resolve) => setImmediate(resolve));
      while (ids.length > 0) {
        const batch = ids.splice(0, FOREIGN_BATCH);
        if (bus.listenerCount(`portal:${portalId}`) === 0) continue;
        try {
          for (const { change, status } of await app.store.changesWithStatus(portalId, batch))
            if (status)
              bus.emit(`portal:${portalId}`, { portalId, change, status } satisfies ChangeEvent);
        } catch (error) {
          app.log.warn({ err: error }, 'could not relay a change from another instance');
        }
      }
      heard.delete(portalId);
    };
    // This instance's own changes reach its streams the same way, in the order LISTEN hears all
    // changes. Sent as soon as stored, a change of its own could go out ahead of an earlier change
    // of another instance that LISTEN had not delivered yet, or was still reading, or never would
    // deliver (its connection gone unnoticed); a stream sends changes once and in order, so that
    // earlier change was never sent, not even by the catch-up once LISTEN was back (it reads after
    // the last change sent). Now a change LISTEN did not deliver waits for the catch-up, together
    // with every later one.
    if (app.store.onForeignChange) {
      const stop = await app.store.onForeignChange(
        ({ portalId, changeId, deleted }) => {
          // Deleted on another instance: this one's caches forget it and its streams end.
          if (deleted) return app.portals.forgetDeleted(portalId);
          if (bus.listenerCount(`portal:${portalId}`) === 0) return;
          const reading = heard.get(portalId);
          if (reading) return void reading.push(changeId);
          const ids = [changeId];
          heard.set(portalId, ids);
          void readHeard(portalId, ids);
        },
        { own: true },
      );
      app.addHook('onClose', async () => stop());
    }
  },
  { name: 'relay-change-feed', dependencies: ['relay-store', 'relay-metrics', 'relay-portals'] },
);

/** Lets the outbox worker be woken as soon as a change is stored (no poll delay). */
export function onChangeRecorded(changes: ChangeFeed, waker: () => void): void {
  (changes as ChangeFeed & { onRecorded(waker: () => void): void }).onRecorded(waker);
}
