import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { DeliveryRecovery } from '../outbox/recovery.js';
import { sendTimeoutMs } from '../outbox/send.js';
import { OutboxWorker } from '../outbox/worker.js';
import { SalesforcePublisher } from '../publisher/salesforce.js';
import type { StatusPublisher } from '../publisher/types.js';
import { onChangeRecorded } from './changeFeed.js';

declare module 'fastify' {
  interface FastifyInstance {
    outbox: OutboxWorker;
    publisher: StatusPublisher;
    /** The automatic re-queue of deliveries given up on passing trouble; null where it is off. */
    deliveryRecovery: DeliveryRecovery | null;
  }
}

/** Starts the delivery worker when the server is ready; stops it (waiting for in-flight work) on close. */
export default fp(
  async (app) => {
    const publisher =
      app.config.publisher ??
      new SalesforcePublisher(sendTimeoutMs(app.config.outbox.leaseMs), {
        allowPrivateNetworks: app.config.allowPrivateTargets,
      });
    const worker = new OutboxWorker({
      store: app.store,
      portals: app.portals,
      publisher,
      config: app.config.outbox,
      recovery: app.config.deliveryRecovery,
      instanceId: app.config.instanceId,
      log: app.log.child({ component: 'outbox' }),
      metrics: app.metrics,
    });
    app.decorate('publisher', publisher);
    app.decorate('outbox', worker);
    onChangeRecorded(app.changes, () => worker.wake());
    app.portals.onDeleted((portalId) => worker.forgetPortal(portalId));
    if (app.config.outbox.enabled) app.addHook('onReady', async () => worker.start());
    // Deliveries given up during an outage longer than the backoff, re-queued once the org answers
    // again (each due check taken by one instance), only where this instance delivers.
    let recovery: DeliveryRecovery | null = null;
    if (app.config.outbox.enabled && app.config.deliveryRecovery.enabled) {
      recovery = new DeliveryRecovery({
        store: app.store,
        portals: app.portals,
        publisher,
        config: app.config.deliveryRecovery,
        log: app.log.child({ component: 'outbox-recovery' }),
        requeues: new Counter({
          name: 'relay_delivery_auto_requeues_total',
          help: 'Deliveries given up on passing trouble (Salesforce down longer than the retries) that the relay re-queued by itself once the org answered again',
          registers: [app.metrics.registry],
        }),
        wake: () => worker.wake(),
      });
      const started = recovery;
      app.addHook('onReady', async () => started.start());
      app.addHook('preClose', async () => started.stop());
    }
    app.decorate('deliveryRecovery', recovery);
    // preClose runs before any onClose hook, so the worker has stopped before the store closes.
    app.addHook('preClose', async () => {
      await worker.stop();
      await publisher.close?.();
    });
  },
  { name: 'relay-outbox', dependencies: ['relay-store', 'relay-portals', 'relay-change-feed'] },
);
