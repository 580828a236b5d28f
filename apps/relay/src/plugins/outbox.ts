import fp from 'fastify-plugin';
import { sendTimeoutMs } from '../outbox/send.js';
import { OutboxWorker } from '../outbox/worker.js';
import { SalesforcePublisher } from '../publisher/salesforce.js';
import type { StatusPublisher } from '../publisher/types.js';
import { onChangeRecorded } from './changeFeed.js';

declare module 'fastify' {
  interface FastifyInstance {
    outbox: OutboxWorker;
    publisher: StatusPublisher;
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
      instanceId: app.config.instanceId,
      log: app.log.child({ component: 'outbox' }),
      metrics: app.metrics,
    });
    app.decorate('publisher', publisher);
    app.decorate('outbox', worker);
    onChangeRecorded(app.changes, () => worker.wake());
    app.portals.onDeleted((portalId) => worker.forgetPortal(portalId));
    if (app.config.outbox.enabled) app.addHook('onReady', async () => worker.start());
    // preClose runs before any onClose hook, so the worker has stopped before the store closes.
    app.addHook('preClose', async () => {
      await worker.stop();
      await publisher.close?.();
    });
  },
  { name: 'relay-outbox', dependencies: ['relay-store', 'relay-portals', 'relay-change-feed'] },
);
