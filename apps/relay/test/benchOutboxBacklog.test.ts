// The throughput bench reads the outbox's backlog around each relay measurement from /metrics,
// and waits for it to drain before GET state on an idle outbox: checked here on real scrapes of
// the app, on a small server whose backlog drains, and on made-up expositions, since the bench
// itself only runs under npm run bench.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error: a plain ES module of the bench folder, without types
import { pendingDeliveries, waitForIdleOutbox } from '../bench/outboxBacklog.js';
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

  describe('waiting for the outbox to drain', () => {
    /** A /metrics endpoint whose pending count drops by `step` on each scrape, down to 0. */
    async function drainingServer(start: number, step: number) {
      let pending = start;
      let scrapes = 0;
      const server: Server = createServer((request, response) => {
        scrapes += 1;
        response.end(`relay_outbox_deliveries{state="pending"} ${pending}\n`);
        pending = Math.max(0, pending - step);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}`,
        scrapes: () => scrapes,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    }

    test('polls until nothing is pending, then says how long it waited', async () => {
      const server = await drainingServer(9000, 3000);
      try {
        const drained = await waitForIdleOutbox(server.url, { intervalMs: 20 });
        expect(drained.pending).toBe(0);
        // 9,000, 6,000, 3,000, then 0: four scrapes, three pauses of 20 ms between them.
        expect(server.scrapes()).toBe(4);
        expect(drained.waitedMs).toBeGreaterThanOrEqual(55);
      } finally {
        await server.close();
      }
    });

    test('does not wait when the outbox is already idle', async () => {
      const server = await drainingServer(0, 1);
      try {
        expect(await waitForIdleOutbox(server.url, { intervalMs: 1000 })).toEqual({
          pending: 0,
          waitedMs: expect.any(Number),
        });
        expect(server.scrapes()).toBe(1);
      } finally {
        await server.close();
      }
    });

    test('gives up after its timeout and says what is left, on a real relay whose outbox is off', async () => {
      const relay = await startTestRelay({
        outbox: { enabled: false } as TestRelay['app']['config']['outbox'],
      });
      const url = await relay.app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const { signingSecret } = await createPortal(relay.app, '3300032');
        await relay.app.inject({
          method: 'POST',
          url: '/v1/portals/3300032/suspensions',
          ...signed(signingSecret, {
            reason: 'ORG_LOCKED',
            occurredAt: new Date(Date.now() - 1000).toISOString(),
            eventId: 'never-delivered',
          }),
        });
        const gaveUp = await waitForIdleOutbox(url, { timeoutMs: 150, intervalMs: 30 });
        expect(gaveUp.pending).toBe((await relay.app.store.countDeliveries()).pending);
        expect(gaveUp.pending).toBeGreaterThanOrEqual(1);
        expect(gaveUp.waitedMs).toBeGreaterThanOrEqual(150);
      } finally {
        await relay.close();
      }
    });
  });
});
