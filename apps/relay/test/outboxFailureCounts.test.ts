import type { RelayedStatus } from '@sync-doctor/core';
import { buildApp } from '../src/app.js';
import type { DeliveryTarget, PublishedBatch, StatusPublisher } from '../src/publisher/types.js';
import {
  admin,
  captureLogs,
  createPortal,
  salesforceError,
  signed,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';

// A failed send is counted (relay_deliveries_total, "delivery failed" in the log) only when the
// failure was recorded: a portal deleted while its change was on its way has nothing left to
// retry, as a delivered one has nothing left to record (deletePortalLeftovers.test.ts).
describe('a send that fails after its portal was deleted', () => {
  test.each([
    ['a single change', 1],
    ['a batch', 3],
  ])('%s is counted as the portal deleted, not retried', async (_kind, count) => {
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    // Salesforce failing the send (a passing failure) only once the test has deleted the portal.
    const failLater = async (): Promise<never> => {
      started();
      await held;
      throw salesforceError('SERVER_UNAVAILABLE', 503);
    };
    const publisher: StatusPublisher = {
      publish: (_target: DeliveryTarget, _status: RelayedStatus) => failLater(),
      publishBatch: (_target: DeliveryTarget, _statuses: readonly RelayedStatus[]) =>
        failLater() as Promise<PublishedBatch>,
      batchMax: 200,
      async ping() {},
    };
    const dir = tempDir();
    const logs = captureLogs({ level: 'info' });
    const app = await buildApp(testConfig(dir.path, { publisher }), {
      loggerInstance: logs.logger,
    });
    await app.ready();
    try {
      const { signingSecret } = await createPortal(app, '9300001');
      await app.outbox.stop();
      for (let n = 1; n <= count; n++) {
        const sent = await app.inject({
          method: 'POST',
          url: '/v1/portals/9300001/suspensions',
          ...signed(signingSecret, {
            reason: 'ORG_LOCKED',
            occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
            eventId: `failing-${n}`,
          }),
        });
        expect(sent.statusCode).toBe(202);
      }
      app.outbox.start();
      await inFlight;
      expect(
        (await app.inject({ method: 'DELETE', url: '/v1/admin/portals/9300001', headers: admin }))
          .statusCode,
      ).toBe(204);
      finish();
      const counted = await waitFor(
        async () => {
          const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
          return /relay_deliveries_total\{outcome="(portal_deleted|lease_lost|retry)"\} \d+/.exec(
            text,
          )?.[0];
        },
        10_000,
        'the failed send to be counted',
      );
      expect(counted).toBe('relay_deliveries_total{outcome="portal_deleted"} 1');
      await app.outbox.stop();
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).not.toMatch(/relay_deliveries_total\{outcome="retry"\}/);
      expect(logs.text()).not.toMatch(/delivery failed/);
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
