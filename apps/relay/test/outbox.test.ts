import {
  admin,
  createPortal,
  salesforceError,
  signed,
  startTestRelay,
  waitFor,
  type TestRelay,
} from './helpers.js';

// The outbox with a recording publisher: ordering, retries, give-up, re-queue.
describe('outbox delivery', () => {
  let relay: TestRelay;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    relay = await startTestRelay();
    for (const id of ['1001', '1002'])
      secrets[id] = (await createPortal(relay.app, id)).signingSecret;
  });
  afterAll(() => relay.close());

  const send = (portalId: string, n: number) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secrets[portalId]!, {
        reason: 'ORG_LOCKED',
        title: `${portalId}#${n}`,
        occurredAt: new Date().toISOString(),
        eventId: `${portalId}-${n}`,
      }),
    });
  const titles = (portalId: string) =>
    relay.publisher.published
      .filter((p) => p.target.portalId === portalId)
      .map((p) => p.status.title);

  test('retryable failures (503, SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED) are retried; each portal stays in order', async () => {
    relay.publisher.failNext(
      salesforceError('SERVER_UNAVAILABLE', 503),
      salesforceError('UNABLE_TO_LOCK_ROW', 400),
      salesforceError('REQUEST_LIMIT_EXCEEDED', 403),
      Object.assign(new Error('Service Unavailable'), { statusCode: 503 }),
      Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    );
    for (let n = 1; n <= 10; n++) {
      expect((await send('1001', n)).statusCode).toBe(202);
      expect((await send('1002', n)).statusCode).toBe(202);
    }
    await waitFor(
      () => titles('1001').length === 10 && titles('1002').length === 10,
      15_000,
      'all deliveries',
    );
    expect(titles('1001')).toEqual(Array.from({ length: 10 }, (_, i) => `1001#${i + 1}`));
    expect(titles('1002')).toEqual(Array.from({ length: 10 }, (_, i) => `1002#${i + 1}`));
    const deliveries = await relay.app.inject({
      method: 'GET',
      url: '/v1/portals/1001/deliveries?limit=50',
      headers: admin,
    });
    const items = deliveries.json().items as {
      state: string;
      attempts: number;
      lastError: string | null;
    }[];
    expect(items.every((d) => d.state === 'delivered')).toBe(true);
    expect(
      items.reduce((sum, d) => sum + d.attempts, 0) +
        (
          await relay.app.inject({
            method: 'GET',
            url: '/v1/portals/1002/deliveries?limit=50',
            headers: admin,
          })
        )
          .json()
          .items.reduce((s: number, d: { attempts: number }) => s + d.attempts, 0),
    ).toBe(25);
  });

  test('a permanent failure is given up, shown with its error, and re-queued on request', async () => {
    relay.publisher.failNext(salesforceError('INSUFFICIENT_ACCESS_OR_READONLY', 403));
    expect((await send('1001', 11)).statusCode).toBe(202);
    const failed = await waitFor(
      async () => {
        const page = (
          await relay.app.inject({
            method: 'GET',
            url: '/v1/portals/1001/deliveries?state=failed',
            headers: admin,
          })
        ).json();
        return page.items.length === 1 ? page.items[0] : undefined;
      },
      5000,
      'failed delivery',
    );
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('INSUFFICIENT_ACCESS_OR_READONLY'),
    });
    const retry = await relay.app.inject({
      method: 'POST',
      url: '/v1/admin/portals/1001/deliveries/retry',
      headers: admin,
    });
    expect(retry.json()).toEqual({ requeued: 1 });
    await waitFor(() => titles('1001').includes('1001#11'), 5000, 'redelivery');
  });

  test('a delivery recorded whose connection-change check fails does not end its run: the rest go on, once each', async () => {
    const { signingSecret } = await createPortal(relay.app, '1006');
    secrets['1006'] = signingSecret;
    await relay.app.outbox.stop();
    const resendLatest = relay.app.store.resendLatest.bind(relay.app.store);
    relay.app.store.resendLatest = () => Promise.reject(new Error('database hiccup'));
    try {
      for (let n = 1; n <= 3; n++) expect((await send('1006', n)).statusCode).toBe(202);
      relay.app.outbox.start(); // one round claims the three as one run
      await waitFor(() => titles('1006').length === 3, 10_000, 'the run');
      const items = await waitFor(
        async () => {
          const page = await relay.app.store.listDeliveries('1006', { limit: 5 });
          return page.items.every((d) => d.state === 'delivered') && page.items;
        },
        10_000,
        'recorded',
      );
      expect(items.map((d) => d.attempts)).toEqual([1, 1, 1]);
      expect(titles('1006')).toEqual(['1006#1', '1006#2', '1006#3']);
    } finally {
      relay.app.store.resendLatest = resendLatest;
    }
  });

  test('each delivery keeps the connection it went with: a connection check that comes late, after the resend to the new one, sends nothing more', async () => {
    const { signingSecret } = await createPortal(relay.app, '1007');
    secrets['1007'] = signingSecret;
    const sent = () => relay.publisher.published.filter((p) => p.target.portalId === '1007');
    expect((await send('1007', 1)).statusCode).toBe(202);
    await waitFor(() => sent().length === 1, 5000, 'the delivery to the first org');
    const first = sent()[0]!.target.configVersion;
    const put = await relay.app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/1007/salesforce',
      headers: admin,
      payload: {
        kind: 'token',
        instanceUrl: 'https://second.my.salesforce.com',
        accessToken: '00D000000000002!token',
      },
    });
    expect(put.statusCode).toBe(200);
    await waitFor(() => sent().length === 2, 10_000, 'the newest status resent to the second org');
    expect(sent()[1]!.target.configVersion).not.toBe(first);
    await waitFor(
      async () =>
        (await relay.app.store.listDeliveries('1007', { limit: 1 })).items[0]?.state ===
        'delivered',
      5000,
      'the resend recorded',
    );
    // The first delivery's own check, held up until now (a stalled database): nothing to resend.
    expect(
      await relay.app.store.resendLatest('1007', { at: new Date(), sentWithVersion: first }),
    ).toBe(false);
  });

  test('a portal without a Salesforce connection keeps its changes until one is configured', async () => {
    const { signingSecret } = await createPortal(relay.app, '1003', null);
    secrets['1003'] = signingSecret;
    expect((await send('1003', 1)).statusCode).toBe(202);
    await waitFor(
      async () =>
        (await relay.app.store.listDeliveries('1003', { limit: 5, state: 'waitingForConnection' }))
          .items.length === 1,
      5000,
      'not configured',
    );
    const put = await relay.app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/1003/salesforce',
      headers: admin,
      payload: {
        kind: 'token',
        instanceUrl: 'https://example.my.salesforce.com',
        accessToken: '00D000000000001!token',
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().salesforce).toEqual({
      configured: true,
      kind: 'token',
      instanceUrl: 'https://example.my.salesforce.com',
    });
    expect(put.body).not.toContain('00D000000000001!token');
    await waitFor(() => titles('1003').includes('1003#1'), 5000, 'delivery after configuration');
  });

  test('an attempt that landed but was not recorded (timeout, crash) is not sent again', async () => {
    // The first publish reaches "Salesforce" but its answer is lost; the retry asks first.
    const landed: string[] = [];
    const original = relay.publisher.publish.bind(relay.publisher);
    let lose = true;
    relay.publisher.publish = async (target, status) => {
      const result = await original(target, status);
      // This portal's only: another test's portal may still be delivering (its connection was
      // just set), and the retry now waits as long as a send may take before it asks.
      if (status.portalId !== '1002') return result;
      landed.push(status.title ?? '');
      if (lose) {
        lose = false;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    };
    relay.publisher.isDelivered = async (_target, status) => landed.includes(status.title ?? '');
    expect((await send('1002', 11)).statusCode).toBe(202);
    const delivery = await waitFor(
      async () => {
        const items = (await relay.app.store.listDeliveries('1002', { limit: 1 })).items;
        return items[0]?.state === 'delivered' ? items[0] : undefined;
      },
      15_000,
      'reconciled delivery',
    );
    expect(delivery).toMatchObject({ attempts: 2, result: { reconciled: true } });
    expect(landed).toEqual(['1002#11']);
    relay.publisher.publish = original;
    delete relay.publisher.isDelivered;
  });
});

describe('outbox scheduling', () => {
  test('a slow org holds up only its own portal: other portals are delivered while its run is in flight', async () => {
    const relay = await startTestRelay();
    try {
      const slow = (await createPortal(relay.app, '2001')).signingSecret;
      const fast = (await createPortal(relay.app, '2002')).signingSecret;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const original = relay.publisher.publish.bind(relay.publisher);
      relay.publisher.publish = async (target, status) => {
        if (target.portalId === '2001') await gate;
        return original(target, status);
      };
      const send = (portalId: string, secret: string, n: number) =>
        relay.app.inject({
          method: 'POST',
          url: `/v1/portals/${portalId}/suspensions`,
          ...signed(secret, {
            reason: 'ORG_LOCKED',
            title: `${portalId}#${n}`,
            occurredAt: new Date().toISOString(),
            eventId: `${portalId}-${n}`,
          }),
        });
      expect((await send('2001', slow, 1)).statusCode).toBe(202);
      await waitFor(
        async () =>
          (await relay.app.store.listDeliveries('2001', { limit: 1 })).items[0]?.leaseOwner !==
          null,
        5000,
        'slow run started',
      );
      for (let n = 1; n <= 3; n++) expect((await send('2002', fast, n)).statusCode).toBe(202);
      const delivered = (portalId: string) =>
        relay.publisher.published
          .filter((p) => p.target.portalId === portalId)
          .map((p) => p.status.title);
      await waitFor(
        () => delivered('2002').length === 3,
        5000,
        'fast portal delivered while the slow one waits',
      );
      expect(delivered('2001')).toEqual([]);
      release();
      await waitFor(
        () => delivered('2001').length === 1,
        5000,
        'slow portal delivered once its org answers',
      );
    } finally {
      await relay.close();
    }
  });

  test('a stream of signals does not cost a claim round per signal: rounds are spaced', async () => {
    const relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 10_000, perPortalPerMinute: 10_000 },
      outbox: {
        enabled: true,
        pollIntervalMs: 10_000,
        leaseMs: 5000,
        batchSize: 20,
        maxAttempts: 8,
        baseDelayMs: 5,
        maxDelayMs: 50,
      },
    });
    try {
      const secret = (await createPortal(relay.app, '2003')).signingSecret;
      let claims = 0;
      const claim = relay.app.store.claimDeliveries.bind(relay.app.store);
      relay.app.store.claimDeliveries = (...args) => {
        claims++;
        return claim(...args);
      };
      // One signal after another, each waking the worker.
      const started = Date.now();
      for (let n = 0; n < 150; n++) {
        const answer = await relay.app.inject({
          method: 'POST',
          url: '/v1/portals/2003/suspensions',
          ...signed(secret, {
            reason: 'ORG_LOCKED',
            title: `#${n}`,
            occurredAt: new Date().toISOString(),
            eventId: `stream-${n}`,
          }),
        });
        expect(answer.statusCode).toBe(202);
      }
      const elapsed = Date.now() - started;
      await waitFor(
        () => relay.publisher.published.length === 150,
        10_000,
        'every change delivered',
      );
      // At most one round per 20 ms while signals arrive, plus the few that drain the queue.
      expect(claims).toBeLessThanOrEqual(Math.ceil(elapsed / 20) + 10);
      expect(claims).toBeLessThan(150);
      expect(relay.publisher.published.map((p) => p.status.title)).toEqual(
        Array.from({ length: 150 }, (_, n) => `#${n}`),
      );
    } finally {
      await relay.close();
    }
  });
});
