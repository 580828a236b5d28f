// The throughput bench reads the outbox's backlog around each relay measurement from /metrics:
// checked here on a real scrape of the app and on made-up expositions, since the bench itself
// only runs under npm run bench.
// @ts-expect-error: a plain ES module of the bench folder, without types
import { pendingDeliveries } from '../bench/outboxBacklog.js';
import { createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

describe("the bench's reading of the outbox backlog", () => {
  test('finds the pending count among the other states and label orders', () => {
    const text = [
      '# HELP relay_outbox_deliveries Outbox entries by state',
      '# TYPE relay_outbox_deliveries gauge',
      'relay_outbox_deliveries{state="delivered"} 120000',
      'relay_outbox_deliveries{state="pending"} 18342',
      'relay_outbox_deliveries{state="failed"} 0',
    ].join('\n');
    expect(pendingDeliveries(text)).toBe(18342);
    expect(
      pendingDeliveries('relay_outbox_deliveries{instance="a",state="pending",x="y"} 7\n'),
    ).toBe(7);
  });

  test('is null when the family is missing or its value is not a number', () => {
    expect(pendingDeliveries('relay_database_up 1\n')).toBeNull();
    expect(pendingDeliveries('relay_outbox_deliveries{state="delivered"} 5\n')).toBeNull();
    expect(pendingDeliveries('relay_outbox_deliveries{state="pending"} NaN\n')).toBeNull();
    expect(pendingDeliveries('relay_outbox_pending_total{state="pending"} 3\n')).toBeNull();
  });

  test("reads the count the relay's own /metrics exposes", async () => {
    // The outbox off, so the changes stay pending for the scrape.
    const relay = await startTestRelay({
      outbox: { enabled: false } as TestRelay['app']['config']['outbox'],
    });
    try {
      const { signingSecret } = await createPortal(relay.app, '3300031');
      for (const [n, reason] of [
        'ORG_LOCKED',
        'API_LIMIT_EXCEEDED',
        'STORAGE_LIMIT_EXCEEDED',
      ].entries())
        await relay.app.inject({
          method: 'POST',
          url: '/v1/portals/3300031/suspensions',
          ...signed(signingSecret, {
            reason,
            occurredAt: new Date(Date.now() - (3 - n) * 1000).toISOString(),
            eventId: `backlog-${n}`,
          }),
        });
      const pending = (await relay.app.store.countDeliveries()).pending;
      expect(pending).toBeGreaterThanOrEqual(3);
      const scrape = await relay.app.inject({ method: 'GET', url: '/metrics' });
      expect(pendingDeliveries(scrape.body)).toBe(pending);
    } finally {
      await relay.close();
    }
  });
});
